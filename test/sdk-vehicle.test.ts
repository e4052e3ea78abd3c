/**
 * The official Smartcar Node SDK, pointed at carport by environment variables only, reads every
 * data point and sends every command to simulated vehicles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { isValidVin } from '../src/providers/simulator/vin.js';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let tp: TestPlatform;

before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
});
after(() => tp.close());

function assertDataMeta(meta: { dataAge?: Date; fetchedAt?: Date; unitSystem?: string; requestId?: string }, units = 'metric') {
  assert.ok(meta.dataAge instanceof Date && !Number.isNaN(meta.dataAge.getTime()), 'dataAge is a date');
  assert.ok(meta.fetchedAt instanceof Date && meta.fetchedAt >= meta.dataAge, 'fetchedAt is a date no older than dataAge');
  assert.equal(meta.unitSystem, units);
  assert.match(meta.requestId ?? '', UUID);
}

describe('Vehicle reads on a Chevrolet Volt (PHEV)', () => {
  let vehicle: InstanceType<typeof smartcar.Vehicle>;
  before(async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'CHEVROLET', model: 'Volt' });
    vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
  });

  test('attributes name the make upper-case, the model, and the year as an integer', async () => {
    const res = await vehicle.attributes();
    assert.equal(res.id, vehicle.id);
    assert.equal(res.make, 'CHEVROLET');
    assert.equal(res.model, 'Volt');
    assert.ok(Number.isInteger(res.year) && (res.year as number) >= 2011 && (res.year as number) <= 2019);
    assert.match(res.meta.requestId ?? '', UUID);
  });

  test('vin is 17 characters with a valid check digit', async () => {
    const { vin } = await vehicle.vin();
    assert.equal(typeof vin, 'string');
    assert.ok(isValidVin(vin as string), `${String(vin)} has a valid check digit`);
  });

  test('odometer, location, fuel, battery and charge carry data headers', async () => {
    const odometer = await vehicle.odometer();
    assert.ok((odometer.distance as number) > 0);
    assertDataMeta(odometer.meta);
    const location = await vehicle.location();
    assert.ok(Math.abs(location.latitude as number) <= 90 && Math.abs(location.longitude as number) <= 180);
    const fuel = await vehicle.fuel();
    assert.ok((fuel.percentRemaining as number) >= 0 && (fuel.percentRemaining as number) <= 1);
    assert.ok((fuel.amountRemaining as number) > 0 && (fuel.range as number) > 0);
    assertDataMeta(fuel.meta);
    const battery = await vehicle.battery();
    assert.ok((battery.percentRemaining as number) >= 0 && (battery.percentRemaining as number) <= 1);
    assertDataMeta(battery.meta);
    const charge = await vehicle.charge();
    assert.equal(typeof charge.isPluggedIn, 'boolean');
    assert.ok(['CHARGING', 'FULLY_CHARGED', 'NOT_CHARGING'].includes(charge.state as string));
  });

  test('battery capacity and nominal capacity report kWh', async () => {
    const capacity = await vehicle.batteryCapacity();
    assert.ok((capacity.capacity as number) > 5 && (capacity.capacity as number) < 25);
    const nominal = await vehicle.nominalCapacity();
    assert.ok(Array.isArray(nominal.availableCapacities) && nominal.availableCapacities.length > 0);
    assert.ok('capacity' in nominal && 'url' in nominal);
    assertDataMeta(nominal.meta);
  });

  test('tire pressure in kPa and engine oil life as a fraction', async () => {
    const tires = await vehicle.tirePressure();
    for (const key of ['frontLeft', 'frontRight', 'backLeft', 'backRight']) {
      assert.ok((tires[key] as number) > 150 && (tires[key] as number) < 350, `${key} ${String(tires[key])}`);
    }
    assertDataMeta(tires.meta);
    const oil = await vehicle.engineOil();
    assert.ok((oil.lifeRemaining as number) >= 0 && (oil.lifeRemaining as number) <= 1);
  });

  test('diagnostics list system status and trouble codes', async () => {
    const status = await vehicle.diagnosticSystemStatus();
    assert.ok(Array.isArray(status.systems) && status.systems.length > 0);
    for (const s of status.systems as { systemId: string; status: string }[]) {
      assert.match(s.systemId, /^SYSTEM_/);
      assert.ok(['OK', 'ALERT'].includes(s.status));
    }
    const dtcs = await vehicle.diagnosticTroubleCodes();
    assert.ok(Array.isArray(dtcs.activeCodes));
    assertDataMeta(dtcs.meta);
  });

  test('service history is a list the SDK wraps as data', async () => {
    const history = await vehicle.serviceHistory();
    assert.ok(Array.isArray(history.data));
    for (const record of history.data) {
      assert.ok(ISO_MS.test(record.serviceDate as string));
      assert.ok(Array.isArray(record.serviceTasks));
    }
    const none = await vehicle.serviceHistory('1990-01-01', '1990-12-31');
    assert.deepEqual(none.data, []);
  });

  test('permissions list what was granted, with paging', async () => {
    const all = await vehicle.permissions();
    assert.ok((all.permissions as string[]).includes('read_odometer'));
    assert.deepEqual(all.paging, { count: (all.permissions as string[]).length, offset: 0 });
    const page = await vehicle.permissions({ limit: 2, offset: 1 });
    assert.deepEqual(page.permissions, (all.permissions as string[]).slice(1, 3));
  });

  test('lock and unlock succeed with status and message', async () => {
    const locked = await vehicle.lock();
    assert.equal(locked.status, 'success');
    assert.equal(typeof locked.message, 'string');
    assert.equal((await vehicle.unlock()).status, 'success');
  });

  test('imperial units convert distances, volumes and pressures exactly', async () => {
    const imperial = new smartcar.Vehicle(vehicle.id, (vehicle as unknown as { token: string }).token, { unitSystem: 'imperial' });
    const [kmRes, miRes] = [await vehicle.odometer(), await imperial.odometer()];
    assert.equal(miRes.meta.unitSystem, 'imperial');
    assert.equal(miRes.distance, (kmRes.distance as number) / 1.609344);
    const [kpa, psi] = [await vehicle.tirePressure(), await imperial.tirePressure()];
    assert.equal(psi.frontLeft, (kpa.frontLeft as number) / 6.894757293168361);
    const [liters, gallons] = [await vehicle.fuel(), await imperial.fuel()];
    assert.equal(gallons.amountRemaining, (liters.amountRemaining as number) / 3.785411784);
  });

  test('the generic request method reaches any path', async () => {
    const res = await vehicle.request('get', 'odometer');
    assert.equal(typeof res.body.distance, 'number');
  });
});

describe('Vehicle commands on a Hyundai Ioniq 5 (BEV)', () => {
  test('lock then lock status reads locked; unlock reads unlocked', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    await vehicle.lock();
    const locked = await vehicle.lockStatus();
    assert.equal(locked.isLocked, true);
    assert.deepEqual(Object.keys(locked).filter((k) => k !== 'meta').sort(), ['chargingPort', 'doors', 'isLocked', 'storage', 'sunroof', 'windows']);
    await vehicle.unlock();
    assert.equal((await vehicle.lockStatus()).isLocked, false);
  });

  test('charge limit is set from the SDK string form and read back', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    assert.equal((await vehicle.setChargeLimit(0.65)).status, 'success');
    assert.equal((await vehicle.getChargeLimit()).limit, 0.65);
  });

  test('send destination succeeds', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'HYUNDAI', model: 'Ioniq 5' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    const res = await vehicle.sendDestination(37.7749, -122.4194);
    assert.equal(res.status, 'success');
    assert.equal(typeof res.message, 'string');
  });

  test('start charge on a plugged-in EV makes charge read CHARGING; stop makes it NOT_CHARGING', async () => {
    // Owners are seeded by email: walk a fixed list until one has a plugged-in car below its limit.
    for (let i = 0; i < 60; i++) {
      const { accessToken, vehicleIds } = await tp.token({ make: 'HYUNDAI', model: 'Ioniq 5', email: `plug-${i}@example.com` });
      const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
      const charge = await vehicle.charge();
      if (!charge.isPluggedIn || charge.state !== 'NOT_CHARGING') continue;
      await vehicle.setChargeLimit(1);
      assert.equal((await vehicle.startCharge()).status, 'success');
      assert.equal((await vehicle.charge()).state, 'CHARGING');
      assert.equal((await vehicle.stopCharge()).status, 'success');
      assert.equal((await vehicle.charge()).state, 'NOT_CHARGING');
      return;
    }
    assert.fail('no plugged-in Ioniq 5 among 60 seeded owners');
  });
});

describe('getVehicles, getUser and batch', () => {
  test('getVehicles pages through the vehicles the token covers', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'FORD', vehicles: 3 });
    const all = await smartcar.getVehicles(accessToken);
    assert.deepEqual(all.vehicles, vehicleIds);
    assert.deepEqual(all.paging, { count: 3, offset: 0 });
    const page = await smartcar.getVehicles(accessToken, { limit: 1, offset: 1 });
    assert.deepEqual(page.vehicles, [vehicleIds[1]]);
    assert.deepEqual(page.paging, { count: 3, offset: 1 });
    const past = await smartcar.getVehicles(accessToken, { limit: 1, offset: 5 });
    assert.deepEqual(past.vehicles, []);
  });

  test('getUser returns the owner id the token was granted by', async () => {
    const { accessToken, userId } = await tp.token();
    const user = await smartcar.getUser(accessToken);
    assert.equal(user.id, userId);
    assert.match(user.id, UUID);
  });

  test('the same owner email and make yield the same account and vehicles', async () => {
    const first = await tp.token({ make: 'KIA', email: 'same@example.com', vehicles: 2 });
    const second = await tp.token({ make: 'KIA', email: 'same@example.com', vehicles: 2 });
    assert.equal(first.userId, second.userId);
    assert.deepEqual(first.vehicleIds, second.vehicleIds);
  });

  test('batch answers each path; failures are per item', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    const res = await vehicle.batch(['/odometer', '/', 'tires/pressure', '/security', '/fuel']);
    const odometer = res.odometer!();
    assert.equal(typeof odometer.distance, 'number');
    assertDataMeta(odometer.meta);
    assert.equal(res.attributes!().make, 'TESLA');
    assert.equal(typeof res.tirePressure!().frontLeft, 'number');
    assert.equal(typeof res.lockStatus!().isLocked, 'boolean');
    assert.throws(() => res.fuel!(), (error: InstanceType<typeof smartcar.SmartcarError>) => {
      assert.equal(error.type, 'COMPATIBILITY');
      assert.equal(error.code, 'VEHICLE_NOT_CAPABLE');
      // The SDK takes statusCode from the outer batch response (200); the item's own is in the body.
      return true;
    });
  });

  test('disconnect ends the grant: the vehicle is gone for that token, others stay', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', vehicles: 2 });
    const [gone, kept] = vehicleIds.map((id) => new smartcar.Vehicle(id, accessToken));
    assert.deepEqual(Object.keys(await gone!.disconnect()).sort(), ['meta', 'status']);
    await assert.rejects(gone!.odometer(), { type: 'RESOURCE_NOT_FOUND', statusCode: 404 });
    assert.deepEqual((await smartcar.getVehicles(accessToken)).vehicles, [vehicleIds[1]]);
    assert.equal(typeof (await kept!.odometer()).distance, 'number');
  });
});
