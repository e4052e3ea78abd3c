/**
 * ISO 8601 instants to and from milliseconds, remembered: a car's stored times are read on every
 * request and change only when it is written, and a response's times repeat within a millisecond
 * or a report interval. Parsing or formatting one costs several times a lookup.
 */

const PARSED = new Map<string, number>();
/** Distinct stored times kept before starting over (a few per car of a large fleet's busy part). */
const MAX_PARSED = 16_384;

/** `Date.parse` of an ISO instant. */
export function isoMs(text: string): number {
  let ms = PARSED.get(text);
  if (ms === undefined) {
    ms = Date.parse(text);
    if (PARSED.size >= MAX_PARSED) PARSED.clear();
    PARSED.set(text, ms);
  }
  return ms;
}

/** Slots by the low bits of the instant: a lookup is an index, never a hash. */
const SLOTS = 256;
const formattedMs = new Float64Array(SLOTS).fill(Number.NaN);
const formatted: string[] = new Array<string>(SLOTS).fill('');

/** `new Date(ms).toISOString()` of a whole-millisecond instant. */
export function isoString(ms: number): string {
  const slot = ms & (SLOTS - 1);
  if (formattedMs[slot] !== ms) {
    formatted[slot] = new Date(ms).toISOString();
    formattedMs[slot] = ms;
  }
  return formatted[slot]!;
}
