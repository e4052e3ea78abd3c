/**
 * The simulator's control surface over HTTP (management token) and what the cars then do through
 * the official SDK: every injected fault surfaces as its documented error, sleeping cars report
 * older data, and brand quotas answer RATE_LIMIT.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { ALL_SCOPES, pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

type SdkError = InstanceType<typeof smartcar.SmartcarError>;
let tp: TestPlatform;

before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
});
after(() => tp.close());

async function control(method: string, path: string, body?: unknown, token = tp.app.managementToken) {
  const res = await fetch(`${tp.baseUrl}/v2.0/management/simulator/vehicles${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`default:${token}`).toString('base64')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function newCar(make = 'TESLA', model?: string) {
  const created = await control('POST', '', { make, model });
  assert.equal(created.status, 200);
  const vehicleId = created.body.vehicleId as string;
  const { accessToken } = await tp.token({ vehicleId });
  return { vehicleId, vehicle: new smartcar.Vehicle(vehicleId, accessToken), created: created.body };
}

describe('POST/GET /v2.0/management/simulator/vehicles', () => {
  test('creates a simulated car with its owner’s credentials, lists it, and shows its state', async () => {
    const { vehicleId, created } = await newCar('FORD', 'Mustang Mach-E');
    assert.match(created.email as string, /@simulated\.carport\.dev$/);
    assert.equal(typeof created.password, 'string');
    const list = await control('GET', '');
    assert.ok((list.body.vehicles as { vehicleId: string }[]).some((v) => v.vehicleId === vehicleId));
    const shown = await control('GET', `/${vehicleId}`);
    assert.equal(shown.status, 200);
    assert.ok((shown.body.state as { soc: number }).soc > 0);
  });

  test('another app cannot see or control it; a bad body is VALIDATION', async () => {
    const { vehicleId } = await newCar();
    const other = await tp.platform.services.apps.create({ name: 'Other', redirectUris: ['https://o.example.com/cb'] });
    assert.equal((await control('GET', `/${vehicleId}`, undefined, other.managementToken)).status, 404);
    assert.equal((await control('GET', '', undefined, 'wrong')).status, 401);
    const bad = await control('POST', `/${vehicleId}/values`, { soc: 2 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.type, 'VALIDATION');
    assert.equal((await control('POST', `/${vehicleId}/values`, { warpDrive: true })).status, 400);
    assert.equal((await control('POST', `/${vehicleId}/scenario`, { name: 'custom', steps: [{ kind: 'fly' }] })).status, 400);
  });
});

describe('Climate, Sentry Mode and home over the values body', () => {
  test('switching the HVAC on, Sentry Mode on and moving home show in the car\'s v3 signals', async () => {
    const { vehicleId } = await newCar('TESLA', 'Model 3');
    const { accessToken } = await tp.token({ vehicleId, scope: `${ALL_SCOPES} read_climate` });
    const signal = async (code: string) => {
      const res = await fetch(`${tp.baseUrl}/v3/vehicles/${vehicleId}/signals/${code}`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(res.status, 200);
      return ((await res.json()) as { attributes: { body: Record<string, unknown> } }).attributes.body;
    };
    const car = (await control('GET', `/${vehicleId}`)).body.state as { location: { latitude: number; longitude: number } };
    const set = await control('POST', `/${vehicleId}/values`, {
      hvac: { isActive: true, targetC: 23.5 }, sentry: true, home: { latitude: car.location.latitude, longitude: car.location.longitude },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(await signal('hvac-iscabinhvacactive'), { value: true });
    assert.equal((await signal('hvac-cabintargettemperature')).value, 23.5);
    assert.deepEqual(await signal('surveillance-isenabled'), { value: true });
    assert.deepEqual(await signal('location-isathome'), { value: true });
    assert.equal((await control('POST', `/${vehicleId}/values`, { hvac: { targetC: 99 } })).status, 400);
  });
});

describe('Injected faults', () => {
  const cases: [string, string, string | null][] = [
    ['asleep', 'VEHICLE_STATE', 'ASLEEP'],
    ['unreachable', 'VEHICLE_STATE', 'UNREACHABLE'],
    ['remote_access_disabled', 'VEHICLE_STATE', 'REMOTE_ACCESS_DISABLED'],
    ['offline_for_service', 'VEHICLE_STATE', 'VEHICLE_OFFLINE_FOR_SERVICE'],
    ['account_issue', 'CONNECTED_SERVICES_ACCOUNT', 'ACCOUNT_ISSUE'],
    ['authentication_failed', 'CONNECTED_SERVICES_ACCOUNT', 'AUTHENTICATION_FAILED'],
    ['subscription', 'CONNECTED_SERVICES_ACCOUNT', 'SUBSCRIPTION'],
    ['virtual_key_required', 'CONNECTED_SERVICES_ACCOUNT', 'VIRTUAL_KEY_REQUIRED'],
    ['upstream_error', 'UPSTREAM', 'UNKNOWN_ISSUE'],
    ['upstream_invalid_data', 'UPSTREAM', 'INVALID_DATA'],
    ['upstream_timeout', 'UPSTREAM', 'NO_RESPONSE'],
    ['upstream_rate_limit', 'UPSTREAM', 'RATE_LIMIT'],
    ['rate_limited', 'RATE_LIMIT', 'VEHICLE'],
  ];
  for (const [kind, type, code] of cases) {
    test(`${kind} answers ${type} ${code} on reads and commands, not on static data`, async () => {
      const { vehicleId, vehicle } = await newCar();
      assert.equal((await control('POST', `/${vehicleId}/faults`, { kind, forSeconds: 600 })).status, 200);
      for (const call of [() => vehicle.odometer(), () => vehicle.lock()]) {
        await assert.rejects(call(), (e: SdkError) => e.type === type && e.code === code);
      }
      assert.equal((await vehicle.vin()).vin?.toString().length, 17);
    });
  }

  test('a fault ends when its time on the car clock is up, or when cleared', async () => {
    const { vehicleId, vehicle } = await newCar();
    await control('POST', `/${vehicleId}/faults`, { kind: 'unreachable', forSeconds: 300 });
    await control('POST', `/${vehicleId}/faults`, { kind: 'upstream_error' });
    await assert.rejects(vehicle.odometer(), (e: SdkError) => e.code === 'UNREACHABLE');
    await control('POST', `/${vehicleId}/clock`, { advanceSeconds: 301 });
    await assert.rejects(vehicle.odometer(), (e: SdkError) => e.code === 'UNKNOWN_ISSUE');
    assert.deepEqual((await control('DELETE', `/${vehicleId}/faults`)).body, { faults: [] });
    assert.equal(typeof (await vehicle.odometer()).distance, 'number');
  });

  test('a rate_limited fault gives Retry-After until its end', async () => {
    const { vehicleId, vehicle } = await newCar();
    await control('POST', `/${vehicleId}/faults`, { kind: 'rate_limited', forSeconds: 90 });
    await assert.rejects(vehicle.odometer(), (e: SdkError) => Number(e.retryAfter) > 80 && Number(e.retryAfter) <= 90);
  });

  test('a fault with probability 0.5 meets about half of the requests', async () => {
    const { vehicleId, vehicle } = await newCar();
    await control('POST', `/${vehicleId}/faults`, { kind: 'upstream_timeout', probability: 0.5 });
    let failed = 0;
    for (let i = 0; i < 200; i++) failed += await vehicle.odometer().then(() => 0, () => 1);
    assert.ok(failed > 50 && failed < 150, `${failed} of 200 failed`);
  });
});

describe('State errors from the state', () => {
  test('an open door, trunk or hood refuses LOCK with its code', async () => {
    const { vehicleId, vehicle } = await newCar('TESLA', 'Model 3');
    const closed = { frontLeft: 'CLOSED', frontRight: 'CLOSED', backLeft: 'CLOSED', backRight: 'CLOSED' };
    const cases: [Record<string, unknown>, string][] = [
      [{ doors: { ...closed, backRight: 'OPEN' } }, 'DOOR_OPEN'],
      [{ doors: closed, storage: { front: 'CLOSED', rear: 'OPEN' } }, 'TRUNK_OPEN'],
      [{ storage: { front: 'OPEN', rear: 'CLOSED' } }, 'HOOD_OPEN'],
    ];
    for (const [values, code] of cases) {
      assert.equal((await control('POST', `/${vehicleId}/values`, values)).status, 200);
      await assert.rejects(vehicle.lock(), (e: SdkError) => e.type === 'VEHICLE_STATE' && e.code === code && e.statusCode === 409);
    }
    await control('POST', `/${vehicleId}/values`, { storage: { front: 'CLOSED', rear: 'CLOSED' } });
    assert.equal((await vehicle.lock()).status, 'success');
    const lockStatus = await vehicle.lockStatus();
    assert.equal(lockStatus.isLocked, true);
  });
});

describe('Tyres', () => {
  test('pressure follows the ideal-gas law with the ambient temperature, and a slow leak loses pressure day by day', async () => {
    const { vehicleId, vehicle } = await newCar('RIVIAN', 'R1T');
    await control('POST', `/${vehicleId}/values`, { ambientC: 20 });
    const mild = await vehicle.tirePressure();
    await control('POST', `/${vehicleId}/values`, { ambientC: -10 });
    const cold = await vehicle.tirePressure();
    // (p + 101.325) × 263.15 / 293.15 − 101.325: about 40 kPa less at 30 °C colder, for ~290 kPa tyres.
    const expected = ((mild.frontLeft as number) + 101.325) * (263.15 / 293.15) - 101.325;
    assert.ok(Math.abs((cold.frontLeft as number) - expected) < 0.2, `${String(cold.frontLeft)} vs ${expected}`);

    await control('POST', `/${vehicleId}/values`, { ambientC: 20, slowLeak: { tire: 'backLeft', kpaPerDay: 10 } });
    await control('POST', `/${vehicleId}/clock`, { advanceSeconds: 3 * 86_400 });
    const leaking = await vehicle.tirePressure();
    assert.ok(Math.abs((mild.backLeft as number) - (leaking.backLeft as number) - 30) < 0.2, `back left lost ${(mild.backLeft as number) - (leaking.backLeft as number)} kPa`);
    assert.equal(leaking.frontLeft, mild.frontLeft);
  });
});

describe('Brand quirks', () => {
  test('a car parked past its brand’s sleep time reports data from when it fell asleep; a command wakes it', async () => {
    const { vehicleId, vehicle } = await newCar('TESLA', 'Model 3');
    await control('POST', `/${vehicleId}/clock`, { advanceSeconds: 3 * 3600 });
    const asleep = await vehicle.odometer();
    const age = asleep.meta.fetchedAt!.getTime() - asleep.meta.dataAge!.getTime();
    // Tesla sleeps 15 minutes after parking: the data is about 2 h 45 min old.
    assert.ok(age > 2.7 * 3600_000 && age < 2.8 * 3600_000, `data age ${age / 60_000} min`);
    await vehicle.lock();
    const awake = await vehicle.odometer();
    assert.ok(awake.meta.fetchedAt!.getTime() - awake.meta.dataAge!.getTime() < 120_000, 'fresh after the command woke it');
  });

  test('with realism on, a brand’s daily upstream quota answers RATE_LIMIT VEHICLE (Mercedes-Benz: 2 a day)', async () => {
    const { vehicleId, vehicle } = await newCar('MERCEDES-BENZ', 'EQS');
    assert.equal((await control('POST', `/${vehicleId}/values`, { realism: true })).status, 200);
    await vehicle.odometer();
    await vehicle.battery();
    await assert.rejects(vehicle.location(), (e: SdkError) => e.type === 'RATE_LIMIT' && e.code === 'VEHICLE' && Number(e.retryAfter) > 3600);
    assert.equal((await vehicle.attributes()).make, 'MERCEDES-BENZ', 'static data never reaches the car');
  });
});
