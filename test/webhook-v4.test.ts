/**
 * The v4.0 webhook payload: VERIFY in its envelope, a FIRST_DELIVERY after subscribing, a
 * VEHICLE_STATE naming the signals whose change triggered it with every subscribed signal, and each
 * attempt's own deliveryId — all signed so the SDK's verifyPayload accepts them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { isUuid } from '../src/core/index.js';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';
import { until } from './support/until.js';
import { startReceiver, type Delivery, type Receiver } from './support/receiver.js';

type SdkVehicle = InstanceType<typeof smartcar.Vehicle> & { subscribe(webhookId: string): Promise<Record<string, unknown>> };

interface V4Event {
  eventId: string;
  eventType: string;
  vehicleId?: string;
  data: Record<string, unknown>;
  meta: { version: string; webhookId: string; webhookName: string; deliveryId: string; deliveredAt: number; mode?: string; signalCount?: number };
}

interface V4Signal {
  code: string;
  name: string;
  group: string;
  body?: Record<string, unknown>;
  status: { value: string };
  meta?: { oemUpdatedAt: number; fetchedAt: number };
}

let tp: TestPlatform;
let receiver: Receiver;

before(async () => {
  tp = await startPlatform({ webhookPollMs: 20, webhookEventPollMs: 50, webhookRetryBaseMs: 100 });
  pointSdkAt(tp.baseUrl);
  receiver = await startReceiver(() => tp.app.managementToken);
});
after(async () => {
  await tp.close();
  await receiver.close();
});

function createWebhook(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${tp.baseUrl}/v2.0/management/webhooks`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const eventsOf = (webhookId: string) => receiver.deliveries
  .filter((d) => (d.body as unknown as V4Event).meta?.webhookId === webhookId && d.body.eventType === 'VEHICLE_STATE');
const event = (d: Delivery) => d.body as unknown as V4Event;

describe('v4.0 webhooks', () => {
  test('VERIFY, FIRST_DELIVERY, then a lock change: the v4.0 envelope, signals and triggers, verified with the SDK', async () => {
    const res = await createWebhook({
      name: 'Fleet state', url: receiver.url, type: 'event', version: '4.0', triggers: ['lock_state_changed', 'charge_state_changed'],
      data: ['/security', '/battery', '/charge'],
    });
    const created = (await res.json()) as { webhookId: string; status: string; version: string };
    assert.deepEqual([res.status, created.status, created.version], [200, 'active', '4.0']);

    const verify = receiver.deliveries.find((d) => d.body.eventType === 'VERIFY' && event(d).meta.webhookId === created.webhookId)!;
    assert.equal(verify.verified, true);
    assert.deepEqual(Object.keys(verify.body), ['eventId', 'eventType', 'data', 'meta'], 'no vehicleId on VERIFY');
    assert.equal(typeof (verify.body.data as { challenge: string }).challenge, 'string');
    const verifyMeta = event(verify).meta;
    assert.deepEqual([verifyMeta.version, verifyMeta.webhookName, isUuid(verifyMeta.deliveryId), typeof verifyMeta.deliveredAt], ['4.0', 'Fleet state', true, 'number']);

    const { accessToken, vehicleIds } = await tp.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    const vehicleId = vehicleIds[0]!;
    await tp.platform.services.simulator.setValues((await tp.platform.services.vehicles.find(vehicleId))!, { isLocked: false, activity: 'parked' });
    const vehicle = new smartcar.Vehicle(vehicleId, accessToken) as SdkVehicle;
    await vehicle.subscribe(created.webhookId);

    const first = await until('the FIRST_DELIVERY', () => eventsOf(created.webhookId)[0]);
    assert.equal(first.verified, true);
    assert.equal(first.raw, JSON.stringify(first.body), 'compact JSON');
    assert.deepEqual(Object.keys(first.body), ['eventId', 'eventType', 'vehicleId', 'data', 'meta']);
    const { data, meta } = event(first);
    assert.deepEqual(Object.keys(data), ['user', 'vehicle', 'triggers', 'signals']);
    assert.deepEqual(data.triggers, [{ code: 'FIRST_DELIVERY' }]);
    const attributes = await vehicle.attributes();
    assert.deepEqual(data.vehicle, { id: vehicleId, make: attributes.make, model: attributes.model, year: attributes.year });
    assert.deepEqual(data.user, { id: (await smartcar.getUser(accessToken)).id });
    const signals = data.signals as V4Signal[];
    assert.deepEqual(signals.map((s) => s.code), [
      'closure-islocked', 'tractionbattery-stateofcharge', 'tractionbattery-range', 'charge-ischarging', 'charge-ischargingcableconnected',
    ]);
    assert.deepEqual(signals[0], { ...signals[0], name: 'IsLocked', group: 'Closure', body: { value: false }, status: { value: 'SUCCESS' } });
    const battery = (await vehicle.battery()) as unknown as { percentRemaining: number };
    assert.deepEqual(signals[1]!.body, { unit: 'percent', value: Math.round(battery.percentRemaining * 10_000) / 100 });
    assert.equal(typeof signals[1]!.meta!.oemUpdatedAt, 'number');
    assert.deepEqual([meta.version, meta.webhookName, meta.mode, meta.signalCount], ['4.0', 'Fleet state', 'TEST', 5]);
    assert.ok(isUuid(meta.deliveryId));

    await vehicle.lock();
    const changed = await until('the lock change', () => eventsOf(created.webhookId)[1]);
    assert.equal(changed.verified, true);
    assert.deepEqual(event(changed).data.triggers, [{ code: 'closure-islocked', name: 'IsLocked', group: 'Closure' }]);
    assert.deepEqual((event(changed).data.signals as V4Signal[])[0]!.body, { value: true });
    assert.notEqual(event(changed).eventId, event(first).eventId);
  });

  test('each attempt carries its own deliveryId and time; the eventId stays', async () => {
    const res = await createWebhook({ url: receiver.url, type: 'event', version: '4.0', triggers: ['lock_state_changed'], data: ['/security'] });
    const { webhookId } = (await res.json()) as { webhookId: string };
    receiver.deliveryStatus = 503;
    const { accessToken, vehicleIds } = await tp.token();
    await (new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle).subscribe(webhookId);
    const attempts = await until('a retried delivery', () => {
      const seen = eventsOf(webhookId);
      return seen.length >= 2 ? seen : undefined;
    });
    receiver.deliveryStatus = 200;
    const [a, b] = attempts.map(event);
    assert.equal(a!.eventId, b!.eventId);
    assert.notEqual(a!.meta.deliveryId, b!.meta.deliveryId);
    assert.ok(b!.meta.deliveredAt > a!.meta.deliveredAt);
    assert.ok(attempts.every((d) => d.verified), 'every attempt signed over its own body');
  });

  test('a car that stops answering is a VEHICLE_ERROR; answering again resolves it', async () => {
    const res = await createWebhook({ url: receiver.url, type: 'event', version: '4.0', triggers: ['lock_state_changed'], data: ['/security', '/odometer'] });
    const { webhookId } = (await res.json()) as { webhookId: string };
    const { vehicleIds } = await tp.token();
    const sim = tp.platform.services.simulator;
    const car = async () => (await tp.platform.services.vehicles.find(vehicleIds[0]!))!;
    await tp.platform.services.webhooks.subscribe(tp.app.clientId, webhookId, vehicleIds[0]!);
    await until('the FIRST_DELIVERY', () => eventsOf(webhookId)[0]);

    const errorsOf = () => receiver.deliveries.filter((d) => d.body.eventType === 'VEHICLE_ERROR' && event(d).meta.webhookId === webhookId);
    await sim.injectFault(await car(), 'unreachable', null);
    const raised = await until('the VEHICLE_ERROR', () => errorsOf()[0]);
    assert.equal(raised.verified, true);
    assert.deepEqual(Object.keys(event(raised).data), ['user', 'vehicle', 'errors']);
    const [error] = event(raised).data.errors as Record<string, unknown>[];
    assert.deepEqual([error!.type, error!.code, error!.state], ['VEHICLE_STATE', 'UNREACHABLE', 'ERROR']);
    assert.equal(typeof error!.description, 'string');
    assert.deepEqual(error!.signals, [
      { code: 'closure-islocked', name: 'IsLocked', group: 'Closure' },
      { code: 'odometer-traveleddistance', name: 'TraveledDistance', group: 'Odometer' },
    ]);
    assert.equal(event(raised).meta.signalCount, undefined, 'signalCount is only on VEHICLE_STATE');

    await sim.clearFaults(await car());
    const resolved = await until('the resolution', () => errorsOf()[1]);
    const [again] = event(resolved).data.errors as Record<string, unknown>[];
    assert.deepEqual([again!.type, again!.code, again!.state], ['VEHICLE_STATE', 'UNREACHABLE', 'RESOLVED']);
    assert.equal(errorsOf().length, 2, 'an open error is reported once, not at every look');
  });

  test('v4.0 is for event webhooks over data points that have signals', async () => {
    const scheduled = await createWebhook({ url: receiver.url, type: 'scheduled', version: '4.0', data: ['/odometer'] });
    assert.equal(scheduled.status, 400);
    assert.equal(((await scheduled.json()) as { type: string }).type, 'VALIDATION');
    const tires = await createWebhook({ url: receiver.url, type: 'event', version: '4.0', triggers: ['lock_state_changed'], data: ['/tires/pressure'] });
    assert.equal(tires.status, 400);
    const body = (await tires.json()) as { detail: { field: string[]; message: string }[] };
    assert.deepEqual(body.detail[0]!.field, ['data']);
    assert.match(body.detail[0]!.message, /\/tires\/pressure/);
  });
});
