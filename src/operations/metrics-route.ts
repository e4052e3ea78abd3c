/**
 * `GET /metrics`: the node's metrics in Prometheus' text format, for the bearer of METRICS_TOKEN
 * only. Without a token configured the route is not there at all (404, as any unknown path).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { PlatformMetrics } from './metrics.js';

export function registerMetricsRoute(app: FastifyInstance, metrics: PlatformMetrics, token: string | undefined): void {
  if (!token) return;
  const expected = Buffer.from(`Bearer ${token}`);
  app.get('/metrics', async (request, reply) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' });
    }
    const text = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
