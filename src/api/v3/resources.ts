/**
 * The v3 resources as plain object literals (smartcar-v3.md §3.2, §3.4): the vehicle, and a signal
 * in each of its states. Everything fixed per code (name, group, link suffix) is computed once here,
 * so answering a car's hundred signals is one pass of small literals.
 */
import { V3_SIGNALS, type SignalBody, type SignalSpec } from '../../core/index.js';
import type { Vehicle } from '../../vehicles/index.js';
import type { SignalError } from './signal-errors.js';

export interface VehicleResource {
  id: string;
  type: 'vehicle';
  attributes: { make: string; model: string; year: number; powertrainType: string; mode: string };
  links: { self: string };
}

export interface SignalResource {
  id: string;
  type: 'signal';
  attributes: {
    code: string;
    name: string;
    group: string;
    status: { value: 'SUCCESS' } | { value: 'ERROR'; error: SignalError };
    body?: SignalBody;
  };
  meta: { retrievedAt: number; oemUpdatedAt: number };
  links: { self: string };
}

/** A catalog signal with what its resource repeats on every answer. */
export interface SignalEntry {
  spec: SignalSpec;
  /** `/signals/<code>`, appended to the vehicle's link. */
  selfSuffix: string;
  /** Its resource's JSON text before its body, by status: made on first use (see signal-json). */
  heads: Map<object, { bare: string; withBody: string }>;
}

/**
 * Every catalog signal, ordered by code: lists are alphabetical (as the real API's are observed),
 * with the signals that have a value ahead of the ones that do not.
 */
export const SIGNAL_ENTRIES: readonly SignalEntry[] = [...V3_SIGNALS]
  .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  .map((spec) => ({ spec, selfSuffix: `/signals/${spec.code}`, heads: new Map() }));

const BY_CODE = new Map(SIGNAL_ENTRIES.map((e) => [e.spec.code, e]));

/** Longer than any code: not worth looking up. */
const MAX_CODE_LENGTH = 64;

export function signalEntry(code: string): SignalEntry | undefined {
  return code.length > MAX_CODE_LENGTH ? undefined : BY_CODE.get(code.toLowerCase());
}

/** Where a vehicle's resources live; links are root-relative, resolvable against the origin called. */
export function vehicleLink(vehicle: Vehicle): string {
  return `/v3/vehicles/${vehicle.id}`;
}

export function vehicleResource(vehicle: Vehicle): VehicleResource {
  return {
    id: vehicle.id,
    type: 'vehicle',
    attributes: { make: vehicle.make, model: vehicle.model, year: vehicle.year, powertrainType: vehicle.powertrain, mode: vehicle.mode },
    links: { self: vehicleLink(vehicle) },
  };
}

export type SignalStatus = SignalResource['attributes']['status'];

/**
 * A signal of an answer as read, before it is a resource: everything else a resource says is fixed
 * by its catalog entry and the vehicle. Statuses are shared objects (one per outcome kind and
 * error), so whatever is made from a status can be made once.
 */
export interface SignalRow {
  entry: SignalEntry;
  status: SignalStatus;
  body?: SignalBody;
  retrievedAt: number;
  oemUpdatedAt: number;
}

const SUCCESS = Object.freeze({ value: 'SUCCESS' as const });
const ERROR_STATUSES = new WeakMap<SignalError, { value: 'ERROR'; error: SignalError }>();

function errorStatus(error: SignalError): { value: 'ERROR'; error: SignalError } {
  let status = ERROR_STATUSES.get(error);
  if (!status) {
    status = Object.freeze({ value: 'ERROR' as const, error });
    ERROR_STATUSES.set(error, status);
  }
  return status;
}

export function successRow(entry: SignalEntry, body: SignalBody, observedAt: Date, fetchedAt: Date): SignalRow {
  return { entry, status: SUCCESS, body, retrievedAt: fetchedAt.getTime(), oemUpdatedAt: entry.spec.static ? 0 : observedAt.getTime() };
}

/**
 * A signal without a value, and why. The last known body comes along when the provider gave one
 * (real payloads carry it); its times are those of that body, else the answer's with no OEM time.
 */
export function errorRow(
  entry: SignalEntry, error: SignalError, nowMs: number, last?: { body?: SignalBody; observedAt?: Date; fetchedAt?: Date },
): SignalRow {
  const row: SignalRow = {
    entry,
    status: errorStatus(error),
    retrievedAt: last?.fetchedAt?.getTime() ?? nowMs,
    oemUpdatedAt: entry.spec.static || !last?.observedAt ? 0 : last.observedAt.getTime(),
  };
  if (last?.body !== undefined) row.body = last.body;
  return row;
}

/** The resource of a row of the vehicle at `link`. */
export function signalResource({ entry: { spec, selfSuffix }, status, body, retrievedAt, oemUpdatedAt }: SignalRow, link: string): SignalResource {
  const attributes: SignalResource['attributes'] = { code: spec.code, name: spec.name, group: spec.group, status };
  if (body !== undefined) attributes.body = body;
  return { id: spec.code, type: 'signal', attributes, meta: { retrievedAt, oemUpdatedAt }, links: { self: link + selfSuffix } };
}
