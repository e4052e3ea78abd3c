/** The console's Logs and Usage rows: recorded requests, daily usage counts and Connect funnel counts. */
import { CompiledQuery, sql } from 'kysely';
import type { DatabaseKind, Db } from './database.js';
import type { RequestLogTable } from './schema.js';

export interface RequestLogRecord {
  appId: string;
  atMs: number;
  requestId: string;
  method: string;
  path: string;
  vehicleId: string | null;
  status: number;
  errorType: string | null;
  errorCode: string | null;
  latencyMs: number;
}

/** The columns of a row, in the order `insertFlat` takes them (see request-log/recorded-row.ts). */
const REQUEST_LOG_COLUMNS = [
  'app_id', 'at_ms', 'request_id', 'method', 'path', 'vehicle_id', 'status', 'error_type', 'error_code', 'latency_ms',
] as const;

export interface RequestLogQuery {
  appId: string;
  /** Inclusive status range. */
  status?: { from: number; to: number };
  vehicleId?: string;
  pathPrefix?: string;
  /** Rows strictly older than this row (keyset paging). */
  before?: { atMs: number; requestId: string };
  limit: number;
}

export interface DayCount {
  appId: string;
  day: string;
  requests: number;
  errors: number;
}

const fromRow = (r: RequestLogTable): RequestLogRecord => ({
  appId: r.app_id, atMs: Number(r.at_ms), requestId: r.request_id, method: r.method, path: r.path, vehicleId: r.vehicle_id,
  status: Number(r.status), errorType: r.error_type, errorCode: r.error_code, latencyMs: Number(r.latency_ms),
});

export function requestLogRepository(db: Db, kind: DatabaseKind) {
  /** The multi-row insert's text per row count, made once: building it per batch cost more than the rows. */
  const insertTexts = new Map<number, string>();
  const width = REQUEST_LOG_COLUMNS.length;
  function insertText(rows: number): string {
    let text = insertTexts.get(rows);
    if (text === undefined) {
      const tuples = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: width }, (_, c) => (kind === 'postgres' ? `$${r * width + c + 1}` : '?')).join(',')})`);
      text = `insert into request_log (${REQUEST_LOG_COLUMNS.join(', ')}) values ${tuples.join(',')}`;
      insertTexts.set(rows, text);
    }
    return text;
  }

  return {
    /**
     * One multi-row insert of rows given flat, REQUEST_LOG_COLUMNS after one another; the caller keeps
     * batches under the databases' parameter limits and to a few sizes (each size is a statement).
     */
    async insertFlat(values: readonly unknown[]): Promise<void> {
      const rows = values.length / width;
      if (rows === 0) return;
      await db.executeQuery(CompiledQuery.raw(insertText(rows), values as unknown[]));
    },

    /** Adds to the apps' daily counts, creating the days not yet counted (several nodes may add at once). */
    async addUsage(counts: readonly DayCount[]): Promise<void> {
      if (counts.length === 0) return;
      await db.insertInto('usage_days')
        .values(counts.map((c) => ({ app_id: c.appId, day: c.day, requests: c.requests, errors: c.errors })))
        .onConflict((oc) => oc.columns(['app_id', 'day']).doUpdateSet({
          requests: sql`usage_days.requests + excluded.requests`,
          errors: sql`usage_days.errors + excluded.errors`,
        }))
        .execute();
    },

    /** An app's rows newest first, filtered. */
    async list(q: RequestLogQuery): Promise<RequestLogRecord[]> {
      let query = db.selectFrom('request_log').selectAll().where('app_id', '=', q.appId);
      if (q.status) query = query.where('status', '>=', q.status.from).where('status', '<=', q.status.to);
      if (q.vehicleId !== undefined) query = query.where('vehicle_id', '=', q.vehicleId);
      if (q.pathPrefix !== undefined) {
        // substr rather than LIKE: no wildcard to escape, and case-sensitive on both databases.
        query = query.where(sql<string>`substr(path, 1, ${q.pathPrefix.length})`, '=', q.pathPrefix);
      }
      const before = q.before;
      if (before) {
        query = query.where((eb) => eb.or([
          eb('at_ms', '<', before.atMs),
          eb.and([eb('at_ms', '=', before.atMs), eb('request_id', '<', before.requestId)]),
        ]));
      }
      const rows = await query.orderBy('at_ms', 'desc').orderBy('request_id', 'desc').limit(q.limit).execute();
      return rows.map(fromRow);
    },

    /** An app's daily counts from `fromDay` on (YYYY-MM-DD), oldest first; days without requests are absent. */
    async usage(appId: string, fromDay: string): Promise<{ day: string; requests: number; errors: number }[]> {
      const rows = await db.selectFrom('usage_days').select(['day', 'requests', 'errors'])
        .where('app_id', '=', appId).where('day', '>=', fromDay).orderBy('day').execute();
      return rows.map((r) => ({ day: r.day, requests: Number(r.requests), errors: Number(r.errors) }));
    },

    /** Adds one to an app's count of a Connect step on a day. */
    async countFunnelStep(appId: string, day: string, step: string): Promise<void> {
      await db.insertInto('connect_funnel_days').values({ app_id: appId, day, step, count: 1 })
        .onConflict((oc) => oc.columns(['app_id', 'day', 'step']).doUpdateSet({ count: sql`connect_funnel_days.count + 1` }))
        .execute();
    },

    async funnel(appId: string, fromDay: string): Promise<{ day: string; step: string; count: number }[]> {
      const rows = await db.selectFrom('connect_funnel_days').select(['day', 'step', 'count'])
        .where('app_id', '=', appId).where('day', '>=', fromDay).orderBy('day').execute();
      return rows.map((r) => ({ day: r.day, step: r.step, count: Number(r.count) }));
    },
  };
}

export type RequestLogRepository = ReturnType<typeof requestLogRepository>;
