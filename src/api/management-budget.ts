/**
 * The per-app budget of every request made with an application management token: the management
 * API and the SDK's unsubscribe (a Vehicle API path) share it, so one app cannot crowd them for
 * others.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError, refuseWhenSpent, type Clock, type RateLimiter } from '../core/index.js';

export interface ManagementBudget {
  limiter: RateLimiter;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The per-app budget of the management-token routes registered in this scope. */
    managementBudget?: ManagementBudget;
  }
}

/** Gives the management-token routes registered in `app`'s scope one shared per-app budget. */
export function limitManagementRequests(app: FastifyInstance, budget: ManagementBudget): void {
  app.decorate('managementBudget', budget);
}

/**
 * Takes one request from the app's budget; throws the v2 rate-limit error when it is spent. A
 * promise (to await) only from a shared store.
 */
export function chargeManagementBudget(request: FastifyRequest, appId: string): Promise<void> | undefined {
  const budget = request.server.managementBudget;
  if (!budget) return undefined;
  return refuseWhenSpent(budget.limiter.take(appId, budget.clock.now().getTime()), (retryAfter) => {
    throw new RateLimitedError('APPLICATION', retryAfter);
  });
}
