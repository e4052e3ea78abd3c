/**
 * What the request log needs to know about a request that only the code answering it learns: the
 * app it came from (once its token or client is known) and the error it was answered with. Two
 * fields decorated on every request, so setting them costs an assignment and no allocation.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Smartcar's envelope `type` and `code`, or OAuth's `error` (with no code). */
export interface AnsweredError {
  type: string;
  code: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The app a Vehicle API or token-endpoint request is from; set, the request is recorded. */
    loggedAppId: string | null;
    loggedError: AnsweredError | null;
  }
}

/** Declares the fields on the root instance before any route exists (Fastify keeps request shapes stable). */
export function decorateRequestNotes(app: FastifyInstance): void {
  app.decorateRequest('loggedAppId', null);
  app.decorateRequest('loggedError', null);
}

/** Records this request under the app once it is known (an unauthenticated request is no app's). */
export function noteApp(request: FastifyRequest, appId: string): void {
  request.loggedAppId = appId;
}

/** Called on the error path only, so the small object is no cost to answers that succeed. */
export function noteError(request: FastifyRequest, type: string, code: string | null): void {
  request.loggedError = { type, code };
}
