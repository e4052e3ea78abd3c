/**
 * How test-mode owner accounts are keyed: for one app, the same brand and email always reach the
 * same account; two apps never share one (each could otherwise drive the other's car).
 */
import { createHash } from 'node:crypto';

/** A hash, so owner emails are never stored. `model` and `vin` narrow the account's vehicles. */
export function testAccountKey(make: string, email: string, options: { appId: string; model?: string; vin?: string }): string {
  const parts = [
    options.appId, make.toUpperCase(), options.model?.trim().toLowerCase() ?? '*', email.trim().toLowerCase(), options.vin?.toUpperCase() ?? '*',
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
