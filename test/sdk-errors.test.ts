/**
 * Every error type of the v2 envelope, as the official SDK surfaces it: a SmartcarError with the
 * exact type, code, status and resolution the wire reference documents.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

type SdkError = InstanceType<typeof smartcar.SmartcarError>;

function expectError(expected: Partial<Pick<SdkError, 'type' | 'code' | 'statusCode' | 'description'>> & { resolution?: string | null }) {
  return (error: SdkError) => {
    assert.ok(error instanceof smartcar.SmartcarError, `a SmartcarError, got ${String(error)}`);
    const { resolution, ...rest } = expected;
    for (const [key, value] of Object.entries(rest)) assert.equal(error[key as keyof SdkError], value, key);
    if (resolution !== undefined) assert.equal(error.resolution?.type ?? null, resolution);
    assert.match(error.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(typeof error.docURL, 'string');
    return true;
  };
}

let tp: TestPlatform;
before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
});
after(() => tp.close());

describe('AUTHENTICATION', () => {
  test('an unknown bearer token is 401 AUTHENTICATION with the canonical description', async () => {
    const { vehicleIds } = await tp.token();
    await assert.rejects(new smartcar.Vehicle(vehicleIds[0]!, 'not-a-token').odometer(), expectError({
      type: 'AUTHENTICATION', code: undefined, statusCode: 401, resolution: null,
      description: 'The authorization header is missing or malformed, or it contains invalid or expired authentication credentials. Please check for missing parameters, spelling and casing mistakes, and other syntax issues.',
    }));
    await assert.rejects(smartcar.getVehicles('not-a-token'), expectError({ type: 'AUTHENTICATION', statusCode: 401 }));
    await assert.rejects(smartcar.getUser(''), expectError({ type: 'AUTHENTICATION', statusCode: 401 }));
  });
});

describe('PERMISSION', () => {
  test('a permission the owner did not grant is 403 PERMISSION with REAUTHENTICATE', async () => {
    const { accessToken, vehicleIds } = await tp.token({ scope: 'read_vehicle_info' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    assert.equal((await vehicle.attributes()).make, 'TESLA');
    await assert.rejects(vehicle.odometer(), expectError({ type: 'PERMISSION', statusCode: 403, resolution: 'REAUTHENTICATE' }));
    await assert.rejects(vehicle.lock(), expectError({ type: 'PERMISSION', statusCode: 403 }));
  });
});

describe('VALIDATION', () => {
  test('a malformed vehicle id is 400 VALIDATION', async () => {
    const { accessToken } = await tp.token();
    await assert.rejects(new smartcar.Vehicle('bad_id', accessToken).odometer(), expectError({ type: 'VALIDATION', statusCode: 400, resolution: null }));
  });

  test('a charge limit outside 0.5–1 is 400 VALIDATION with detail', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'FORD', model: 'Mustang Mach-E' });
    await assert.rejects(new smartcar.Vehicle(vehicleIds[0]!, accessToken).setChargeLimit(0.2), (error: SdkError) => {
      expectError({ type: 'VALIDATION', statusCode: 400 })(error);
      assert.ok(Array.isArray(error.detail) && error.detail.length > 0);
      return true;
    });
  });
});

describe('RESOURCE_NOT_FOUND', () => {
  test('another owner’s vehicle and an unknown id answer alike, revealing nothing', async () => {
    const mine = await tp.token();
    const theirs = await tp.token();
    const errors: SdkError[] = [];
    for (const id of [theirs.vehicleIds[0]!, randomUUID()]) {
      await assert.rejects(new smartcar.Vehicle(id, mine.accessToken).odometer(), (error: SdkError) => {
        errors.push(error);
        return expectError({ type: 'RESOURCE_NOT_FOUND', code: 'PATH', statusCode: 404 })(error);
      });
    }
    assert.equal(errors[0]!.description, errors[1]!.description);
  });
});

describe('COMPATIBILITY', () => {
  test('a data point the car cannot have is 501 VEHICLE_NOT_CAPABLE', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA' });
    const tesla = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    await assert.rejects(tesla.fuel(), expectError({ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE', statusCode: 501 }));
    await assert.rejects(tesla.engineOil(), expectError({ type: 'COMPATIBILITY', code: 'VEHICLE_NOT_CAPABLE', statusCode: 501 }));
  });

  test('a data point or command the brand does not expose is 501 SMARTCAR_NOT_CAPABLE', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA' });
    const tesla = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    await assert.rejects(tesla.diagnosticTroubleCodes(), expectError({ type: 'COMPATIBILITY', code: 'SMARTCAR_NOT_CAPABLE', statusCode: 501 }));
    const bmw = await tp.token({ make: 'BMW', model: 'i4' });
    await assert.rejects(new smartcar.Vehicle(bmw.vehicleIds[0]!, bmw.accessToken).lock(), expectError({ type: 'COMPATIBILITY', code: 'SMARTCAR_NOT_CAPABLE' }));
  });
});

describe('VEHICLE_STATE', () => {
  test('commands the car’s state forbids are 409 with the state’s code', async () => {
    for (let i = 0; i < 60; i++) {
      const { accessToken, vehicleIds } = await tp.token({ make: 'RIVIAN', model: 'R1T', email: `unplugged-${i}@example.com` });
      const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
      if ((await vehicle.charge()).isPluggedIn) continue;
      await assert.rejects(vehicle.startCharge(), expectError({ type: 'VEHICLE_STATE', code: 'CHARGING_PLUG_NOT_CONNECTED', statusCode: 409, resolution: null }));
      await assert.rejects(vehicle.stopCharge(), expectError({ type: 'VEHICLE_STATE', code: 'CHARGING_PLUG_NOT_CONNECTED', statusCode: 409 }));
      return;
    }
    assert.fail('no unplugged R1T among 60 seeded owners');
  });

  test('stopping a car that is not charging is NOT_CHARGING; starting a full one is FULLY_CHARGED', async () => {
    for (let i = 0; i < 60; i++) {
      const { accessToken, vehicleIds } = await tp.token({ make: 'RIVIAN', model: 'R1S', email: `plugged-${i}@example.com` });
      const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
      const charge = await vehicle.charge();
      if (!charge.isPluggedIn || charge.state === 'CHARGING') continue;
      await assert.rejects(vehicle.stopCharge(), expectError({ type: 'VEHICLE_STATE', code: 'NOT_CHARGING', statusCode: 409 }));
      await vehicle.setChargeLimit(0.5);
      const { percentRemaining } = await vehicle.battery();
      if ((percentRemaining as number) < 0.5) continue;
      await assert.rejects(vehicle.startCharge(), expectError({ type: 'VEHICLE_STATE', code: 'FULLY_CHARGED', statusCode: 409 }));
      return;
    }
    assert.fail('no suitable plugged-in R1S among 60 seeded owners');
  });
});

describe('RATE_LIMIT', () => {
  let limited: TestPlatform;
  before(async () => {
    limited = await startPlatform({ rateLimits: 'on', vehicleRequestsPerMinute: 3, appRequestsPerMinute: 5 });
    pointSdkAt(limited.baseUrl);
  });
  after(async () => {
    pointSdkAt(tp.baseUrl);
    await limited.close();
  });

  test('a vehicle past its budget is 429 RATE_LIMIT VEHICLE with Retry-After; the app past its budget is SMARTCAR_API', async () => {
    const { accessToken, vehicleIds } = await limited.token({ vehicles: 2 });
    const [first, second] = vehicleIds.map((id) => new smartcar.Vehicle(id, accessToken));
    for (let i = 0; i < 3; i++) await first!.odometer();
    await assert.rejects(first!.odometer(), (error: SdkError) => {
      expectError({ type: 'RATE_LIMIT', code: 'VEHICLE', statusCode: 429, resolution: 'RETRY_LATER' })(error);
      assert.ok(Number(error.retryAfter) >= 1 && Number(error.retryAfter) <= 60, `retry-after ${String(error.retryAfter)}`);
      return true;
    });
    await second!.odometer();
    await assert.rejects(second!.odometer(), expectError({ type: 'RATE_LIMIT', code: 'SMARTCAR_API', statusCode: 429 }));
  });
});
