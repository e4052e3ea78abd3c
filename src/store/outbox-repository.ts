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
  /** The webhook's payload format; a 4.0 body gets its attempt's deliveryId and time. */
  version: string;
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

/** What one attempt came to, as the worker records it. */
export type Settlement = { row: ClaimedDelivery; attempt: AttemptRecord; at: string } & (
  | { outcome: 'delivered' }
  | { outcome: 'dead' | 'gone'; attempts: number; reason: string }
  | { outcome: 'retry'; attempts: number; reason: string; nextAt: string }
);

/** How many deliveries one app may have out at once, and how many each app has out now. */
export interface AppShare {
  /** Most rows an app may hold, counting those in `inFlight`. */
  limitOf(appId: string): number;
  inFlight: ReadonlyMap<string, number>;
  /**
   * Whether to look past the apps at their share for other apps' rows. Finding none reads the full
   * apps' whole due backlog, so a worker that just found none waits a moment before looking again,
   * and meanwhile claims only for the apps it has deliveries out for, up to their shares.
   */
  lookPastFull: boolean;
}

export interface Claim {
  rows: ClaimedDelivery[];
  /** A look past the apps at their share found no other app's row due. */
  othersIdle: boolean;
}

/** Well under SQLite's 32,766 bound variables and PostgreSQL's 65,535 parameters per statement. */
const ROWS_PER_STATEMENT = 200;
/** Under SQLite's 2,000 result columns and its expression depth limit. */
const QUEUES_PER_STATEMENT = 100;
/** A claim looks for its heads among this many times as many of the oldest due rows first. */
const HEAD_WINDOW = 4;

function queueKey(webhookId: string, vehicleId: string | null): string {
  return `${webhookId} ${vehicleId ?? ''}`;
}

function chunked<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Each webhook's run of dead-lettered deliveries, from a pass's outcomes in the order they finished:
 * a delivered one ends the run. Webhooks with a dead letter this pass get one update each (dead
 * letters are rare); those only delivering get one statement between them, which touches a row
 * only where a run was open.
 */
async function recordStreaks(trx: Transaction<Database>, settlements: Settlement[], pauseAfter: number): Promise<string[]> {
  const runs = new Map<string, { reset: boolean; dead: number; reason: string; at: string }>();
  for (const s of settlements) {
    if (s.outcome !== 'delivered' && s.outcome !== 'dead') continue;
    const run = runs.get(s.row.webhookId) ?? { reset: false, dead: 0, reason: '', at: s.at };
    if (s.outcome === 'delivered') Object.assign(run, { reset: true, dead: 0 });
    else Object.assign(run, { dead: run.dead + 1, reason: s.reason, at: s.at });
    runs.set(s.row.webhookId, run);
  }
  const cleared = [...runs].filter(([, r]) => r.dead === 0).map(([id]) => id);
  for (const chunk of chunked(cleared, ROWS_PER_STATEMENT)) {
    await trx.updateTable('webhooks').set({ dead_streak: 0 }).where('id', 'in', chunk).where('dead_streak', '>', 0).execute();
  }
  const paused: string[] = [];
  // In id order, so two workers' passes lock the same webhooks in the same order.
  for (const [id, run] of [...runs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (run.dead === 0) continue;
    // Typed parameters: PostgreSQL would compare two untyped ones as text.
    const dead = sql<number>`CAST(${run.dead} AS integer)`;
    const streak = run.reset ? dead : sql<number>`dead_streak + ${dead}`;
    const pauses = pauseAfter > 0 ? sql<boolean>`paused_at IS NULL AND ${streak} >= CAST(${pauseAfter} AS integer)` : sql<boolean>`1 = 0`;
    const row = await trx.updateTable('webhooks').set({
      dead_streak: streak,
      paused_at: sql<string>`CASE WHEN ${pauses} THEN ${run.at} ELSE paused_at END`,
      pause_reason: sql<string>`CASE WHEN ${pauses} THEN ${run.reason} ELSE pause_reason END`,
    }).where('id', '=', id).returning(['paused_at']).executeTakeFirst();
    if (row?.paused_at === run.at) paused.push(id);
  }
  return paused;
}

export function outboxRepository(db: Db, kind = 'sqlite' as ReturnType<typeof databaseKind>) {
  /**
   * Due rows that head their queue, oldest due first, of only these apps or all but those. On
   * PostgreSQL the heads are looked for first among the oldest unleased due rows, read in the order
   * of the due index and stopping at a few times `limit`; the whole outbox is searched only when
   * that window was full yet held too few heads (queues backed up behind a retry, or rows of apps
   * left out). Searched whole at once, PostgreSQL plans a backlog of thousands as a check of every
   * row's queue and a sort of their bodies (37 ms for 10,000, where the window takes 1 ms).
   */
  async function dueHeads(
    trx: Transaction<Database>, now: string, limit: number, apps: { only?: string[]; except?: string[] },
  ): Promise<ClaimedDelivery[]> {
    // SQLite walks the due index in order on its own and stops at the limit.
    if (kind !== 'postgres') return headsAmong(trx, now, limit, apps, null);
    const size = limit * HEAD_WINDOW;
    // Not locked: locking writes every row it takes; the heads query locks only what it claims.
    const candidates = (await trx.selectFrom('webhook_outbox').select('id')
      .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('next_attempt_at').limit(size).execute()).map((r) => r.id);
    if (candidates.length === 0) return [];
    const heads = await headsAmong(trx, now, limit, apps, candidates);
    if (heads.length >= limit || candidates.length < size) return heads;
    return headsAmong(trx, now, limit, apps, null);
  }

  /** Due rows that head their queue, among `candidates` (null: all), oldest due first. */
  async function headsAmong(
    trx: Transaction<Database>, now: string, limit: number, apps: { only?: string[]; except?: string[] }, candidates: string[] | null,
  ): Promise<ClaimedDelivery[]> {
    let query = trx.selectFrom('webhook_outbox as o').innerJoin('webhooks as w', 'w.id', 'o.webhook_id')
      .select(['o.id', 'o.webhook_id', 'o.vehicle_id', 'o.event_id', 'o.body', 'o.attempts', 'o.created_at', 'w.url', 'w.app_id', 'w.version'])
      .where('o.status', '=', 'pending').where('o.next_attempt_at', '<=', now)
      // A paused webhook's deliveries wait for its resumption; a deleted one's are not sent.
      .where('w.paused_at', 'is', null).where('w.status', '!=', 'deleted')
      .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<=', now)]))
      // Two plain lookups rather than one OR (or IS NOT DISTINCT FROM): each can use the pending-queue index.
      .where(({ not, exists, selectFrom }) => not(exists(
        selectFrom('webhook_outbox as p').select(sql.lit(1).as('one'))
          .whereRef('p.webhook_id', '=', 'o.webhook_id').whereRef('p.vehicle_id', '=', 'o.vehicle_id')
          .where('p.status', '=', 'pending').whereRef('p.seq', '<', 'o.seq'),
      )))
      .where(({ eb, not, and, exists, selectFrom }) => not(and([eb('o.vehicle_id', 'is', null), exists(
        selectFrom('webhook_outbox as p').select(sql.lit(1).as('one'))
          .whereRef('p.webhook_id', '=', 'o.webhook_id').where('p.vehicle_id', 'is', null)
          .where('p.status', '=', 'pending').whereRef('p.seq', '<', 'o.seq'),
      )])))
      .orderBy('o.next_attempt_at').limit(limit);
    if (candidates) query = query.where('o.id', 'in', candidates);
    if (apps.only) query = query.where('w.app_id', 'in', apps.only);
    if (apps.except && apps.except.length > 0) query = query.where('w.app_id', 'not in', apps.except);
    if (kind === 'postgres') query = query.forUpdate('o').skipLocked();
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id, webhookId: r.webhook_id, vehicleId: r.vehicle_id, eventId: r.event_id, body: r.body,
      attempts: Number(r.attempts), createdAt: r.created_at, url: r.url, appId: r.app_id, version: r.version,
    }));
  }

  return {
    /** Appends events, each after the last of its (webhook, vehicle), inside the caller's transaction. */
    async enqueue(trx: Transaction<Database>, events: OutboxEvent[], at: string): Promise<void> {
      const queues = [...new Map(events.map((e) => [queueKey(e.webhookId, e.vehicleId), e])).values()];
      const last = new Map<string, number>();
      // Vehicle queues: one statement per chunk, one correlated index lookup per queue (a GROUP BY
      // would read whole histories; a subquery per queue costs PostgreSQL a plan per queue).
      for (const chunk of chunked(queues.filter((e) => e.vehicleId !== null), ROWS_PER_STATEMENT)) {
        const pairs = sql.join(chunk.map((e) => sql`(${e.webhookId}, ${e.vehicleId})`));
        const tails = await sql<{ webhook_id: string; vehicle_id: string; seq: number | string | null }>`
          WITH q(webhook_id, vehicle_id) AS (VALUES ${pairs})
          SELECT q.webhook_id, q.vehicle_id,
            (SELECT max(o.seq) FROM webhook_outbox o WHERE o.webhook_id = q.webhook_id AND o.vehicle_id = q.vehicle_id) AS seq
          FROM q`.execute(trx);
        for (const t of tails.rows) last.set(queueKey(t.webhook_id, t.vehicle_id), Number(t.seq ?? 0));
      }
      // A webhook's own queue (no vehicle), rare: a lookup each.
      for (const chunk of chunked(queues.filter((e) => e.vehicleId === null), QUEUES_PER_STATEMENT)) {
        const tails = await trx.selectNoFrom((eb) => chunk.map((e, i) => eb.selectFrom('webhook_outbox')
          .select((inner) => inner.fn.max<number>('seq').as('seq'))
          .where('webhook_id', '=', e.webhookId)
          .where((w) => (e.vehicleId === null ? w('vehicle_id', 'is', null) : w('vehicle_id', '=', e.vehicleId)))
          .as(`q${i}`))).executeTakeFirstOrThrow() as Record<string, number | string | null>;
        chunk.forEach((e, i) => last.set(queueKey(e.webhookId, e.vehicleId), Number(tails[`q${i}`] ?? 0)));
      }
      const rows = events.map((e) => {
        const key = queueKey(e.webhookId, e.vehicleId);
        const seq = last.get(key)! + 1;
        last.set(key, seq);
        return {
          id: e.id, webhook_id: e.webhookId, vehicle_id: e.vehicleId, seq, event_id: e.eventId,
          body: e.body, status: e.refusal ? 'dead' : 'pending', attempts: 0, next_attempt_at: at, lease_until: null, created_at: at,
          delivered_at: null, last_error: e.refusal ?? null,
        };
      });
      for (const chunk of chunked(rows, ROWS_PER_STATEMENT)) await trx.insertInto('webhook_outbox').values(chunk).execute();
    },

    /**
     * Takes up to `limit` due rows that head their queue, leasing them to this worker until
     * `leaseUntil`, and at most `share.limitOf(app)` rows of one app counting those it already has out
     * (`share.inFlight`). Apps at their share are left out of the query, so the next-oldest rows of
     * other apps fill the room; an app that fills its share in this claim is left out of a further
     * query for what room remains. That is one query per claim, plus one per app that fills its
     * share, never one per row.
     */
    async claim(trx: Transaction<Database>, now: string, leaseUntil: string, limit: number, share?: AppShare): Promise<Claim> {
      const taken = new Map(share?.inFlight ?? []);
      const full = () => (share ? [...taken].filter(([app, n]) => n >= share.limitOf(app)).map(([app]) => app) : []);
      /** Keeps what fits each app's share and leases it at once, so a further query of this claim does not find it again. */
      const keep = async (rows: ClaimedDelivery[]) => {
        const kept = rows.filter((row) => {
          const held = taken.get(row.appId) ?? 0;
          if (share && held >= share.limitOf(row.appId)) return false;
          taken.set(row.appId, held + 1);
          return true;
        });
        if (kept.length > 0) {
          await trx.updateTable('webhook_outbox').set({ lease_until: leaseUntil }).where('id', 'in', kept.map((r) => r.id)).execute();
        }
        return kept;
      };

      if (share && !share.lookPastFull && full().length > 0) {
        // Lately nothing was due but the rows of apps at their share: top up the apps with deliveries out, to their shares.
        const open = [...taken].filter(([app, n]) => n < share.limitOf(app));
        const room = Math.min(limit, open.reduce((sum, [app, n]) => sum + share.limitOf(app) - n, 0));
        if (room === 0) return { rows: [], othersIdle: false };
        return { rows: await keep(await dueHeads(trx, now, room, { only: open.map(([app]) => app) })), othersIdle: false };
      }
      const claimed: ClaimedDelivery[] = [];
      for (let room = limit; room > 0;) {
        const excluded = full();
        const rows = await dueHeads(trx, now, room, { except: excluded });
        const kept = await keep(rows);
        claimed.push(...kept);
        // Fewer rows than asked: nothing more is due (past the apps left out, if any).
        if (rows.length < room) return { rows: claimed, othersIdle: excluded.length > 0 };
        // All kept: the room is full. Else some app filled its share: ask again without it.
        if (kept.length === rows.length) break;
        room = limit - claimed.length;
      }
      return { rows: claimed, othersIdle: false };
    },

    /**
     * Records finished attempts and their outcomes, inside the caller's transaction, and each
     * webhook's run of dead-lettered deliveries: `pauseAfter` in a row (0: never) pause it. Answers
     * the webhooks this paused.
     */
    async settle(trx: Transaction<Database>, settlements: Settlement[], pauseAfter = 0): Promise<string[]> {
      for (const chunk of chunked(settlements, ROWS_PER_STATEMENT)) {
        await trx.insertInto('webhook_attempts').values(chunk.map(({ attempt: a }) => ({
          id: a.id, outbox_id: a.outboxId, delivery_id: a.deliveryId, worker: a.worker, started_at: a.startedAt,
          status_code: a.statusCode, latency_ms: a.latencyMs, error: a.error, response_snippet: a.responseSnippet,
        }))).execute();
      }
      // A finished row's next_attempt_at becomes when it finished: the purge keeps it RETENTION_DAYS from then.
      const delivered = settlements.filter((s) => s.outcome === 'delivered');
      for (const chunk of chunked(delivered, ROWS_PER_STATEMENT)) {
        // Each row's own finishing time from a joined list: one plan, where a CASE of a branch per
        // row is compared branch by branch for every row.
        const finished = sql.join(chunk.map((s) => sql`(${s.row.id}, ${s.at})`));
        await sql`
          WITH v(id, finished_at) AS (VALUES ${finished})
          UPDATE webhook_outbox SET status = 'delivered', lease_until = NULL, delivered_at = v.finished_at, next_attempt_at = v.finished_at
          FROM v WHERE webhook_outbox.id = v.id`.execute(trx);
      }
      for (const s of settlements) {
        if (s.outcome === 'retry') {
          await trx.updateTable('webhook_outbox').set({ attempts: s.attempts, next_attempt_at: s.nextAt, last_error: s.reason, lease_until: null })
            .where('id', '=', s.row.id).execute();
        } else if (s.outcome === 'dead' || s.outcome === 'gone') {
          await trx.updateTable('webhook_outbox').set({ status: 'dead', attempts: s.attempts, last_error: s.reason, lease_until: null, next_attempt_at: s.at })
            .where('id', '=', s.row.id).execute();
        }
      }
      return recordStreaks(trx, settlements, pauseAfter);
    },

    /**
     * Gives up leases this worker holds on rows it did not send, so they are claimed again at once
     * rather than when the lease runs out; a row leased anew meanwhile is left alone.
     */
    async release(trx: Transaction<Database>, rows: { id: string; leaseUntil: string }[]): Promise<void> {
      const byLease = new Map<string, string[]>();
      for (const r of rows) byLease.set(r.leaseUntil, [...(byLease.get(r.leaseUntil) ?? []), r.id]);
      for (const [leaseUntil, ids] of byLease) {
        for (const chunk of chunked(ids, ROWS_PER_STATEMENT)) {
          await trx.updateTable('webhook_outbox').set({ lease_until: null })
            .where('id', 'in', chunk).where('status', '=', 'pending').where('lease_until', '=', leaseUntil).execute();
        }
      }
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

    /** A webhook's deliveries, newest first, from `offset` on. */
    async deliveries(webhookId: string, limit: number, offset = 0) {
      return db.selectFrom('webhook_outbox').selectAll().where('webhook_id', '=', webhookId)
        .orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(limit).offset(offset).execute();
    },

    async attemptsOf(outboxId: string) {
      return db.selectFrom('webhook_attempts').selectAll().where('outbox_id', '=', outboxId).orderBy('started_at').execute();
    },

    /** The attempts of these deliveries, oldest first, in one query. */
    async attemptsOfMany(outboxIds: string[]) {
      if (outboxIds.length === 0) return [];
      return db.selectFrom('webhook_attempts').selectAll().where('outbox_id', 'in', outboxIds).orderBy('started_at').orderBy('id').execute();
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
