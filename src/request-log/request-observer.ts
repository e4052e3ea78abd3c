/** What hands each noted request to the recorder: one property check for any other request. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/index.js';
import type { RequestRecorder } from './recorder.js';

/**
 * The observer of completed requests (the platform's log controller calls it for each). The system
 * clock is read as a number (no Date per request); a test clock goes through its Date.
 */
export function requestObserver(recorder: RequestRecorder, clock: Clock, systemTime: boolean): (request: FastifyRequest, reply: FastifyReply) => void {
  const nowMs = systemTime ? Date.now : () => clock.now().getTime();
  return (request, reply) => {
    const appId = request.loggedAppId;
    if (appId === null || appId === undefined) return;
    recorder.record([nowMs(), appId, request.method, request.url, reply.statusCode, request.loggedError, reply.elapsedTime, request.id as string]);
  };
}
