/**
 * Random credentials and their at-rest form. Every credential is 256 random bits, so a plain
 * SHA-256 is an adequate at-rest hash (RFC 6819 §5.1.4.1.3); no slow KDF is needed.
 */
import * as crypto from 'node:crypto';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url: safe unencoded in a Basic header, a query string or a form. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** One-shot hashing (Node 20.12+, 21.7+) skips the Hash object every bearer request would otherwise build. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function hashSecret(secret: string): string {
  return oneShotHash ? oneShotHash('sha256', secret, 'hex') : createHash('sha256').update(secret).digest('hex');
}

/** Constant-time check of a presented secret against a stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
