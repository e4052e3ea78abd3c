/** The benchmark's baseline, and its ceiling: bare Fastify on the odometer path without request logging, so the ratio counts carport's logging as part of its cost. */
import Fastify from 'fastify';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('bare-server: PORT must be set to a free port');
  process.exit(2);
}

// No logger: the ceiling a route can reach. carport runs as in production, its request log included.
const app = Fastify();

app.get('/v2.0/vehicles/:id/odometer', async () => ({ distance: 104.32 }));
app.get('/healthz', async () => ({ status: 'ok' }));

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
process.once('SIGINT', () => void app.close().then(() => process.exit(0)));

await app.listen({ port, host: '127.0.0.1' });
