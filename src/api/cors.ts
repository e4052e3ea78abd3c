/**
 * CORS on the API faces (browser apps may call them; Connect and the token endpoint never). The
 * plugin answers preflights, in a scope of its own that holds only its OPTIONS route; every other
 * route of the scope gets one hook of its own, made from options resolved once, that sets its
 * headers without looking at the request's route: the plugin rebuilt its options object on each
 * request (a twentieth of a small read's cost), and reading a route's config builds an object too.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { commaList } from '../core/index.js';

const METHODS = ['GET', 'POST', 'DELETE'];
const ALLOWED_HEADERS = ['authorization', 'content-type', 'sc-unit-system', 'sc-user-id'];
/** One string: a list would be joined again on every response. */
const EXPOSED_HEADERS = 'sc-request-id, sc-data-age, sc-fetched-at, sc-unit-system, retry-after';

/** `origins` is CORS_ORIGINS: `*`, or the comma-separated origins allowed. Registers before the scope's routes. */
export async function registerCors(api: FastifyInstance, origins: string): Promise<void> {
  const anyOrigin = origins.trim() === '*';
  const allowed = new Set(anyOrigin ? [] : commaList(origins));
  // What the plugin sets on a response that is not a preflight: the origin (any, or the caller's
  // when allowed, varying with it) and the headers a script may read.
  const plainRequest: onRequestHookHandler = anyOrigin
    ? (_request, reply, done) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', EXPOSED_HEADERS);
      done();
    }
    : (request, reply, done) => {
      reply.header('vary', 'Origin');
      const origin = request.headers.origin;
      if (origin !== undefined && allowed.has(origin)) reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', EXPOSED_HEADERS);
      done();
    };
  // Every route added from here on but the plugin's preflight route; first among its own hooks, as a
  // hook of the scope would run, so a route hook that answers early still answers with CORS.
  api.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('OPTIONS')) return;
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [plainRequest, ...own];
  });
  await api.register(async (preflights) => {
    await preflights.register(cors, {
      origin: anyOrigin ? '*' : [...allowed],
      credentials: false,
      // An OPTIONS request that is not a full preflight gets an empty 204, not the plugin's text/plain 400.
      strictPreflight: false,
      methods: METHODS,
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
    });
  });
}
