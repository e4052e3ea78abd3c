/**
 * Webhook definitions and subscriptions: the VERIFY handshake answered the way the official SDK
 * computes it, and vehicle.subscribe / vehicle.unsubscribe exactly as the SDK calls them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';
import { startReceiver, type Receiver } from './support/receiver.js';

type SdkError = InstanceType<typeof smartcar.SmartcarError>;
type SdkVehicle = InstanceType<typeof smartcar.Vehicle> & {
  subscribe(webhookId: string): Promise<Record<string, unknown>>;
  unsubscribe(amt: string, webhookId: string): Promise<Record<string, unknown>>;
};

let tp: TestPlatform;
let receiver: Receiver;

before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
  receiver = await startReceiver(() => tp.app.managementToken);
});
after(async () => {
  await receiver.close();
  await tp.close();
});

async function management(method: string, path: string, body?: unknown) {
  const res = await fetch(`${tp.baseUrl}/v2.0/management/webhooks${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function activeWebhook(data = ['/odometer']): Promise<string> {
  receiver.verifyMode = 'right';
  const created = await management('POST', '', { name: 'Odometer', url: receiver.url, type: 'scheduled', intervalSeconds: 3600, data });
  assert.equal(created.body.status, 'active', JSON.stringify(created.body));
  return created.body.webhookId as string;
}

describe('Webhook definitions and the VERIFY handshake', () => {
  test('a receiver answering with the SDK’s hashChallenge activates the webhook; the challenge was signed', async () => {
    const before = receiver.deliveries.length;
    const webhookId = await activeWebhook();
    const verify = receiver.deliveries[before]!;
    assert.equal(verify.body.eventName, 'verify');
    assert.equal(verify.body.webhookId, webhookId);
    assert.equal(verify.verified, true, 'verifyPayload accepts the signature');
    assert.equal(verify.raw, JSON.stringify(verify.body), 'compact JSON, as the SDKs re-serialize it');
    const listed = await management('GET', '');
    assert.ok((listed.body.webhooks as { webhookId: string }[]).some((w) => w.webhookId === webhookId));
  });

  test('a wrong answer or an error leaves it pending with the reason; verifying again activates it', async () => {
    receiver.verifyMode = 'wrong';
    const wrong = await management('POST', '', { url: receiver.url, type: 'event', triggers: ['charge_state_changed'], data: ['/charge'] });
    assert.equal(wrong.body.status, 'pending');
    assert.match(wrong.body.verification as string, /wrong challenge/);
    receiver.verifyMode = 'error';
    const failed = await management('POST', `/${wrong.body.webhookId as string}/verify`);
    assert.deepEqual(failed.body, { status: 'pending', verification: 'the receiver answered 500' });
    receiver.verifyMode = 'right';
    assert.equal((await management('POST', `/${wrong.body.webhookId as string}/verify`)).body.status, 'active');
  });

  test('bad definitions are VALIDATION: no URL, unknown data path, an event webhook without triggers', async () => {
    for (const body of [
      { type: 'scheduled', data: ['/odometer'] },
      { url: receiver.url, type: 'scheduled', data: ['/warp-core'] },
      { url: receiver.url, type: 'event', data: ['/charge'] },
    ]) {
      const res = await management('POST', '', body);
      assert.equal(res.status, 400);
      assert.equal(res.body.type, 'VALIDATION');
    }
  });
});

describe('Webhook health and deletion through the management API', () => {
  test('a webhook is not paused until its deliveries keep dead-lettering; resuming one that is not paused is VALIDATION', async () => {
    const webhookId = await activeWebhook();
    assert.equal((await management('GET', `/${webhookId}`)).body.paused, null);
    const resumed = await management('POST', `/${webhookId}/resume`);
    assert.equal(resumed.status, 400);
    assert.equal(resumed.body.type, 'VALIDATION');
  });

  test('DELETE ends the webhook: gone from the list, its vehicles unsubscribed, 404 afterwards', async () => {
    const webhookId = await activeWebhook();
    const { accessToken, vehicleIds } = await tp.token();
    await (new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle).subscribe(webhookId);
    assert.deepEqual(await management('DELETE', `/${webhookId}`), { status: 200, body: { status: 'success' } });
    assert.equal((await management('GET', `/${webhookId}`)).status, 404);
    assert.ok(!((await management('GET', '')).body.webhooks as { webhookId: string }[]).some((w) => w.webhookId === webhookId));
    assert.equal((await management('DELETE', `/${webhookId}`)).status, 404);
  });
});

describe('vehicle.subscribe and vehicle.unsubscribe (official SDK)', () => {
  test('subscribe answers {webhookId, vehicleId}; unsubscribe with the management token answers success', async () => {
    const webhookId = await activeWebhook();
    const { accessToken, vehicleIds } = await tp.token();
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle;
    const subscribed = await vehicle.subscribe(webhookId);
    assert.equal(subscribed.webhookId, webhookId);
    assert.equal(subscribed.vehicleId, vehicleIds[0]);
    assert.deepEqual((await management('GET', `/${webhookId}`)).body.vehicles, vehicleIds);
    const unsubscribed = await vehicle.unsubscribe(tp.app.managementToken, webhookId);
    assert.equal(unsubscribed.status, 'success');
    assert.deepEqual((await management('GET', `/${webhookId}`)).body.vehicles, []);
  });

  test('an unknown webhook is 400 VALIDATION; a wrong management token on unsubscribe is 401', async () => {
    const { accessToken, vehicleIds } = await tp.token();
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle;
    await assert.rejects(vehicle.subscribe('00000000-0000-4000-8000-000000000000'), (e: SdkError) => e.type === 'VALIDATION' && e.statusCode === 400);
    await assert.rejects(vehicle.unsubscribe('not-the-token', await activeWebhook()), (e: SdkError) => e.type === 'AUTHENTICATION' && e.statusCode === 401);
  });

  test('subscribing needs the permissions of the webhook’s data points', async () => {
    const webhookId = await activeWebhook(['/odometer', '/location']);
    const { accessToken, vehicleIds } = await tp.token({ scope: 'read_odometer' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle;
    await assert.rejects(vehicle.subscribe(webhookId), (e: SdkError) => e.type === 'PERMISSION');
  });

  test('ending the grant ends the subscription', async () => {
    const webhookId = await activeWebhook();
    const { accessToken, vehicleIds } = await tp.token();
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle;
    await vehicle.subscribe(webhookId);
    await vehicle.disconnect();
    assert.deepEqual((await management('GET', `/${webhookId}`)).body.vehicles, []);
  });
});
