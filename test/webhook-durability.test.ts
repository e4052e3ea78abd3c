/**
 * Webhooks that never lose an event: carport is killed (SIGKILL) with deliveries in flight and
 * restarted, and every event still arrives; on PostgreSQL two workers share the outbox without
 * ever attempting one delivery twice; dead letters are listed and can be redelivered.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/core/index.js';
import { createServices, startDeliveryWorker } from '../src/server.js';
import type { CreatedApp } from '../src/oauth/index.js';
import { testDatabase, type TestDatabase } from './support/database.js';
import { TEST_SECRET_KEY } from './support/platform.js';
import { until as untilWithin } from './support/until.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { assertOneAttemptEachByTwoWorkers, subscribedFleet } from './support/webhook-fleet.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const quiet = { error: () => {}, info: () => {} };
/** Restarts and leases take seconds here. */
const until = (what: string, check: () => Promise<boolean> | boolean) => untilWithin(what, check, 30_000, 50);

const eventIds = (receiver: Receiver, webhookId: string) =>
  new Set(receiver.deliveries.filter((d) => d.body.webhookId === webhookId && d.body.eventName === 'scheduled').map((d) => d.body.eventId as string));

describe('A crash with deliveries in flight', () => {
  let db: TestDatabase;
  let receiver: Receiver;
  const holder: { app?: CreatedApp } = {};
  before(async () => {
    db = await testDatabase({ shareable: true });
    receiver = await startReceiver(() => holder.app!.managementToken);
  });
  after(async () => {
    await receiver.close();
    await db.drop();
  });

  test('SIGKILL mid-delivery, restart: every event is delivered, none lost', async () => {
    const setup = await subscribedFleet(db.url, receiver, 12, holder);
    receiver.responseDelayMs = 300;
    const env = {
      ...process.env, DATABASE_URL: db.url, PORT: '0', SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: 'warn', SHUTDOWN_DELAY_MS: '0',
      WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_LEASE_MS: '1500',
    };
    const serve = (): ChildProcess => spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], { env, stdio: 'ignore' });
    let child = serve();
    const undelivered = async () => (await setup.db.selectFrom('webhook_outbox').select('id')
      .where('webhook_id', '=', setup.webhookId).where('status', '!=', 'delivered').execute()).length;
    await until('deliveries in flight', () => receiver.inFlight >= 3);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const unanswered = await undelivered();
    assert.ok(unanswered > 0, 'the crash left deliveries unconfirmed');

    child = serve();
    try {
      const expected = (await setup.db.selectFrom('webhook_outbox').select('event_id').where('webhook_id', '=', setup.webhookId).execute()).map((r) => r.event_id);
      assert.equal(expected.length, 12, 'every scheduled event was written to the outbox');
      await until('every event delivered', async () => (await undelivered()) === 0);
      assert.deepEqual([...eventIds(receiver, setup.webhookId)].sort(), expected.sort(), 'the receiver has every event');
      // At least once: what was in flight at the crash was sent again (same eventId).
      const received = receiver.deliveries.filter((d) => d.body.webhookId === setup.webhookId && d.body.eventName === 'scheduled');
      assert.ok(received.length >= 12 + Math.min(unanswered, 1), `${received.length} deliveries for 12 events`);
      for (const d of receiver.deliveries.filter((x) => x.body.webhookId === setup.webhookId)) assert.ok(d.verified);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await setup.close();
    }
  });
});

describe('Two workers on one PostgreSQL outbox', () => {
  const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

  test('no delivery is attempted twice', { skip: onPostgres ? false : 'runs when DATABASE_URL points at PostgreSQL' }, async () => {
    const db = await testDatabase();
    const holder: { app?: CreatedApp } = {};
    const receiver = await startReceiver(() => holder.app!.managementToken);
    const setup = await subscribedFleet(db.url, receiver, 40, holder);
    const config = loadConfig({}, { databaseUrl: db.url, secretKey: TEST_SECRET_KEY, webhookPollMs: 10, webhookBatchSize: 4 });
    receiver.responseDelayMs = 30;
    const second = await createServices(config);
    const workers = [
      startDeliveryWorker(config, setup.db, setup.services, systemClock, quiet),
      startDeliveryWorker(config, second.db, second.services, systemClock, quiet),
    ];
    try {
      await until('all 40 delivered', async () => (await setup.db.selectFrom('webhook_outbox').select('id')
        .where('webhook_id', '=', setup.webhookId).where('status', '=', 'delivered').execute()).length === 40);
      assert.equal(eventIds(receiver, setup.webhookId).size, 40);
      await assertOneAttemptEachByTwoWorkers(setup.db, 40);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await second.db.destroy();
      await setup.close();
      await receiver.close();
      await db.drop();
    }
  });
});

describe('Dead letters', () => {
  test('a delivery failing past the horizon is dead, listed with its attempts, and redelivered on request', async () => {
    const db = await testDatabase();
    const holder: { app?: CreatedApp } = {};
    const receiver = await startReceiver(() => holder.app!.managementToken);
    const setup = await subscribedFleet(db.url, receiver, 1, holder);
    receiver.deliveryStatus = 500;
    const config = loadConfig({}, { databaseUrl: db.url, secretKey: TEST_SECRET_KEY, webhookPollMs: 10, webhookRetryBaseMs: 20, webhookRetryHorizonMs: 1000 });
    const worker = startDeliveryWorker(config, setup.db, setup.services, systemClock, quiet);
    try {
      const appId = setup.app.clientId;
      await until('the dead letter', async () => (await setup.services.webhooks.deliveries(appId, setup.webhookId, 10))[0]?.status === 'dead');
      const [dead] = await setup.services.webhooks.deliveries(appId, setup.webhookId, 10);
      assert.match(dead!.lastError ?? '', /answered 500/);
      const detail = await setup.services.webhooks.delivery(appId, setup.webhookId, dead!.deliveryId);
      assert.ok(detail.attempts.length >= 2 && detail.attempts.every((a) => a.statusCode === 500));
      receiver.deliveryStatus = 200;
      assert.equal(await setup.services.webhooks.redeliver(appId, setup.webhookId, dead!.deliveryId), true);
      await until('the redelivery', async () => (await setup.services.webhooks.deliveries(appId, setup.webhookId, 10))[0]?.status === 'delivered');
      assert.equal(await setup.services.webhooks.redeliver(appId, setup.webhookId, dead!.deliveryId), false, 'only dead letters are redelivered');
    } finally {
      await worker.stop();
      await setup.close();
      await receiver.close();
      await db.drop();
    }
  });
});
