/** What the console reads of the request log: an app's rows newest first, paged by a cursor, and its daily usage. */
import type { Clock } from '../core/index.js';
import type { RequestLogRepository } from '../store/index.js';

export interface LogFilters {
  status?: { from: number; to: number };
  vehicleId?: string;
  pathPrefix?: string;
  /** A previous page's `next`. */
  before?: string;
  limit: number;
}

export interface LoggedRequest {
  time: string;
  method: string;
  path: string;
  vehicleId: string | null;
  status: number;
  errorType: string | null;
  errorCode: string | null;
  latencyMs: number;
  requestId: string;
}

const DAY_MS = 86_400_000;
/** `<epoch ms>_<request id>`: the last row of a page. */
const CURSOR = /^(\d{1,15})_([0-9a-f-]{36})$/;
export const MAX_CURSOR_LENGTH = 80;

export class InvalidCursorError extends Error {}

function cursorOf(text: string): { atMs: number; requestId: string } {
  const match = text.length <= MAX_CURSOR_LENGTH ? CURSOR.exec(text) : null;
  if (!match) throw new InvalidCursorError('before must be a next cursor of an earlier page');
  return { atMs: Number(match[1]), requestId: match[2]! };
}

/** The UTC days from `days - 1` days ago to today, oldest first. */
export function lastDays(clock: Clock, days: number): string[] {
  const today = clock.now().getTime();
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

export function requestLogQueries(repo: RequestLogRepository, clock: Clock) {
  return {
    async list(appId: string, filters: LogFilters): Promise<{ logs: LoggedRequest[]; next: string | null }> {
      const rows = await repo.list({
        appId, status: filters.status, vehicleId: filters.vehicleId, pathPrefix: filters.pathPrefix,
        before: filters.before === undefined ? undefined : cursorOf(filters.before), limit: filters.limit + 1,
      });
      const page = rows.slice(0, filters.limit);
      const last = page.at(-1);
      return {
        logs: page.map((r) => ({
          time: new Date(r.atMs).toISOString(), method: r.method, path: r.path, vehicleId: r.vehicleId, status: r.status,
          errorType: r.errorType, errorCode: r.errorCode, latencyMs: r.latencyMs, requestId: r.requestId,
        })),
        next: rows.length > filters.limit && last ? `${last.atMs}_${last.requestId}` : null,
      };
    },

    /** Every day of the span, days without requests as zeros. */
    async usage(appId: string, days: number): Promise<{ day: string; requests: number; errors: number; errorRate: number }[]> {
      const span = lastDays(clock, days);
      const counted = new Map((await repo.usage(appId, span[0]!)).map((u) => [u.day, u]));
      return span.map((day) => {
        const { requests = 0, errors = 0 } = counted.get(day) ?? {};
        return { day, requests, errors, errorRate: requests === 0 ? 0 : errors / requests };
      });
    },
  };
}

export type RequestLogQueries = ReturnType<typeof requestLogQueries>;
