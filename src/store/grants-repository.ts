/**
 * Grants, authorizations (token families) and hashed tokens. A family reaches each vehicle through
 * the generation of its grant that the consent created or confirmed: a grant ended and given anew
 * gets a new id, so families from before its end stay ended.
 */
import { sql, type SqlBool, type Transaction } from 'kysely';
import type { Db } from './database.js';
import { recordEnded, type EndReason } from './connection-history-repository.js';
import type { Database } from './schema.js';

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

export interface TokenState extends TokenRecord {
  revokedAt: string | null;
  replacedAt: string | null;
  graceUsedAt: string | null;
  authorization: AuthorizationRecord & { revokedAt: string | null };
}

export interface ConnectionRecord {
  appId: string;
  accountId: string;
  vehicleId: string;
  mode: string;
  connectedAt: string;
}

export interface ConnectionFilter {
  accountId?: string;
  vehicleId?: string;
  mode?: string;
}

/** A filter for listing: also a piece of the vehicle's make, model or VIN, in any case. */
export interface ConnectionSearch extends ConnectionFilter {
  text?: string;
}

/** `text` as a LIKE pattern that matches it literally anywhere, lower-cased (escape: backslash). */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What one consent writes at once: its grants, its token family, and the code it came from. */
export interface NewFamily {
  /** Grants to create or confirm; an id is used only where the grant is new or had ended. */
  grants: GrantRecord[];
  authorization: AuthorizationRecord;
  tokens: TokenRecord[];
  /** Hash of the authorization code redeemed, linked to the family so a reuse can end it. */
  codeHash?: string;
}

/** The vehicles a family still reaches, with the scopes of their live grants. */
export interface FamilyGrant {
  vehicleId: string;
  scopes: string[];
}

type Executor = Db | Transaction<Database>;

async function insertTokenRows(db: Executor, tokens: TokenRecord[]): Promise<void> {
  if (tokens.length === 0) return;
  await db.insertInto('tokens').values(tokens.map((t) => ({
    hash: t.hash, authorization_id: t.authorizationId, kind: t.kind, expires_at: t.expiresAt, created_at: t.createdAt, revoked_at: null,
  }))).execute();
}

async function endAuthorizations(db: Executor, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('authorizations').set({ revoked_at: at }).where('id', 'in', ids).where('revoked_at', 'is', null).execute();
  await db.updateTable('tokens').set({ revoked_at: at }).where('authorization_id', 'in', ids).where('revoked_at', 'is', null).execute();
}

/**
 * Ends the owner's families for this app that reach no live grant any more. Until the owner grants
 * again they stay as they were (authenticating, reaching nothing); from then on they are revoked.
 */
async function endOrphanedFamilies(trx: Transaction<Database>, appId: string, accountId: string, at: string): Promise<void> {
  const rows = await trx.selectFrom('authorizations as a').select('a.id')
    .where('a.app_id', '=', appId).where('a.account_id', '=', accountId).where('a.revoked_at', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('authorization_grants as ag').innerJoin('grants as g', 'g.id', 'ag.grant_id')
        .select(sql<number>`1`.as('one')).whereRef('ag.authorization_id', '=', 'a.id').where('g.revoked_at', 'is', null),
    )))
    .execute();
  await endAuthorizations(trx, rows.map((r) => r.id), at);
}

/** A grant's end ends the app's webhook subscriptions on those vehicles. */
async function endSubscriptions(db: Executor, appId: string, vehicleIds: string[]): Promise<void> {
  if (vehicleIds.length === 0) return;
  await db.deleteFrom('webhook_subscriptions')
    .where('vehicle_id', 'in', vehicleIds)
    .where('webhook_id', 'in', db.selectFrom('webhooks').select('id').where('app_id', '=', appId))
    .execute();
}

/** The key `activeGrantScopesMany` answers by. */
export function grantKey(appId: string, accountId: string, vehicleId: string): string {
  return `${appId} ${accountId} ${vehicleId}`;
}

export function grantsRepository(db: Db) {
  return {
    /**
     * Creates or confirms each grant, starts the family tied to them and links the code, in one
     * transaction. A live grant keeps its id (its other families keep it too); an ended one comes
     * back under the new id, so no family from before its end reaches it.
     */
    async createFamily(family: NewFamily): Promise<void> {
      const { authorization: a } = family;
      await db.transaction().execute(async (trx) => {
        const grantIds: string[] = [];
        for (const g of family.grants) {
          const row = await trx.insertInto('grants').values({
            id: g.id, app_id: g.appId, account_id: g.accountId, vehicle_id: g.vehicleId,
            scopes: JSON.stringify(g.scopes), created_at: g.createdAt, revoked_at: null,
          }).onConflict((oc) => oc.columns(['app_id', 'account_id', 'vehicle_id']).doUpdateSet({
            id: sql<string>`CASE WHEN grants.revoked_at IS NULL THEN grants.id ELSE excluded.id END`,
            scopes: JSON.stringify(g.scopes), created_at: g.createdAt, revoked_at: null,
          })).returning('id').executeTakeFirstOrThrow();
          grantIds.push(row.id);
        }
        await endOrphanedFamilies(trx, a.appId, a.accountId, a.createdAt);
        await trx.insertInto('authorizations').values({
          id: a.id, app_id: a.appId, account_id: a.accountId, mode: a.mode,
          vehicle_ids: JSON.stringify(a.vehicleIds), created_at: a.createdAt, revoked_at: null,
        }).execute();
        await trx.insertInto('authorization_grants')
          .values([...new Set(grantIds)].map((grantId) => ({ authorization_id: a.id, grant_id: grantId }))).execute();
        await insertTokenRows(trx, family.tokens);
        if (family.codeHash) {
          await trx.updateTable('authorization_codes').set({ authorization_id: a.id }).where('hash', '=', family.codeHash).execute();
        }
      });
    },
    /** The live grants a family reaches, in no particular order. */
    async familyGrants(authorizationId: string): Promise<FamilyGrant[]> {
      const rows = await db.selectFrom('authorization_grants as ag').innerJoin('grants as g', 'g.id', 'ag.grant_id')
        .select(['g.vehicle_id', 'g.scopes'])
        .where('ag.authorization_id', '=', authorizationId).where('g.revoked_at', 'is', null)
        .execute();
      return rows.map((r) => ({ vehicleId: r.vehicle_id, scopes: JSON.parse(r.scopes) as string[] }));
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
    /** The scopes of the app's live grant on one vehicle, or undefined. */
    async activeGrantScopes(appId: string, accountId: string, vehicleId: string): Promise<string[] | undefined> {
      const row = await db.selectFrom('grants').select('scopes')
        .where('app_id', '=', appId).where('account_id', '=', accountId).where('vehicle_id', '=', vehicleId).where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row ? JSON.parse(row.scopes) as string[] : undefined;
    },
    /**
     * Live grants of several apps on several vehicles in one query per 500 vehicles (a webhook pass
     * reads a batch of subscriptions at once), keyed by app, account and vehicle.
     */
    async activeGrantScopesMany(pairs: { appId: string; vehicleId: string }[]): Promise<Map<string, string[]>> {
      const found = new Map<string, string[]>();
      const apps = [...new Set(pairs.map((p) => p.appId))];
      const vehicles = [...new Set(pairs.map((p) => p.vehicleId))];
      for (let i = 0; i < vehicles.length && apps.length > 0; i += 500) {
        const rows = await db.selectFrom('grants').select(['app_id', 'account_id', 'vehicle_id', 'scopes'])
          .where('vehicle_id', 'in', vehicles.slice(i, i + 500)).where('app_id', 'in', apps).where('revoked_at', 'is', null)
          .execute();
        for (const r of rows) found.set(grantKey(r.app_id, r.account_id, r.vehicle_id), JSON.parse(r.scopes) as string[]);
      }
      return found;
    },
    /** An owner's live grants with the names of the apps that hold them, oldest first. */
    async liveGrantsOfAccount(accountId: string): Promise<{ appId: string; appName: string; vehicleId: string; scopes: string[]; since: string }[]> {
      const rows = await db.selectFrom('grants as g').innerJoin('apps as a', 'a.id', 'g.app_id')
        .select(['g.app_id', 'a.name', 'g.vehicle_id', 'g.scopes', 'g.created_at'])
        .where('g.account_id', '=', accountId).where('g.revoked_at', 'is', null)
        .orderBy('g.created_at').orderBy('g.id').execute();
      return rows.map((r) => ({ appId: r.app_id, appName: r.name, vehicleId: r.vehicle_id, scopes: JSON.parse(r.scopes) as string[], since: r.created_at }));
    },
    /** Ends one grant and the app's webhook subscriptions on that vehicle together, and records why it ended. */
    async revokeGrant(appId: string, accountId: string, vehicleId: string, at: string, reason: EndReason): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const ended = await trx.updateTable('grants').set({ revoked_at: at })
          .where('app_id', '=', appId).where('account_id', '=', accountId).where('vehicle_id', '=', vehicleId)
          .where('revoked_at', 'is', null).returning(['id', 'created_at']).execute();
        if (ended.length > 0) {
          await endSubscriptions(trx, appId, [vehicleId]);
          await recordEnded(trx, ended.map((g) => ({ grantId: g.id, appId, accountId, vehicleId, startedAt: g.created_at })), at, reason);
        }
        return ended.length;
      });
    },
    async insertTokens(tokens: TokenRecord[]): Promise<void> {
      await insertTokenRows(db, tokens);
    },
    /** A token and its authorization whatever their state, for the refresh rules to judge. */
    async findTokenState(hash: string): Promise<TokenState | undefined> {
      const row = await db.selectFrom('tokens')
        .innerJoin('authorizations', 'authorizations.id', 'tokens.authorization_id')
        .select([
          'tokens.hash', 'tokens.authorization_id', 'tokens.kind', 'tokens.expires_at', 'tokens.created_at',
          'tokens.revoked_at as token_revoked_at', 'tokens.replaced_at', 'tokens.grace_used_at',
          'authorizations.app_id', 'authorizations.account_id', 'authorizations.mode', 'authorizations.vehicle_ids',
          'authorizations.created_at as authorization_created_at', 'authorizations.revoked_at as authorization_revoked_at',
        ])
        .where('tokens.hash', '=', hash).executeTakeFirst();
      return row && {
        hash: row.hash, authorizationId: row.authorization_id, kind: row.kind, expiresAt: row.expires_at,
        createdAt: row.created_at, revokedAt: row.token_revoked_at, replacedAt: row.replaced_at, graceUsedAt: row.grace_used_at,
        authorization: {
          id: row.authorization_id, appId: row.app_id, accountId: row.account_id, mode: row.mode,
          vehicleIds: JSON.parse(row.vehicle_ids) as string[], createdAt: row.authorization_created_at,
          revokedAt: row.authorization_revoked_at,
        },
      };
    },
    /** Marks a live refresh token replaced; exactly one of any racing callers gets true. */
    async markReplaced(hash: string, at: string): Promise<boolean> {
      const r = await db.updateTable('tokens').set({ replaced_at: at })
        .where('hash', '=', hash).where('replaced_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Spends a replaced token's one grace use; exactly one of any racing callers gets true. */
    async useGrace(hash: string, at: string): Promise<boolean> {
      const r = await db.updateTable('tokens').set({ grace_used_at: at })
        .where('hash', '=', hash).where('grace_used_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async revokeToken(hash: string, at: string): Promise<void> {
      await db.updateTable('tokens').set({ revoked_at: at }).where('hash', '=', hash).where('revoked_at', 'is', null).execute();
    },
    async revokeAuthorization(id: string, at: string): Promise<void> {
      await db.transaction().execute((trx) => endAuthorizations(trx, [id], at));
    },
    /** Live grants of an app, newest first, `offset` rows skipped. */
    async listConnections(appId: string, filter: ConnectionSearch, limit: number, offset: number): Promise<ConnectionRecord[]> {
      let query = db.selectFrom('grants').innerJoin('vehicles', 'vehicles.id', 'grants.vehicle_id')
        .select(['grants.app_id', 'grants.account_id', 'grants.vehicle_id', 'grants.created_at', 'vehicles.mode'])
        .where('grants.app_id', '=', appId).where('grants.revoked_at', 'is', null);
      if (filter.accountId) query = query.where('grants.account_id', '=', filter.accountId);
      if (filter.vehicleId) query = query.where('grants.vehicle_id', '=', filter.vehicleId);
      if (filter.mode) query = query.where('vehicles.mode', '=', filter.mode);
      if (filter.text) {
        const pattern = containsPattern(filter.text);
        query = query.where((eb) => eb.or(['vehicles.make', 'vehicles.model', 'vehicles.vin'].map(
          (column) => sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
        )));
      }
      const rows = await query.orderBy('grants.created_at', 'desc').orderBy('grants.vehicle_id').limit(limit).offset(offset).execute();
      return rows.map((r) => ({ appId: r.app_id, accountId: r.account_id, vehicleId: r.vehicle_id, mode: r.mode, connectedAt: r.created_at }));
    },
    /** Ends every live grant of the app matching the filter; returns what it ended. */
    async revokeConnections(appId: string, filter: ConnectionFilter, at: string, reason: EndReason): Promise<ConnectionRecord[]> {
      return db.transaction().execute(async (trx) => {
        let query = trx.selectFrom('grants').innerJoin('vehicles', 'vehicles.id', 'grants.vehicle_id')
          .select(['grants.id', 'grants.app_id', 'grants.account_id', 'grants.vehicle_id', 'grants.created_at', 'vehicles.mode'])
          .where('grants.app_id', '=', appId).where('grants.revoked_at', 'is', null);
        if (filter.accountId) query = query.where('grants.account_id', '=', filter.accountId);
        if (filter.vehicleId) query = query.where('grants.vehicle_id', '=', filter.vehicleId);
        const rows = await query.execute();
        if (rows.length > 0) {
          await trx.updateTable('grants').set({ revoked_at: at }).where('id', 'in', rows.map((r) => r.id)).execute();
          await endSubscriptions(trx, appId, rows.map((r) => r.vehicle_id));
          await recordEnded(trx, rows.map((r) => ({
            grantId: r.id, appId, accountId: r.account_id, vehicleId: r.vehicle_id, startedAt: r.created_at,
          })), at, reason);
        }
        return rows.map((r) => ({ appId: r.app_id, accountId: r.account_id, vehicleId: r.vehicle_id, mode: r.mode, connectedAt: r.created_at }));
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
