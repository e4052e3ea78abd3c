/**
 * The benchmark's baseline, and its ceiling: bare Fastify on carport's paths without request logging,
 * so the ratio counts carport's logging as part of its cost. The odometer route answers a small
 * object; the v3 signal list answers, when `SIGNALS_BODY_FILE` names one, the very bytes carport
 * gave for it, serialized once at start (the same bytes to send, none of the work to produce them).
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('bare-server: PORT must be set to a free port');
  process.exit(2);
}
const signalsBodyFile = process.env.SIGNALS_BODY_FILE;
const signalsBody = signalsBodyFile ? readFileSync(signalsBodyFile, 'utf8') : undefined;

// No logger: the ceiling a route can reach. carport runs as in production, its request log included.
const app = Fastify();

app.get('/v2.0/vehicles/:id/odometer', async () => ({ distance: 104.32 }));
// A string: serializing the object again on every request would make the ceiling slower than carport.
if (signalsBody !== undefined) {
  app.get('/v3/vehicles/:id/signals', async (_request, reply) => reply.type('application/json; charset=utf-8').send(signalsBody));
}
app.get('/healthz', async () => ({ status: 'ok' }));

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
process.once('SIGINT', () => void app.close().then(() => process.exit(0)));

await app.listen({ port, host: '127.0.0.1' });
