/** Identifier formats the API accepts. */
import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Vehicle, user and app ids are UUIDs (any version; case-insensitive). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows written every
 * second (outbox events, delivery attempts) keyed by these land at the end of their indexes
 * instead of on random pages, which keeps each commit's writes small.
 */
export function timeOrderedUuid(at = Date.now()): string {
  // randomUUID draws from a cached entropy pool; random bytes per call cost ten times more.
  const random = randomUUID();
  const time = at.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
