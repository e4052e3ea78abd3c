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
  /** The developer who owns it (see developers/); without one the console shows it to no one. */
  ownerUserId?: string | null;
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

/** A management token rotation asked of an app that does not exist, or with a token that is no longer current. */
export class ManagementTokenRotationError extends Error {}

/** The new management token, shown once, and until when the one it replaced still authenticates. */
export interface RotatedManagementToken {
  managementToken: string;
  /** null when the previous token stopped at once. */
  previousValidUntil: string | null;
}

/** The longest a replaced secret or management token may keep working: 90 days. */
export const MAX_KEEP_PREVIOUS_HOURS = 24 * 90;

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
        previousManagementToken: null,
        ownerUserId: input.ownerUserId ?? null,
      };
      await repo.insert(app);
      return {
        clientId: app.id, clientSecret, managementToken, name: app.name, redirectUris: app.redirectUris, publicClient: app.publicClient,
      };
    },
    list: () => repo.list(),
    /** The apps a developer owns, oldest first. */
    listOwnedBy: (userId: string) => repo.listOwnedBy(userId),
    /** Replaces an app's redirect URIs, each checked as at creation; false when there is no such app. */
    async setRedirectUris(clientId: string, redirectUris: string[]): Promise<boolean> {
      if (redirectUris.length === 0) throw new InvalidRedirectUriError('an app needs at least one redirect URI');
      redirectUris.forEach(checkRedirectUri);
      return repo.updateRedirectUris(clientId, redirectUris);
    },
    /** Gives an app to a developer, or with null to no one; false when there is no such app. */
    assignOwner: (clientId: string, ownerUserId: string | null) => repo.assignOwner(clientId, ownerUserId),
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

    /** The app this management token belongs to: its current one, or the previous one within its rotation window. */
    async byManagementToken(token: string): Promise<AppRecord | undefined> {
      return repo.findByManagementTokenHash(hashSecret(token), clock.now().toISOString());
    },

    /**
     * A new management token, stored hashed and sealed like the first: deliveries and VERIFY
     * challenges are signed with it from now on (each pass reads the sealed token anew). The
     * replaced one keeps authenticating for `keepPreviousHours` (0: not at all). With
     * `presentedToken`, the rotation happens only if that is still the current token, so a
     * replaced token cannot mint a successor and two racing rotations cannot both succeed.
     */
    async rotateManagementToken(
      clientId: string, keepPreviousHours: number, presentedToken?: string,
    ): Promise<RotatedManagementToken> {
      if (!(keepPreviousHours >= 0 && keepPreviousHours <= MAX_KEEP_PREVIOUS_HOURS)) {
        throw new RangeError(`the previous token may be kept 0 to ${MAX_KEEP_PREVIOUS_HOURS} hours`);
      }
      const managementToken = newSecret();
      const previousValidUntil = keepPreviousHours > 0
        ? new Date(clock.now().getTime() + keepPreviousHours * 3_600_000).toISOString() : null;
      const rotated = await repo.rotateManagementToken(clientId, {
        newHash: hashSecret(managementToken),
        newSealed: sealer.seal(managementToken),
        previousUntil: previousValidUntil,
        ...(presentedToken !== undefined && { ifCurrentHash: hashSecret(presentedToken) }),
      });
      if (!rotated) {
        throw new ManagementTokenRotationError(presentedToken === undefined
          ? `no application with client id ${clientId}`
          : 'only the current management token can rotate it');
      }
      return { managementToken, previousValidUntil };
    },
  };
}

export type AppService = ReturnType<typeof appService>;
