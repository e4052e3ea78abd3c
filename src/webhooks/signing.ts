/**
 * `SC-Signature`: lower-case hex HMAC-SHA256 of the exact body, keyed with the application
 * management token (spec §7.2). Bodies are compact JSON so the Node and Ruby SDKs, which
 * re-serialize before hashing, compute the same digest.
 */
import { createHmac } from 'node:crypto';

export function signature(managementToken: string, body: string): string {
  return createHmac('sha256', managementToken).update(body).digest('hex');
}
