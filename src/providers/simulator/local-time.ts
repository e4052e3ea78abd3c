/**
 * Wall-clock time in a city's time zone, with the platform's own Intl data (no dependency): a
 * simulated car lives by its home city's clock, so its commute leaves at 8:00 there, not in UTC.
 */
const MINUTE_MS = 60_000;

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    FORMATTERS.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `timeZone` at an instant. */
export function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1,
    hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, ms. */
function offsetMs(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant the wall clock in `timeZone` shows a minute of a calendar day (the later one across a DST fold). */
function instantOf(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  // Twice: the offset at the first guess may be the other side of a DST change.
  const first = asUtc - offsetMs(asUtc, timeZone);
  return asUtc - offsetMs(first, timeZone);
}

/** The next instant after `now` that the zone's clock shows `minuteOfDay` (0–1439). */
export function nextLocalTime(now: number, timeZone: string, minuteOfDay: number): number {
  const today = localTime(now, timeZone);
  for (let ahead = 0; ahead < 3; ahead++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead));
    const at = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minuteOfDay, timeZone);
    if (at > now) return at;
  }
  return now + 24 * 60 * MINUTE_MS;
}
