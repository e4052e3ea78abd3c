/** Registering applications and authenticating them by client secret or management token. */
import { randomUUID } from 'node:crypto';
import type { AppRecord, AppsRepository } from '../store/index.js';
import type { Clock } from '../core/index.js';
import type { Sealer } from './sealing.js';
import { hashSecret, newSecret, secretMatches } from './secrets.js';

export interface NewApp {
  name: string;
  redirectUris: string[];
  /** A public client (mobile app, SPA) authenticates at the token endpoint with PKCE, not a secret. */
  publicClient?: boolean;
}

/** Returned once, at creation: the only time the secret and management token exist in clear. */
export interface CreatedApp {
  clientId: string;
  clientSecret: string;
  managementToken: string;
  name: string;
  redirectUris: string[];
  publicClient: boolean;
}

export class InvalidRedirectUriError extends Error {}

const NO_HASH = '0'.repeat(64);

/** A redirect URI must be absolute, without a fragment (RFC 6749 §3.1.2). */
export function checkRedirectUri(uri: string): void {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new InvalidRedirectUriError(`not an absolute URI: ${uri}`);
  }
  if (parsed.hash || uri.includes('#')) throw new InvalidRedirectUriError(`a redirect URI has no fragment: ${uri}`);
}

export function appService(repo: AppsRepository, clock: Clock, sealer: Sealer) {
  return {
    async create(input: NewApp): Promise<CreatedApp> {
      if (!input.name.trim()) throw new Error('an app needs a name');
      if (input.redirectUris.length === 0) throw new InvalidRedirectUriError('an app needs at least one redirect URI');
      input.redirectUris.forEach(checkRedirectUri);
      const clientSecret = newSecret();
      const managementToken = newSecret();
      const app: AppRecord = {
        id: randomUUID(),
        name: input.name.trim(),
        clientSecretHash: hashSecret(clientSecret),
        managementTokenHash: hashSecret(managementToken),
        redirectUris: input.redirectUris,
        publicClient: input.publicClient ?? false,
        createdAt: clock.now().toISOString(),
        previousSecret: null,
        managementTokenSealed: sealer.seal(managementToken),
      };
      await repo.insert(app);
      return {
        clientId: app.id, clientSecret, managementToken, name: app.name, redirectUris: app.redirectUris, publicClient: app.publicClient,
      };
    },
    list: () => repo.list(),
    find: (clientId: string) => repo.find(clientId),
    count: () => repo.count(),
    /**
     * The app whose id and secret these are, or undefined. During a rotation the previous secret
     * also works until its stated end. Both comparisons always run, in constant time.
     */
    async authenticate(clientId: string, clientSecret: string): Promise<AppRecord | undefined> {
      const app = await repo.find(clientId);
      const current = secretMatches(clientSecret, app?.clientSecretHash ?? NO_HASH);
      const previous = secretMatches(clientSecret, app?.previousSecret?.hash ?? NO_HASH)
        && (app?.previousSecret?.until ?? '') > clock.now().toISOString();
      return app && (current || previous) ? app : undefined;
    },

    /** A new client secret; the old one keeps working for `graceSeconds` so deployments can roll over. */
    async rotateSecret(clientId: string, graceSeconds: number): Promise<{ clientSecret: string; previousValidUntil: string }> {
      const clientSecret = newSecret();
      const previousValidUntil = new Date(clock.now().getTime() + graceSeconds * 1000).toISOString();
      if (!(await repo.rotateSecret(clientId, hashSecret(clientSecret), previousValidUntil))) {
        throw new Error(`no application with client id ${clientId}`);
      }
      return { clientSecret, previousValidUntil };
    },
    /** The app's management token in clear, to sign its webhook deliveries; null if it predates sealing. */
    managementTokenOf(app: AppRecord): string | null {
      return app.managementTokenSealed === null ? null : sealer.unseal(app.managementTokenSealed);
    },

    async byManagementToken(token: string): Promise<AppRecord | undefined> {
      return repo.findByManagementTokenHash(hashSecret(token));
    },
  };
}

export type AppService = ReturnType<typeof appService>;
