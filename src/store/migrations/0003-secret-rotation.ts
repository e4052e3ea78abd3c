/** Client secret rotation: the previous secret stays valid until a stated time. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('previous_secret_hash', 'text').execute();
  await db.schema.alterTable('apps').addColumn('previous_secret_until', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('previous_secret_until').execute();
  await db.schema.alterTable('apps').dropColumn('previous_secret_hash').execute();
}
