/** The benchmark's baseline: bare Fastify on the odometer path, logging like production, so the ratio isolates carport's own cost. */
import Fastify from 'fastify';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('bare-server: PORT must be set to a free port');
  process.exit(2);
}

// Same level and sink (stdout, which the bench points at /dev/null) as carport, so both pay for
// the two request log lines Fastify writes per request.
const app = Fastify({ logger: { level: 'info' } });

app.get('/v2.0/vehicles/:id/odometer', async () => ({ distance: 104.32 }));
app.get('/healthz', async () => ({ status: 'ok' }));

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
process.once('SIGINT', () => void app.close().then(() => process.exit(0)));

await app.listen({ port, host: '127.0.0.1' });
