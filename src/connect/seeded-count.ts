/** A stable small number from a string, so the same test owner always has the same number of cars. */
import { createHash } from 'node:crypto';

export function seededCount(seed: string, min: number, max: number): number {
  const n = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return min + (n % (max - min + 1));
}
