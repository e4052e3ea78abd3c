/**
 * The console's Usage: an app's requests and error rate per UTC day, its rate-limit budget left on
 * this node now, and its Connect funnel per day.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock, RateLimiter } from '../core/index.js';
import { DAILY_COUNTS_DAYS } from '../maintenance/index.js';
import type { FunnelDay, RequestLogQueries } from '../request-log/index.js';
import { parsed, type ConsoleContext } from './context.js';

export interface UsageRoutesDeps {
  requestLog: RequestLogQueries;
  funnelOf(appId: string, days: number): Promise<FunnelDay[]>;
  /** The Vehicle API's per-app limiter (RATE_LIMIT_APP_PER_MINUTE), only peeked at. */
  appLimiter: RateLimiter;
  appRequestsPerMinute: number;
  clock: Clock;
}

const daysQuery = z.object({ days: z.coerce.number().int().min(1).max(DAILY_COUNTS_DAYS).default(30) });

type AppParams = { Params: { clientId: string } };

export function registerUsageRoutes(api: FastifyInstance, ctx: ConsoleContext, deps: UsageRoutesDeps): void {
  api.get<AppParams>('/console/api/apps/:clientId/usage', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    const { days } = parsed(daysQuery, request.query);
    const left = await deps.appLimiter.peek(app.id, deps.clock.now().getTime());
    return {
      days: await deps.requestLog.usage(app.id, days),
      // In memory the bucket is this node's (each node behind a balancer gives the app this much);
      // with RATE_LIMIT_STORE in Redis it is the one budget all nodes share.
      budget: left === null ? { limited: false, perMinute: null, left: null } : { limited: true, perMinute: deps.appRequestsPerMinute, left },
    };
  });

  api.get<AppParams>('/console/api/apps/:clientId/funnel', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    const { days } = parsed(daysQuery, request.query);
    return { days: await deps.funnelOf(app.id, days) };
  });
}
