/**
 * Signal rows to the JSON of their resources from fragments made once: what a code's resource says
 * up to its body (id, type, code, name, group and the shared status) is serialized on first use and
 * reused, so an answer stringifies only bodies, times and the vehicle's link. The answer is one join
 * of about four flat fragments a signal: a car's hundred signals as nested concatenations or
 * per-resource objects cost several times as much. Every fragment is ASCII (the catalog's
 * typographic apostrophes and any wider character in a body are escaped), so the answer is a
 * one-byte string whose bytes are a plain copy.
 */
import type { SignalBody } from '../../core/index.js';
import type { SignalRow } from './resources.js';

// eslint-disable-next-line no-control-regex -- every character above ASCII, not control characters
const NON_ASCII = /[^\x00-\x7f]/g;

/**
 * JSON text of a value, all ASCII: characters above it are escaped (still valid JSON, same value).
 * Escaped text is copied out through latin1: V8 keeps a string two bytes a character once any
 * character needed it, even after a replace left only ASCII, and one such fragment makes the whole
 * answer two-byte (twice the bytes to join and copy).
 */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  NON_ASCII.lastIndex = 0;
  if (!NON_ASCII.test(json)) return json;
  const escaped = json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(escaped, 'latin1').toString('latin1');
}

/** Units as JSON, by unit: a handful of catalog strings (bounded all the same: a provider may send others). */
const UNITS = new Map<string, string>();
const MAX_UNITS = 256;

function unitJson(unit: string): string {
  let json = UNITS.get(unit);
  if (json === undefined) {
    json = asciiJson(unit);
    if (UNITS.size < MAX_UNITS) UNITS.set(unit, json);
  }
  return json;
}

/** Text JSON.stringify writes as it is, and all ASCII: no quote, backslash, control or wider character. */
const PLAIN_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * A body's asciiJson. Most bodies are `{value}` or `{value, unit}` with a finite number or a
 * boolean, or `{value}` with a plain text: those are written directly, exactly as JSON.stringify
 * writes them (a finite number's text is the same in both; -0 is 0 in both), at a fraction of its
 * cost; any other body goes to it.
 */
export function bodyJson(body: SignalBody): string {
  let count = 0;
  let first: string | undefined;
  let second: string | undefined;
  for (const key in body) {
    if (count === 0) first = key;
    else if (count === 1) second = key;
    count += 1;
  }
  if (first === 'value' && count <= 2) {
    const value = body.value;
    const plain = typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (plain && count === 1) return `{"value":${value}}`;
    if (count === 1 && typeof value === 'string' && PLAIN_TEXT.test(value)) return `{"value":"${value}"}`;
    const unit = body.unit;
    if (plain && second === 'unit' && typeof unit === 'string') return `{"value":${value},"unit":${unitJson(unit)}}`;
  }
  return asciiJson(body);
}

/** An answer made of asciiJson fragments as bytes: ASCII is its own UTF-8, so no scan for wider characters. */
export function asciiBytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/**
 * `{"id":…,"type":"signal","attributes":{"code":…,"name":…,"group":…,"status":…`, and the same
 * with `,"body":` after it, kept on the entry by status object.
 */
function headOf({ entry, status }: SignalRow): { bare: string; withBody: string } {
  let head = entry.heads.get(status);
  if (!head) {
    const { code, name, group } = entry.spec;
    const bare = [
      '{"id":', asciiJson(code), ',"type":"signal","attributes":{"code":', asciiJson(code), ',"name":', asciiJson(name),
      ',"group":', asciiJson(group), ',"status":', asciiJson(status),
    ].join('');
    head = { bare, withBody: `${bare},"body":` };
    entry.heads.set(status, head);
  }
  return head;
}

/**
 * From the end of the attributes to the code in the link: an answer's rows share their times (read
 * together, or refused together; fixed attributes have no OEM time), so a few flat texts serve them all.
 */
class Middles {
  private retrievedAt = Number.NaN;
  private readonly byOemTime = new Map<number, string>();

  /** `link` is a vehicle's (a UUID in a fixed path): nothing in it needs escaping. */
  constructor(private readonly link: string) {}

  of({ retrievedAt, oemUpdatedAt }: SignalRow): string {
    if (retrievedAt !== this.retrievedAt) {
      this.retrievedAt = retrievedAt;
      this.byOemTime.clear();
    }
    let text = this.byOemTime.get(oemUpdatedAt);
    if (text === undefined) {
      text = ['},"meta":{"retrievedAt":', String(retrievedAt), ',"oemUpdatedAt":', String(oemUpdatedAt), '},"links":{"self":"', this.link, '/signals/'].join('');
      this.byOemTime.set(oemUpdatedAt, text);
    }
    return text;
  }
}

/** The resources of rows of the vehicle at `link`, as a JSON array between `before` and `after`. */
export function signalsJson(rows: readonly SignalRow[], link: string, before = '', after = ''): string {
  const parts: string[] = [before, '['];
  const middles = new Middles(link);
  const lastIndex = rows.length - 1;
  for (let i = 0; i <= lastIndex; i++) {
    const row = rows[i]!;
    const head = headOf(row);
    if (row.body === undefined) parts.push(head.bare);
    else parts.push(head.withBody, bodyJson(row.body));
    parts.push(middles.of(row), row.entry.spec.code, i === lastIndex ? '"}}' : '"}},');
  }
  parts.push(']', after);
  return parts.join('');
}
