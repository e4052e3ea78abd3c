/** Developer accounts: who signs in to the console and owns apps. */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.js';
import type { DeveloperUserRecord, DeveloperUsersRepository } from '../store/index.js';
import { generatedPassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordMatches } from './passwords.js';

/** RFC 5321's limit on an address's length. */
const MAX_EMAIL_LENGTH = 254;

/** Refused input, with a message fit for the person who gave it. */
export class DeveloperUserError extends Error {}

export interface DeveloperUser {
  userId: string;
  email: string;
}

/** The address lower-cased, or an error: one `@` with something either side, no spaces, not too long. */
export function normalizedEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) throw new DeveloperUserError(`an email address has 1 to ${MAX_EMAIL_LENGTH} characters`);
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@') || at === email.length - 1 || /\s/.test(email)) {
    throw new DeveloperUserError(`not an email address: ${email}`);
  }
  return email;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new DeveloperUserError(`a password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
}

/** Compared against when no account has the email, so an unknown address takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

export function developerUserService(repo: DeveloperUsersRepository, clock: Clock) {
  async function insert(email: string, password: string, temporary: boolean): Promise<DeveloperUser> {
    const record: DeveloperUserRecord = {
      id: randomUUID(), email, passwordHash: await hashPassword(password), passwordTemporary: temporary, createdAt: clock.now().toISOString(),
    };
    if (!(await repo.insert(record))) throw new DeveloperUserError(`${email} already has an account`);
    return { userId: record.id, email };
  }

  return {
    async create(input: { email: string; password: string }): Promise<DeveloperUser> {
      const email = normalizedEmail(input.email);
      checkPassword(input.password);
      return insert(email, input.password, false);
    },

    /** An account with a password made here, shown to the caller once; the console asks for a new one at sign-in. */
    async createWithGeneratedPassword(rawEmail: string): Promise<DeveloperUser & { password: string }> {
      const password = generatedPassword();
      return { ...(await insert(normalizedEmail(rawEmail), password, true)), password };
    },

    /** The account these credentials open, or undefined; as slow for an unknown email as for a wrong password. */
    async verify(rawEmail: string, password: string): Promise<DeveloperUserRecord | undefined> {
      let email: string;
      try {
        email = normalizedEmail(rawEmail);
      } catch {
        return undefined;
      }
      if (password.length > MAX_PASSWORD_LENGTH) return undefined;
      const user = await repo.findByEmail(email);
      const matches = await passwordMatches(password, user?.passwordHash ?? await (decoyHash ??= hashPassword(generatedPassword())));
      return user && matches ? user : undefined;
    },

    async findByEmail(rawEmail: string): Promise<DeveloperUserRecord | undefined> {
      return repo.findByEmail(normalizedEmail(rawEmail));
    },

    /** Replaces a password the developer proves they know; the new one is theirs (no longer temporary). */
    async changePassword(userId: string, current: string, next: string): Promise<boolean> {
      const user = await repo.find(userId);
      if (!user || current.length > MAX_PASSWORD_LENGTH || !(await passwordMatches(current, user.passwordHash))) return false;
      checkPassword(next);
      await repo.updatePassword(userId, await hashPassword(next), false);
      return true;
    },

    find: (userId: string) => repo.find(userId),
    count: () => repo.count(),
  };
}

export type DeveloperUserService = ReturnType<typeof developerUserService>;
