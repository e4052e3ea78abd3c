/** The console's Logs: an app's recorded Vehicle API and token-endpoint requests, newest first, filtered and paged. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isUuid } from '../core/index.js';
import { InvalidCursorError, MAX_CURSOR_LENGTH, MAX_LOGGED_PATH, type RequestLogQueries } from '../request-log/index.js';
import { parsed, type ConsoleContext } from './context.js';
import { Refusal } from './refusals.js';

export interface LogRoutesDeps {
  requestLog: RequestLogQueries;
}

/** `4xx`-style classes or one exact status. */
const status = z.string().max(3).pipe(z.union([
  z.enum(['1xx', '2xx', '3xx', '4xx', '5xx']).transform((c) => ({ from: Number(c[0]) * 100, to: Number(c[0]) * 100 + 99 })),
  z.string().regex(/^[1-5]\d\d$/, 'must be 4xx, 5xx (any class) or one status code').transform((n) => ({ from: Number(n), to: Number(n) })),
]));
const logsQuery = z.object({
  status: status.optional(),
  vehicleId: z.string().max(36).refine(isUuid, 'must be a vehicle id (a UUID)').transform((v) => v.toLowerCase()).optional(),
  path: z.string().max(MAX_LOGGED_PATH).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(MAX_CURSOR_LENGTH).optional(),
});

type AppParams = { Params: { clientId: string } };

export function registerLogRoutes(api: FastifyInstance, ctx: ConsoleContext, deps: LogRoutesDeps): void {
  api.get<AppParams>('/console/api/apps/:clientId/logs', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    // Empty fields are what a form sends for "any".
    const raw = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).filter(([, v]) => v !== ''));
    const q = parsed(logsQuery, raw);
    try {
      return await deps.requestLog.list(app.id, {
        status: q.status, vehicleId: q.vehicleId, pathPrefix: q.path, before: q.before, limit: q.limit,
      });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new Refusal(400, 'invalid_request', error.message);
      throw error;
    }
  });
}
