/**
 * Signal resources to JSON from fragments made once: what a code's resource always says (id, type,
 * code, name, group) and each shared status (SUCCESS, or an error entry's text) are serialized on
 * first use and reused, so an answer stringifies only bodies, times and links. A car's full list is
 * about a hundred resources, most of them errors sharing a handful of texts: serializing those
 * anew on every request was most of the route's cost. Fragments escape non-ASCII characters (the
 * catalog's typographic apostrophes), so the whole answer stays a one-byte string.
 */
import type { SignalResource } from './resources.js';

/** JSON text of a value, with every non-ASCII character escaped (still valid JSON, same value). */
export function asciiJson(value: unknown): string {
  // eslint-disable-next-line no-control-regex -- matches every character above ASCII, not control characters
  return JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const HEADS = new Map<string, string>();
const STATUSES = new WeakMap<object, string>();

/** `{"id":…,"type":"signal","attributes":{"code":…,"name":…,"group":…,"status":` for a code. */
function headOf(attributes: SignalResource['attributes']): string {
  let head = HEADS.get(attributes.code);
  if (head === undefined) {
    const { code, name, group } = attributes;
    head = `{"id":${asciiJson(code)},"type":"signal","attributes":{"code":${asciiJson(code)},"name":${asciiJson(name)},"group":${asciiJson(group)},"status":`;
    HEADS.set(code, head);
  }
  return head;
}

/** Statuses are shared objects (frozen per outcome kind and error entry), so their text is too. */
function statusOf(status: SignalResource['attributes']['status']): string {
  let text = STATUSES.get(status);
  if (text === undefined) {
    text = asciiJson(status);
    STATUSES.set(status, text);
  }
  return text;
}

/** Links are made of a vehicle id (a UUID) and a catalog code: nothing in them needs escaping. */
export function signalJson(resource: SignalResource): string {
  const { attributes, meta } = resource;
  const body = attributes.body === undefined ? '' : `,"body":${JSON.stringify(attributes.body)}`;
  return `${headOf(attributes)}${statusOf(attributes.status)}${body}},"meta":{"retrievedAt":${meta.retrievedAt},"oemUpdatedAt":${meta.oemUpdatedAt}},"links":{"self":"${resource.links.self}"}}`;
}

/** A JSON array of signal resources, as one flat string (a join, not a chain of concatenations the writer must flatten). */
export function signalsJson(resources: readonly SignalResource[]): string {
  return `[${resources.map(signalJson).join(',')}]`;
}
