/**
 * Developer accounts (the console's users) and who owns each app. An app without an owner is shown
 * to no one in the console until assigned; deleting a user leaves their apps ownerless.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('developer_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** Lower-cased: one account per address whatever its spelling. */
    .addColumn('email', 'text', (c) => c.notNull().unique())
    /** scrypt, with its parameters and salt (see developers/passwords.ts). */
    .addColumn('password_hash', 'text', (c) => c.notNull())
    /** 1 for a password carport generated and printed once: the console asks for a new one at sign-in. */
    .addColumn('password_temporary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('apps')
    .addColumn('owner_user_id', 'text', (c) => c.references('developer_users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('apps_owner').on('apps').column('owner_user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('apps_owner').execute();
  await db.schema.alterTable('apps').dropColumn('owner_user_id').execute();
  await db.schema.dropTable('developer_users').execute();
}
