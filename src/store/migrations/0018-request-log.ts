/**
 * The console's Logs and Usage: one row per recorded Vehicle API or token-endpoint request of an
 * app (kept REQUEST_LOG_DAYS), and per app and UTC day the requests and errors (for charts longer
 * than the log is kept) and the Connect funnel's step counts.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Written at the Vehicle API's full rate, so each row costs as little as it can: the time as
  // epoch milliseconds (no text to format, a small key) and one index.
  await db.schema.createTable('request_log')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    /** Without its query string, capped. */
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    /** Smartcar's envelope `type` (or OAuth's `error`) and `code`, on errors only. */
    .addColumn('error_type', 'text')
    .addColumn('error_code', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .execute();
  // An app's rows newest first; the filters (status, vehicle, path) read along it, and so does the
  // purge, app by app. The request id breaks ties of the same millisecond in a sort of those few.
  await db.schema.createIndex('request_log_app_at').on('request_log').columns(['app_id', 'at_ms']).execute();

  await db.schema.createTable('usage_days')
    .addColumn('app_id', 'text', (c) => c.notNull())
    /** YYYY-MM-DD, UTC. */
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_days_pk', ['app_id', 'day'])
    .execute();

  await db.schema.createTable('connect_funnel_days')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    /** started, brand, signed_in, vehicles, finished, denied (connect-funnel.ts). */
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('connect_funnel_days_pk', ['app_id', 'day', 'step'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('connect_funnel_days').execute();
  await db.schema.dropTable('usage_days').execute();
  await db.schema.dropTable('request_log').execute();
}
