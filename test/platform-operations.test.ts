/** Running carport: HTTPS with a certificate, several nodes on one database, and the bound on revocation. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch as undiciFetch } from 'undici';
import { testDatabase, type TestDatabase } from './support/database.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

describe('HTTPS with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  let dir: string;
  let tp: TestPlatform;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carport-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    tp = await startPlatform({ tlsCertFile: join(dir, 'cert.pem'), tlsKeyFile: join(dir, 'key.pem') });
  });
  after(async () => {
    await tp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves the Vehicle API over TLS', async () => {
    assert.match(tp.baseUrl, /^https:/);
    const { accessToken, vehicleIds } = await tp.token();
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    const res = await undiciFetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleIds[0]}/odometer`, {
      headers: { authorization: `Bearer ${accessToken}` }, dispatcher,
    });
    assert.equal(res.status, 200);
    assert.equal(typeof ((await res.json()) as { distance: unknown }).distance, 'number');
    await dispatcher.close();
  });
});

describe('Two nodes on one database', () => {
  const CACHE_MS = 300;
  let db: TestDatabase;
  let a: TestPlatform;
  let b: TestPlatform;
  before(async () => {
    db = await testDatabase({ shareable: true });
    a = await startPlatform({ databaseUrl: db.url, authCacheMs: CACHE_MS, vehicleCacheMs: CACHE_MS });
    b = await startPlatform({ databaseUrl: db.url, authCacheMs: CACHE_MS, vehicleCacheMs: CACHE_MS });
  });
  after(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  test('a token issued on one node works on the other', async () => {
    const { accessToken, vehicleIds } = await a.token();
    const res = await fetch(`${b.baseUrl}/v2.0/vehicles/${vehicleIds[0]}/odometer`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(res.status, 200);
  });

  test('a command through one node shows at once there and within VEHICLE_CACHE_MS on the other', async () => {
    const { accessToken, vehicleIds } = await a.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const security = `/v2.0/vehicles/${vehicleIds[0]}/security`;
    const isLocked = async (node: TestPlatform) => ((await (await fetch(`${node.baseUrl}${security}`, { headers })).json()) as { isLocked: boolean }).isLocked;
    await fetch(`${a.baseUrl}${security}`, { method: 'POST', headers, body: JSON.stringify({ action: 'UNLOCK' }) });
    await new Promise((r) => setTimeout(r, CACHE_MS + 100));
    assert.equal(await isLocked(b), false, 'node B has read (and cached) the unlocked car');
    const locked = await fetch(`${a.baseUrl}${security}`, { method: 'POST', headers, body: JSON.stringify({ action: 'LOCK' }) });
    assert.equal(locked.status, 200);
    assert.equal(await isLocked(a), true, 'at once on node A');
    await new Promise((r) => setTimeout(r, CACHE_MS + 100));
    assert.equal(await isLocked(b), true, 'on node B once its cache entry lapsed');
  });

  test('a disconnect ends access at once on its node and within AUTH_CACHE_MS on the other', async () => {
    const { accessToken, vehicleIds } = await a.token();
    const headers = { authorization: `Bearer ${accessToken}` };
    const path = `/v2.0/vehicles/${vehicleIds[0]}/odometer`;
    assert.equal((await fetch(`${b.baseUrl}${path}`, { headers })).status, 200, 'node B has resolved (and cached) the token');
    const disconnected = await fetch(`${a.baseUrl}/v2.0/vehicles/${vehicleIds[0]}/application`, { method: 'DELETE', headers });
    assert.equal(disconnected.status, 200);
    assert.equal((await fetch(`${a.baseUrl}${path}`, { headers })).status, 404, 'at once on node A');
    await new Promise((r) => setTimeout(r, CACHE_MS + 100));
    assert.equal((await fetch(`${b.baseUrl}${path}`, { headers })).status, 404, 'on node B once its cache entry lapsed');
  });
});

describe('Connect sign-in brute-force protection', () => {
  let tp: TestPlatform;
  before(async () => {
    tp = await startPlatform({ rateLimits: 'on', tokenRequestsPerMinute: 3 });
  });
  after(() => tp.close());

  test('sign-in attempts from one address past the budget answer 429 and change nothing', async () => {
    const { Browserless, csrfOf } = await import('./support/connect-http.js');
    const client = new Browserless(tp.baseUrl);
    const start = await client.request(`${tp.baseUrl}/oauth/authorize?response_type=code&client_id=${tp.app.clientId}&scope=read_odometer&mode=test&make=TESLA`);
    const base = start.headers.get('location')!;
    const page = await (await client.request(`${base}/sign-in`)).text();
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await client.post(`${base}/sign-in`, [['_csrf', csrfOf(page)], ['email', 'not-an-email'], ['password', 'x']]);
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 429]);
  });
});
