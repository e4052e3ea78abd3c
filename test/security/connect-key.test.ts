/**
 * The key that signs Connect's session cookie and CSRF tokens is derived from SECRET_KEY, never
 * stored: nodes sharing SECRET_KEY accept each other's sessions, the database holds no key to forge
 * them, and a node with another SECRET_KEY on the same database accepts none.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Browserless, csrfOf } from '../support/connect-http.js';
import { testDatabase, type TestDatabase } from '../support/database.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

describe('The Connect cookie key', () => {
  let db: TestDatabase;
  let a: TestPlatform;
  let b: TestPlatform;
  let stranger: TestPlatform;
  before(async () => {
    db = await testDatabase({ shareable: true });
    a = await startPlatform({ databaseUrl: db.url });
    b = await startPlatform({ databaseUrl: db.url });
    stranger = await startPlatform({ databaseUrl: db.url, secretKey: randomBytes(32).toString('base64') });
  });
  after(async () => {
    await a.close();
    await b.close();
    await stranger.close();
    await db.drop();
  });

  /** Opens a session on node A; answers the browser and the session's path. */
  async function startOnA(): Promise<{ browser: Browserless; base: string }> {
    const browser = new Browserless(a.baseUrl);
    const query = new URLSearchParams({ response_type: 'code', client_id: a.app.clientId, scope: 'read_odometer', mode: 'test', make: 'TESLA' });
    const start = await browser.request(`/oauth/authorize?${query}`);
    assert.equal(start.status, 303);
    return { browser, base: start.headers.get('location')! };
  }

  /** The same browser (its cookie) against another node. */
  function on(node: TestPlatform, browser: Browserless, path: string, fields?: [string, string][]) {
    const url = `${node.baseUrl}${path}`;
    return fields
      ? browser.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })
      : browser.request(url);
  }

  test('a session started on one node goes on on another node with the same SECRET_KEY', async () => {
    const { browser, base } = await startOnA();
    const page = await on(b, browser, `${base}/sign-in`);
    assert.equal(page.status, 200);
    const signedIn = await on(b, browser, `${base}/sign-in`, [['_csrf', csrfOf(await page.text())], ['email', 'two-nodes@example.com'], ['password', 'p']]);
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.headers.get('location'), `${base}/vehicles`);
  });

  test('the database holds no cookie key, and a node with another SECRET_KEY accepts neither the cookie nor the CSRF token', async () => {
    assert.deepEqual(await a.platform.db.selectFrom('server_keys').selectAll().execute(), []);
    const { browser, base } = await startOnA();
    const page = await on(a, browser, `${base}/sign-in`);
    const csrf = csrfOf(await page.text());
    const opened = await on(stranger, browser, `${base}/sign-in`);
    assert.equal(opened.status, 400);
    assert.match(await opened.text(), /belongs to another sign-in session/);
    const posted = await on(stranger, browser, `${base}/sign-in`, [['_csrf', csrf], ['email', 'forged@example.com'], ['password', 'p']]);
    assert.equal(posted.status, 400);
  });
});
