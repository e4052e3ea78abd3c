/**
 * The v4.0 webhook payload: VERIFY in its envelope, a FIRST_DELIVERY after subscribing, a
 * VEHICLE_STATE naming the signals whose change triggered it with every subscribed signal, and each
 * attempt's own deliveryId — all signed so the SDK's verifyPayload accepts them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { isUuid, signal } from '../src/core/index.js';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';
import { until } from './support/until.js';
import { startReceiver, type Delivery, type Receiver } from './support/receiver.js';

type SdkVehicle = InstanceType<typeof smartcar.Vehicle> & { subscribe(webhookId: string): Promise<Record<string, unknown>> };

interface V4Event {
  eventId: string;
  eventType: string;
  vehicleId?: string;
  data: Record<string, unknown>;
  triggers?: { type: string; signal?: { code: string; name: string; group: string } }[];
  meta: { version: string; webhookId: string; webhookName: string; deliveryId: string; deliveredAt: number; mode?: string; signalCount?: number };
}

interface V4Signal {
  code: string;
  name: string;
  group: string;
  body?: Record<string, unknown>;
  status: { value: string; error?: { type: string; code: string | null } };
  meta?: { oemUpdatedAt: number; retrievedAt: number; fetchedAt: number };
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
    // Top-level `triggers` as production delivers them, beside the documented `data.triggers`.
    assert.deepEqual(Object.keys(first.body), ['eventId', 'eventType', 'vehicleId', 'data', 'triggers', 'meta']);
    const { data, meta } = event(first);
    assert.deepEqual(Object.keys(data), ['user', 'vehicle', 'triggers', 'signals']);
    assert.deepEqual(data.triggers, [{ code: 'FIRST_DELIVERY' }]);
    assert.deepEqual(event(first).triggers, [{ type: 'FIRST_DELIVERY' }]);
    assert.deepEqual(Object.keys(meta), ['deliveryId', 'deliveredAt', 'version', 'webhookId', 'webhookName', 'mode', 'signalCount'], 'production’s meta');
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
    assert.equal(typeof signals[1]!.meta!.retrievedAt, 'number', 'production’s retrievedAt');
    assert.equal(signals[1]!.meta!.fetchedAt, signals[1]!.meta!.retrievedAt, 'the documented fetchedAt beside it');
    assert.deepEqual([meta.version, meta.webhookName, meta.mode, meta.signalCount], ['4.0', 'Fleet state', 'TEST', 5]);
    assert.ok(isUuid(meta.deliveryId));

    await vehicle.lock();
    const changed = await until('the lock change', () => eventsOf(created.webhookId)[1]);
    assert.equal(changed.verified, true);
    assert.deepEqual(event(changed).data.triggers, [{ code: 'closure-islocked', name: 'IsLocked', group: 'Closure' }]);
    assert.deepEqual(event(changed).triggers, [{ type: 'SIGNAL_UPDATED', signal: { code: 'closure-islocked', name: 'IsLocked', group: 'Closure' } }]);
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

  test('v4.0 is for event webhooks; data names catalog codes or data paths that show signals, and is refused otherwise with the valid ones', async () => {
    const scheduled = await createWebhook({ url: receiver.url, type: 'scheduled', version: '4.0', data: ['/odometer'] });
    assert.equal(scheduled.status, 400);
    assert.equal(((await scheduled.json()) as { type: string }).type, 'VALIDATION');
    // Tyre pressures are a catalog signal now (wheel-tires): the path is accepted for v4.0.
    const tires = await createWebhook({ url: receiver.url, type: 'event', version: '4.0', triggers: ['lock_state_changed'], data: ['/tires/pressure'] });
    assert.equal(tires.status, 200);
    for (const data of [['/'], ['charge-warpfactor'], ['/warp-core']]) {
      const refused = await createWebhook({ url: receiver.url, type: 'event', version: '4.0', triggers: ['lock_state_changed'], data });
      assert.equal(refused.status, 400);
      const body = (await refused.json()) as { type: string; detail: { field: string[]; message: string }[] };
      assert.equal(body.type, 'VALIDATION');
      assert.deepEqual(body.detail[0]!.field, ['data']);
      assert.ok(body.detail[0]!.message.includes(data[0]!), body.detail[0]!.message);
      assert.match(body.detail[0]!.message, /charge-voltage/, 'lists the valid codes');
    }
    const codeInV2 = await createWebhook({ url: receiver.url, type: 'event', triggers: ['lock_state_changed'], data: ['closure-islocked'] });
    assert.equal(codeInV2.status, 400, 'a v2.0 webhook carries data paths only');
  });
});

const errorEvents = (webhookId: string) => receiver.deliveries
  .filter((d) => (d.body as unknown as V4Event).meta?.webhookId === webhookId && d.body.eventType === 'VEHICLE_ERROR');

/**
 * What a receiver written like the Home Assistant integration takes from a VEHICLE_STATE (the
 * reference cites its webhooks.py): the codes of the top-level triggers, and each signal's value
 * with its times read from `meta.oemUpdatedAt` / `meta.retrievedAt` as epoch milliseconds.
 */
function readLikeHomeAssistant(body: Record<string, unknown>) {
  const message = body as { data?: { signals?: V4Signal[] }; triggers?: { type?: string; signal?: { code?: string } }[] };
  const triggered = (message.triggers ?? []).filter((t) => t.type === 'SIGNAL_UPDATED').map((t) => t.signal?.code);
  const values = new Map((message.data?.signals ?? []).map((signal) => {
    const isError = signal.status?.value === 'ERROR';
    const meta = signal.meta ?? { oemUpdatedAt: undefined, retrievedAt: undefined };
    return [signal.code, {
      body: isError ? { value: null } : signal.body,
      dataAge: !isError && meta.oemUpdatedAt ? new Date(meta.oemUpdatedAt) : null,
      fetchedAt: !isError && meta.retrievedAt ? new Date(meta.retrievedAt) : null,
    }] as const;
  }));
  return { triggered, values };
}

describe('v4.0 webhooks over the signal catalog', () => {
  test('data may name any catalog code: bodies in the catalog’s shapes, an incapable signal as a COMPATIBILITY error', async () => {
    const data = ['odometer-traveleddistance', 'charge-chargelimits', 'wheel-tires', 'vehicleidentification-vin', 'internalcombustionengine-fuellevel', 'charge-voltage'];
    const res = await createWebhook({ name: 'Catalog', url: receiver.url, type: 'event', version: '4.0', triggers: ['charge-ischargingcableconnected'], data });
    const created = (await res.json()) as { webhookId: string; data: string[]; triggers: string[] };
    assert.equal(res.status, 200, JSON.stringify(created));
    assert.deepEqual([created.data, created.triggers], [data, ['charge-ischargingcableconnected']]);
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3' });
    const vehicleId = vehicleIds[0]!;
    const car = async () => (await tp.platform.services.vehicles.find(vehicleId))!;
    await tp.platform.services.simulator.setValues(await car(), { isPluggedIn: false, charger: null, activity: 'parked' });
    const vehicle = new smartcar.Vehicle(vehicleId, accessToken) as SdkVehicle;
    await vehicle.subscribe(created.webhookId);

    const first = event(await until('the FIRST_DELIVERY', () => eventsOf(created.webhookId)[0]));
    const signals = first.data.signals as V4Signal[];
    assert.deepEqual(signals.map((s) => s.code), data);
    assert.equal(first.meta.signalCount, data.length);
    for (const s of signals) {
      const spec = signal(s.code);
      assert.deepEqual([s.name, s.group], [spec.name, spec.group]);
      if (s.status.value === 'SUCCESS') assert.ok(spec.body.safeParse(s.body).success, `${s.code}: ${JSON.stringify(s.body)}`);
      else assert.equal(s.status.error!.type, 'COMPATIBILITY', s.code);
    }
    const byCode = new Map(signals.map((s) => [s.code, s]));
    const odometer = (await vehicle.odometer()) as unknown as { distance: number };
    assert.deepEqual(byCode.get('odometer-traveleddistance')!.body, { value: odometer.distance, unit: 'km' });
    assert.equal(byCode.get('vehicleidentification-vin')!.meta!.oemUpdatedAt, 0, 'a fixed attribute');
    assert.deepEqual(byCode.get('internalcombustionengine-fuellevel'), {
      code: 'internalcombustionengine-fuellevel', name: 'FuelLevel', group: 'InternalCombustionEngine',
      status: { value: 'ERROR', error: { type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE' } },
    });
    const incapable = await until('the VEHICLE_ERROR', () => errorEvents(created.webhookId)[0]);
    const errors = event(incapable).data.errors as { type: string; code: string; signals: { code: string }[] }[];
    const notCapable = errors.find((e) => e.code === 'VEHICLE_NOT_CAPABLE')!;
    assert.deepEqual([notCapable.type, notCapable.signals.map((s) => s.code)], ['COMPATIBILITY', ['internalcombustionengine-fuellevel']]);

    await tp.platform.services.simulator.setValues(await car(), { isPluggedIn: true, charger: { powerKw: 11, dc: false } });
    const plugged = await until('the plug-in', () => eventsOf(created.webhookId)[1]);
    assert.equal(plugged.verified, true);
    const ref = { code: 'charge-ischargingcableconnected', name: 'IsChargingCableConnected', group: 'Charge' };
    assert.deepEqual(event(plugged).triggers, [{ type: 'SIGNAL_UPDATED', signal: ref }]);
    assert.deepEqual(event(plugged).data.triggers, [ref]);
    const seen = readLikeHomeAssistant(plugged.body);
    assert.deepEqual(seen.triggered, ['charge-ischargingcableconnected']);
    const distance = seen.values.get('odometer-traveleddistance')!;
    assert.equal((distance.body as { unit: string }).unit, 'km');
    assert.ok(distance.fetchedAt instanceof Date && !Number.isNaN(distance.fetchedAt.getTime()), 'retrievedAt read as epoch ms');
    assert.ok(distance.dataAge! <= distance.fetchedAt);
    assert.deepEqual(seen.values.get('internalcombustionengine-fuellevel')!.body, { value: null });
  });

  test('a trigger on closure-islocked fires SIGNAL_UPDATED when the car is locked, and again when unlocked', async () => {
    const res = await createWebhook({ url: receiver.url, type: 'event', version: '4.0', triggers: ['closure-islocked'], data: ['closure-islocked', 'closure-doors'] });
    const { webhookId } = (await res.json()) as { webhookId: string };
    const { accessToken, vehicleIds } = await tp.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    await tp.platform.services.simulator.setValues((await tp.platform.services.vehicles.find(vehicleIds[0]!))!, { isLocked: false, activity: 'parked' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle;
    await vehicle.subscribe(webhookId);
    await until('the FIRST_DELIVERY', () => eventsOf(webhookId)[0]);
    await vehicle.lock();
    await vehicle.unlock();
    const states = await until('two lock changes', () => (eventsOf(webhookId).length >= 3 ? eventsOf(webhookId).map(event) : undefined));
    assert.deepEqual(states.map((e) => e.triggers!.map((t) => t.type)), [['FIRST_DELIVERY'], ['SIGNAL_UPDATED'], ['SIGNAL_UPDATED']]);
    assert.deepEqual(states.slice(1).map((e) => e.triggers![0]!.signal!.code), ['closure-islocked', 'closure-islocked']);
    assert.deepEqual(states.map((e) => (e.data.signals as V4Signal[])[0]!.body), [{ value: false }, { value: true }, { value: false }]);
    const doors = (states[1]!.data.signals as V4Signal[])[1]!;
    assert.ok(signal('closure-doors').body.safeParse(doors.body).success, JSON.stringify(doors.body));
  });

  test('an unknown code, or a code that cannot trigger, is refused with the valid ones (and codes trigger v4.0 only)', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ version: '4.0', triggers: ['odometer-traveleddistance'], data: ['/odometer'] }, /cannot trigger: odometer-traveleddistance;.*closure-islocked/],
      [{ version: '4.0', triggers: ['closure-isbolted'], data: ['/security'] }, /unknown trigger\(s\): closure-isbolted;.*lock_state_changed.*closure-islocked/],
      [{ version: '2.0', triggers: ['closure-islocked'], data: ['/security'] }, /signal codes trigger v4\.0 webhooks only.*lock_state_changed/],
    ];
    for (const [body, message] of cases) {
      const res = await createWebhook({ url: receiver.url, type: 'event', ...body });
      const answer = (await res.json()) as { type: string; detail: { field: string[]; message: string }[] };
      assert.deepEqual([res.status, answer.type, answer.detail[0]!.field], [400, 'VALIDATION', ['triggers']]);
      assert.match(answer.detail[0]!.message, message);
    }
    const tooMany = await createWebhook({
      url: receiver.url, type: 'event', version: '4.0', triggers: ['closure-islocked'], data: Array.from({ length: 101 }, () => 'closure-islocked'),
    });
    assert.equal(tooMany.status, 400, 'at most 100 data entries');
  });

  test('a signal the grant does not cover is delivered as a PERMISSION error and reported in a VEHICLE_ERROR', async () => {
    const res = await createWebhook({ url: receiver.url, type: 'event', version: '4.0', triggers: ['lock_state_changed'], data: ['closure-islocked', 'location-preciselocation'] });
    const { webhookId } = (await res.json()) as { webhookId: string };
    const { accessToken, vehicleIds } = await tp.token({ scope: 'read_security read_vehicle_info' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle;
    await vehicle.subscribe(webhookId);
    const first = event(await until('the FIRST_DELIVERY', () => eventsOf(webhookId)[0]));
    const [locked, location] = first.data.signals as V4Signal[];
    assert.equal(locked!.status.value, 'SUCCESS');
    assert.deepEqual(location, {
      code: 'location-preciselocation', name: 'PreciseLocation', group: 'Location', status: { value: 'ERROR', error: { type: 'PERMISSION', code: null } },
    });
    const raised = event(await until('the VEHICLE_ERROR', () => errorEvents(webhookId)[0]));
    const [error] = raised.data.errors as { type: string; code: string | null; state: string; resolution: { type: string }; signals: unknown[] }[];
    assert.deepEqual([error!.type, error!.code, error!.state, error!.resolution], ['PERMISSION', null, 'ERROR', { type: 'REAUTHENTICATE' }]);
    assert.deepEqual(error!.signals, [{ code: 'location-preciselocation', name: 'PreciseLocation', group: 'Location' }]);
  });
});
