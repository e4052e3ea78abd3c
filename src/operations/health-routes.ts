/**
 * `GET /healthz`: the process answers (liveness). `GET /readyz`: the node should get traffic —
 * 200 when every part is fine, 503 naming the failing part, or `draining` once shutdown began.
 */
import type { FastifyInstance } from 'fastify';
import type { Readiness } from './readiness.js';

export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const report = await readiness.report();
    const failing = Object.entries(report.checks).filter(([, result]) => result !== 'ok').map(([name]) => name);
    reply.header('cache-control', 'no-store');
    if (report.ready) return { status: 'ready', checks: report.checks };
    return reply.code(503).send({ status: report.draining ? 'draining' : 'unready', failing, checks: report.checks });
  });
}
