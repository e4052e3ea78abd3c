/**
 * Signal rows to the JSON of their resources from fragments made once: what a code's resource says
 * up to its body (id, type, code, name, group and the shared status) is serialized on first use and
 * reused, so an answer stringifies only bodies, times and the vehicle's link. The answer is one join
 * of about four flat fragments a signal: a car's hundred signals as nested concatenations or
 * per-resource objects cost several times as much. Every fragment is ASCII (the catalog's
 * typographic apostrophes and any wider character in a body are escaped), so the answer is a
 * one-byte string whose bytes are a plain copy.
 */
import type { SignalRow, SignalStatus } from './resources.js';

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

/** An answer made of asciiJson fragments as bytes: ASCII is its own UTF-8, so no scan for wider characters. */
export function asciiBytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Texts made once per code and status, without a body to follow and with one. */
interface Head {
  bare: string;
  withBody: string;
}

const HEADS = new WeakMap<SignalStatus, Map<string, Head>>();

/** `{"id":…,"type":"signal","attributes":{"code":…,"name":…,"group":…,"status":…` and, for a body, `,"body":`. */
function headOf({ entry: { spec }, status }: SignalRow): Head {
  let byCode = HEADS.get(status);
  if (!byCode) {
    byCode = new Map();
    HEADS.set(status, byCode);
  }
  let head = byCode.get(spec.code);
  if (!head) {
    const bare = [
      '{"id":', asciiJson(spec.code), ',"type":"signal","attributes":{"code":', asciiJson(spec.code), ',"name":', asciiJson(spec.name),
      ',"group":', asciiJson(spec.group), ',"status":', asciiJson(status),
    ].join('');
    head = { bare, withBody: `${bare},"body":` };
    byCode.set(spec.code, head);
  }
  return head;
}

/** `<code>"}}`, with and without the comma before the next resource: codes are catalog codes, plain ASCII. */
const TAILS = new Map<string, { last: string; more: string }>();

function tailOf(code: string): { last: string; more: string } {
  let tail = TAILS.get(code);
  if (!tail) {
    tail = { last: `${code}"}}`, more: `${code}"}},` };
    TAILS.set(code, tail);
  }
  return tail;
}

/**
 * From the end of the attributes to the code in the link: an answer's rows share their times (read
 * together, or refused together), so one flat text serves a run of them.
 */
class Middles {
  private retrievedAt = Number.NaN;
  private oemUpdatedAt = Number.NaN;
  private text = '';

  /** `link` is a vehicle's (a UUID in a fixed path): nothing in it needs escaping. */
  constructor(private readonly link: string) {}

  of({ retrievedAt, oemUpdatedAt }: SignalRow): string {
    if (retrievedAt !== this.retrievedAt || oemUpdatedAt !== this.oemUpdatedAt) {
      this.retrievedAt = retrievedAt;
      this.oemUpdatedAt = oemUpdatedAt;
      this.text = ['},"meta":{"retrievedAt":', String(retrievedAt), ',"oemUpdatedAt":', String(oemUpdatedAt), '},"links":{"self":"', this.link, '/signals/'].join('');
    }
    return this.text;
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
    else parts.push(head.withBody, asciiJson(row.body));
    const tail = tailOf(row.entry.spec.code);
    parts.push(middles.of(row), i === lastIndex ? tail.last : tail.more);
  }
  parts.push(']', after);
  return parts.join('');
}
