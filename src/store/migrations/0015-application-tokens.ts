/**
 * Application tokens (Smartcar v3's client-credentials tokens): one app-level bearer token, valid an
 * hour, stored as its hash only. Looked up by hash on every v3 request; expired ones are found by
 * app and expiry when the app asks for a new one.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('application_tokens')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('application_tokens_app_expires').on('application_tokens').columns(['app_id', 'expires_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('application_tokens_app_expires').execute();
  await db.schema.dropTable('application_tokens').execute();
}
