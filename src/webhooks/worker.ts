/**
 * The delivery worker: turns due subscriptions into outbox events, then claims and delivers what
 * the outbox holds. `carport serve` runs one in-process; `carport worker` runs one alone. Several
 * may share a PostgreSQL outbox; on SQLite run one.
 *
 * Claimed deliveries are sent concurrently, up to `batchSize` out at once. Each pass writes in one
 * transaction what it produced, the attempts that finished since the last pass and its new claims
 * (under a backlog, in two at once: the production, and the rest), so the database sees a few
 * large transactions rather than one per delivery; a slow receiver
 * holds only its own deliveries, never the pass. One app's deliveries hold at most `appInFlight`
 * of the `batchSize` slots, so one developer's unanswering receivers (15 s each) cannot take
 * every slot from the others.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.js';
import type { Transaction } from 'kysely';
import type { ClaimedDelivery, Database, Db, Settlement } from '../store/index.js';
import { attemptDelivery, type DeliveryPolicy } from './delivery.js';
import { DELIVERY_TIMEOUT_MS } from './post.js';
import { eventProduction, scheduledProduction, type Production, type ProductionDeps } from './production.js';

/** While deliveries are out, the longest a finished one waits to be recorded and its queue's next claimed. */
const PACE_MS = 50;
/**
 * After a look past the apps at their share found nothing else due, claims skip that look this
 * long (it reads those apps' whole due backlog): another app's new delivery waits at most this.
 */
const LOOK_PAST_FULL_MS = 1000;
/**
 * Besides its share out, an app may hold this many shares of claimed rows waiting for a slot: a
 * finished delivery's slot goes to the app's next row at once instead of waiting for a pass, so a
 * pass's commit is no longer between one delivery and the next. Waiting rows hold no slot.
 */
const WAITING_SHARES = 3;
/** A waiting row is sent only while its lease outlives the delivery timeout by this much; after, it is released. */
const LEASE_MARGIN_MS = 5_000;
/**
 * Under a backlog a pass produces, and claims to wait, up to this many batches. A pass's statements
 * cost about as much for a hundred rows as for a thousand, so while receivers keep up the same
 * deliveries take fewer, larger transactions. How much a pass takes follows how many attempts
 * finished since the last: twice that, at least a batch, falling by a quarter a pass.
 */
const MOST_BATCHES_A_PASS = 10;

export interface WorkerDeps extends ProductionDeps {
  db: Db;
  clock: Clock;
  managementTokenOf(appId: string): Promise<string | null>;
  log: ProductionDeps['log'] & { info(obj: object, msg: string): void };
  /** Told each attempt's outcome (delivered, retry, dead, gone): the metrics count them. */
  onAttempt?(outcome: string): void;
}

export interface WorkerOptions extends Omit<DeliveryPolicy, 'worker'> {
  pollMs: number;
  batchSize: number;
  /** Most deliveries of one app out at once; default a fifth of `batchSize`, at least 1. */
  appInFlight?: number;
  /** How long a claim holds; a crashed worker's rows are claimed again after it. */
  leaseMs: number;
  /** How often each event subscription's vehicle is looked at for triggers. */
  eventPollMs: number;
  /** Dead-lettered deliveries in a row that pause a webhook (WEBHOOK_PAUSE_AFTER); 0 or absent: never. */
  pauseAfter?: number;
}

function count(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

export function startWorker(deps: WorkerDeps, options: WorkerOptions): { stop(): Promise<void>; lastPassAt(): number; inFlight(): number } {
  const policy = { ...options, worker: `worker-${randomUUID().slice(0, 8)}` };
  const inFlight = new Set<Promise<void>>();
  const appShare = {
    limit: options.appInFlight ?? Math.max(1, Math.floor(options.batchSize / 5)), inFlight: new Map<string, number>(), lookPastFull: true,
  };
  let lookPastFullAt = 0;
  let settled: Settlement[] = [];
  // Rows may wait only when a lease leaves time for a wait and a whole delivery after it.
  const waits = options.leaseMs - DELIVERY_TIMEOUT_MS - LEASE_MARGIN_MS >= 10_000;
  /** Claimed rows waiting for a slot, oldest claim first, with the token to sign with and the last moment to send. */
  const waiting: { row: ClaimedDelivery; token: string | null; sendBy: number; leaseUntil: string }[] = [];
  /** Each app's rows out or waiting: what a claim counts against its allowance. */
  const held = new Map<string, number>();
  /** Waiting rows too late to send, whose leases the next pass gives up. */
  let released: { id: string; leaseUntil: string }[] = [];
  let stopping = false;
  let wake: (() => void) | null = null;
  const now = () => deps.clock.now().getTime();

  function send(row: ClaimedDelivery, token: string | null): void {
    const sending: Promise<void> = attemptDelivery(row, token, policy, now)
      .then((s) => {
        settled.push(s);
        deps.onAttempt?.(s.outcome);
      })
      .catch((error: unknown) => deps.log.error({ err: error, outbox: row.id }, 'webhook delivery attempt failed; the lease brings it back'))
      .finally(() => {
        inFlight.delete(sending);
        count(appShare.inFlight, row.appId, -1);
        count(held, row.appId, -1);
        sendWaiting();
        wake?.();
      });
    inFlight.add(sending);
    count(appShare.inFlight, row.appId, 1);
  }

  /** Sends the waiting rows whose app has a free slot, while the worker has one; gives up those too late to send. */
  function sendWaiting(): void {
    const t = now();
    for (let i = 0; i < waiting.length && inFlight.size < options.batchSize;) {
      const w = waiting[i]!;
      if (t > w.sendBy) {
        waiting.splice(i, 1);
        count(held, w.row.appId, -1);
        released.push({ id: w.row.id, leaseUntil: w.leaseUntil });
      } else if ((appShare.inFlight.get(w.row.appId) ?? 0) < appShare.limit) {
        waiting.splice(i, 1);
        send(w.row, w.token);
      } else {
        i++;
      }
    }
  }

  /** What follows a committed record: receivers that answered 410 lose their subscription; pauses are logged. */
  async function recorded(done: Settlement[], paused: string[]): Promise<void> {
    for (const webhookId of paused) deps.log.info({ webhookId }, 'webhook paused: its deliveries keep being dead-lettered');
    for (const s of done) {
      if (s.outcome === 'gone' && s.row.vehicleId) await deps.webhooks.unsubscribe(s.row.webhookId, s.row.vehicleId);
      if (s.outcome !== 'delivered') deps.log.info({ outbox: s.row.id, outcome: s.outcome }, 'webhook delivery not done');
    }
  }

  /** Both kinds of due subscriptions read and shaped at once, up to `limit` each: their reads are independent. */
  async function produce(at: Date, limit: number): Promise<{ limit: number; scheduled: Production; events: Production }> {
    const [scheduled, events] = await Promise.all([scheduledProduction(deps, at, limit), eventProduction(deps, at, limit, options.eventPollMs)]);
    return { limit, scheduled, events };
  }
  /** The next pass's production, already under way while this pass's deliveries go out. */
  let ahead = null as ReturnType<typeof produce> | null;
  /** Rows a pass produces, and claims beyond a batch to wait for slots. */
  let pace = options.batchSize;

  /** One pass; true when more was due than it took, so the next should not wait. */
  async function once(): Promise<boolean> {
    const at = deps.clock.now();
    // Production read ahead means the last pass found more due than it took.
    const backlogged = ahead !== null;
    const producing = ahead ?? produce(at, pace);
    ahead = null;
    const { limit: produced, scheduled, events } = await producing;
    const done = settled;
    settled = [];
    // Grows at once, shrinks by a quarter a pass: a pass right after a large one finds few finished.
    pace = Math.min(options.batchSize * MOST_BATCHES_A_PASS, Math.max(options.batchSize, 2 * done.length, Math.floor(pace * 0.75)));
    const finished = new Map<string, number>();
    for (const s of done) count(finished, s.row.appId, 1);
    // Without waiting, a claim takes only what fits the slots.
    const room = stopping ? 0 : (waits ? options.batchSize + pace : options.batchSize) - inFlight.size - waiting.length;
    const letGo = released;
    released = [];
    let paused: string[] = [];
    const leaseUntil = new Date(at.getTime() + options.leaseMs).toISOString();
    const write = async (trx: Transaction<Database>) => {
      await scheduled.write(trx, at.toISOString());
      await events.write(trx, at.toISOString());
    };
    const record = async (trx: Transaction<Database>): Promise<ClaimedDelivery[]> => {
      paused = await deps.outbox.settle(trx, done, options.pauseAfter);
      await deps.outbox.release(trx, letGo);
      // The lease outlives the 15 s delivery timeout, so a crashed worker's rows come back, a live one's don't.
      if (room <= 0) return [];
      appShare.lookPastFull = performance.now() >= lookPastFullAt;
      const allowance = {
        ...appShare, inFlight: held,
        limitOf: (app: string) => (waits ? Math.max(appShare.limit * (1 + WAITING_SHARES), 2 * (finished.get(app) ?? 0)) : appShare.limit),
      };
      const claim = await deps.outbox.claim(trx, at.toISOString(), leaseUntil, room, allowance);
      if (claim.othersIdle) lookPastFullAt = performance.now() + LOOK_PAST_FULL_MS;
      return claim.rows;
    };
    const more = scheduled.due === produced || events.due === produced;
    // A backlog: the next pass follows at once, so its reads start as soon as this pass's
    // production is committed (they must see its subscriptions moved on) and overlap the rest of
    // the pass and its deliveries. Idle, they wait for the pass, or events falling due meanwhile
    // would wait a pass longer. A lost compare-and-set discards what they read.
    const readAhead = () => {
      if (!more || stopping || ahead !== null) return;
      ahead = produce(deps.clock.now(), pace);
      ahead.catch(() => {});
    };
    // Under a backlog the production and the records go in two transactions at once, so the
    // database works on both on two connections; the claim finds rows enough from earlier passes.
    // The production may fail alone: produced again next pass (its subscriptions did not move),
    // while the rows claimed, already leased, still go out.
    const committing = !backlogged
      ? deps.db.transaction().execute(async (trx) => {
        await write(trx);
        return record(trx);
      })
      : (async () => {
        const writing = deps.db.transaction().execute(write).then(readAhead, (error: unknown) => {
          deps.log.error({ err: error }, 'webhook production failed; its subscriptions are due again');
        });
        const recording = deps.db.transaction().execute(record);
        // The pass ends when both have: a production still committing is not left behind.
        await Promise.allSettled([writing, recording]);
        return recording;
      })();
    let claimed: ClaimedDelivery[];
    try {
      claimed = await committing;
    } catch (error) {
      // Records that did not commit wait for the next pass.
      settled.unshift(...done);
      released.unshift(...letGo);
      throw error;
    }
    readAhead();
    // Each app's token is unsealed once a pass, not once a delivery.
    const tokens = new Map(await Promise.all([...new Set(claimed.map((r) => r.appId))].map(async (app) => [app, await deps.managementTokenOf(app)] as const)));
    await recorded(done, paused);
    // Without waiting, a claim takes only what fits the slots and everything goes out at once.
    const sendBy = waits ? at.getTime() + options.leaseMs - DELIVERY_TIMEOUT_MS - LEASE_MARGIN_MS : Number.POSITIVE_INFINITY;
    for (const row of claimed) {
      count(held, row.appId, 1);
      waiting.push({ row, token: tokens.get(row.appId) ?? null, sendBy, leaseUntil });
    }
    sendWaiting();
    return more;
  }

  /**
   * Waits for the next pass: `pollMs` when idle; PACE_MS while deliveries are out or waiting to be
   * recorded — sooner once a quarter of a batch has finished, or everything out has (one app alone
   * has only its share out), so records share a transaction and passes stay few however fast
   * receivers answer.
   */
  function pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      const busy = inFlight.size > 0 || settled.length > 0;
      const timer = setTimeout(done, busy ? Math.min(PACE_MS, options.pollMs) : options.pollMs);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = () => {
        if (stopping || settled.length >= Math.max(1, options.batchSize / 4) || inFlight.size === 0) done();
      };
    });
  }

  // On the monotonic clock: readiness asks how long ago, whatever the platform's clock says.
  let lastPassAt = performance.now();
  const loop = (async () => {
    while (!stopping) {
      let more = false;
      try {
        more = await once();
        lastPassAt = performance.now();
      } catch (error) {
        deps.log.error({ err: error }, 'webhook worker pass failed');
      }
      if (!more && !stopping) await pause();
    }
    // What waits is given back rather than sent: a stopping node finishes only what it has out.
    for (const w of waiting.splice(0)) released.push({ id: w.row.id, leaseUntil: w.leaseUntil });
    await Promise.all(inFlight);
    await ahead?.catch(() => {});
    try {
      const paused = await deps.db.transaction().execute(async (trx) => {
        await deps.outbox.release(trx, released);
        return deps.outbox.settle(trx, settled, options.pauseAfter);
      });
      await recorded(settled, paused);
    } catch (error) {
      deps.log.error({ err: error }, 'webhook worker could not record its last attempts; their leases bring them back');
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
    lastPassAt: () => lastPassAt,
    inFlight: () => inFlight.size,
  };
}
