/**
 * Connection history: one row per connection of a vehicle to an app that has ended, with when it
 * started, when it ended and why (owner revoked, app disconnected, expired). A live connection is
 * its grant; the row is written where the grant ends (or, for an expiry, by the purge before the
 * lapsed tokens go), so the Vehicle API's reads never touch it.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('connection_history')
    /** The grant's id while the connection lived; with `started_at`, one row per connection. */
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text', (c) => c.notNull())
    /** owner_revoked, app_disconnected or expired. */
    .addColumn('end_reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('connection_history_pk', ['grant_id', 'started_at'])
    .execute();
  await db.schema.createIndex('connection_history_app_vehicle').on('connection_history').columns(['app_id', 'vehicle_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('connection_history').execute();
}
