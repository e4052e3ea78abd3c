/** Durations as people type them: `90s`, `15m`, `1h`, `2d`, or combinations like `1h30m`. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Longer than any duration anyone types. */
const MAX_LENGTH = 64;

export function parseDuration(text: string): number {
  const trimmed = text.trim();
  // Sticky: each part must start where the previous one ended, so nothing is rescanned.
  const parts = trimmed.length > MAX_LENGTH ? [] : [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|[smhd])/gy)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new Error(`not a duration: ${text} (e.g. 90s, 15m, 1h, 2d, 1h30m)`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}
