/**
 * /healthz and /readyz as a load balancer sees them: ready with every part fine, 503 naming the
 * part that fails (the database gone, a migration missing), and 503 `draining` from the moment
 * shutdown begins while requests are still served.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, describe, test } from 'node:test';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { until } from './support/until.js';

const started: TestPlatform[] = [];
after(async () => {
  await Promise.allSettled(started.map((tp) => tp.close()));
});

async function platform(): Promise<TestPlatform> {
  const tp = await startPlatform();
  started.push(tp);
  return tp;
}

async function readyz(tp: TestPlatform) {
  const response = await fetch(`${tp.baseUrl}/readyz`);
  return { status: response.status, body: await response.json() as Record<string, unknown>, headers: response.headers };
}

describe('health and readiness', () => {
  test('a node with its database and migrations in place is live and ready', async () => {
    const tp = await platform();
    const live = await fetch(`${tp.baseUrl}/healthz`);
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { status: 'ok' });
    const ready = await readyz(tp);
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ready', checks: { database: 'ok', migrations: 'ok', webhookWorker: 'ok' } });
    assert.equal(ready.headers.get('cache-control'), 'no-store');
  });

  test('a migration the database lacks makes the node unready, naming it', async () => {
    const tp = await platform();
    await sql`delete from kysely_migration where name = '0017-console-sessions'`.execute(tp.platform.db);
    const seen = await until('/readyz to answer 503', async () => {
      const answer = await readyz(tp);
      return answer.status === 503 ? answer : undefined;
    });
    assert.deepEqual(seen.body, { status: 'unready', failing: ['migrations'], checks: { database: 'ok', migrations: '1 not applied', webhookWorker: 'ok' } });
    assert.equal((await fetch(`${tp.baseUrl}/healthz`)).status, 200, 'the process itself still answers');
  });

  test('a database that is gone makes the node unready without telling why beyond "unreachable"', async () => {
    const tp = await platform();
    await tp.platform.db.destroy();
    const seen = await until('/readyz to answer 503', async () => {
      const answer = await readyz(tp);
      return answer.status === 503 ? answer : undefined;
    });
    assert.equal(seen.body.status, 'unready');
    assert.deepEqual(seen.body.failing, ['database', 'migrations']);
    assert.equal((seen.body.checks as Record<string, string>).database, 'unreachable');
  });

  test('a node without the webhook worker does not report on it', async () => {
    const tp = await startPlatform({ webhookWorker: 'off' });
    started.push(tp);
    assert.deepEqual((await readyz(tp)).body, { status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  test('draining: /readyz is 503 at once, requests are still answered, asking for a new connection', async () => {
    const tp = await platform();
    const { accessToken, vehicleIds } = await tp.token({ scope: 'read_odometer' });
    started.splice(started.indexOf(tp), 1);
    const closing = tp.platform.drainAndClose(60_000);
    try {
      const ready = await readyz(tp);
      assert.equal(ready.status, 503);
      assert.equal(ready.body.status, 'draining');
      assert.deepEqual(ready.body.failing, []);
      const read = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleIds[0]}/odometer`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('connection'), 'close');
    } finally {
      // The delay only waits for the balancer; closing now ends it early.
      await tp.close();
      await closing;
    }
  });
});
