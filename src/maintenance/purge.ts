/**
 * One purge pass: removes what has outlived its use, in bounded batches, while holding the purge
 * lease so one node purges at a time (the others skip their pass). What goes:
 * - Connect sessions past their expiry;
 * - authorization codes a day past their expiry (until then a replayed code still revokes the
 *   tokens it was redeemed for, RFC 6749 §4.1.2);
 * - access and refresh tokens past their expiry (an expired refresh token is refused before any
 *   reuse check, so its row decides nothing), then token families left without any token; first,
 *   each connection whose last refresh token lapsed is recorded in its vehicle's history as expired;
 * - delivered and dead-lettered webhook deliveries, with their attempts, `retentionDays` after
 *   they finished. Pending deliveries are never removed;
 * - recorded requests `requestLogDays` old (all of them when it is 0), and the apps' daily usage
 *   and Connect funnel counts after `DAILY_COUNTS_DAYS`.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.js';
import { connectionHistoryRepository, leasesRepository, retentionRepository, type DatabaseKind, type Db } from '../store/index.js';

export const PURGE_LEASE = 'purge';
/** How long a pass holds the lease without renewing it: a node that dies mid-pass blocks others this long at most. */
export const PURGE_LEASE_MS = 5 * 60_000;
/** Rows per statement and per transaction. */
export const PURGE_BATCH = 500;
const DAY_MS = 86_400_000;
const CODE_REPLAY_WATCH_MS = DAY_MS;
/** A family younger than this is left alone even without tokens: it may be in the middle of being written. */
const FAMILY_MIN_AGE_MS = DAY_MS;

export interface PurgeDeps {
  db: Db;
  kind: DatabaseKind;
  clock: Clock;
  retentionDays: number;
  /** REQUEST_LOG_DAYS; its default when absent. */
  requestLogDays?: number;
}

/** The console's usage and funnel charts reach this far back; a row a day per app is cheap to keep. */
export const DAILY_COUNTS_DAYS = 90;
const DEFAULT_REQUEST_LOG_DAYS = 7;

export interface PurgeCounts {
  interactions: number;
  /** Console sign-ins past their expiry. */
  consoleSessions: number;
  codes: number;
  tokens: number;
  families: number;
  deliveries: number;
  /** Recorded requests (the console's Logs). */
  requestLog: number;
  /** Daily usage and Connect funnel counts. */
  dailyCounts: number;
}

/** `ran` is false when another node held the lease (nothing was deleted), or when the lease was lost mid-pass. */
export interface PurgeResult {
  ran: boolean;
  deleted: PurgeCounts;
}

class LeaseLost extends Error {}

export async function purgeOnce(deps: PurgeDeps, batch = PURGE_BATCH): Promise<PurgeResult> {
  const leases = leasesRepository(deps.db);
  const retention = retentionRepository(deps.db, deps.kind);
  const holder = randomUUID();
  const deleted: PurgeCounts = { interactions: 0, consoleSessions: 0, codes: 0, tokens: 0, families: 0, deliveries: 0, requestLog: 0, dailyCounts: 0 };
  const leaseEnd = () => new Date(deps.clock.now().getTime() + PURGE_LEASE_MS).toISOString();

  const start = deps.clock.now();
  if (!(await leases.take(PURGE_LEASE, holder, start.toISOString(), leaseEnd()))) return { ran: false, deleted };
  const ago = (ms: number) => new Date(start.getTime() - ms).toISOString();

  /** Runs `step` until it finds no more, renewing the lease after each batch. */
  async function drain(count: keyof PurgeCounts, step: () => Promise<{ deleted: number; more: boolean }>): Promise<void> {
    for (let more = true; more;) {
      const result = await step();
      deleted[count] += result.deleted;
      more = result.more;
      if (!(await leases.renew(PURGE_LEASE, holder, leaseEnd()))) throw new LeaseLost();
    }
  }
  /** A batch that came back full may have left more behind. */
  const batchOf = async (work: Promise<number>) => {
    const n = await work;
    return { deleted: n, more: n >= batch };
  };

  try {
    await drain('interactions', () => batchOf(retention.expiredInteractions(start.toISOString(), batch)));
    await drain('consoleSessions', () => batchOf(retention.expiredConsoleSessions(start.toISOString(), batch)));
    await drain('codes', () => batchOf(retention.expiredCodes(ago(CODE_REPLAY_WATCH_MS), batch)));
    // Kept, not removed (so not among the counts): the history must learn of a lapse before its tokens go.
    const history = connectionHistoryRepository(deps.db);
    for (let more = true; more;) {
      more = (await history.recordLapsed(start.toISOString(), batch)) >= batch;
      if (!(await leases.renew(PURGE_LEASE, holder, leaseEnd()))) throw new LeaseLost();
    }
    await drain('tokens', () => batchOf(retention.expiredTokens(start.toISOString(), batch)));
    let after = '';
    await drain('families', async () => {
      const page = await retention.emptyFamilies(ago(FAMILY_MIN_AGE_MS), after, batch);
      after = page.lastId ?? after;
      return { deleted: page.deleted, more: page.looked >= batch };
    });
    const finishedBefore = ago(deps.retentionDays * DAY_MS);
    await drain('deliveries', () => batchOf(retention.finishedDeliveries('delivered', finishedBefore, batch)));
    await drain('deliveries', () => batchOf(retention.finishedDeliveries('dead', finishedBefore, batch)));
    const loggedBefore = start.getTime() - (deps.requestLogDays ?? DEFAULT_REQUEST_LOG_DAYS) * DAY_MS;
    await drain('requestLog', () => batchOf(retention.oldRequestLog(loggedBefore, batch)));
    const countedBefore = ago((DAILY_COUNTS_DAYS - 1) * DAY_MS).slice(0, 10);
    await drain('dailyCounts', async () => ({ deleted: await retention.oldDailyCounts(countedBefore), more: false }));
  } catch (error) {
    if (error instanceof LeaseLost) return { ran: false, deleted };
    throw error;
  } finally {
    await leases.release(PURGE_LEASE, holder).catch(() => {});
  }
  return { ran: true, deleted };
}
