/**
 * Console sign-ins. The cookie carries a random token (signed, HttpOnly, SameSite=Strict, Secure
 * over HTTPS, scoped to /console); the database keeps only its hash. Every request that changes
 * something also carries a CSRF token derived from the session, which a page of another origin can
 * neither read nor make.
 */
import { createHmac } from 'node:crypto';
import type { Clock } from '../core/index.js';
import { hashSecret, newSecret } from '../oauth/secrets.js';
import type { ConsoleSessionsRepository, DeveloperUserRecord } from '../store/index.js';

export const CONSOLE_COOKIE = 'carport_console';
/** A sign-in lasts a working day; signing out, or changing the password elsewhere, ends it sooner. */
export const SESSION_HOURS = 12;

export interface SignedIn {
  tokenHash: string;
  user: DeveloperUserRecord;
  expiresAt: string;
}

export function consoleSessionService(repo: ConsoleSessionsRepository, clock: Clock, key: string) {
  const csrfOf = (tokenHash: string) => createHmac('sha256', key).update(`console-csrf:${tokenHash}`).digest('base64url');

  return {
    /** A new session for the user: the token for the cookie (shown only here) and its CSRF token. */
    async start(userId: string): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
      const token = newSecret();
      const tokenHash = hashSecret(token);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
      await repo.insert({ tokenHash, userId, createdAt: now.toISOString(), expiresAt });
      return { token, csrfToken: csrfOf(tokenHash), expiresAt };
    },

    /** The live session a cookie's token opens, with its user. */
    async resolve(token: string): Promise<SignedIn | undefined> {
      const found = await repo.findLive(hashSecret(token), clock.now().toISOString());
      return found && { tokenHash: found.session.tokenHash, user: found.user, expiresAt: found.session.expiresAt };
    },

    csrfTokenOf: csrfOf,

    end: (tokenHash: string) => repo.delete(tokenHash),
    endOthers: (userId: string, keepTokenHash: string) => repo.deleteOthers(userId, keepTokenHash),
  };
}

export type ConsoleSessionService = ReturnType<typeof consoleSessionService>;
