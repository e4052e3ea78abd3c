/** Indexes for listings that grow with the fleet: vehicles by mode, an app's grants newest first. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('vehicles_mode').on('vehicles').columns(['mode', 'created_at']).execute();
  await db.schema.createIndex('grants_app_created').on('grants').columns(['app_id', 'created_at']).execute();
  await db.schema.createIndex('accounts_developer').on('accounts').column('developer_app_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['accounts_developer', 'grants_app_created', 'vehicles_mode']) await db.schema.dropIndex(index).execute();
}
