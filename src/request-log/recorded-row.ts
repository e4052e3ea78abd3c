/**
 * A request as the completion observer captures it (references and numbers only, no formatting),
 * and the row values it becomes at flush time, off the request path.
 */
import { isUuid } from '../core/index.js';
import type { AnsweredError } from './request-note.js';

/** [epoch ms, app id, method, url, status, error, latency ms, request id]: one small array per request. */
export type CapturedRequest = [number, string, string, string, number, AnsweredError | null, number, string];

/** Long enough for any Vehicle API path; a longer one is cut, not refused. */
export const MAX_LOGGED_PATH = 256;

const V2_VEHICLE = '/v2.0/vehicles/';
const V3_VEHICLE = '/v3/vehicles/';
const ID_LENGTH = 36;

/** The path without its query string (which could carry anything), cut to MAX_LOGGED_PATH. */
export function loggedPath(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return path.length > MAX_LOGGED_PATH ? path.slice(0, MAX_LOGGED_PATH) : path;
}

/** The vehicle a Vehicle API path names, when it names one by a well-formed id. */
export function vehicleIdOf(url: string): string | null {
  const start = url.startsWith(V2_VEHICLE) ? V2_VEHICLE.length : url.startsWith(V3_VEHICLE) ? V3_VEHICLE.length : -1;
  if (start < 0) return null;
  const after = url.charCodeAt(start + ID_LENGTH);
  // The id ends the path or a segment of it (NaN: the URL ends there).
  if (!(Number.isNaN(after) || after === 0x2f || after === 0x3f)) return null;
  const id = url.slice(start, start + ID_LENGTH);
  return isUuid(id) ? id.toLowerCase() : null;
}

/** Appends the captured request's row to `values`, in REQUEST_LOG_COLUMNS order. */
export function pushRowValues(values: unknown[], c: CapturedRequest): void {
  const [atMs, appId, method, url, status, error, latencyMs, requestId] = c;
  values.push(appId, atMs, requestId, method, loggedPath(url), vehicleIdOf(url), status, error?.type ?? null, error?.code ?? null, Math.round(latencyMs));
}
