/** Webhook definitions and vehicle subscriptions. */
import { sql, type Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

export interface WebhookRecord {
  id: string;
  appId: string;
  name: string;
  url: string;
  type: 'scheduled' | 'event';
  intervalSeconds: number | null;
  triggers: string[];
  data: string[];
  status: 'pending' | 'active' | 'deleted';
  createdAt: string;
  /** The payload format deliveries use. */
  version: '2.0' | '4.0';
  /** Deliveries dead-lettered in a row since the last one delivered. */
  deadStreak: number;
  /** Set while the webhook is paused for failing: since when, and the last dead-lettered delivery's error. */
  paused: { since: string; reason: string } | null;
}

type Row = {
  id: string; app_id: string; name: string; url: string; type: string; interval_seconds: number | null; triggers: string;
  data: string; status: string; created_at: string; version: string; dead_streak: number; paused_at: string | null; pause_reason: string | null;
};

function toRecord(r: Row): WebhookRecord {
  return {
    id: r.id, appId: r.app_id, name: r.name, url: r.url, type: r.type as WebhookRecord['type'],
    intervalSeconds: r.interval_seconds === null ? null : Number(r.interval_seconds),
    triggers: JSON.parse(r.triggers) as string[], data: JSON.parse(r.data) as string[],
    status: r.status as WebhookRecord['status'], createdAt: r.created_at, version: r.version as WebhookRecord['version'],
    deadStreak: Number(r.dead_streak), paused: r.paused_at === null ? null : { since: r.paused_at, reason: r.pause_reason ?? '' },
  };
}

/** A subscription's due time moving on, from the one its producer read. */
export interface SubscriptionMove {
  webhookId: string;
  vehicleId: string;
  expectedDue: string;
  nextDue: string;
}

/** An event subscription's look moving on: its due time and what it knows of the vehicle, from the ones its producer read. */
export interface LookMove extends SubscriptionMove {
  expectedSeen: string | null;
  seen: string | null;
}

const MOVES_PER_STATEMENT = 200;

export function subscriptionKey(webhookId: string, vehicleId: string): string {
  return `${webhookId} ${vehicleId}`;
}

export function webhooksRepository(db: Db) {
  return {
    async insert(w: WebhookRecord): Promise<void> {
      await db.insertInto('webhooks').values({
        id: w.id, app_id: w.appId, name: w.name, url: w.url, type: w.type, interval_seconds: w.intervalSeconds,
        triggers: JSON.stringify(w.triggers), data: JSON.stringify(w.data), status: w.status, created_at: w.createdAt,
        version: w.version, dead_streak: w.deadStreak, paused_at: w.paused?.since ?? null, pause_reason: w.paused?.reason ?? null,
      }).execute();
    },
    async find(id: string): Promise<WebhookRecord | undefined> {
      const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    async listByApp(appId: string): Promise<WebhookRecord[]> {
      const rows = await db.selectFrom('webhooks').selectAll().where('app_id', '=', appId).where('status', '!=', 'deleted')
        .orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecord);
    },
    async setStatus(id: string, status: WebhookRecord['status']): Promise<void> {
      await db.updateTable('webhooks').set({ status }).where('id', '=', id).execute();
    },
    /**
     * Subscribes a vehicle with the look taken at subscribing (`seen`, JSON; null when none could be
     * taken), in one transaction with what `alongside` writes; an existing subscription is left as
     * it is and `alongside` does not run. Answers whether it is new.
     */
    async subscribe(
      webhookId: string, vehicleId: string, at: string, seen: string | null = null, alongside?: (trx: Transaction<Database>) => Promise<void>,
    ): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const result = await trx.insertInto('webhook_subscriptions')
          .values({ webhook_id: webhookId, vehicle_id: vehicleId, created_at: at, next_due_at: at, last_seen: seen })
          .onConflict((oc) => oc.columns(['webhook_id', 'vehicle_id']).doNothing()).executeTakeFirst();
        const inserted = Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
        if (inserted && alongside) await alongside(trx);
        return inserted;
      });
    },
    async unsubscribe(webhookId: string, vehicleId: string): Promise<number> {
      const r = await db.deleteFrom('webhook_subscriptions').where('webhook_id', '=', webhookId).where('vehicle_id', '=', vehicleId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    /** Subscriptions of active scheduled webhooks whose next delivery is due. */
    async dueScheduled(now: string, limit: number) {
      return db.selectFrom('webhook_subscriptions as s').innerJoin('webhooks as w', 'w.id', 's.webhook_id')
        .select(['s.webhook_id', 's.vehicle_id', 's.next_due_at', 'w.app_id', 'w.interval_seconds', 'w.data'])
        .where('w.type', '=', 'scheduled').where('w.status', '=', 'active')
        .where('s.next_due_at', '<=', now).orderBy('s.next_due_at').limit(limit).execute();
    },
    /** Subscriptions of active event webhooks whose last evaluation is older than `before`. */
    async dueEvents(before: string, limit: number) {
      return db.selectFrom('webhook_subscriptions as s').innerJoin('webhooks as w', 'w.id', 's.webhook_id')
        .select(['s.webhook_id', 's.vehicle_id', 's.last_seen', 's.next_due_at', 'w.app_id', 'w.triggers', 'w.data', 'w.version', 'w.name'])
        .where('w.type', '=', 'event').where('w.status', '=', 'active')
        .where('s.next_due_at', '<=', before).orderBy('s.next_due_at').limit(limit).execute();
    },
    /** One vehicle's subscriptions to active event webhooks, with each webhook's definition. */
    async eventSubscriptionsOf(vehicleId: string) {
      return db.selectFrom('webhook_subscriptions as s').innerJoin('webhooks as w', 'w.id', 's.webhook_id')
        .select(['s.webhook_id', 's.vehicle_id', 's.last_seen', 's.next_due_at', 'w.app_id', 'w.triggers', 'w.data', 'w.version', 'w.name'])
        .where('s.vehicle_id', '=', vehicleId).where('w.type', '=', 'event').where('w.status', '=', 'active')
        .orderBy('s.created_at').execute();
    },
    /**
     * The stored looks of these subscriptions of one vehicle, held until the transaction ends: an
     * update that changes nothing takes the rows' locks on PostgreSQL (SQLite has one writer), so a
     * concurrent look waits and then finds its compare-and-set lost.
     */
    async holdLooks(trx: Transaction<Database>, vehicleId: string, webhookIds: string[]): Promise<Map<string, string | null>> {
      if (webhookIds.length === 0) return new Map();
      const rows = await trx.updateTable('webhook_subscriptions').set((eb) => ({ last_seen: eb.ref('last_seen') }))
        .where('vehicle_id', '=', vehicleId).where('webhook_id', 'in', webhookIds)
        .returning(['webhook_id', 'last_seen']).execute();
      return new Map(rows.map((r) => [r.webhook_id, r.last_seen]));
    },
    /** Records what each subscription of one vehicle now knows of it (JSON). */
    async recordLooks(trx: Transaction<Database>, vehicleId: string, looks: { webhookId: string; seen: string }[]): Promise<void> {
      for (const look of looks) {
        await trx.updateTable('webhook_subscriptions').set({ last_seen: look.seen })
          .where('webhook_id', '=', look.webhookId).where('vehicle_id', '=', vehicleId).execute();
      }
    },
    /**
     * The periodic look's move on: each event subscription's due time and look, where both are still
     * the ones its producer read (a state write may have recorded a newer look meanwhile: the stale
     * one then loses and the subscription is looked at again). Answers the keys that moved.
     */
    async advanceLooks(trx: Transaction<Database>, moves: LookMove[]): Promise<Set<string>> {
      const moved = new Set<string>();
      for (let i = 0; i < moves.length; i += MOVES_PER_STATEMENT) {
        const rows = sql.join(moves.slice(i, i + MOVES_PER_STATEMENT)
          .map((m) => sql`(${m.webhookId}, ${m.vehicleId}, ${m.expectedDue}, ${m.nextDue}, ${m.expectedSeen ?? ''}, ${m.seen})`));
        const result = await sql<{ webhook_id: string; vehicle_id: string }>`
          WITH v(webhook_id, vehicle_id, expected_due, next_due, expected_seen, seen) AS (VALUES ${rows})
          UPDATE webhook_subscriptions SET next_due_at = v.next_due, last_seen = v.seen
          FROM v
          WHERE webhook_subscriptions.webhook_id = v.webhook_id AND webhook_subscriptions.vehicle_id = v.vehicle_id
            AND webhook_subscriptions.next_due_at = v.expected_due AND COALESCE(webhook_subscriptions.last_seen, '') = v.expected_seen
          RETURNING webhook_subscriptions.webhook_id, webhook_subscriptions.vehicle_id`.execute(trx);
        for (const r of result.rows) moved.add(subscriptionKey(r.webhook_id, r.vehicle_id));
      }
      return moved;
    },
    /**
     * Moves each scheduled subscription's due time on, where it is still the expected one: a
     * compare-and-set, so one producer wins per due time. One statement for the lot; answers the
     * keys that moved.
     */
    async advance(trx: Transaction<Database>, moves: SubscriptionMove[]): Promise<Set<string>> {
      const moved = new Set<string>();
      for (let i = 0; i < moves.length; i += MOVES_PER_STATEMENT) {
        const rows = sql.join(moves.slice(i, i + MOVES_PER_STATEMENT).map((m) => sql`(${m.webhookId}, ${m.vehicleId}, ${m.expectedDue}, ${m.nextDue})`));
        // A CTE with named columns reads the same on SQLite (≥ 3.33) and PostgreSQL.
        const result = await sql<{ webhook_id: string; vehicle_id: string }>`
          WITH v(webhook_id, vehicle_id, expected_due, next_due) AS (VALUES ${rows})
          UPDATE webhook_subscriptions SET next_due_at = v.next_due
          FROM v
          WHERE webhook_subscriptions.webhook_id = v.webhook_id AND webhook_subscriptions.vehicle_id = v.vehicle_id
            AND webhook_subscriptions.next_due_at = v.expected_due
          RETURNING webhook_subscriptions.webhook_id, webhook_subscriptions.vehicle_id`.execute(trx);
        for (const r of result.rows) moved.add(subscriptionKey(r.webhook_id, r.vehicle_id));
      }
      return moved;
    },
    /**
     * Deletes a webhook for its app: its subscriptions end and what waited to be sent is dead-lettered
     * with the reason. The row and its delivery history stay until the purge, so a worker recording an
     * attempt it had out still finds them.
     */
    async remove(id: string, at: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('webhooks').set({ status: 'deleted' }).where('id', '=', id).execute();
        await trx.deleteFrom('webhook_subscriptions').where('webhook_id', '=', id).execute();
        await trx.updateTable('webhook_outbox').set({ status: 'dead', last_error: 'the webhook was deleted', lease_until: null, next_attempt_at: at })
          .where('webhook_id', '=', id).where('status', '=', 'pending').execute();
      });
    },
    /**
     * Resumes a paused webhook: its streak starts over and the deliveries that waited are due now.
     * False when it was not paused.
     */
    async resume(id: string, at: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const r = await trx.updateTable('webhooks').set({ paused_at: null, pause_reason: null, dead_streak: 0 })
          .where('id', '=', id).where('paused_at', 'is not', null).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        await trx.updateTable('webhook_outbox').set({ next_attempt_at: at })
          .where('webhook_id', '=', id).where('status', '=', 'pending').where('next_attempt_at', '>', at).execute();
        return true;
      });
    },
    /** A page of the vehicles subscribed to a webhook, first subscribed first. */
    async subscriptionsPage(webhookId: string, limit: number, offset: number): Promise<{ vehicleId: string; since: string }[]> {
      const rows = await db.selectFrom('webhook_subscriptions').select(['vehicle_id', 'created_at']).where('webhook_id', '=', webhookId)
        .orderBy('created_at').orderBy('vehicle_id').limit(limit).offset(offset).execute();
      return rows.map((r) => ({ vehicleId: r.vehicle_id, since: r.created_at }));
    },
    async subscribedVehicles(webhookId: string): Promise<string[]> {
      const rows = await db.selectFrom('webhook_subscriptions').select('vehicle_id').where('webhook_id', '=', webhookId).orderBy('created_at').execute();
      return rows.map((r) => r.vehicle_id);
    },
  };
}

export type WebhooksRepository = ReturnType<typeof webhooksRepository>;
