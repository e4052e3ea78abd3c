/**
 * Smartcar API v3 through the official Node SDK (smartcar 10.4.0), pointed at carport by
 * SMARTCAR_API_V3_ORIGIN: getVehicle, getSignals and getSignal with a v2 access token, and their
 * errors as typed SmartcarErrors. Values agree with what the v2 endpoints show of the same car.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

let tp: TestPlatform;

before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
  process.env.SMARTCAR_API_V3_ORIGIN = tp.baseUrl;
});
after(async () => {
  delete process.env.SMARTCAR_API_V3_ORIGIN;
  await tp.close();
});

interface Signal {
  id: string;
  type: string;
  attributes: { code: string; name: string; group: string; status: { value: string; error?: { type: string; code: string | null } }; body?: Record<string, unknown> };
  meta: { retrievedAt: number; oemUpdatedAt: number };
  links: { self: string };
}

describe('smartcar.getVehicle (v3)', () => {
  test('answers the vehicle resource bare at the top level, with data beside it', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3' });
    const { body } = await smartcar.getVehicle(accessToken, vehicleIds[0]!);
    assert.equal(body.id, vehicleIds[0]);
    assert.equal(body.type, 'vehicle');
    const attributes = body.attributes as Record<string, unknown>;
    assert.equal(attributes.make, 'TESLA');
    assert.equal(attributes.model, 'Model 3');
    assert.ok(Number.isInteger(attributes.year));
    assert.equal(attributes.powertrainType, 'BEV');
    assert.equal(attributes.mode, 'test');
    assert.deepEqual((body.data as Record<string, unknown>).attributes, attributes);
  });
});

describe('Vehicle.getSignals / getSignal (v3)', () => {
  let vehicle: InstanceType<typeof smartcar.Vehicle>;
  before(async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3' });
    vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
  });

  test('lists the signals, a SUCCESS one first, with integer millisecond times', async () => {
    const { body } = await vehicle.getSignals();
    const data = body.data as Signal[];
    assert.ok(data.length > 20);
    assert.equal(data[0]!.attributes.status.value, 'SUCCESS');
    for (const signal of data) {
      assert.equal(signal.id, signal.attributes.code);
      assert.equal(signal.type, 'signal');
      assert.ok(Number.isInteger(signal.meta.retrievedAt) && Number.isInteger(signal.meta.oemUpdatedAt));
    }
  });

  test('reads the odometer as the v2 endpoint shows it', async () => {
    const { body } = await vehicle.getSignal('odometer-traveleddistance');
    assert.equal(body.id, 'odometer-traveleddistance');
    const attributes = body.attributes as Signal['attributes'];
    assert.equal(attributes.status.value, 'SUCCESS');
    const odometer = await vehicle.odometer();
    assert.deepEqual(attributes.body, { value: odometer.distance, unit: 'km' });
  });
});

type SdkError = InstanceType<typeof smartcar.SmartcarError>;

describe('v3 signals agree with the v2 endpoints of the same car', () => {
  test('odometer, state of charge, location, VIN and lock read the same values both ways', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    const { body } = await vehicle.getSignals();
    const byCode = new Map((body.data as Signal[]).map((s) => [s.id, s.attributes]));
    const v2 = {
      odometer: await vehicle.odometer(), battery: await vehicle.battery(), location: await vehicle.location(),
      vin: await vehicle.vin(), lock: await vehicle.lockStatus(),
    };
    assert.deepEqual(byCode.get('odometer-traveleddistance')?.body, { value: v2.odometer.distance, unit: 'km' });
    const soc = byCode.get('tractionbattery-stateofcharge')?.body as { value: number; unit: string };
    assert.equal(soc.unit, 'percent');
    assert.ok(Math.abs(soc.value - (v2.battery.percentRemaining as number) * 100) < 1e-9, `${soc.value} vs ${String(v2.battery.percentRemaining)}`);
    const place = byCode.get('location-preciselocation')?.body as { latitude: number; longitude: number };
    assert.deepEqual([place.latitude, place.longitude], [v2.location.latitude, v2.location.longitude]);
    assert.deepEqual(byCode.get('vehicleidentification-vin')?.body, { value: v2.vin.vin });
    assert.deepEqual(byCode.get('closure-islocked')?.body, { value: v2.lock.isLocked });
  });
});

describe('v3 signal statuses', () => {
  test('a signal the grant does not cover is listed as a PERMISSION error without a body', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3', scope: 'read_odometer' });
    const { body } = await new smartcar.Vehicle(vehicleIds[0]!, accessToken).getSignals();
    const data = body.data as Signal[];
    const soc = data.find((s) => s.id === 'tractionbattery-stateofcharge')!;
    assert.equal(soc.attributes.status.value, 'ERROR');
    assert.deepEqual({ type: soc.attributes.status.error?.type, code: soc.attributes.status.error?.code }, { type: 'PERMISSION', code: null });
    assert.ok(!('body' in soc.attributes));
    assert.equal(data[0]!.id, 'odometer-traveleddistance');
    assert.ok(data.slice(1).every((s) => s.attributes.status.value === 'ERROR'));
  });

  test('signals a BEV cannot have are not listed; asked for by code, they answer VEHICLE_NOT_CAPABLE', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    const { body } = await vehicle.getSignals();
    const codes = (body.data as Signal[]).map((s) => s.id);
    assert.ok(!codes.includes('internalcombustionengine-fuellevel'));
    assert.equal((body.meta as unknown) === undefined || typeof body.meta === 'object', true);
    const fuel = (await vehicle.getSignal('internalcombustionengine-fuellevel')).body as unknown as Signal;
    assert.equal(fuel.attributes.status.error?.type, 'COMPATIBILITY');
    assert.equal(fuel.attributes.status.error?.code, 'VEHICLE_NOT_CAPABLE');
  });

  test('the list is in code order within SUCCESS and within ERROR; pagination and links are one page', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3' });
    const res = await fetch(`${tp.baseUrl}/v3/vehicles/${vehicleIds[0]}/signals`, { headers: { authorization: `Bearer ${accessToken}` } });
    const body = await res.json() as { data: Signal[]; meta: Record<string, number>; links: Record<string, string | null>; included: { vehicle: { id: string } } };
    const ok = body.data.filter((s) => s.attributes.status.value === 'SUCCESS').map((s) => s.id);
    const failed = body.data.filter((s) => s.attributes.status.value !== 'SUCCESS').map((s) => s.id);
    assert.deepEqual(body.data.map((s) => s.id), [...ok, ...failed]);
    assert.deepEqual(ok, [...ok].sort());
    assert.deepEqual(failed, [...failed].sort());
    const n = body.data.length;
    assert.deepEqual(body.meta, { page: 1, pageNumber: 1, pageSize: n, totalCount: n });
    assert.equal(body.links.self, `/v3/vehicles/${vehicleIds[0]}/signals`);
    assert.deepEqual([body.links.next, body.links.previous, body.links.prev], [null, null, null]);
    assert.equal(body.included.vehicle.id, vehicleIds[0]);
    const vin = body.data.find((s) => s.id === 'vehicleidentification-vin')!;
    assert.equal(vin.meta.oemUpdatedAt, 0);
    assert.equal(vin.links.self, `/v3/vehicles/${vehicleIds[0]}/signals/vehicleidentification-vin`);
  });
});

describe('v3 errors through the SDK', () => {
  test('a bad token, an unknown vehicle, an unknown signal: typed SmartcarErrors', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA' });
    await assert.rejects(new smartcar.Vehicle(vehicleIds[0]!, 'nope').getSignals(),
      (e: SdkError) => e.type === 'AUTHENTICATION' && e.statusCode === 401 && typeof e.requestId === 'string');
    await assert.rejects(smartcar.getVehicle(accessToken, '6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f'),
      (e: SdkError) => e.type === 'RESOURCE_NOT_FOUND' && e.code === 'VEHICLE_NOT_FOUND' && e.statusCode === 404);
    await assert.rejects(new smartcar.Vehicle(vehicleIds[0]!, accessToken).getSignal('nope-nope'),
      (e: SdkError) => e.type === 'RESOURCE_NOT_FOUND' && e.code === 'SIGNAL_NOT_FOUND' && e.statusCode === 404);
  });

  async function faultyCar(kind: string) {
    const created = await fetch(`${tp.baseUrl}/v2.0/management/simulator/vehicles`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ make: 'TESLA', model: 'Model 3' }),
    });
    const { vehicleId } = await created.json() as { vehicleId: string };
    const fault = await fetch(`${tp.baseUrl}/v2.0/management/simulator/vehicles/${vehicleId}/faults`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind, forSeconds: 600 }),
    });
    assert.equal(fault.status, 200);
    const { accessToken } = await tp.token({ vehicleId });
    return new smartcar.Vehicle(vehicleId, accessToken);
  }

  test('a car that cannot be reached answers 200 with each read signal carrying the error; static ones still read', async () => {
    const vehicle = await faultyCar('unreachable');
    const { body } = await vehicle.getSignals();
    const data = body.data as Signal[];
    const odometer = data.find((s) => s.id === 'odometer-traveleddistance')!;
    assert.deepEqual([odometer.attributes.status.error?.type, odometer.attributes.status.error?.code], ['VEHICLE_STATE', 'UNREACHABLE']);
    assert.equal(data.find((s) => s.id === 'vehicleidentification-vin')!.attributes.status.value, 'SUCCESS');
    const one = (await vehicle.getSignal('odometer-traveleddistance')).body as unknown as Signal;
    assert.equal(one.attributes.status.error?.code, 'UNREACHABLE');
  });

  test('a spent rate budget is a request-level 429 with Retry-After', async () => {
    const vehicle = await faultyCar('rate_limited');
    await assert.rejects(vehicle.getSignals(), (e: SdkError) =>
      e.type === 'RATE_LIMIT' && e.code === 'VEHICLE' && e.statusCode === 429 && Number(e.retryAfter) > 0);
  });
});
