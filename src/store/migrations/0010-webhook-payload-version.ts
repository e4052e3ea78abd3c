/** Webhooks choose their payload format: the v2.0 envelope (the default) or v4.0. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('version', 'text', (c) => c.notNull().defaultTo(sql.lit('2.0'))).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').dropColumn('version').execute();
}
