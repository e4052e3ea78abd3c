/**
 * Writes seen everywhere at once (issue 12 §2): three nodes on one PostgreSQL database, each caching
 * vehicles and tokens for 30 s, so only the eviction notice a write sends can explain another node
 * seeing it sooner. Each case reports how long the change took to show on the other nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { createTestToken } from '../src/cli/tokens.js';
import { hashSecret } from '../src/oauth/index.js';
import { EVICTION_LISTENER_NAME } from '../src/store/index.js';
import { createSimulatedVehicle } from '../src/vehicles/index.js';
import { testDatabase, type TestDatabase } from './support/database.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;
/** Far longer than any wait below: an entry that changes sooner was evicted, not expired. */
const CACHE_MS = 30_000;
/** Generous for a loaded machine, and well inside CACHE_MS. */
const DEADLINE_MS = 10_000;

/** Polls until `seen` holds; answers the milliseconds it took, or fails at the deadline. */
async function timeUntil(what: string, seen: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  while (!(await seen())) {
    if (performance.now() - start > DEADLINE_MS) assert.fail(`${what}: not seen within ${DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - start;
}

function report(t: TestContext, what: string, ms: number[]): void {
  t.diagnostic(`${what}: ${ms.map((m) => `${m.toFixed(1)} ms`).join(', ')}`);
}

async function statusOf(url: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return res.status;
}

describe('Three nodes on one PostgreSQL database', { skip: onPostgres ? false : 'needs DATABASE_URL pointing at PostgreSQL (LISTEN/NOTIFY)' }, () => {
  let db: TestDatabase;
  let a: TestPlatform;
  let others: TestPlatform[];
  before(async () => {
    db = await testDatabase();
    const node = () => startPlatform({ databaseUrl: db.url, authCacheMs: CACHE_MS, vehicleCacheMs: CACHE_MS });
    a = await node();
    others = [await node(), await node()];
  });
  after(async () => {
    for (const node of [a, ...(others ?? [])]) await node?.close();
    await db?.drop();
  });

  const odometerStatus = (node: TestPlatform, token: string, vehicleId: string) =>
    statusOf(`${node.baseUrl}/v2.0/vehicles/${vehicleId}/odometer`, { headers: { authorization: `Bearer ${token}` } });

  /** Every other node answers `token` as node A does now, after it had cached the token as good. */
  async function refusedElsewhere(t: TestContext, what: string, token: string, vehicleId: string, change: () => Promise<void>) {
    for (const node of others) assert.equal(await odometerStatus(node, token, vehicleId), 200, 'the node has cached the token as good');
    await change();
    const refusal = await odometerStatus(a, token, vehicleId);
    assert.ok(refusal === 401 || refusal === 404, `node A refuses at once (${refusal})`);
    const times = await Promise.all(others.map((node) =>
      timeUntil(`${what} on ${node.baseUrl}`, async () => (await odometerStatus(node, token, vehicleId)) === refusal)));
    report(t, `${what} reached the other nodes after`, times);
  }

  test('a lock through node A shows on nodes B and C without waiting for their caches', async (t) => {
    const { accessToken, vehicleIds } = await a.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const security = `/v2.0/vehicles/${vehicleIds[0]}/security`;
    const isLocked = async (node: TestPlatform) =>
      ((await (await fetch(`${node.baseUrl}${security}`, { headers })).json()) as { isLocked: boolean }).isLocked;
    const times: number[] = [];
    for (const round of [1, 2, 3]) {
      assert.equal((await fetch(`${a.baseUrl}${security}`, { method: 'POST', headers, body: JSON.stringify({ action: 'UNLOCK' }) })).status, 200);
      for (const node of others) await timeUntil(`unlock ${round}`, async () => !(await isLocked(node)));
      for (const node of others) assert.equal(await isLocked(node), false, 'the node has read (and cached) the unlocked car');
      const locked = await fetch(`${a.baseUrl}${security}`, { method: 'POST', headers, body: JSON.stringify({ action: 'LOCK' }) });
      assert.equal(locked.status, 200);
      times.push(...await Promise.all(others.map((node) => timeUntil(`lock ${round} on ${node.baseUrl}`, () => isLocked(node)))));
    }
    report(t, 'a lock reached the other nodes after', times);
  });

  test('a simulator control through node A shows on nodes B and C', async (t) => {
    const management = { authorization: `Basic ${Buffer.from(`default:${a.app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' };
    const control = (path: string, body: unknown) =>
      statusOf(`${a.baseUrl}/v2.0/management/simulator/vehicles${path}`, { method: 'POST', headers: management, body: JSON.stringify(body) });
    const created = await fetch(`${a.baseUrl}/v2.0/management/simulator/vehicles`, { method: 'POST', headers: management, body: JSON.stringify({ make: 'TESLA' }) });
    assert.equal(created.status, 200);
    const { vehicleId } = (await created.json()) as { vehicleId: string };
    const { accessToken } = await a.token({ vehicleId });
    const isLocked = async (node: TestPlatform) => ((await (await fetch(`${node.baseUrl}/v2.0/vehicles/${vehicleId}/security`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })).json()) as { isLocked: boolean }).isLocked;
    assert.equal(await control(`/${vehicleId}/values`, { isLocked: false }), 200);
    for (const node of others) await timeUntil('unlocked', async () => !(await isLocked(node)));
    assert.equal(await control(`/${vehicleId}/values`, { isLocked: true }), 200);
    const times = await Promise.all(others.map((node) => timeUntil(`locked on ${node.baseUrl}`, () => isLocked(node))));
    report(t, 'a simulator control reached the other nodes after', times);
  });

  test('an access token revoked on node A is refused on B and C', async (t) => {
    const { accessToken, vehicleIds } = await a.token();
    await refusedElsewhere(t, 'revoking an access token', accessToken, vehicleIds[0]!, async () => {
      const revoked = await statusOf(`${a.baseUrl}/oauth/revoke`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${a.app.clientId}:${a.app.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: accessToken }).toString(),
      });
      assert.equal(revoked, 200);
    });
  });

  test('a refresh token revoked on node A takes its access token with it on B and C', async (t) => {
    const { accessToken, refreshToken, vehicleIds } = await a.token();
    await refusedElsewhere(t, 'revoking a token family', accessToken, vehicleIds[0]!, async () => {
      const revoked = await statusOf(`${a.baseUrl}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, client_id: a.app.clientId, client_secret: a.app.clientSecret }).toString(),
      });
      assert.equal(revoked, 200);
    });
  });

  test('an owner revoking an app on node A ends its access on B and C', async (t) => {
    const { services } = a.platform;
    const car = await createSimulatedVehicle(services.vehicles, { make: 'TESLA' });
    const { accessToken } = await createTestToken(services, {
      clientId: a.app.clientId, scope: 'read_odometer', make: 'TESLA', vehicles: 1, vehicleId: car.vehicleId,
    });
    const signedIn = await fetch(`${a.baseUrl}/account/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: car.email, password: car.password }),
    });
    assert.equal(signedIn.status, 200);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = String(((await signedIn.json()) as { csrfToken: string }).csrfToken);
    await refusedElsewhere(t, 'an owner\'s revocation', accessToken, car.vehicleId, async () => {
      const revoked = await statusOf(`${a.baseUrl}/account/api/vehicles/${car.vehicleId}/apps/${a.app.clientId}`, {
        method: 'DELETE', headers: { cookie, 'x-csrf-token': csrf },
      });
      assert.equal(revoked, 204);
    });
  });

  test('a disconnect through node A\'s management API ends access on B and C', async (t) => {
    const { accessToken, userId, vehicleIds } = await a.token();
    await refusedElsewhere(t, 'a management disconnect', accessToken, vehicleIds[0]!, async () => {
      const res = await fetch(`${a.baseUrl}/v2.0/management/connections?user_id=${userId}`, {
        method: 'DELETE', headers: { authorization: `Basic ${Buffer.from(`default:${a.app.managementToken}`).toString('base64')}` },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as { connections: { vehicleId: string }[] }).connections.map((c) => c.vehicleId), vehicleIds);
    });
  });

  test('a listener whose connection is killed listens again and drops what it had cached', async (t) => {
    const { accessToken, vehicleIds } = await a.token();
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    t.after(() => admin.end());
    const listeners = async () => (await admin.query<{ pid: number }>(
      'select pid from pg_stat_activity where application_name = $1 and datname = current_database() order by pid', [EVICTION_LISTENER_NAME],
    )).rows.map((r) => r.pid);
    const before = await listeners();
    assert.equal(before.length, 3, 'one listening connection per node');

    for (const node of others) assert.equal(await odometerStatus(node, accessToken, vehicleIds[0]!), 200, 'the node has cached the token as good');
    // Revoked behind the nodes' backs: no notice is sent, so only a dropped cache shows it.
    await admin.query('update tokens set revoked_at = $1 where hash = $2', [new Date().toISOString(), hashSecret(accessToken)]);
    for (const node of others) assert.equal(await odometerStatus(node, accessToken, vehicleIds[0]!), 200, 'still cached: nothing announced it');

    const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()', [EVICTION_LISTENER_NAME]);
    assert.equal(killed.rowCount, 3);
    const times = await Promise.all(others.map((node) =>
      timeUntil(`reconnected ${node.baseUrl}`, async () => (await odometerStatus(node, accessToken, vehicleIds[0]!)) === 401)));
    report(t, 'after the listeners were killed, the other nodes dropped their caches after', times);
    await timeUntil('three listeners again', async () => (await listeners()).length === 3);
    assert.ok((await listeners()).every((pid) => !before.includes(pid)), 'each listens on a new connection');

    // Listening again, notices arrive as before.
    const fresh = await a.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    await refusedElsewhere(t, 'revoking after the reconnect', fresh.accessToken, fresh.vehicleIds[0]!, async () => {
      assert.equal((await a.platform.services.tokens.revokeConnections(a.app.clientId, { vehicleId: fresh.vehicleIds[0]! })).length, 1);
    });
  });
});
