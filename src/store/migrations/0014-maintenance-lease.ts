/**
 * The purge: a lease so one node purges at a time, and an index on each time column it deletes by,
 * so every bounded batch is an index range rather than a table scan. Finished outbox rows are found
 * through the existing (status, next_attempt_at) index.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('maintenance_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('interactions_expires').on('interactions').column('expires_at').execute();
  await db.schema.createIndex('authorization_codes_expires').on('authorization_codes').column('expires_at').execute();
  await db.schema.createIndex('tokens_expires').on('tokens').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['tokens_expires', 'authorization_codes_expires', 'interactions_expires']) await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('maintenance_leases').execute();
}
