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
