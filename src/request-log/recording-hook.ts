/** The response hook that hands each noted request to the recorder: one property check for any other request. */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../core/index.js';
import type { RequestRecorder } from './recorder.js';

/**
 * Registers on the root instance, before the routes, so every route inherits it. The system
 * clock is read as a number (no Date per request); a test clock goes through its Date.
 */
export function registerRequestRecording(app: FastifyInstance, recorder: RequestRecorder, clock: Clock, systemTime: boolean): void {
  const nowMs = systemTime ? Date.now : () => clock.now().getTime();
  app.addHook('onResponse', (request, reply, done) => {
    const appId = request.loggedAppId;
    if (appId !== null) {
      recorder.record([nowMs(), appId, request.method, request.url, reply.statusCode, request.loggedError, reply.elapsedTime, request.id as string]);
    }
    done();
  });
}
