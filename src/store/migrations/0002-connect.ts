/** Connect and the token endpoint: public clients, interactions, authorization codes, refresh rotation, server keys. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('public_client', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  /** One owner's pass through Connect, bound to a signed cookie. */
  await db.schema.createTable('interactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('make', 'text')
    .addColumn('account_id', 'text')
    .addColumn('vehicle_ids', 'text')
    .addColumn('sign_in_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema.createTable('authorization_codes')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('redirect_uri_explicit', 'integer', (c) => c.notNull())
    .addColumn('vehicle_ids', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'text')
    .addColumn('authorization_id', 'text')
    .execute();

  // When a refresh token was rotated; a replaced token's later use is judged against it.
  await db.schema.alterTable('tokens').addColumn('replaced_at', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('grace_used_at', 'text').execute();

  /** Keys the server generates once and every node shares (cookie signing). */
  await db.schema.createTable('server_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['server_keys', 'authorization_codes', 'interactions']) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('tokens').dropColumn('grace_used_at').execute();
  await db.schema.alterTable('tokens').dropColumn('replaced_at').execute();
  await db.schema.alterTable('apps').dropColumn('public_client').execute();
}
