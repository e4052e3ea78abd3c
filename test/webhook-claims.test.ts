/**
 * How the delivery worker claims from the outbox: the oldest due rows that head their queue, found
 * first among the oldest due rows and in the whole outbox when those are all stuck behind a retry;
 * on PostgreSQL, two workers under a backlog (passes growing, production and records in separate
 * transactions) still attempt each delivery once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { systemClock, timeOrderedUuid } from '../src/core/index.js';
import { createServices, startDeliveryWorker } from '../src/server.js';
import type { CreatedApp } from '../src/oauth/index.js';
import { databaseKind, outboxRepository } from '../src/store/index.js';
import { testDatabase, type TestDatabase } from './support/database.js';
import { TEST_SECRET_KEY } from './support/platform.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { until } from './support/until.js';
import { assertOneAttemptEachByTwoWorkers, subscribedFleet, type WebhookFleet } from './support/webhook-fleet.js';

const quiet = { error: () => {}, info: () => {} };
const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

describe('Claiming from the outbox', () => {
  let database: TestDatabase;
  let receiver: Receiver;
  const holder: { app?: CreatedApp } = {};
  let f: WebhookFleet;
  before(async () => {
    database = await testDatabase();
    receiver = await startReceiver(() => holder.app!.managementToken);
    f = await subscribedFleet(database.url, receiver, 2, holder);
  });
  after(async () => {
    await f?.close();
    await receiver?.close();
    await database?.drop();
  });

  test('a queue backed up behind a retry does not hide a younger queue\'s head', async () => {
    const outbox = outboxRepository(f.db, databaseKind(database.url));
    const [stuck, other] = f.vehicleIds as [string, string];
    const event = (vehicleId: string) => ({ id: timeOrderedUuid(), webhookId: f.webhookId, vehicleId, eventId: timeOrderedUuid(), body: '{}' });
    const older = '2026-01-01T00:00:00.000Z';
    const younger = '2026-01-01T00:00:01.000Z';
    const now = '2026-01-01T00:01:00.000Z';
    await f.db.transaction().execute(async (trx) => {
      await outbox.enqueue(trx, Array.from({ length: 30 }, () => event(stuck)), older);
      await outbox.enqueue(trx, [event(other)], younger);
    });
    // The stuck queue's head waits for its retry; the 29 rows behind it are due but not heads.
    const head = await f.db.selectFrom('webhook_outbox').select('id').where('vehicle_id', '=', stuck).orderBy('seq').executeTakeFirstOrThrow();
    await f.db.updateTable('webhook_outbox').set({ next_attempt_at: '2026-01-02T00:00:00.000Z', attempts: 1 }).where('id', '=', head.id).execute();

    // Five asked for: the 20 oldest due rows are all behind the retry, so the claim looks further.
    const claim = await f.db.transaction().execute((trx) => outbox.claim(trx, now, '2026-01-01T00:02:00.000Z', 5));
    assert.deepEqual(claim.rows.map((r) => r.vehicleId), [other]);

    const again = await f.db.transaction().execute((trx) => outbox.claim(trx, now, '2026-01-01T00:02:00.000Z', 5));
    assert.deepEqual(again.rows, [], 'the claimed row is leased; the stuck queue still waits for its head');
  });
});

describe('Two workers under a backlog on one PostgreSQL outbox', () => {
  test('three hundred due at once: each event produced once, each delivery attempted once', { skip: onPostgres ? false : 'runs when DATABASE_URL points at PostgreSQL' }, async () => {
    const database = await testDatabase();
    const holder: { app?: CreatedApp } = {};
    const receiver = await startReceiver(() => holder.app!.managementToken);
    const f = await subscribedFleet(database.url, receiver, 300, holder);
    // A small batch, so 300 due at once is a backlog of many passes; the default lease, so rows wait for slots.
    const config = loadConfig({}, { databaseUrl: database.url, secretKey: TEST_SECRET_KEY, webhookPollMs: 10, webhookBatchSize: 5 });
    const second = await createServices(config);
    const workers = [
      startDeliveryWorker(config, f.db, f.services, systemClock, quiet),
      startDeliveryWorker(config, second.db, second.services, systemClock, quiet),
    ];
    const delivered = async () => (await f.db.selectFrom('webhook_outbox').select('id')
      .where('webhook_id', '=', f.webhookId).where('status', '=', 'delivered').execute()).length;
    try {
      await until('all 300 delivered', async () => (await delivered()) === 300 || undefined, 60_000, 50);
      const events = (await f.db.selectFrom('webhook_outbox').select(['event_id', 'vehicle_id']).where('webhook_id', '=', f.webhookId).execute());
      assert.equal(events.length, 300, 'one event per subscription, none produced twice');
      assert.equal(new Set(events.map((e) => e.vehicle_id)).size, 300);
      const received = receiver.deliveries.filter((d) => d.body.webhookId === f.webhookId && d.body.eventName === 'scheduled');
      assert.equal(received.length, 300, 'the receiver got each event once');
      assert.equal(new Set(received.map((d) => d.body.eventId)).size, 300);
      assert.ok(received.every((d) => d.verified), 'every delivery signed');
      await assertOneAttemptEachByTwoWorkers(f.db, 300);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await second.db.destroy();
      await f.close();
      await receiver.close();
      await database.drop();
    }
  });
});
