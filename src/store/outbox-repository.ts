/**
 * The webhook outbox: events to deliver, written in the transaction that produced them, claimed by
 * workers with a lease (and on PostgreSQL `FOR UPDATE SKIP LOCKED`, so two workers never take the
 * same row), delivered in order per (webhook, vehicle).
 */
import { sql, type Transaction } from 'kysely';
import type { databaseKind} from './database.js';
import { type Db } from './database.js';
import type { Database } from './schema.js';

export interface OutboxEvent {
  id: string;
  webhookId: string;
  vehicleId: string | null;
  eventId: string;
  body: string;
  /** Set when the event cannot be sent as it is (e.g. over the size limit): stored dead, visible, redeliverable. */
  refusal?: string;
}

export interface ClaimedDelivery extends OutboxEvent {
  attempts: number;
  createdAt: string;
  url: string;
  appId: string;
}

export interface AttemptRecord {
  id: string;
  outboxId: string;
  deliveryId: string;
  worker: string;
  startedAt: string;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  responseSnippet: string | null;
}

export function outboxRepository(db: Db, kind = 'sqlite' as ReturnType<typeof databaseKind>) {
  return {
    /** Appends events, each after the last of its (webhook, vehicle), inside the caller's transaction. */
    async enqueue(trx: Transaction<Database>, events: OutboxEvent[], at: string): Promise<void> {
      for (const e of events) {
        const last = await trx.selectFrom('webhook_outbox').select((eb) => eb.fn.max<number>('seq').as('seq'))
          .where('webhook_id', '=', e.webhookId)
          .where((eb) => (e.vehicleId === null ? eb('vehicle_id', 'is', null) : eb('vehicle_id', '=', e.vehicleId)))
          .executeTakeFirst();
        await trx.insertInto('webhook_outbox').values({
          id: e.id, webhook_id: e.webhookId, vehicle_id: e.vehicleId, seq: Number(last?.seq ?? 0) + 1, event_id: e.eventId,
          body: e.body, status: e.refusal ? 'dead' : 'pending', attempts: 0, next_attempt_at: at, lease_until: null, created_at: at,
          delivered_at: null, last_error: e.refusal ?? null,
        }).execute();
      }
    },

    /** Takes up to `limit` due rows that head their queue, leasing them to this worker until `leaseUntil`. */
    async claim(now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
      return db.transaction().execute(async (trx) => {
        let query = trx.selectFrom('webhook_outbox as o').innerJoin('webhooks as w', 'w.id', 'o.webhook_id')
          .select(['o.id', 'o.webhook_id', 'o.vehicle_id', 'o.event_id', 'o.body', 'o.attempts', 'o.created_at', 'w.url', 'w.app_id'])
          .where('o.status', '=', 'pending').where('o.next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<=', now)]))
          .where(({ not, exists, selectFrom }) => not(exists(
            selectFrom('webhook_outbox as p').select(sql.lit(1).as('one'))
              .whereRef('p.webhook_id', '=', 'o.webhook_id')
              .where(sql<boolean>`p.vehicle_id IS NOT DISTINCT FROM o.vehicle_id`)
              .where('p.status', '=', 'pending').whereRef('p.seq', '<', 'o.seq'),
          )))
          .orderBy('o.next_attempt_at').limit(limit);
        if (kind === 'postgres') query = query.forUpdate('o').skipLocked();
        const rows = await query.execute();
        if (rows.length > 0) {
          await trx.updateTable('webhook_outbox').set({ lease_until: leaseUntil }).where('id', 'in', rows.map((r) => r.id)).execute();
        }
        return rows.map((r) => ({
          id: r.id, webhookId: r.webhook_id, vehicleId: r.vehicle_id, eventId: r.event_id, body: r.body,
          attempts: Number(r.attempts), createdAt: r.created_at, url: r.url, appId: r.app_id,
        }));
      });
    },

    async recordAttempt(a: AttemptRecord): Promise<void> {
      await db.insertInto('webhook_attempts').values({
        id: a.id, outbox_id: a.outboxId, delivery_id: a.deliveryId, worker: a.worker, started_at: a.startedAt,
        status_code: a.statusCode, latency_ms: a.latencyMs, error: a.error, response_snippet: a.responseSnippet,
      }).execute();
    },

    async markDelivered(id: string, at: string): Promise<void> {
      await db.updateTable('webhook_outbox').set({ status: 'delivered', delivered_at: at, lease_until: null })
        .where('id', '=', id).execute();
    },

    async scheduleRetry(id: string, attempts: number, nextAt: string, error: string): Promise<void> {
      await db.updateTable('webhook_outbox').set({ attempts, next_attempt_at: nextAt, last_error: error, lease_until: null })
        .where('id', '=', id).execute();
    },

    async markDead(id: string, attempts: number, error: string): Promise<void> {
      await db.updateTable('webhook_outbox').set({ status: 'dead', attempts, last_error: error, lease_until: null })
        .where('id', '=', id).execute();
    },

    /** Sends a dead delivery again (it rejoins its queue in its original place). */
    async redeliver(id: string, at: string): Promise<boolean> {
      const r = await db.updateTable('webhook_outbox').set({ status: 'pending', next_attempt_at: at, lease_until: null, attempts: 0 })
        .where('id', '=', id).where('status', '=', 'dead').executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async find(id: string) {
      return db.selectFrom('webhook_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async deliveries(webhookId: string, limit: number) {
      return db.selectFrom('webhook_outbox').selectAll().where('webhook_id', '=', webhookId)
        .orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
    },

    async attemptsOf(outboxId: string) {
      return db.selectFrom('webhook_attempts').selectAll().where('outbox_id', '=', outboxId).orderBy('started_at').execute();
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
