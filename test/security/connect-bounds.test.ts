/**
 * Bounds on what an outsider or a developer can make carport store: Connect sessions started per
 * client address, cars per test-mode sign-in, and cars per `carport tokens create`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Clock } from '../../src/core/index.js';
import { connectOverHttp } from '../support/connect-http.js';
import { testDatabase, type TestDatabase } from '../support/database.js';
import { startPlatform, TEST_SECRET_KEY, type TestPlatform } from '../support/platform.js';

/** Time that stands still, so a token bucket never refills however slowly the requests go. */
class StoppedClock implements Clock {
  private readonly at = Date.now();
  now(): Date {
    return new Date(this.at);
  }
}

const CONNECT_PER_MINUTE = 30;

describe('Starting Connect sessions', () => {
  let tp: TestPlatform;
  before(async () => {
    tp = await startPlatform({ rateLimits: 'on', trustProxy: '1', connectRequestsPerMinute: CONNECT_PER_MINUTE }, { clock: new StoppedClock() });
  });
  after(() => tp.close());

  const authorize = (clientAddress: string) => fetch(
    `${tp.baseUrl}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: tp.app.clientId, scope: 'read_odometer', mode: 'test' })}`,
    { redirect: 'manual', headers: { 'x-forwarded-for': clientAddress } },
  );

  test(`past ${CONNECT_PER_MINUTE} a minute from one client address answers 429 with Retry-After on Connect's error page`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < CONNECT_PER_MINUTE; i++) {
      const res = await authorize('203.0.113.7');
      await res.body?.cancel();
      statuses.push(res.status);
    }
    assert.deepEqual(new Set(statuses), new Set([303]));

    const refused = await authorize('203.0.113.7');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1, `Retry-After: ${refused.headers.get('retry-after')}`);
    assert.match(refused.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(refused.headers.get('location'), null, 'no session was opened');
    assert.match(await refused.text(), /Too many sign-in sessions/);

    // The limit keys on the address the trusted proxy saw, not on the proxy.
    const other = await authorize('198.51.100.9');
    await other.body?.cancel();
    assert.equal(other.status, 303);
  });
});

describe('Test-mode sign-in', () => {
  let tp: TestPlatform;
  before(async () => {
    tp = await startPlatform();
  });
  after(() => tp.close());

  test('999-vehicles@… gives an account of 10 cars', async () => {
    let offered = 0;
    const query = new URLSearchParams({ response_type: 'code', client_id: tp.app.clientId, scope: 'read_odometer', mode: 'test', make: 'TESLA' });
    const back = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?${query}`, {
      email: `999-vehicles@${randomUUID()}.example.com`,
      onPage: (path, html) => {
        if (path.endsWith('/vehicles')) offered = [...html.matchAll(/name="vehicle" value="/g)].length;
      },
    });
    assert.ok(back.searchParams.get('code'), back.toString());
    assert.equal(offered, 10);
  });
});

describe('carport tokens create', () => {
  const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
  let db: TestDatabase;
  let tp: TestPlatform;
  before(async () => {
    db = await testDatabase({ shareable: true });
    tp = await startPlatform({ databaseUrl: db.url });
  });
  after(async () => {
    await tp.close();
    await db.drop();
  });

  test('--vehicles 101 is refused with a message naming the range', () => {
    const refused = spawnSync(process.execPath, [
      '--import', 'tsx', MAIN, 'tokens', 'create', '--client-id', tp.app.clientId, '--scope', 'read_odometer', '--vehicles', '101', '--json',
    ], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', SECRET_KEY: TEST_SECRET_KEY }, encoding: 'utf8' });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /--vehicles must be an integer from 1 to 100/);
    assert.equal(refused.stdout.trim(), '');
  });
});
