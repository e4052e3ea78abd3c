/** Authorization codes: stored hashed, consumed atomically exactly once. */
import type { Db } from './database.js';

export interface CodeRecord {
  hash: string;
  appId: string;
  accountId: string;
  mode: string;
  redirectUri: string;
  redirectUriExplicit: boolean;
  vehicleIds: string[];
  scopes: string[];
  codeChallenge: string | null;
  createdAt: string;
  expiresAt: string;
}

export type ConsumeResult =
  | { status: 'consumed'; code: CodeRecord }
  | { status: 'unknown' }
  /** Redeemed before: the tokens it produced belong to `authorizationId` (null while that redemption is still running). */
  | { status: 'reused'; code: CodeRecord; authorizationId: string | null };

export function codesRepository(db: Db) {
  async function find(hash: string) {
    return db.selectFrom('authorization_codes').selectAll().where('hash', '=', hash).executeTakeFirst();
  }
  return {
    async insert(code: CodeRecord): Promise<void> {
      await db.insertInto('authorization_codes').values({
        hash: code.hash, app_id: code.appId, account_id: code.accountId, mode: code.mode, redirect_uri: code.redirectUri, redirect_uri_explicit: code.redirectUriExplicit ? 1 : 0,
        vehicle_ids: JSON.stringify(code.vehicleIds), scopes: JSON.stringify(code.scopes), code_challenge: code.codeChallenge,
        created_at: code.createdAt, expires_at: code.expiresAt, consumed_at: null, authorization_id: null,
      }).execute();
    },
    /** Marks the code consumed if nobody has; one caller wins however many race. */
    async consume(hash: string, at: string): Promise<ConsumeResult> {
      const updated = await db.updateTable('authorization_codes').set({ consumed_at: at })
        .where('hash', '=', hash).where('consumed_at', 'is', null).executeTakeFirst();
      const row = await find(hash);
      if (!row) return { status: 'unknown' };
      const code: CodeRecord = {
        hash: row.hash, appId: row.app_id, accountId: row.account_id, mode: row.mode, redirectUri: row.redirect_uri, redirectUriExplicit: Number(row.redirect_uri_explicit) === 1,
        vehicleIds: JSON.parse(row.vehicle_ids) as string[], scopes: JSON.parse(row.scopes) as string[],
        codeChallenge: row.code_challenge, createdAt: row.created_at, expiresAt: row.expires_at,
      };
      if (Number(updated.numUpdatedRows) === 1) return { status: 'consumed', code };
      return { status: 'reused', code, authorizationId: row.authorization_id };
    },
  };
}

export type CodesRepository = ReturnType<typeof codesRepository>;
