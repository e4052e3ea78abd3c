/**
 * Application tokens (Smartcar v3, client-credentials grant): one bearer token per app, valid an
 * hour, no refresh token, carrying no user — requests name the user in `sc-user-id`, and the token
 * reaches what that user granted the app. The connections it can see are the app's live grants.
 */
import { BoundedMap, type Clock } from '../core/index.js';
import type {
  ApplicationTokensRepository, ConnectionDetail, ConnectionQuery, ConnectionsRepository,
} from '../store/index.js';
import { hashSecret, newSecret } from './secrets.js';

export const APPLICATION_TOKEN_SECONDS = 3600;

/**
 * Every application token starts with this. A `.` never occurs in a v2 token (base64url), so one
 * look tells the two kinds apart and a v2 request never pays for an application-token lookup.
 */
const PREFIX = 'app.';

export function isApplicationToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

export interface IssuedApplicationToken {
  accessToken: string;
  expiresIn: number;
}

/** What a live application token lets its bearer reach: its app's connections. */
export interface ApplicationContext {
  appId: string;
}

export function applicationTokenService(tokens: ApplicationTokensRepository, connections: ConnectionsRepository, clock: Clock) {
  // Application tokens cannot be revoked before they expire, so a resolved one is good until then.
  const cache = new BoundedMap<string, { context: ApplicationContext; until: number }>(10_000);

  return {
    async issue(appId: string): Promise<IssuedApplicationToken> {
      const now = clock.now();
      const accessToken = `${PREFIX}${newSecret()}`;
      await tokens.sweepExpired(appId, now.toISOString());
      await tokens.insert({
        hash: hashSecret(accessToken), appId, createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + APPLICATION_TOKEN_SECONDS * 1000).toISOString(),
      });
      return { accessToken, expiresIn: APPLICATION_TOKEN_SECONDS };
    },

    /** The app a live application token belongs to, or undefined for any other string. */
    async resolve(token: string): Promise<ApplicationContext | undefined> {
      if (!isApplicationToken(token)) return undefined;
      const hash = hashSecret(token);
      const now = clock.now();
      const hit = cache.get(hash);
      if (hit && hit.until > now.getTime()) return hit.context;
      const record = await tokens.findLive(hash, now.toISOString());
      if (!record) return undefined;
      const context = { appId: record.appId };
      cache.set(hash, { context, until: Date.parse(record.expiresAt) });
      return context;
    },

    /** One page of the app's live connections matching the filter, newest first, and how many match in all. */
    async connections(appId: string, filter: ConnectionQuery, limit: number, offset: number): Promise<{ page: ConnectionDetail[]; total: number }> {
      const [page, total] = await Promise.all([connections.list(appId, filter, limit, offset), connections.count(appId, filter)]);
      return { page, total };
    },

    /** One of the app's live connections by its id. */
    async connection(appId: string, id: string): Promise<ConnectionDetail | undefined> {
      return (await connections.list(appId, { id }, 1, 0))[0];
    },
  };
}

export type ApplicationTokenService = ReturnType<typeof applicationTokenService>;
