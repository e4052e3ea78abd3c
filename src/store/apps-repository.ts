/** Registered applications (OAuth clients). Secrets arrive here already hashed. */
import type { Db } from './database.js';

export interface AppRecord {
  id: string;
  name: string;
  clientSecretHash: string;
  managementTokenHash: string;
  redirectUris: string[];
  /** Cannot keep a secret (mobile app, SPA): authenticates with PKCE instead. */
  publicClient: boolean;
  createdAt: string;
  /** The replaced secret's hash and until when it still works, during a rotation. */
  previousSecret: { hash: string; until: string } | null;
  /** The management token, sealed; null for apps created before webhooks existed. */
  managementTokenSealed: string | null;
}

type Row = {
  id: string; name: string; client_secret_hash: string; management_token_hash: string; redirect_uris: string;
  public_client: number; created_at: string; previous_secret_hash: string | null; previous_secret_until: string | null;
  management_token_sealed: string | null;
};

function toRecord(row: Row): AppRecord {
  return {
    id: row.id,
    name: row.name,
    clientSecretHash: row.client_secret_hash,
    managementTokenHash: row.management_token_hash,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    publicClient: Number(row.public_client) === 1,
    createdAt: row.created_at,
    previousSecret: row.previous_secret_hash && row.previous_secret_until
      ? { hash: row.previous_secret_hash, until: row.previous_secret_until } : null,
    managementTokenSealed: row.management_token_sealed,
  };
}

export function appsRepository(db: Db) {
  return {
    async insert(app: AppRecord): Promise<void> {
      await db.insertInto('apps').values({
        id: app.id,
        name: app.name,
        client_secret_hash: app.clientSecretHash,
        management_token_hash: app.managementTokenHash,
        redirect_uris: JSON.stringify(app.redirectUris),
        public_client: app.publicClient ? 1 : 0,
        management_token_sealed: app.managementTokenSealed,
        created_at: app.createdAt,
      }).execute();
    },
    /** Replaces the secret; the old one keeps working until `previousUntil`. */
    async rotateSecret(id: string, newHash: string, previousUntil: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('apps').select('client_secret_hash').where('id', '=', id).executeTakeFirst();
        if (!row) return false;
        await trx.updateTable('apps').set({
          client_secret_hash: newHash, previous_secret_hash: row.client_secret_hash, previous_secret_until: previousUntil,
        }).where('id', '=', id).execute();
        return true;
      });
    },
    async find(id: string): Promise<AppRecord | undefined> {
      const row = await db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    async findByManagementTokenHash(hash: string): Promise<AppRecord | undefined> {
      const row = await db.selectFrom('apps').selectAll().where('management_token_hash', '=', hash).executeTakeFirst();
      return row && toRecord(row);
    },
    async list(): Promise<AppRecord[]> {
      const rows = await db.selectFrom('apps').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecord);
    },
    async count(): Promise<number> {
      const row = await db.selectFrom('apps').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type AppsRepository = ReturnType<typeof appsRepository>;
