/**
 * Developers' passwords at rest: scrypt (memory-hard, in node:crypto, so no native add-on to build),
 * stored with its parameters and salt so they can be raised later without locking anyone out.
 * Unlike carport's random credentials, a password is chosen by a person: a fast hash would not do.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** 2^15 × 8 × 128 bytes = 32 MiB and tens of milliseconds a hash: OWASP's scrypt floor, on the libuv pool. */
const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export const MIN_PASSWORD_LENGTH = 8;
/** Longer input is refused before it is hashed (a password is not a document). */
export const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, bytes: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 2 * 128 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, bytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`, salt and key in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, LOG2_N, R, P, KEY_BYTES);
  return ['scrypt', LOG2_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` is the one `stored` was made from; a stored text of any other form matches nothing. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  const cost = [Number(logN), Number(r), Number(p)];
  // Parameters beyond what carport writes (or cares to run) are no hash of its own.
  if (scheme !== 'scrypt' || !salt || !key || !cost.every(Number.isInteger) || cost[0]! > 20 || cost[1]! > 32 || cost[2]! > 16) return false;
  const expected = Buffer.from(key, 'base64url');
  try {
    const derived = await derive(password, Buffer.from(salt, 'base64url'), cost[0]!, cost[1]!, cost[2]!, expected.length);
    return derived.length === expected.length && timingSafeEqual(derived, expected);
  } catch {
    return false;
  }
}

/** A password carport makes for a person: 18 random bytes, base64url (24 characters). */
export function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}
