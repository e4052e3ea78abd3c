/**
 * Deleting what has outlived its use, one bounded batch per call, so a large backlog is removed in
 * many short transactions instead of one long one. Each call returns how many rows it removed; a
 * batch smaller than asked means nothing more matches.
 */
import type { DatabaseKind, Db } from './database.js';

export function retentionRepository(db: Db, kind: DatabaseKind = 'sqlite') {
  return {
    /** Connect sessions past their expiry (an expired session and an unknown one are refused alike). */
    async expiredInteractions(before: string, limit: number): Promise<number> {
      const r = await db.deleteFrom('interactions').where('id', 'in', (eb) => eb.selectFrom('interactions')
        .select('id').where('expires_at', '<', before).limit(limit)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    /** Console sign-ins past their expiry. */
    async expiredConsoleSessions(before: string, limit: number): Promise<number> {
      const r = await db.deleteFrom('console_sessions').where('token_hash', 'in', (eb) => eb.selectFrom('console_sessions')
        .select('token_hash').where('expires_at', '<', before).limit(limit)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    /**
     * Recorded requests from before `beforeMs`, app by app along the table's one index (app, time).
     * The table has no single key, so an app's batch ends at the time of its `limit`-th oldest row
     * (rows sharing that millisecond go with it). At least `limit` removed means there may be more.
     */
    async oldRequestLog(beforeMs: number, limit: number): Promise<number> {
      let deleted = 0;
      for (const { id } of await db.selectFrom('apps').select('id').orderBy('id').execute()) {
        if (deleted >= limit) break;
        const last = await db.selectFrom('request_log').select('at_ms').where('app_id', '=', id).where('at_ms', '<', beforeMs)
          .orderBy('at_ms').offset(limit - 1).limit(1).executeTakeFirst();
        const r = await db.deleteFrom('request_log').where('app_id', '=', id)
          .where('at_ms', last ? '<=' : '<', last ? Number(last.at_ms) : beforeMs).executeTakeFirst();
        deleted += Number(r.numDeletedRows);
      }
      return deleted;
    },

    /** Daily usage and Connect funnel counts of days before `beforeDay` (YYYY-MM-DD). */
    async oldDailyCounts(beforeDay: string): Promise<number> {
      const usage = await db.deleteFrom('usage_days').where('day', '<', beforeDay).executeTakeFirst();
      const funnel = await db.deleteFrom('connect_funnel_days').where('day', '<', beforeDay).executeTakeFirst();
      return Number(usage.numDeletedRows) + Number(funnel.numDeletedRows);
    },

    async expiredCodes(before: string, limit: number): Promise<number> {
      const r = await db.deleteFrom('authorization_codes').where('hash', 'in', (eb) => eb.selectFrom('authorization_codes')
        .select('hash').where('expires_at', '<', before).limit(limit)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    /** Access and refresh tokens past their expiry: no request or refresh accepts them any more. */
    async expiredTokens(before: string, limit: number): Promise<number> {
      const r = await db.deleteFrom('tokens').where('hash', 'in', (eb) => eb.selectFrom('tokens')
        .select('hash').where('expires_at', '<', before).limit(limit)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    /**
     * Token families with no token left (each expired), created before `createdBefore`, walked in
     * id order from `afterId` so a long history is read once per pass. Returns how many it found
     * and the last one's id, to go on from.
     */
    async emptyFamilies(
      createdBefore: string, afterId: string, limit: number,
    ): Promise<{ deleted: number; looked: number; lastId: string | null }> {
      const ids = await db.selectFrom('authorizations as a').select('a.id')
        .where('a.id', '>', afterId).where('a.created_at', '<', createdBefore)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('tokens as t').select('t.hash').whereRef('t.authorization_id', '=', 'a.id'))))
        .orderBy('a.id').limit(limit).execute();
      if (ids.length === 0) return { deleted: 0, looked: 0, lastId: null };
      // A token issued into the family since the look keeps it.
      const r = await db.deleteFrom('authorizations as a').where('a.id', 'in', ids.map((row) => row.id))
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('tokens as t').select('t.hash').whereRef('t.authorization_id', '=', 'a.id'))))
        .executeTakeFirst();
      return { deleted: Number(r.numDeletedRows), looked: ids.length, lastId: ids[ids.length - 1]!.id };
    },

    /**
     * Delivered or dead-lettered outbox rows whose last attempt was due before `before`, with their
     * attempts. Pending rows are never touched. On PostgreSQL the rows are locked first, so a
     * redelivery racing the purge either happens before (and the row stays) or finds it gone.
     */
    async finishedDeliveries(status: 'delivered' | 'dead', before: string, limit: number): Promise<number> {
      return db.transaction().execute(async (trx) => {
        let query = trx.selectFrom('webhook_outbox').select('id')
          .where('status', '=', status).where('next_attempt_at', '<', before).limit(limit);
        if (kind === 'postgres') query = query.forUpdate().skipLocked();
        const ids = (await query.execute()).map((row) => row.id);
        if (ids.length === 0) return 0;
        await trx.deleteFrom('webhook_attempts').where('outbox_id', 'in', ids).execute();
        const r = await trx.deleteFrom('webhook_outbox').where('id', 'in', ids).executeTakeFirst();
        return Number(r.numDeletedRows);
      });
    },
  };
}

export type RetentionRepository = ReturnType<typeof retentionRepository>;
