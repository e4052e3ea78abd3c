/**
 * Token families tied to the grants they came from: a family reaches a vehicle only through the
 * very grant its consent created (or confirmed), so a grant ended and later given anew never
 * revives an older family. The Connect cookie key, now derived from SECRET_KEY, leaves the database.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('authorization_grants')
    .addColumn('authorization_id', 'text', (c) => c.notNull().references('authorizations.id').onDelete('cascade'))
    /** A grant's id changes whenever an ended grant is given anew, so this names one generation of it. */
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('authorization_grants_pk', ['authorization_id', 'grant_id'])
    .execute();
  await db.schema.createIndex('authorizations_app_account').on('authorizations').columns(['app_id', 'account_id']).execute();
  // Families issued before this point are tied to their vehicles' grants as they stand now.
  await sql`
    INSERT INTO authorization_grants (authorization_id, grant_id)
    SELECT a.id, g.id FROM authorizations a
    JOIN grants g ON g.app_id = a.app_id AND g.account_id = a.account_id
      AND a.vehicle_ids LIKE '%"' || g.vehicle_id || '"%'`.execute(db);
  await sql`DELETE FROM server_keys WHERE name = 'connect'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('authorizations_app_account').execute();
  await db.schema.dropTable('authorization_grants').execute();
}
