/**
 * Signal-level errors (smartcar-v3.md §5.3): inside a 200 answer, a signal that has no value says
 * why in `status.error` — `{type, code, title, detail, description, resolution}`, `description`
 * kept for readers of the older form. Built once per catalog entry and shared.
 */
import { DomainError } from '../../core/index.js';
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

export function signalErrorOf(error: DomainError | ApiError): SignalError {
  return fromEntry((error instanceof DomainError ? apiErrorOf(error) : error).entry);
}

/** A signal the grant's permissions do not cover. */
export const PERMISSION_ERROR: SignalError = signalErrorOf(new ApiError('PERMISSION'));
