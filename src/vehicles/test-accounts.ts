/** How test-mode owner accounts are keyed: the same brand and email always reach the same account. */
import { createHash } from 'node:crypto';

/** A hash, so owner emails are never stored. `model` and `vin` narrow the account's vehicles. */
export function testAccountKey(make: string, email: string, options: { model?: string; vin?: string } = {}): string {
  const parts = [make.toUpperCase(), options.model?.trim().toLowerCase() ?? '*', email.trim().toLowerCase(), options.vin?.toUpperCase() ?? '*'];
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
