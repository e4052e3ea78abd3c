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
  /** The replaced management token's hash and until when it still authenticates, during a rotation. */
  previousManagementToken: { hash: string; until: string } | null;
  /** The developer who owns it; null: no one yet (shown to no one in the console). */
  ownerUserId: string | null;
}

export interface ManagementTokenRotation {
  newHash: string;
  newSealed: string;
  /** When the replaced token stops authenticating; null ends it at once. */
  previousUntil: string | null;
  /** Rotate only while this is still the current token's hash (a rotation made with the token itself). */
  ifCurrentHash?: string;
}

type Row = {
  id: string; name: string; client_secret_hash: string; management_token_hash: string; redirect_uris: string;
  public_client: number; created_at: string; previous_secret_hash: string | null; previous_secret_until: string | null;
  management_token_sealed: string | null; previous_management_token_hash: string | null; previous_management_token_until: string | null;
  owner_user_id: string | null;
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
    previousManagementToken: row.previous_management_token_hash && row.previous_management_token_until
      ? { hash: row.previous_management_token_hash, until: row.previous_management_token_until } : null,
    ownerUserId: row.owner_user_id,
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
        owner_user_id: app.ownerUserId,
      }).execute();
    },
    /** Replaces the redirect URIs (the first is the default). False when no such app. */
    async updateRedirectUris(id: string, redirectUris: string[]): Promise<boolean> {
      const result = await db.updateTable('apps').set({ redirect_uris: JSON.stringify(redirectUris) }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** Gives the app to a developer (or, with null, to no one). False when no such app. */
    async assignOwner(id: string, ownerUserId: string | null): Promise<boolean> {
      const result = await db.updateTable('apps').set({ owner_user_id: ownerUserId }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
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
    /** The app whose current management token this is, or whose previous one it is until its stated end. */
    async findByManagementTokenHash(hash: string, now: string): Promise<AppRecord | undefined> {
      const row = await db.selectFrom('apps').selectAll()
        .where((eb) => eb.or([
          eb('management_token_hash', '=', hash),
          eb.and([eb('previous_management_token_hash', '=', hash), eb('previous_management_token_until', '>', now)]),
        ]))
        .executeTakeFirst();
      return row && toRecord(row);
    },
    /**
     * Replaces the management token in one statement: SET reads the row as it was, so the current
     * hash becomes the previous one atomically, and two rotations racing cannot both keep the same
     * predecessor. False when no such app (or, with `ifCurrentHash`, when that token is no longer current).
     */
    async rotateManagementToken(id: string, rotation: ManagementTokenRotation): Promise<boolean> {
      let query = db.updateTable('apps').set((eb) => ({
        previous_management_token_hash: rotation.previousUntil === null ? null : eb.ref('management_token_hash'),
        previous_management_token_until: rotation.previousUntil,
        management_token_hash: rotation.newHash,
        management_token_sealed: rotation.newSealed,
      })).where('id', '=', id);
      if (rotation.ifCurrentHash !== undefined) query = query.where('management_token_hash', '=', rotation.ifCurrentHash);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async list(): Promise<AppRecord[]> {
      const rows = await db.selectFrom('apps').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecord);
    },
    async listOwnedBy(userId: string): Promise<AppRecord[]> {
      const rows = await db.selectFrom('apps').selectAll().where('owner_user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecord);
    },
    async count(): Promise<number> {
      const row = await db.selectFrom('apps').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type AppsRepository = ReturnType<typeof appsRepository>;
