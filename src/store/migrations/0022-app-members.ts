/**
 * Team members of an app: an address with a role (owner, developer, viewer). Keyed by the lower-cased
 * address rather than an account, so an invitation to an address with no account yet waits and
 * holds from the moment an account with that address is made, however it is made. The app's owning
 * user (apps.owner_user_id) is its owner without a row here.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('app_members')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.references('developer_users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_members_pk', ['app_id', 'email'])
    .execute();
  await db.schema.createIndex('app_members_email').on('app_members').column('email').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_members').execute();
}
