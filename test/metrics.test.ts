/**
 * GET /metrics as Prometheus scrapes it: only with the configured bearer token (404 without one
 * configured), in the text format, counting requests by route template, method and status,
 * provider reads and commands, rate-limit refusals, webhook attempts and the outbox, and the
 * process defaults.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestToken } from '../src/cli/tokens.js';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { until } from './support/until.js';

const TOKEN = 'scrape-me-please-0123456789';

let tp: TestPlatform;
let receiver: Receiver;
let managementToken = '';

before(async () => {
  tp = await startPlatform({ metricsToken: TOKEN, rateLimits: 'on', appRequestsPerMinute: 5, webhookPollMs: 20 });
  receiver = await startReceiver(() => managementToken);
});
after(async () => {
  await receiver?.close();
  await tp?.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${tp.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of the sample with exactly these labels (in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    // Label values here never hold a comma or a quote: a split reads them.
    const found = Object.fromEntries((match[2] ?? '').split(',').filter(Boolean).map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 2, -1)];
    }));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && Object.keys(found).length === Object.keys(labels).length) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  test('is not served without METRICS_TOKEN', async () => {
    const bare = await startPlatform();
    try {
      assert.equal((await fetch(`${bare.baseUrl}/metrics`)).status, 404);
    } finally {
      await bare.close();
    }
  });

  test('answers only the bearer of the token', async () => {
    assert.equal((await fetch(`${tp.baseUrl}/metrics`)).status, 401);
    const wrong = await fetch(`${tp.baseUrl}/metrics`, { headers: { authorization: 'Bearer scrape-me-please-0123456780' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('www-authenticate'), 'Bearer');
    const text = await scrape();
    assert.ok(sample(text, 'process_cpu_user_seconds_total') !== undefined, 'the process defaults are there');
    assert.ok(sample(text, 'nodejs_eventloop_lag_seconds') !== undefined);
    if (tp.databaseUrl.startsWith('postgres')) {
      assert.ok((sample(text, 'carport_db_pool_connections', { state: 'total' }) ?? 0) >= 1, 'PostgreSQL\'s pool is watched');
    } else {
      assert.equal(sample(text, 'carport_db_pool_connections', { state: 'total' }), undefined, 'SQLite has no pool');
    }
  });

  test('counts requests by route template, provider reads and commands, and rate-limit refusals', async () => {
    const { accessToken, vehicleIds } = await tp.token({ scope: 'read_odometer control_security' });
    const auth = { authorization: `Bearer ${accessToken}` };
    const base = `${tp.baseUrl}/v2.0/vehicles/${vehicleIds[0]}`;
    assert.equal((await fetch(`${base}/odometer`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${base}/odometer`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${base}/security`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"action":"LOCK"}' })).status, 200);
    // The app's budget is five a minute: the sixth and later are refused.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${base}/odometer`, { headers: auth })).status);
    assert.ok(statuses.includes(429), `a request past the budget is refused: ${statuses.join(' ')}`);

    const text = await scrape();
    const odometer = { route: '/v2.0/vehicles/:id/odometer', method: 'GET', status: '200' };
    assert.ok((sample(text, 'carport_http_request_duration_seconds_count', odometer) ?? 0) >= 2, 'odometer reads by their route template');
    assert.ok((sample(text, 'carport_http_request_duration_seconds_bucket', { ...odometer, le: '+Inf' }) ?? 0) >= 2);
    assert.ok((sample(text, 'carport_http_request_duration_seconds_count', { ...odometer, status: '429' }) ?? 0) >= 1);
    assert.ok((sample(text, 'carport_provider_operations_total', { provider: 'simulator', kind: 'read', outcome: 'ok' }) ?? 0) >= 2);
    assert.equal(sample(text, 'carport_provider_operations_total', { provider: 'simulator', kind: 'command', outcome: 'ok' }), 1);
    assert.ok((sample(text, 'carport_rate_limit_refusals_total', { limit: 'app' }) ?? 0) >= 1);
    assert.ok(!text.includes(accessToken), 'no token in the metrics');
    assert.ok(!text.includes(vehicleIds[0]!), 'no vehicle id: routes are templates');
  });

  test('webhook attempts by result, deliveries waiting in the outbox and in flight', async () => {
    const app = await tp.platform.services.apps.create({ name: 'Metrics app', redirectUris: ['https://metrics.example/cb'] });
    managementToken = app.managementToken;
    const { webhook } = await tp.platform.services.webhooks.create(app.clientId, {
      name: 'Failing feed', url: receiver.url, type: 'scheduled', intervalSeconds: 86_400, data: ['/odometer'],
    });
    receiver.deliveryStatus = 503;
    const { accessToken, vehicleIds } = await createTestToken(tp.platform.services, { clientId: app.clientId, scope: 'read_odometer', make: 'TESLA', vehicles: 1 });
    const subscribed = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleIds[0]}/webhooks/${webhook.id}`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(subscribed.status, 200);
    const retried = await until('a failed attempt counted', async () => {
      const text = await scrape();
      return (sample(text, 'carport_webhook_attempts_total', { result: 'retry' }) ?? 0) >= 1 ? text : undefined;
    }, 30_000);
    assert.ok((sample(retried, 'carport_webhook_outbox_depth') ?? 0) >= 1, 'the delivery waits for its retry');
    assert.ok((sample(retried, 'carport_webhook_outbox_oldest_pending_seconds') ?? -1) >= 0);
    assert.ok(sample(retried, 'carport_webhook_deliveries_in_flight') !== undefined);
  });
});
