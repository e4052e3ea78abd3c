/**
 * Nothing grows without bound: the purge removes expired Connect sessions, authorization codes and
 * tokens, token families left empty, and delivered or dead-lettered webhook deliveries (with their
 * attempts) RETENTION_DAYS after they finished — never a pending delivery — and only one node
 * purges at a time. Ages come from a clock the test moves; runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { purgeOnce, PURGE_LEASE, PURGE_LEASE_MS, type PurgeResult } from '../../src/maintenance/index.js';
import { hashSecret } from '../../src/oauth/index.js';
import { databaseKind, leasesRepository } from '../../src/store/index.js';
import { connectOverHttp } from '../support/connect-http.js';
import { testDatabase, type TestDatabase } from '../support/database.js';
import { MovableClock, pointSdkAt, startPlatform, TEST_SECRET_KEY, type TestPlatform } from '../support/platform.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { until } from '../support/until.js';

type SdkVehicle = InstanceType<typeof smartcar.Vehicle> & { subscribe(webhookId: string): Promise<Record<string, unknown>> };

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One pass; a scheduled pass of the platform itself may hold the lease for a moment, so wait for ours to run. */
function purge(tp: TestPlatform, clock: MovableClock, retentionDays = 30): Promise<PurgeResult> {
  const deps = { db: tp.platform.db, kind: databaseKind(tp.databaseUrl), clock, retentionDays };
  return until('a purge pass that holds the lease', async () => {
    const result = await purgeOnce(deps);
    return result.ran ? result : undefined;
  });
}

function authorizeUrl(tp: TestPlatform): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: tp.app.clientId, mode: 'test', scope: 'read_odometer' });
  return `${tp.baseUrl}/oauth/authorize?${query}`;
}

/** Starts a Connect session (one interaction row) without finishing it. */
async function startSession(tp: TestPlatform): Promise<void> {
  const res = await fetch(authorizeUrl(tp), { redirect: 'manual' });
  await res.arrayBuffer();
  assert.ok(res.status >= 300 && res.status < 400, `authorize redirects into Connect (got ${res.status})`);
}

describe('Purge of sessions, codes and tokens', () => {
  const clock = new MovableClock();
  let tp: TestPlatform;
  before(async () => {
    tp = await startPlatform({}, { clock });
  });
  after(() => tp.close());

  const count = async (table: 'interactions' | 'authorization_codes' | 'authorizations') =>
    Number((await tp.platform.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const tokenExists = async (token: string) =>
    (await tp.platform.db.selectFrom('tokens').select('hash').where('hash', '=', hashSecret(token)).executeTakeFirst()) !== undefined;
  const familyExists = async (id: string) =>
    (await tp.platform.db.selectFrom('authorizations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

  test('each goes once past its expiry, fresh ones stay, and a token past expiry no longer exists in the table', async () => {
    await startSession(tp);
    const code = (await connectOverHttp(authorizeUrl(tp))).searchParams.get('code');
    assert.ok(code, 'Connect issued a code');
    const issued = await tp.token();
    const family = (await tp.platform.db.selectFrom('tokens').select('authorization_id').where('hash', '=', hashSecret(issued.accessToken)).executeTakeFirstOrThrow()).authorization_id;
    assert.equal(await count('interactions'), 2);
    assert.equal(await count('authorization_codes'), 1);

    await purge(tp, clock);
    assert.equal(await count('interactions'), 2, 'sessions within their 30 minutes stay');
    assert.equal(await count('authorization_codes'), 1);
    assert.ok(await tokenExists(issued.accessToken));

    clock.advance(31 * MINUTE);
    await startSession(tp);
    const sessions = await purge(tp, clock);
    assert.equal(sessions.deleted.interactions, 2);
    assert.equal(await count('interactions'), 1, 'the session started just now stays');
    assert.equal(await count('authorization_codes'), 1, 'an expired code is kept a day, so a replay still revokes its tokens');

    clock.advance(2 * HOUR);
    const res = await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${issued.accessToken}` } });
    assert.equal(res.status, 401);
    await res.arrayBuffer();
    await purge(tp, clock);
    assert.equal(await tokenExists(issued.accessToken), false, 'the expired access token is gone from the table');
    assert.equal(await tokenExists(issued.refreshToken), true, 'its refresh token lives 60 days');

    clock.advance(DAY);
    await purge(tp, clock);
    assert.equal(await count('authorization_codes'), 0);
    assert.ok(await familyExists(family));

    clock.advance(60 * DAY);
    const fresh = await tp.token();
    const ended = await purge(tp, clock);
    assert.equal(await tokenExists(issued.refreshToken), false, 'the refresh token past its lifetime is gone');
    assert.equal(await familyExists(family), false, 'and its family with it');
    assert.ok(ended.deleted.families >= 1);
    assert.equal(await tokenExists(fresh.accessToken), true, 'a fresh family stays');
    assert.equal(await tokenExists(fresh.refreshToken), true);
    const read = await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${fresh.accessToken}` } });
    assert.equal(read.status, 200);
    await read.arrayBuffer();
  });
});

describe('Purge of finished webhook deliveries', () => {
  /** Ages for the purge only: the platform and its worker run on real time. */
  const purgeClock = new MovableClock();
  let tp: TestPlatform;
  const receivers: Receiver[] = [];

  before(async () => {
    tp = await startPlatform({ webhookPollMs: 20, webhookRetryBaseMs: 3_600_000 });
    pointSdkAt(tp.baseUrl);
  });
  after(async () => {
    await tp.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function webhookAnswering(status: number): Promise<string> {
    const receiver = await startReceiver(() => tp.app.managementToken);
    receivers.push(receiver);
    receiver.deliveryStatus = status;
    const res = await fetch(`${tp.baseUrl}/v2.0/management/webhooks`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] }),
    });
    const { webhookId } = (await res.json()) as { webhookId: string };
    const { accessToken, vehicleIds } = await tp.token();
    await (new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle).subscribe(webhookId);
    return webhookId;
  }

  const rowsOf = (webhookId: string) => tp.platform.db.selectFrom('webhook_outbox').select(['id', 'status']).where('webhook_id', '=', webhookId).execute();
  const attemptsOf = async (outboxIds: string[]) => (outboxIds.length === 0 ? 0
    : (await tp.platform.db.selectFrom('webhook_attempts').select('id').where('outbox_id', 'in', outboxIds).execute()).length);

  test('delivered and dead deliveries and their attempts go after RETENTION_DAYS; pending ones never do', async () => {
    const delivered = await webhookAnswering(200);
    const dead = await webhookAnswering(410);
    const pending = await webhookAnswering(503);
    const settled = async (webhookId: string, status: string) => {
      const rows = await rowsOf(webhookId);
      return rows.length > 0 && rows.every((r) => r.status === status) && (await attemptsOf(rows.map((r) => r.id))) > 0;
    };
    await until('a delivered delivery', () => settled(delivered, 'delivered'), 15_000);
    await until('a dead-lettered delivery', () => settled(dead, 'dead'), 15_000);
    await until('a failed delivery waiting for its retry', () => settled(pending, 'pending'), 15_000);
    const ids = async (webhookId: string) => (await rowsOf(webhookId)).map((r) => r.id);
    const before = { delivered: await ids(delivered), dead: await ids(dead), pending: await ids(pending) };

    purgeClock.advance(29 * DAY);
    await purge(tp, purgeClock);
    assert.deepEqual(await ids(delivered), before.delivered, 'a delivery finished 29 days ago stays');
    assert.deepEqual(await ids(dead), before.dead);

    purgeClock.advance(2 * DAY);
    const result = await purge(tp, purgeClock);
    assert.ok(result.deleted.deliveries >= 2);
    assert.deepEqual(await ids(delivered), [], 'delivered 31 days ago: gone');
    assert.deepEqual(await ids(dead), [], 'dead-lettered 31 days ago: gone');
    assert.equal(await attemptsOf([...before.delivered, ...before.dead]), 0, 'with their attempts');
    assert.deepEqual(await ids(pending), before.pending, 'a pending delivery stays however old');
    assert.ok(await attemptsOf(before.pending) > 0, 'with its attempts');
  });
});

describe('One node purges at a time', () => {
  const clock = new MovableClock();
  let shared: TestDatabase;
  let nodeA: TestPlatform;
  let nodeB: TestPlatform;

  before(async () => {
    shared = await testDatabase({ shareable: true });
    nodeA = await startPlatform({ databaseUrl: shared.url });
    nodeB = await startPlatform({ databaseUrl: shared.url });
  });
  after(async () => {
    await nodeB.close();
    await nodeA.close();
    await shared.drop();
  });

  test('of nodes racing for a lease exactly one gets it', async () => {
    const now = clock.now();
    const end = new Date(now.getTime() + PURGE_LEASE_MS).toISOString();
    const takes = Array.from({ length: 20 }, (_, i) => leasesRepository((i % 2 ? nodeA : nodeB).platform.db)
      .take('contended', `holder-${i}`, now.toISOString(), end));
    const won = (await Promise.all(takes)).filter(Boolean);
    assert.equal(won.length, 1);
  });

  test('while one node holds the purge lease the other purges nothing; once it lapses, the other purges', async () => {
    await startSession(nodeA);
    clock.advance(31 * MINUTE);
    const expired = async () => (await nodeB.platform.db.selectFrom('interactions').select('id').execute()).length;
    assert.equal(await expired(), 1);

    const held = await leasesRepository(nodeA.platform.db)
      .take(PURGE_LEASE, 'node-a', clock.now().toISOString(), new Date(clock.now().getTime() + PURGE_LEASE_MS).toISOString());
    assert.equal(held, true);
    const skipped = await purgeOnce({ db: nodeB.platform.db, kind: databaseKind(shared.url), clock, retentionDays: 30 });
    assert.equal(skipped.ran, false);
    assert.equal(await expired(), 1, 'nothing was deleted by the node without the lease');

    clock.advance(PURGE_LEASE_MS + MINUTE);
    const ran = await purge(nodeB, clock);
    assert.equal(ran.deleted.interactions, 1);
    assert.equal(await expired(), 0);
  });

  test('carport purge runs one pass from the command line', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'purge', '--json'], {
      env: { ...process.env, DATABASE_URL: shared.url, SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: 'warn' }, encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as PurgeResult;
    assert.equal(printed.ran, true);
    assert.deepEqual(Object.keys(printed.deleted).sort(), ['codes', 'consoleSessions', 'dailyCounts', 'deliveries', 'families', 'interactions', 'requestLog', 'tokens']);
  });
});
