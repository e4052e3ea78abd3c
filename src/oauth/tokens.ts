/**
 * Grants and the tokens that carry them. A token names an authorization (the vehicles one consent
 * covered); what the app may do with each vehicle is read from that vehicle's live grant, so ending
 * a grant ends access whatever tokens are outstanding.
 */
import { randomUUID } from 'node:crypto';
import { isPermission, type Permission } from '../core/index.js';
import type { GrantsRepository } from '../store/index.js';
import { AccessCache } from './access-cache.js';
import type { Clock } from '../core/index.js';
import { hashSecret, newSecret } from './secrets.js';

export const ACCESS_TOKEN_SECONDS = 7200;
export const REFRESH_TOKEN_SECONDS = 60 * 24 * 3600;

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
}

export function tokenService(repo: GrantsRepository, clock: Clock, cacheMs: number) {
  const cache = new AccessCache<AccessContext>(cacheMs);

  return {
    /** Records the grants and starts a token family covering those vehicles. */
    async grant(request: GrantRequest): Promise<IssuedTokens> {
      const now = clock.now();
      const at = now.toISOString();
      await repo.upsertGrants(request.vehicleIds.map((vehicleId) => ({
        id: randomUUID(), appId: request.appId, accountId: request.accountId, vehicleId, scopes: request.scopes, createdAt: at,
      })));
      const authorizationId = randomUUID();
      const accessToken = newSecret();
      const refreshToken = newSecret();
      await repo.insertAuthorization(
        { id: authorizationId, appId: request.appId, accountId: request.accountId, mode: request.mode, vehicleIds: request.vehicleIds, createdAt: at },
        [
          { hash: hashSecret(accessToken), authorizationId, kind: 'access', createdAt: at, expiresAt: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000).toISOString() },
          { hash: hashSecret(refreshToken), authorizationId, kind: 'refresh', createdAt: at, expiresAt: new Date(now.getTime() + REFRESH_TOKEN_SECONDS * 1000).toISOString() },
        ],
      );
      return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
    },

    /** The context of a live access token, or undefined for an unknown, expired or revoked one. */
    async resolve(accessToken: string): Promise<AccessContext | undefined> {
      const hash = hashSecret(accessToken);
      const now = clock.now();
      const cached = cache.get(hash, now.getTime());
      if (cached) return cached;
      const authorization = await repo.findByToken(hash, 'access', now.toISOString());
      if (!authorization) return undefined;
      const grants = await repo.activeGrants(authorization.appId, authorization.accountId);
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
      cache.set(hash, context, now.getTime());
      return context;
    },

    /** Ends one app's grant on one vehicle; effective at once on this node. */
    async revokeVehicle(appId: string, accountId: string, vehicleId: string): Promise<boolean> {
      const revoked = await repo.revokeGrant(appId, accountId, vehicleId, clock.now().toISOString());
      cache.evictAccount(appId, accountId);
      return revoked > 0;
    },
  };
}

export type TokenService = ReturnType<typeof tokenService>;
