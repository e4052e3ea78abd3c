/**
 * The v4.0 payload (smartcar-wire.md §7.3, smartcar-v3.md §7.1), every name, group and code from
 * the signal catalog. Where Smartcar's production deliveries differ from its docs, both forms are
 * carried when they fit side by side: the top-level `triggers: [{type, signal}]` of production
 * beside the documented `data.triggers: [{code, name, group}]`, and `meta.retrievedAt` (production,
 * the v3 API) beside `meta.fetchedAt` (docs) on each signal.
 */
import { signal } from '../core/index.js';
import type { SignalError, SignalRead } from './reader.js';

export interface SignalRef {
  code: string;
  name: string;
  group: string;
}

export const refOf = (code: string): SignalRef => {
  const spec = signal(code);
  return { code: spec.code, name: spec.name, group: spec.group };
};

/** A flat webhook signal item (v3's SignalResource attributes with its meta, smartcar-v3.md §7.1). */
export function signalItem(code: string, read: SignalRead) {
  if (read.status === 'ERROR') {
    // Webhooks carry the minimal signal error (smartcar-v3.md §5.3): PERMISSION has a null code.
    return { ...refOf(code), status: { value: 'ERROR' as const, error: { type: read.error.type, code: read.error.code } } };
  }
  return {
    ...refOf(code), body: read.body, status: { value: 'SUCCESS' as const },
    meta: { oemUpdatedAt: read.oemUpdatedAt, retrievedAt: read.retrievedAt, fetchedAt: read.retrievedAt },
  };
}

export type Fired = readonly string[] | 'FIRST_DELIVERY';

/** `data.triggers` as documented: the changed signals, or `{code: "FIRST_DELIVERY"}`. */
export function documentedTriggers(fired: Fired) {
  return fired === 'FIRST_DELIVERY' ? [{ code: 'FIRST_DELIVERY' }] : fired.map(refOf);
}

/**
 * Top-level `triggers` as production delivers them. Production shows only SIGNAL_UPDATED; the
 * first delivery after subscribing, which the docs mark with a FIRST_DELIVERY code, is
 * `{type: "FIRST_DELIVERY"}` here, with no signal, so a receiver that switches on `type` sees it.
 */
export function productionTriggers(fired: Fired) {
  return fired === 'FIRST_DELIVERY'
    ? [{ type: 'FIRST_DELIVERY' }]
    : fired.map((code) => ({ type: 'SIGNAL_UPDATED', signal: refOf(code) }));
}

/** A VEHICLE_ERROR entry: one error type and code with the signals it touches. */
export interface VehicleError extends Omit<SignalError, 'resolution'> {
  state: 'ERROR' | 'RESOLVED';
  resolution: { type: string | null };
  signals: SignalRef[];
}

/** The errors among these signals' reads, one per type and code, in the order first met. */
export function errorsOf(codes: readonly string[], readings: ReadonlyMap<string, SignalRead>): VehicleError[] {
  const errors = new Map<string, VehicleError>();
  for (const code of codes) {
    const read = readings.get(code);
    if (read?.status !== 'ERROR') continue;
    const { type, code: errorCode, description, suggestedUserMessage, docURL, resolution } = read.error;
    const key = `${type}:${String(errorCode)}`;
    const error = errors.get(key) ?? {
      type, code: errorCode, state: 'ERROR' as const, description,
      ...(suggestedUserMessage !== undefined && { suggestedUserMessage }), docURL, resolution, signals: [],
    };
    error.signals.push(refOf(code));
    errors.set(key, error);
  }
  return [...errors.values()];
}
