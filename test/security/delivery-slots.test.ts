/**
 * One developer's receivers that never answer hold at most that app's share of the delivery
 * slots (WEBHOOK_APP_IN_FLIGHT, by default a fifth of WEBHOOK_BATCH_SIZE), so another app's
 * deliveries go out while they hang, instead of waiting out the 15-second timeout.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import type { CreatedApp } from '../../src/oauth/index.js';
import { ALL_SCOPES, pointSdkAt, startPlatform, type TestPlatform } from '../support/platform.js';
import { createTestToken } from '../../src/cli/tokens.js';
import { until } from '../support/until.js';

type SdkVehicle = InstanceType<typeof smartcar.Vehicle> & { subscribe(webhookId: string): Promise<Record<string, unknown>> };
const sdk = smartcar as unknown as { hashChallenge(amt: string, challenge: string): string };

const BATCH = 10;
/** The default share: a fifth of the batch. */
const SHARE = 2;
const STUCK_VEHICLES = 12;

interface TestReceiver {
  url: string;
  /** Data deliveries received and not answered, and not given up by carport either. */
  open: number;
  mostOpen: number;
  /** Data deliveries carport abandoned (its timeout) before an answer. */
  abandoned: number;
  received: number;
  close(): Promise<void>;
}

/** Answers VERIFY with the app's token; data deliveries are answered at once (`hang` false) or never. */
async function receiverFor(managementToken: string, hang: boolean, onData?: () => void): Promise<TestReceiver> {
  const r: TestReceiver = { url: '', open: 0, mostOpen: 0, abandoned: 0, received: 0, close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (c: string) => { raw += c; }).on('end', () => {
      const body = JSON.parse(raw) as { eventName?: string; payload?: { challenge?: string } };
      if (body.eventName === 'verify') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: sdk.hashChallenge(managementToken, body.payload!.challenge!) }));
        return;
      }
      r.received += 1;
      onData?.();
      if (!hang) return void res.writeHead(200).end();
      r.open += 1;
      r.mostOpen = Math.max(r.mostOpen, r.open);
      res.on('close', () => {
        r.open -= 1;
        r.abandoned += 1;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  r.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  r.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return r;
}

describe('Delivery slots per application', () => {
  let tp: TestPlatform;
  let other: CreatedApp;
  let stuck: TestReceiver;
  let healthy: TestReceiver;
  /** What the stuck receiver looked like when the healthy one got its delivery. */
  let stuckWhenHealthyArrived: { open: number; abandoned: number } | undefined;

  before(async () => {
    tp = await startPlatform({ webhookPollMs: 20, webhookBatchSize: BATCH, webhookRetryBaseMs: 3_600_000 });
    pointSdkAt(tp.baseUrl);
    other = await tp.platform.services.apps.create({ name: 'Healthy app', redirectUris: ['https://healthy.example.com/cb'] });
    stuck = await receiverFor(tp.app.managementToken, true);
    healthy = await receiverFor(other.managementToken, false, () => {
      stuckWhenHealthyArrived ??= { open: stuck.open, abandoned: stuck.abandoned };
    });
  });
  after(async () => {
    // Closing the receivers first ends the hanging deliveries, so the worker stops at once.
    await stuck.close();
    await healthy.close();
    await tp.close();
  });

  async function scheduledWebhook(app: CreatedApp, url: string): Promise<string> {
    const res = await fetch(`${tp.baseUrl}/v2.0/management/webhooks`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`default:${app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] }),
    });
    const body = (await res.json()) as { webhookId: string; status: string };
    assert.equal(body.status, 'active');
    return body.webhookId;
  }

  async function subscribe(app: CreatedApp, webhookId: string, vehicles: number): Promise<void> {
    const { accessToken, vehicleIds } = await createTestToken(tp.platform.services, {
      clientId: app.clientId, scope: ALL_SCOPES, make: 'TESLA', vehicles, email: `${crypto.randomUUID()}@example.com`,
    });
    for (const id of vehicleIds) await (new smartcar.Vehicle(id, accessToken) as SdkVehicle).subscribe(webhookId);
  }

  test('an app whose receivers never answer holds only its share; another app’s deliveries arrive meanwhile', async () => {
    const stuckHook = await scheduledWebhook(tp.app, stuck.url);
    await subscribe(tp.app, stuckHook, STUCK_VEHICLES);
    // Every stuck delivery is queued before the healthy app's: oldest first, they would take every slot.
    await until('the stuck app’s deliveries queued', async () => {
      const rows = await tp.platform.db.selectFrom('webhook_outbox').select('id').where('webhook_id', '=', stuckHook).execute();
      return rows.length >= STUCK_VEHICLES;
    }, 30_000);
    await until('the stuck receiver holding deliveries', () => stuck.open >= SHARE, 30_000);

    const healthyHook = await scheduledWebhook(other, healthy.url);
    await subscribe(other, healthyHook, 1);
    await until('the healthy app’s delivery', () => healthy.received > 0, 30_000);

    assert.ok(stuckWhenHealthyArrived, 'the healthy receiver got a delivery');
    assert.equal(stuckWhenHealthyArrived.abandoned, 0, 'it arrived while the stuck deliveries were still held, not after they timed out');
    assert.ok(stuckWhenHealthyArrived.open >= SHARE, 'the stuck app was holding its share meanwhile');
    assert.equal(stuck.mostOpen, SHARE, `the stuck app never held more than its share of ${BATCH} slots`);
  });
});
