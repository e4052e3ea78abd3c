/**
 * CORS on the API faces (browser apps may call them; Connect and the token endpoint never). The
 * plugin answers preflights; every other response gets its headers from the hook here, from
 * options resolved once: the plugin rebuilds its options object on each request, which was a
 * twentieth of a small read's cost.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { commaList } from '../core/index.js';

const METHODS = ['GET', 'POST', 'DELETE'];
const ALLOWED_HEADERS = ['authorization', 'content-type', 'sc-unit-system', 'sc-user-id'];
/** One string: a list would be joined again on every response. */
const EXPOSED_HEADERS = 'sc-request-id, sc-data-age, sc-fetched-at, sc-unit-system, retry-after';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False on routes whose CORS headers the hook below sets (the plugin's own switch). */
    cors?: boolean;
  }
}

/** `origins` is CORS_ORIGINS: `*`, or the comma-separated origins allowed. Registers before the scope's routes. */
export async function registerCors(api: FastifyInstance, origins: string): Promise<void> {
  const anyOrigin = origins.trim() === '*';
  const allowed = new Set(anyOrigin ? [] : commaList(origins));
  // Every route added from here on but the plugin's preflight route leaves its headers to the hook.
  api.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('OPTIONS')) route.config = { ...route.config, cors: false };
  });
  await api.register(cors, {
    origin: anyOrigin ? '*' : [...allowed],
    credentials: false,
    // An OPTIONS request that is not a full preflight gets an empty 204, not the plugin's text/plain 400.
    strictPreflight: false,
    methods: METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
  });
  // What the plugin sets on a response that is not a preflight: the origin (any, or the caller's
  // when allowed, varying with it) and the headers a script may read.
  api.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config.cors === false) {
      if (anyOrigin) reply.header('access-control-allow-origin', '*');
      else {
        reply.header('vary', 'Origin');
        const origin = request.headers.origin;
        if (origin !== undefined && allowed.has(origin)) reply.header('access-control-allow-origin', origin);
      }
      reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    }
    done();
  });
}
