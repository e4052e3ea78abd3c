/**
 * A request as the response hook captures it (references and numbers only, no formatting), and
 * the row it becomes at flush time, off the request path.
 */
import { isUuid } from '../core/index.js';
import type { RequestLogRecord } from '../store/index.js';
import type { AnsweredError } from './request-note.js';

/** [epoch ms, app id, method, url, status, error, latency ms, request id]: one small array per request. */
export type CapturedRequest = [number, string, string, string, number, AnsweredError | null, number, string];

/** Long enough for any Vehicle API path; a longer one is cut, not refused. */
export const MAX_LOGGED_PATH = 256;

const VEHICLE_PATH = /^\/v(?:2\.0|3)\/vehicles\/([^/?#]{36})(?:[/?#]|$)/;

/** The path without its query string (which could carry anything), cut to MAX_LOGGED_PATH. */
export function loggedPath(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return path.length > MAX_LOGGED_PATH ? path.slice(0, MAX_LOGGED_PATH) : path;
}

/** The vehicle a Vehicle API path names, when it names one by a well-formed id. */
export function vehicleIdOf(url: string): string | null {
  const id = VEHICLE_PATH.exec(url)?.[1];
  return id !== undefined && isUuid(id) ? id.toLowerCase() : null;
}

export function rowOf(c: CapturedRequest): RequestLogRecord {
  const [atMs, appId, method, url, status, error, latencyMs, requestId] = c;
  return {
    appId,
    at: new Date(atMs).toISOString(),
    requestId,
    method,
    path: loggedPath(url),
    vehicleId: vehicleIdOf(url),
    status,
    errorType: error?.type ?? null,
    errorCode: error?.code ?? null,
    latencyMs: Math.round(latencyMs),
  };
}
