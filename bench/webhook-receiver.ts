/** The webhook benchmark's receiver, in its own process: checks every SC-Signature with the official SDK, answers 200, notes when each event arrived. */
import { createServer } from 'node:http';
import smartcar from 'smartcar';

const sdk = smartcar as unknown as {
  hashChallenge(amt: string, challenge: string): string;
  verifyPayload(amt: string, signature: string, body: unknown): boolean;
};

/** What the benchmark reads back: first arrival per event, and everything that should not have happened. */
export interface ReceiverStats {
  deliveries: number;
  distinct: number;
  duplicates: number;
  badSignatures: number;
  malformed: number;
  byWebhook: Record<string, number>;
}

/** [webhookId, eventId, first arrival in ms since the epoch (fractional)] per distinct event. */
export type Arrival = [string, string, number];

const token = process.env.BENCH_MANAGEMENT_TOKEN ?? '';
const port = Number(process.env.PORT);
if (!token || !Number.isInteger(port)) {
  console.error('webhook-receiver: BENCH_MANAGEMENT_TOKEN and PORT are required');
  process.exit(2);
}

const stats: ReceiverStats = { deliveries: 0, distinct: 0, duplicates: 0, badSignatures: 0, malformed: 0, byWebhook: {} };
const arrivals = new Map<string, Arrival>();
// Wall-clock time with the monotonic clock's resolution: delays are taken against times other processes wrote.
const nowMs = () => performance.timeOrigin + performance.now();

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    if (req.url === '/stats') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    if (req.url === '/arrivals') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([...arrivals.values()]));
    return res.writeHead(req.url === '/healthz' ? 200 : 404).end();
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
    const at = nowMs();
    let body: { eventName?: unknown; eventId?: unknown; webhookId?: unknown; payload?: { challenge?: unknown } };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      stats.malformed += 1;
      return res.writeHead(400).end();
    }
    const signature = req.headers['sc-signature'];
    if (typeof signature !== 'string' || !sdk.verifyPayload(token, signature, body)) {
      stats.badSignatures += 1;
      // A 401 would be retried and delivered twice; the count is what the benchmark reports.
      return res.writeHead(200).end();
    }
    if (body.eventName === 'verify') {
      const challenge = typeof body.payload?.challenge === 'string' ? body.payload.challenge : '';
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: sdk.hashChallenge(token, challenge) }));
    }
    stats.deliveries += 1;
    if (typeof body.eventId !== 'string' || typeof body.webhookId !== 'string') stats.malformed += 1;
    else if (arrivals.has(body.eventId)) stats.duplicates += 1;
    else {
      arrivals.set(body.eventId, [body.webhookId, body.eventId, at]);
      stats.distinct += 1;
      stats.byWebhook[body.webhookId] = (stats.byWebhook[body.webhookId] ?? 0) + 1;
    }
    res.writeHead(200).end();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
