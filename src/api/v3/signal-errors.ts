/**
 * Signal-level errors (smartcar-v3.md §5.3): inside a 200 answer, a signal that has no value says
 * why in `status.error` — `{type, code, title, detail, description, resolution}`, `description`
 * kept for readers of the older form. Built once per catalog entry and shared.
 */
import { NotCapableError, type DomainError, type NotCapableReason } from '../../core/index.js';
import { ApiError, apiErrorOf, errorTitle, type CatalogEntry } from '../errors/index.js';

export interface SignalError {
  type: string;
  code: string | null;
  title: string;
  detail: string;
  description: string;
  resolution: { type: string | null };
}

const BY_ENTRY = new Map<CatalogEntry, SignalError>();

function fromEntry(entry: CatalogEntry): SignalError {
  let error = BY_ENTRY.get(entry);
  if (!error) {
    error = Object.freeze({
      type: entry.type, code: entry.code, title: errorTitle(entry.type), detail: entry.description,
      description: entry.description, resolution: Object.freeze({ type: entry.resolution }),
    });
    BY_ENTRY.set(entry, error);
  }
  return error;
}

/** Domain errors by category and code: a signal's error is looked up, not built, on every answer. */
const BY_DOMAIN = new Map<string, SignalError>();

export function signalErrorOf(error: DomainError | ApiError): SignalError {
  if (error instanceof ApiError) return fromEntry(error.entry);
  const key = `${error.category}:${error.code}`;
  let found = BY_DOMAIN.get(key);
  if (!found) {
    found = fromEntry(apiErrorOf(error).entry);
    BY_DOMAIN.set(key, found);
  }
  return found;
}

/** A signal the grant's permissions do not cover. */
export const PERMISSION_ERROR: SignalError = signalErrorOf(new ApiError('PERMISSION'));

/** A signal the car or its provider cannot report, by reason; built once, as no Error is needed to answer it. */
export const NOT_CAPABLE_ERRORS: Readonly<Record<NotCapableReason, SignalError>> = {
  VEHICLE_NOT_CAPABLE: signalErrorOf(new NotCapableError('VEHICLE_NOT_CAPABLE')),
  SMARTCAR_NOT_CAPABLE: signalErrorOf(new NotCapableError('SMARTCAR_NOT_CAPABLE')),
  MAKE_NOT_COMPATIBLE: signalErrorOf(new NotCapableError('MAKE_NOT_COMPATIBLE')),
};
