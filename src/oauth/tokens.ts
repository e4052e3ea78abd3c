/**
 * Grants and the tokens that carry them. A token names an authorization (a token family: what one
 * consent covered), tied to the grants that consent created or confirmed; what the app may do with
 * each vehicle is read from that grant while it is live. Ending a grant ends access whatever tokens
 * are outstanding, and granting the vehicle anew starts a new grant that older families never reach.
 */
import { randomUUID } from 'node:crypto';
import { isPermission, nowMs, type Permission } from '../core/index.js';
import {
  grantKey, noEvictions, type ConnectionFilter, type ConnectionRecord, type ConnectionSearch, type EndReason, type EvictionPublisher,
  type GrantsRepository, type TokenRecord,
} from '../store/index.js';
import { AccessCache, accountKey } from './access-cache.js';

export { grantKey };
import type { Clock } from '../core/index.js';
import { OAuthError } from './oauth-error.js';
import { hashSecret, newSecret } from './secrets.js';

export const ACCESS_TOKEN_SECONDS = 7200;
export const REFRESH_TOKEN_SECONDS = 60 * 24 * 3600;
/**
 * A rotated refresh token keeps working this long, once, for a client that lost the response
 * (Smartcar documents a short window); used later, it revokes its whole family (RFC 9700 §4.14.2).
 */
export const REFRESH_GRACE_SECONDS = 60;
/**
 * Uses of a replaced refresh token this soon after its rotation are duplicates racing it (sent
 * before its answer could have come back), not retries: they are refused without harm, so of
 * parallel redemptions exactly one succeeds.
 */
export const REFRESH_RACE_MS = 2000;

export type Mode = 'test' | 'simulated' | 'live';

/** What a valid access token lets its bearer reach. */
export interface AccessContext {
  authorizationId: string;
  appId: string;
  accountId: string;
  mode: Mode;
  /** Vehicles this token covers whose grant is still live, with the granted permissions. */
  vehicles: ReadonlyMap<string, ReadonlySet<Permission>>;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface GrantRequest {
  appId: string;
  accountId: string;
  mode: Mode;
  vehicleIds: string[];
  scopes: Permission[];
  /** Hash of the authorization code this grant redeems, linked to the family in the same transaction. */
  codeHash?: string;
}

/**
 * `cacheMs` bounds how long a resolved token is reused; every revocation evicts it at once on this node
 * and, through `evictions`, on the others sharing the database.
 */
export function tokenService(repo: GrantsRepository, clock: Clock, cacheMs: number, evictions: EvictionPublisher = noEvictions) {
  const cache = new AccessCache<AccessContext>(cacheMs);

  /** After a committed change to what these apps reach on these accounts: no node keeps their cached tokens. */
  async function accessChanged(pairs: readonly { appId: string; accountId: string }[]): Promise<void> {
    for (const pair of pairs) cache.evictAccount(pair.appId, pair.accountId);
    await evictions.publish('account', [...new Set(pairs.map(accountKey))]);
  }

  /** A token's context read from the database (its hash was not cached), cached unless evicted meanwhile. */
  async function resolveStored(hash: string): Promise<AccessContext | undefined> {
    const now = clock.now();
    const readAt = cache.moment();
    const authorization = await repo.findByToken(hash, 'access', now.toISOString());
    if (!authorization) return undefined;
    const grants = await repo.familyGrants(authorization.id);
    const scopesByVehicle = new Map(grants.map((g) => [g.vehicleId, g.scopes]));
    const vehicles = new Map<string, ReadonlySet<Permission>>();
    // In the order the owner chose them, which is the order /vehicles lists them.
    for (const vehicleId of authorization.vehicleIds) {
      const scopes = scopesByVehicle.get(vehicleId);
      if (scopes) vehicles.set(vehicleId, new Set(scopes.filter(isPermission)));
    }
    const context: AccessContext = {
      authorizationId: authorization.id,
      appId: authorization.appId,
      accountId: authorization.accountId,
      mode: authorization.mode as Mode,
      vehicles,
    };
    cache.set(hash, context, now.getTime(), readAt);
    return context;
  }

  function newPair(authorizationId: string): { issued: IssuedTokens; records: TokenRecord[] } {
    const now = clock.now();
    const at = now.toISOString();
    const accessToken = newSecret();
    const refreshToken = newSecret();
    return {
      issued: { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS },
      records: [
        { hash: hashSecret(accessToken), authorizationId, kind: 'access', createdAt: at, expiresAt: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000).toISOString() },
        { hash: hashSecret(refreshToken), authorizationId, kind: 'refresh', createdAt: at, expiresAt: new Date(now.getTime() + REFRESH_TOKEN_SECONDS * 1000).toISOString() },
      ],
    };
  }

  return {
    /** Records the grants and starts a token family tied to them, in one transaction. */
    async grant(request: GrantRequest): Promise<IssuedTokens & { authorizationId: string }> {
      const at = clock.now().toISOString();
      const authorizationId = randomUUID();
      const { issued, records } = newPair(authorizationId);
      await repo.createFamily({
        grants: request.vehicleIds.map((vehicleId) => ({
          id: randomUUID(), appId: request.appId, accountId: request.accountId, vehicleId, scopes: request.scopes, createdAt: at,
        })),
        authorization: { id: authorizationId, appId: request.appId, accountId: request.accountId, mode: request.mode, vehicleIds: request.vehicleIds, createdAt: at },
        tokens: records,
        codeHash: request.codeHash,
      });
      // Families left without a live grant were ended with this one: their cached tokens go too.
      await accessChanged([request]);
      return { ...issued, authorizationId };
    },

    /**
     * Rotates a refresh token. Of racing redemptions exactly one wins and the others are refused;
     * a retry after the race window works once within the grace window; any later use revokes
     * the family.
     */
    async refresh(refreshToken: string, appId: string, requestStartedAt: Date): Promise<IssuedTokens> {
      const hash = hashSecret(refreshToken);
      const invalid = (internal: string) => new OAuthError('invalid_grant', 'Invalid refresh_token.', { internal });
      const state = await repo.findTokenState(hash);
      const now = clock.now();
      if (!state || state.kind !== 'refresh' || state.authorization.appId !== appId) throw invalid('unknown refresh token');
      if (state.revokedAt || state.authorization.revokedAt || state.expiresAt <= now.toISOString()) throw invalid('refresh token ended');
      if ((await repo.familyGrants(state.authorizationId)).length === 0) throw invalid('no live grant left in the family');
      const reissue = async () => {
        const { issued, records } = newPair(state.authorizationId);
        await repo.insertTokens(records);
        return issued;
      };
      if (await repo.markReplaced(hash, now.toISOString())) return reissue();
      const replacedAt = Date.parse((await repo.findTokenState(hash))?.replacedAt ?? '');
      const since = now.getTime() - replacedAt;
      if (Number.isNaN(replacedAt) || replacedAt >= requestStartedAt.getTime() || since < REFRESH_RACE_MS) {
        throw invalid('lost a race with a concurrent rotation');
      }
      if (since <= REFRESH_GRACE_SECONDS * 1000 && await repo.useGrace(hash, now.toISOString())) return reissue();
      await repo.revokeAuthorization(state.authorizationId, now.toISOString());
      await accessChanged([state.authorization]);
      throw invalid('refresh token reused after rotation: family revoked');
    },

    /**
     * RFC 7009: ends a token the app presents. A refresh token takes its whole family with it
     * (§2.1); an access token only itself. Unknown tokens and other apps' tokens are ignored.
     */
    async revokePresented(token: string, appId: string): Promise<void> {
      const hash = hashSecret(token);
      const state = await repo.findTokenState(hash);
      if (!state || state.authorization.appId !== appId) return;
      const at = clock.now().toISOString();
      if (state.kind === 'refresh') {
        await repo.revokeAuthorization(state.authorizationId, at);
        await accessChanged([state.authorization]);
      } else {
        await repo.revokeToken(hash, at);
        cache.delete(hash);
        await evictions.publish('token', [hash]);
      }
    },

    /** Revokes a token family (a reused authorization code's tokens). */
    async revokeAuthorization(authorizationId: string, appId: string, accountId: string): Promise<void> {
      await repo.revokeAuthorization(authorizationId, clock.now().toISOString());
      await accessChanged([{ appId, accountId }]);
    },

    /**
     * The context of a live access token, or undefined for an unknown, expired or revoked one; a
     * cached context without a promise (a request reads it on every call).
     */
    resolve(accessToken: string): AccessContext | Promise<AccessContext | undefined> {
      const hash = hashSecret(accessToken);
      return cache.get(hash, nowMs(clock)) ?? resolveStored(hash);
    },

    /** The app's live grants on this owner's vehicles, by vehicle id. */
    async grantsOf(appId: string, accountId: string): Promise<Map<string, string[]>> {
      return new Map((await repo.activeGrants(appId, accountId)).map((g) => [g.vehicleId, g.scopes]));
    },

    /** The app's live grant on one of this owner's vehicles, as its scopes. */
    scopesOf: (appId: string, accountId: string, vehicleId: string): Promise<string[] | undefined> =>
      repo.activeGrantScopes(appId, accountId, vehicleId),

    /** Live grants of apps on vehicles in one read, keyed by `grantKey(app, account, vehicle)`. */
    scopesOfMany: (pairs: { appId: string; vehicleId: string }[]): Promise<Map<string, string[]>> => repo.activeGrantScopesMany(pairs),

    listConnections: (appId: string, filter: ConnectionSearch, limit: number, offset: number) =>
      repo.listConnections(appId, filter, limit, offset),

    /** Ends the app's grants matching the filter (the app disconnects them); effective at once on every node. */
    async revokeConnections(appId: string, filter: ConnectionFilter): Promise<ConnectionRecord[]> {
      const ended = await repo.revokeConnections(appId, filter, clock.now().toISOString(), 'app_disconnected');
      await accessChanged(ended);
      return ended;
    },

    /** Which apps reach an owner's vehicles, with what permissions and since when. */
    grantsOfAccount: (accountId: string) => repo.liveGrantsOfAccount(accountId),

    /**
     * Ends one app's grant on one vehicle, on the owner's word or the app's (`reason`, kept in the
     * vehicle's connection history); effective at once on every node.
     */
    async revokeVehicle(appId: string, accountId: string, vehicleId: string, reason: EndReason): Promise<boolean> {
      const revoked = await repo.revokeGrant(appId, accountId, vehicleId, clock.now().toISOString(), reason);
      await accessChanged([{ appId, accountId }]);
      return revoked > 0;
    },

    /** Drops what another node announced it changed (`account`: `appId accountId` keys; `token`: hashes). */
    evict(kind: 'account' | 'token', ids: readonly string[]): void {
      for (const id of ids) {
        if (kind === 'token') {
          cache.delete(id);
          continue;
        }
        const space = id.indexOf(' ');
        if (space > 0) cache.evictAccount(id.slice(0, space), id.slice(space + 1));
      }
    },

    /** Drops every resolved token (the eviction listener reconnected and may have missed notices). */
    evictAll(): void {
      cache.clear();
    },
  };
}

export type TokenService = ReturnType<typeof tokenService>;
