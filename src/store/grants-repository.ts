/** Grants, authorizations (token families) and hashed tokens. */
import type { Db } from './database.js';

export interface GrantRecord {
  id: string;
  appId: string;
  accountId: string;
  vehicleId: string;
  scopes: string[];
  createdAt: string;
}

export interface AuthorizationRecord {
  id: string;
  appId: string;
  accountId: string;
  mode: string;
  vehicleIds: string[];
  createdAt: string;
}

export interface TokenRecord {
  hash: string;
  authorizationId: string;
  kind: 'access' | 'refresh';
  expiresAt: string;
  createdAt: string;
}

export function grantsRepository(db: Db) {
  return {
    /** Creates or widens the grant of each vehicle; a revoked grant comes back to life with the new scopes. */
    async upsertGrants(grants: GrantRecord[]): Promise<void> {
      for (const g of grants) {
        await db.insertInto('grants').values({
          id: g.id, app_id: g.appId, account_id: g.accountId, vehicle_id: g.vehicleId,
          scopes: JSON.stringify(g.scopes), created_at: g.createdAt, revoked_at: null,
        }).onConflict((oc) => oc.columns(['app_id', 'account_id', 'vehicle_id']).doUpdateSet({
          scopes: JSON.stringify(g.scopes), created_at: g.createdAt, revoked_at: null,
        })).execute();
      }
    },
    async activeGrants(appId: string, accountId: string): Promise<GrantRecord[]> {
      const rows = await db.selectFrom('grants').selectAll()
        .where('app_id', '=', appId).where('account_id', '=', accountId).where('revoked_at', 'is', null)
        .execute();
      return rows.map((r) => ({
        id: r.id, appId: r.app_id, accountId: r.account_id, vehicleId: r.vehicle_id,
        scopes: JSON.parse(r.scopes) as string[], createdAt: r.created_at,
      }));
    },
    async revokeGrant(appId: string, accountId: string, vehicleId: string, at: string): Promise<number> {
      const result = await db.updateTable('grants').set({ revoked_at: at })
        .where('app_id', '=', appId).where('account_id', '=', accountId).where('vehicle_id', '=', vehicleId)
        .where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async insertAuthorization(a: AuthorizationRecord, tokens: TokenRecord[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('authorizations').values({
          id: a.id, app_id: a.appId, account_id: a.accountId, mode: a.mode,
          vehicle_ids: JSON.stringify(a.vehicleIds), created_at: a.createdAt, revoked_at: null,
        }).execute();
        for (const t of tokens) {
          await trx.insertInto('tokens').values({
            hash: t.hash, authorization_id: t.authorizationId, kind: t.kind, expires_at: t.expiresAt,
            created_at: t.createdAt, revoked_at: null,
          }).execute();
        }
      });
    },
    /** The live authorization behind a token of the given kind, or undefined when unknown, expired or revoked. */
    async findByToken(hash: string, kind: 'access' | 'refresh', now: string): Promise<AuthorizationRecord | undefined> {
      const row = await db.selectFrom('tokens')
        .innerJoin('authorizations', 'authorizations.id', 'tokens.authorization_id')
        .select([
          'authorizations.id', 'authorizations.app_id', 'authorizations.account_id', 'authorizations.mode',
          'authorizations.vehicle_ids', 'authorizations.created_at',
        ])
        .where('tokens.hash', '=', hash).where('tokens.kind', '=', kind)
        .where('tokens.revoked_at', 'is', null).where('authorizations.revoked_at', 'is', null)
        .where('tokens.expires_at', '>', now)
        .executeTakeFirst();
      return row && {
        id: row.id, appId: row.app_id, accountId: row.account_id, mode: row.mode,
        vehicleIds: JSON.parse(row.vehicle_ids) as string[], createdAt: row.created_at,
      };
    },
  };
}

export type GrantsRepository = ReturnType<typeof grantsRepository>;
