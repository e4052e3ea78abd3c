/**
 * Webhook deliveries: scheduled data reaches a real receiver signed so the SDK's verifyPayload
 * accepts it; a receiver that is down gets everything, in order, once it is back; what fails past
 * the horizon is dead-lettered; 410 unsubscribes. The platform's clock is moved, not waited for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { MovableClock, pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';
import { until } from './support/until.js';
import { startReceiver, type Delivery, type Receiver } from './support/receiver.js';

type SdkVehicle = InstanceType<typeof smartcar.Vehicle> & { subscribe(webhookId: string): Promise<Record<string, unknown>> };

/** Bound on waiting for what the worker does on its own: generous, for a loaded machine. */
const WAIT_MS = 30_000;

const clock = new MovableClock();
let tp: TestPlatform;
let receiver: Receiver;

before(async () => {
  // Claims outlast every jump of the clock below: an attempt still in flight is never claimed a second time
  // (which, answered out of turn, would look like an event sent before its predecessor was delivered).
  tp = await startPlatform({
    webhookPollMs: 20, webhookEventPollMs: 50, webhookRetryBaseMs: 1000, webhookRetryHorizonMs: 3_600_000, webhookLeaseMs: 3_600_000,
  }, { clock });
  pointSdkAt(tp.baseUrl);
  receiver = await startReceiver(() => tp.app.managementToken);
});
after(async () => {
  await tp.close();
  await receiver.close();
});

async function scheduledWebhook(url = receiver.url): Promise<string> {
  const res = await fetch(`${tp.baseUrl}/v2.0/management/webhooks`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, type: 'scheduled', intervalSeconds: 60, data: ['/odometer', '/location'] }),
  });
  const body = (await res.json()) as { webhookId: string; status: string };
  assert.equal(body.status, 'active');
  return body.webhookId;
}

async function subscribedVehicle(webhookId: string): Promise<string> {
  const { accessToken, vehicleIds } = await tp.token();
  await (new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle).subscribe(webhookId);
  return vehicleIds[0]!;
}

const dataFor = (webhookId: string, vehicleId: string) => (d: Delivery) => d.body.webhookId === webhookId && d.body.eventName === 'scheduled'
  && (d.body.payload as { vehicles: { vehicleId: string }[] }).vehicles[0]?.vehicleId === vehicleId;

describe('Scheduled deliveries', () => {
  test('a subscribed vehicle’s data arrives signed, in the v2.0 format, and verifyPayload accepts it', async () => {
    const webhookId = await scheduledWebhook();
    const vehicleId = await subscribedVehicle(webhookId);
    const delivery = await until('a delivery', () => receiver.deliveries.find(dataFor(webhookId, vehicleId)), WAIT_MS);
    assert.equal(delivery.verified, true);
    assert.equal(delivery.raw, JSON.stringify(delivery.body));
    const { version, mode, payload } = delivery.body as { version: string; mode: string; payload: { vehicles: { requestId: string; data: { path: string; code: number; body: Record<string, unknown>; headers: Record<string, string> }[] }[] } };
    assert.deepEqual([version, mode], ['2.0', 'test']);
    const [odometer, location] = payload.vehicles[0]!.data;
    assert.deepEqual([odometer!.path, odometer!.code, typeof odometer!.body.distance], ['/odometer', 200, 'number']);
    assert.match(odometer!.headers['sc-data-age']!, /Z$/);
    assert.equal(location!.path, '/location');

    clock.advance(61_000);
    await until('the next scheduled delivery', () => receiver.deliveries.filter(dataFor(webhookId, vehicleId)).length >= 2, WAIT_MS);
  });

  test('a receiver that is down gets every delivery, in order, once it is back', async () => {
    const webhookId = await scheduledWebhook();
    receiver.deliveryStatus = 503;
    const vehicleId = await subscribedVehicle(webhookId);
    await until('a first failed attempt', () => receiver.deliveries.some(dataFor(webhookId, vehicleId)), WAIT_MS);
    // Three more scheduled events queue up behind the first while the receiver is down.
    const queued = async () => (await tp.platform.db.selectFrom('webhook_outbox').select('id').where('webhook_id', '=', webhookId).execute()).length;
    for (let events = 2; events <= 4; events++) {
      clock.advance(61_000);
      await until(`${events} events queued`, async () => (await queued()) >= events, WAIT_MS);
      assert.equal(await queued(), events);
    }
    receiver.deliveryStatus = 200;
    clock.advance(3_600_000 / 2);
    // An attempt answered 503 just before the receiver came back may be recorded after the jump: its retry is
    // then a backoff (seconds, growing with the attempts so far) past the jumped clock. The clock keeps
    // moving while the test waits, as real time would, only faster.
    await until('all four events', () => {
      clock.advance(500);
      return new Set(receiver.deliveries.filter(dataFor(webhookId, vehicleId)).map((d) => d.body.eventId)).size >= 4;
    }, WAIT_MS);
    // Each event is retried until delivered, and a later event is never sent before an earlier one is delivered.
    const seen = receiver.deliveries.filter(dataFor(webhookId, vehicleId)).map((d) => d.body.eventId as string);
    const firstSeen = [...new Set(seen)];
    for (let i = 1; i < firstSeen.length; i++) {
      assert.ok(seen.lastIndexOf(firstSeen[i - 1]!) < seen.indexOf(firstSeen[i]!), 'in order per vehicle');
    }
  });

  test('a receiver answering 410 is unsubscribed', async () => {
    const webhookId = await scheduledWebhook();
    receiver.deliveryStatus = 410;
    const vehicleId = await subscribedVehicle(webhookId);
    await until('the 410 answer', () => receiver.deliveries.some(dataFor(webhookId, vehicleId)), WAIT_MS);
    const subscribed = async () => {
      const res = await fetch(`${tp.baseUrl}/v2.0/management/webhooks/${webhookId}`, {
        headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}` },
      });
      return ((await res.json()) as { vehicles: string[] }).vehicles;
    };
    try {
      await until('the unsubscription', async () => (await subscribed()).length === 0, WAIT_MS);
    } finally {
      receiver.deliveryStatus = 200;
    }
  });
});

describe('Receivers that do not answer', () => {
  test('a receiver that does not answer holds up only its own deliveries', async () => {
    const slow = await startReceiver(() => tp.app.managementToken);
    try {
      slow.responseDelayMs = 5_000;
      const slowWebhook = await scheduledWebhook(slow.url);
      await subscribedVehicle(slowWebhook);
      await until('a delivery the slow receiver holds', () => slow.inFlight > 0 || undefined, WAIT_MS);
      const webhookId = await scheduledWebhook();
      const vehicleId = await subscribedVehicle(webhookId);
      await until('the other receiver’s delivery', () => receiver.deliveries.find(dataFor(webhookId, vehicleId)), 4_000);
      assert.ok(slow.inFlight > 0, 'delivered while the slow receiver still had not answered');
    } finally {
      await slow.close();
    }
  });
});

describe('Event deliveries', () => {
  test('lock and charge changes fire their triggers, in order, with the webhook’s data', async () => {
    const res = await fetch(`${tp.baseUrl}/v2.0/management/webhooks`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, type: 'event', triggers: ['charge_state_changed', 'lock_state_changed', 'charge_limit_reached'], data: ['/charge', '/battery'] }),
    });
    const { webhookId } = (await res.json()) as { webhookId: string };
    const { accessToken, vehicleIds } = await tp.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    const vehicleId = vehicleIds[0]!;
    const sim = tp.platform.services.simulator;
    await sim.setValues((await tp.platform.services.vehicles.find(vehicleId))!, {
      soc: 0.5, chargeLimit: 0.8, isPluggedIn: true, charger: { powerKw: 11, dc: false }, isLocked: false, activity: 'parked',
    });
    const vehicle = new smartcar.Vehicle(vehicleId, accessToken) as SdkVehicle;
    await vehicle.subscribe(webhookId);
    const looked = async () => (await tp.platform.db.selectFrom('webhook_subscriptions').select('last_seen')
      .where('webhook_id', '=', webhookId).executeTakeFirst())?.last_seen;
    await until('the first look', async () => (await looked()) ?? undefined, WAIT_MS);

    const events = () => receiver.deliveries.filter((d) => d.body.webhookId === webhookId && d.body.eventName === 'eventBased')
      .map((d) => (d.body.payload as { eventType: string }).eventType);
    await vehicle.lock();
    await until('LOCKED', () => events().includes('LOCKED') || undefined, WAIT_MS);
    await vehicle.startCharge();
    await until('CHARGING_STARTED', () => events().includes('CHARGING_STARTED') || undefined, WAIT_MS);
    clock.advance(10 * 3_600_000);
    await until('CHARGING_COMPLETED', () => events().includes('CHARGE_LIMIT_REACHED') || undefined, WAIT_MS);
    assert.deepEqual(events(), ['LOCKED', 'CHARGING_STARTED', 'CHARGING_COMPLETED', 'CHARGE_LIMIT_REACHED']);
    const completed = receiver.deliveries.find((d) => (d.body.payload as { eventType?: string }).eventType === 'CHARGING_COMPLETED')!;
    assert.equal(completed.verified, true);
    const payload = completed.body.payload as { vehicleId: string; eventTime: string; vehicles: { data: { path: string; body: { state?: string } }[] }[] };
    assert.equal(payload.vehicleId, vehicleId);
    assert.match(payload.eventTime, /Z$/);
    assert.equal(payload.vehicles[0]!.data.find((d) => d.path === '/charge')!.body.state, 'FULLY_CHARGED');
  });
});
