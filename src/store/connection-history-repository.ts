/**
 * Each vehicle's connections to an app, the live one and those that ended, with why each ended.
 * A live connection is its grant; an ended one is a `connection_history` row, written in the same
 * transaction that ends the grant, or by the purge when the connection's last refresh token lapsed.
 * A connection is keyed by its grant's id and start, so it is recorded once, by whatever ended it first.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

export const END_REASONS = ['owner_revoked', 'app_disconnected', 'expired'] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface EndedGrant {
  grantId: string;
  appId: string;
  accountId: string;
  vehicleId: string;
  startedAt: string;
}

export interface ConnectionSpan {
  accountId: string;
  startedAt: string;
  /** Null while the connection lives. */
  endedAt: string | null;
  endReason: EndReason | null;
}

type Executor = Db | Transaction<Database>;

/** Records grants ended at `at` for `reason`; a connection already recorded (it had expired) keeps its first end. */
export async function recordEnded(db: Executor, grants: EndedGrant[], at: string, reason: EndReason): Promise<void> {
  if (grants.length === 0) return;
  await db.insertInto('connection_history').values(grants.map((g) => ({
    grant_id: g.grantId, app_id: g.appId, account_id: g.accountId, vehicle_id: g.vehicleId,
    started_at: g.startedAt, ended_at: at, end_reason: reason,
  }))).onConflict((oc) => oc.columns(['grant_id', 'started_at']).doNothing()).execute();
}

export function connectionHistoryRepository(db: Db) {
  /**
   * Live grants with the moment each one's last refresh token lapses (or lapsed): the latest expiry
   * among its families' refresh tokens; null for a grant with none left (purged before this was kept).
   */
  const lapses = db.selectFrom('grants as g')
    .leftJoin('authorization_grants as ag', 'ag.grant_id', 'g.id')
    .leftJoin('tokens as t', (join) => join.onRef('t.authorization_id', '=', 'ag.authorization_id').on('t.kind', '=', 'refresh'))
    .where('g.revoked_at', 'is', null)
    .groupBy(['g.id', 'g.app_id', 'g.account_id', 'g.vehicle_id', 'g.created_at']);

  return {
    /**
     * Records, up to `limit` at a time, the live connections whose last refresh token lapsed before
     * `now` as expired then (the purge runs this before it deletes the lapsed tokens). Returns how many.
     */
    async recordLapsed(now: string, limit: number): Promise<number> {
      const lapsed = lapses
        .select(['g.id', 'g.app_id', 'g.account_id', 'g.vehicle_id', 'g.created_at', (eb) => eb.fn.max('t.expires_at').as('ended_at')])
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('connection_history as h').select(sql<number>`1`.as('one'))
          .whereRef('h.grant_id', '=', 'g.id').whereRef('h.started_at', '=', 'g.created_at'))))
        .having((eb) => eb.fn.max('t.expires_at'), '<', now)
        .limit(limit);
      const rows = await lapsed.execute();
      if (rows.length === 0) return 0;
      await db.insertInto('connection_history').values(rows.map((r) => ({
        grant_id: r.id, app_id: r.app_id, account_id: r.account_id, vehicle_id: r.vehicle_id,
        started_at: r.created_at, ended_at: String(r.ended_at), end_reason: 'expired',
      }))).onConflict((oc) => oc.columns(['grant_id', 'started_at']).doNothing()).execute();
      return rows.length;
    },

    /** A vehicle's connections to an app, newest first: the live one (ended already if its refresh tokens lapsed) and up to `limit` ended. */
    async historyOf(appId: string, vehicleId: string, now: string, limit: number): Promise<ConnectionSpan[]> {
      const [live, ended] = await Promise.all([
        lapses.select(['g.id', 'g.account_id', 'g.created_at', (eb) => eb.fn.max('t.expires_at').as('lapses_at')])
          .where('g.app_id', '=', appId).where('g.vehicle_id', '=', vehicleId).execute(),
        db.selectFrom('connection_history').select(['grant_id', 'account_id', 'started_at', 'ended_at', 'end_reason'])
          .where('app_id', '=', appId).where('vehicle_id', '=', vehicleId)
          .orderBy('started_at', 'desc').limit(limit).execute(),
      ]);
      const spans: ConnectionSpan[] = ended.map((r) => ({
        accountId: r.account_id, startedAt: r.started_at, endedAt: r.ended_at, endReason: r.end_reason as EndReason,
      }));
      for (const g of live) {
        if (ended.some((r) => r.grant_id === g.id && r.started_at === g.created_at)) continue;
        const lapsed = g.lapses_at !== null && String(g.lapses_at) < now;
        spans.push({ accountId: g.account_id, startedAt: g.created_at, endedAt: lapsed ? String(g.lapses_at) : null, endReason: lapsed ? 'expired' : null });
      }
      return spans.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },
  };
}

export type ConnectionHistoryRepository = ReturnType<typeof connectionHistoryRepository>;
