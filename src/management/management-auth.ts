/**
 * The application management token, sent as Basic `default:<token>` (any username is accepted),
 * then the app's management request budget: one app cannot crowd the management API for others.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../api/index.js';
import { RateLimitedError, type Clock, type RateLimiter } from '../core/index.js';
import type { AppService } from '../oauth/index.js';
import type { AppRecord } from '../store/index.js';

/** Far above any Basic header a 43-character token makes; longer ones are refused before parsing. */
const MAX_AUTHORIZATION_LENGTH = 1024;

export interface ManagementBudget {
  limiter: RateLimiter;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The per-app budget of the management routes registered in this scope (see limitManagementRequests). */
    managementBudget?: ManagementBudget;
  }
}

/**
 * Gives the management routes registered in `app`'s scope a per-app budget. The routes' own files
 * only authenticate; the budget travels with the scope, so every management face shares one.
 */
export function limitManagementRequests(app: FastifyInstance, budget: ManagementBudget): void {
  app.decorate('managementBudget', budget);
}

/** The token as presented, or undefined when the header is not Basic with a token. */
export function presentedManagementToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? '';
  if (header.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const token = decoded.slice(decoded.indexOf(':') + 1);
  return decoded.includes(':') && token ? token : undefined;
}

export async function authenticateManagement(apps: AppService, request: FastifyRequest): Promise<AppRecord> {
  const token = presentedManagementToken(request);
  const app = token ? await apps.byManagementToken(token) : undefined;
  if (!app) throw new ApiError('AUTHENTICATION', { challenge: 'Basic' });
  const budget = request.server.managementBudget;
  const retryAfter = budget ? budget.limiter.take(app.id, budget.clock.now().getTime()) : 0;
  if (retryAfter > 0) throw new RateLimitedError('APPLICATION', retryAfter);
  return app;
}
