/**
 * Management token rotation: the replaced token's hash keeps authenticating until a stated time.
 * Both hashes are looked up on every management request, so both are indexed.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('previous_management_token_hash', 'text').execute();
  await db.schema.alterTable('apps').addColumn('previous_management_token_until', 'text').execute();
  await db.schema.createIndex('apps_management_token').on('apps').column('management_token_hash').execute();
  await db.schema.createIndex('apps_previous_management_token').on('apps').column('previous_management_token_hash').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('apps_previous_management_token').execute();
  await db.schema.dropIndex('apps_management_token').execute();
  await db.schema.alterTable('apps').dropColumn('previous_management_token_until').execute();
  await db.schema.alterTable('apps').dropColumn('previous_management_token_hash').execute();
}
