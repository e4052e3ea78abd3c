/**
 * The console's Logs and Usage: one row per recorded Vehicle API or token-endpoint request of an
 * app (kept REQUEST_LOG_DAYS), and per app and UTC day the requests and errors (for charts longer
 * than the log is kept) and the Connect funnel's step counts.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('request_log')
    .addColumn('app_id', 'text', (c) => c.notNull())
    /** ISO 8601 with milliseconds: sorts as it reads; the request id breaks ties. */
    .addColumn('at', 'text', (c) => c.notNull())
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
  // An app's rows newest first (status and path filters read along it); a vehicle's likewise.
  await db.schema.createIndex('request_log_app_at').on('request_log').columns(['app_id', 'at', 'request_id']).execute();
  await db.schema.createIndex('request_log_app_vehicle_at').on('request_log').columns(['app_id', 'vehicle_id', 'at']).execute();
  // The purge removes the oldest first, whatever the app.
  await db.schema.createIndex('request_log_at').on('request_log').column('at').execute();

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
