/**
 * What the console's and the owner's JSON APIs share: a refusal as `{error, message}` with its
 * status, the scope's error handler that answers them, the sign-in rate limit, and the constant-time
 * check of a presented CSRF token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { refuseWhenSpent, type Clock, type RateLimiter } from '../core/index.js';

export class Refusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfter?: number) {
    super(message);
  }
}

/**
 * Answers a scope's errors in its `{error, message}` form: refusals as given, errors of the
 * `badInput` classes as 400 with their message, a request the framework could not read as 4xx, and
 * anything else as a logged 500 that tells nothing of its cause.
 */
export function answerRefusals(api: FastifyInstance, name: string, badInput: readonly (abstract new (...args: never[]) => Error)[] = []): void {
  api.setErrorHandler((error, request, reply) => {
    if (error instanceof Refusal) {
      if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
      return reply.code(error.status).send({ error: error.code, message: error.message });
    }
    if (badInput.some((kind) => error instanceof kind)) {
      return reply.code(400).send({ error: 'invalid_request', message: (error as Error).message });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'invalid_request', message: 'The request could not be read as JSON within the size allowed.' });
    }
    request.log.error({ err: error }, `${name} error`);
    return reply.code(500).send({ error: 'server_error', message: 'Something went wrong on this carport; the request id is in sc-request-id.' });
  });
}

/**
 * Takes one sign-in attempt from `key`'s budget; a spent budget is 429 with when to try again. A
 * promise (to await) only from a shared store.
 */
export function takeSignInAttempt(limiter: RateLimiter, clock: Clock, key: string): Promise<void> | undefined {
  return refuseWhenSpent(limiter.take(key, clock.now().getTime()), (retryAfter) => {
    throw new Refusal(429, 'rate_limited', 'Too many sign-in attempts from here; wait and try again.', retryAfter);
  });
}

/** Whether a presented CSRF token is the expected one, in constant time. */
export function csrfMatches(presented: unknown, expected: string): boolean {
  const given = Buffer.from(typeof presented === 'string' ? presented : '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
