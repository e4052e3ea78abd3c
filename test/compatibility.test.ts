/**
 * The compatibility API (spec §8.3) through the official Node SDK's getCompatibility and
 * getCompatibilityMatrix and as raw HTTP, and its agreement with what simulated vehicles really do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { ENDPOINTS } from '../src/api/compatibility.js';
import { READ_ENDPOINTS } from '../src/api/read-endpoints.js';
import { simulator } from '../src/providers/index.js';
import { ALL_SCOPES, pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

interface Capability {
  capable: boolean;
  endpoint: string;
  permission: string;
  reason: string | null;
}

interface Compatibility {
  compatible: boolean;
  reason: string | null;
  capabilities: Capability[];
}

interface MatrixEntry {
  model: string;
  startYear: number;
  endYear: number;
  type: string;
  endpoints: string[];
  permissions: string[];
}

type Matrix = Record<string, MatrixEntry[]>;

interface Credentials {
  clientId: string;
  clientSecret: string;
}

const sdk = smartcar as unknown as {
  getCompatibility(
    vin: string, scope: string[], country?: string,
    options?: Credentials & { mode?: string; testModeCompatibilityLevel?: string; flags?: Record<string, string> },
  ): Promise<Compatibility>;
  getCompatibilityMatrix(
    region: string, options: Credentials & { type?: string; make?: string[]; scope?: string[]; mode?: string },
  ): Promise<Matrix & { meta?: unknown }>;
};
type SdkError = InstanceType<typeof smartcar.SmartcarError>;

/** A 2019 Tesla Model 3 (year code K). */
const TESLA_VIN = '5YJ3E1EA7KF317000';
const CHEVROLET_VIN = '1G1FZ6S02L4100001';
/** SAL is Land Rover, a make the simulator does not offer. */
const LAND_ROVER_VIN = 'SALGS2SE6LA400001';
const TEST_VIN = '0SCAUDI037A5ADB1C';

let tp: TestPlatform;
let creds: Credentials;

before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
  creds = { clientId: tp.app.clientId, clientSecret: tp.app.clientSecret };
});
after(() => tp.close());

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function get<T = Record<string, unknown>>(path: string, authorization?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${tp.baseUrl}${path}`, {
    headers: { authorization: authorization ?? basic(creds.clientId, creds.clientSecret) },
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof smartcar.SmartcarError, String(error));
    return error;
  }
  assert.fail('expected a SmartcarError');
}

function rows(answer: Compatibility): [string, string, boolean, string | null][] {
  return answer.capabilities.map((c) => [c.endpoint, c.permission, c.capable, c.reason]);
}

function byEndpoint(answer: Compatibility, permission: string): Record<string, Capability> {
  return Object.fromEntries(answer.capabilities.filter((c) => c.permission === permission).map((c) => [c.endpoint, c]));
}

function assertValidation(status: number, body: { type?: string; detail?: { field?: unknown }[] }, field: string): void {
  assert.equal(status, 400);
  assert.equal(body.type, 'VALIDATION');
  assert.equal(body.detail?.[0]?.field, field);
}

describe('compatibility by VIN', () => {
  test('a Tesla is compatible; it cannot report fuel; one row per endpoint each permission authorizes', async () => {
    const answer = await sdk.getCompatibility(
      TESLA_VIN, ['read_odometer', 'read_battery', 'read_fuel', 'control_charge'], 'US', creds,
    );
    assert.equal(answer.compatible, true);
    assert.equal(answer.reason, null);
    assert.deepEqual(rows(answer), [
      ['/odometer', 'read_odometer', true, null],
      ['/battery', 'read_battery', true, null],
      ['/battery/capacity', 'read_battery', true, null],
      ['/battery/nominal_capacity', 'read_battery', true, null],
      ['/fuel', 'read_fuel', false, 'VEHICLE_NOT_CAPABLE'],
      ['/charge', 'control_charge', true, null],
      ['/charge/limit', 'control_charge', true, null],
    ]);
    for (const row of answer.capabilities) assert.deepEqual(Object.keys(row).sort(), ['capable', 'endpoint', 'permission', 'reason']);
  });

  test('what the brand does not expose is SMARTCAR_NOT_CAPABLE; a GET and a POST on one path are two rows', async () => {
    const answer = await sdk.getCompatibility(
      TESLA_VIN, ['read_diagnostics', 'read_security', 'control_security', 'read_vehicle_info', 'read_vin'], 'US', creds,
    );
    assert.deepEqual(rows(answer), [
      ['/diagnostics/system_status', 'read_diagnostics', false, 'SMARTCAR_NOT_CAPABLE'],
      ['/diagnostics/dtcs', 'read_diagnostics', false, 'SMARTCAR_NOT_CAPABLE'],
      ['/security', 'read_security', true, null],
      ['/security', 'control_security', true, null],
      ['/', 'read_vehicle_info', true, null],
      ['/vin', 'read_vin', true, null],
    ]);
  });

  test('a VIN of a make the simulator does not offer is MAKE_NOT_COMPATIBLE with no capabilities', async () => {
    const answer = await sdk.getCompatibility(LAND_ROVER_VIN, ['read_odometer'], 'US', creds);
    assert.equal(answer.compatible, false);
    assert.equal(answer.reason, 'MAKE_NOT_COMPATIBLE');
    assert.deepEqual(answer.capabilities, []);
  });

  test('the country decides whether the make is offered; it defaults to US and is case-insensitive', async () => {
    const chevroletUs = await sdk.getCompatibility(CHEVROLET_VIN, ['read_odometer'], 'US', creds);
    assert.equal(chevroletUs.compatible, true);
    const chevroletDe = await sdk.getCompatibility(CHEVROLET_VIN, ['read_odometer'], 'DE', creds);
    assert.deepEqual(
      { compatible: chevroletDe.compatible, reason: chevroletDe.reason, capabilities: chevroletDe.capabilities },
      { compatible: false, reason: 'MAKE_NOT_COMPATIBLE', capabilities: [] },
    );
    const teslaDe = await sdk.getCompatibility(TESLA_VIN, ['read_odometer'], 'de', creds);
    assert.equal(teslaDe.compatible, true);
    const noCountry = await get<Compatibility>(`/v2.0/compatibility?vin=${CHEVROLET_VIN}&scope=read_odometer`);
    assert.equal(noCountry.status, 200);
    assert.equal(noCountry.body.compatible, true);
  });

  test('the model year narrows the brand to the models built that year', async () => {
    // Volkswagen built only the Atlas (ICE) in 2018 (J); in 2022 (N) also the ID.4 (BEV).
    const scope = ['read_battery', 'read_fuel'];
    const vw2018 = await sdk.getCompatibility('WVGZZZ1TZJW000001', scope, 'US', creds);
    assert.equal(byEndpoint(vw2018, 'read_battery')['/battery']?.reason, 'VEHICLE_NOT_CAPABLE');
    assert.equal(byEndpoint(vw2018, 'read_fuel')['/fuel']?.capable, true);
    const vw2022 = await sdk.getCompatibility('WVGZZZ1TZNW000001', scope, 'US', creds);
    assert.equal(byEndpoint(vw2022, 'read_battery')['/battery']?.capable, true);
    assert.equal(byEndpoint(vw2022, 'read_fuel')['/fuel']?.capable, true);
    // U is no year code: the whole brand answers.
    const unknownYear = await sdk.getCompatibility('WVGZZZ1TZUW000001', scope, 'US', creds);
    assert.equal(byEndpoint(unknownYear, 'read_battery')['/battery']?.capable, true);
  });

  test('a permission no endpoint serves yields no rows; required: prefixes are accepted', async () => {
    const answer = await sdk.getCompatibility(TESLA_VIN, ['read_climate', 'required:read_vin'], 'US', creds);
    assert.equal(answer.compatible, true);
    assert.deepEqual(rows(answer), [['/vin', 'read_vin', true, null]]);
  });

  test('vin, scope and country are validated', async () => {
    const base = '/v2.0/compatibility?country=US';
    assertValidation(...spread(await get(`${base}&scope=read_vin`)), 'vin');
    assertValidation(...spread(await get(`${base}&scope=read_vin&vin=5YJ3E1EA7KF31700`)), 'vin');
    // I, O and Q never appear in a VIN.
    assertValidation(...spread(await get(`${base}&scope=read_vin&vin=5YJ3E1EA7KF31700O`)), 'vin');
    assertValidation(...spread(await get(`${base}&vin=${TESLA_VIN}`)), 'scope');
    assertValidation(...spread(await get(`${base}&vin=${TESLA_VIN}&scope=`)), 'scope');
    assertValidation(...spread(await get(`/v2.0/compatibility?vin=${TESLA_VIN}&scope=read_vin&country=USA`)), 'country');
    assertValidation(...spread(await get(`${base}&vin=${TESLA_VIN}&scope=read_vin&mode=production`)), 'mode');

    const unknown = await sdkError(sdk.getCompatibility(TESLA_VIN, ['read_vin', 'read_everything'], 'US', creds));
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.type, 'VALIDATION');
    const detail = unknown.detail as { field: string; message: string }[];
    assert.equal(detail[0]?.field, 'scope');
    assert.match(detail[0]?.message ?? '', /read_everything/);
  });
});

function spread(answer: { status: number; body: Record<string, unknown> }): [number, { type?: string; detail?: { field?: unknown }[] }] {
  return [answer.status, answer.body as { type?: string; detail?: { field?: unknown }[] }];
}

describe('compatibility in test mode', () => {
  const scope = ['read_battery', 'read_charge', 'control_charge', 'read_fuel', 'read_engine_oil', 'read_odometer'];
  const ELECTRIC = new Set(['read_battery', 'read_charge', 'control_charge']);
  const ENGINE = new Set(['read_fuel', 'read_engine_oil']);

  async function level(testModeCompatibilityLevel: string): Promise<Compatibility> {
    return sdk.getCompatibility(TEST_VIN, scope, 'US', { ...creds, testModeCompatibilityLevel });
  }

  test('compatible and phev: every requested capability is capable, whatever the VIN', async () => {
    for (const name of ['compatible', 'phev']) {
      const answer = await level(name);
      assert.equal(answer.compatible, true, name);
      assert.ok(answer.capabilities.length >= scope.length, name);
      assert.ok(answer.capabilities.every((c) => c.capable && c.reason === null), name);
    }
  });

  test('bev has no engine and fuel (ICE) no traction battery', async () => {
    const bev = await level('bev');
    const fuel = await level('fuel');
    for (const c of bev.capabilities) {
      assert.equal(c.reason, ENGINE.has(c.permission) ? 'VEHICLE_NOT_CAPABLE' : null, `bev ${c.endpoint} ${c.permission}`);
    }
    for (const c of fuel.capabilities) {
      assert.equal(c.reason, ELECTRIC.has(c.permission) ? 'VEHICLE_NOT_CAPABLE' : null, `fuel ${c.endpoint} ${c.permission}`);
    }
  });

  test('dinosaur is not a compatible vehicle; incompatible is not a compatible make', async () => {
    const dinosaur = await level('dinosaur');
    assert.deepEqual([dinosaur.compatible, dinosaur.reason, dinosaur.capabilities], [false, 'VEHICLE_NOT_COMPATIBLE', []]);
    const incompatible = await level('incompatible');
    assert.deepEqual([incompatible.compatible, incompatible.reason, incompatible.capabilities], [false, 'MAKE_NOT_COMPATIBLE', []]);
  });

  test('test mode without a valid level is refused with Smartcar\'s exact message', async () => {
    const error = await sdkError(sdk.getCompatibility(TEST_VIN, ['read_vin'], 'US', { ...creds, mode: 'test' }));
    assert.equal(error.statusCode, 400);
    assert.equal(error.type, 'VALIDATION');
    const detail = error.detail as { field: string; message: string }[];
    assert.equal(detail[0]?.field, 'test_mode_compatibility_level');
    assert.equal(detail[0]?.message, 'Field must be one of: [compatible,phev,incompatible,fuel,dinosaur,bev]');

    const wrong = await get<{ detail: { field: string; message: string }[] }>(
      `/v2.0/compatibility?vin=${TEST_VIN}&scope=read_vin&mode=test&test_mode_compatibility_level=hybrid`,
    );
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.detail[0]?.message, 'Field must be one of: [compatible,phev,incompatible,fuel,dinosaur,bev]');
  });
});

describe('compatibility matrix', () => {
  function makes(matrix: Matrix): string[] {
    return Object.keys(matrix).filter((k) => k !== 'meta').sort();
  }

  test('US lists every make offered there, keyed upper-case, each model with its years, type, endpoints and permissions', async () => {
    const matrix = await sdk.getCompatibilityMatrix('US', creds);
    assert.deepEqual(makes(matrix), simulator.BRANDS.filter((b) => b.countries.includes('US')).map((b) => b.make).sort());
    for (const make of makes(matrix)) {
      for (const entry of matrix[make] ?? []) {
        assert.deepEqual(Object.keys(entry).sort(), ['endYear', 'endpoints', 'model', 'permissions', 'startYear', 'type']);
        assert.deepEqual(entry.endpoints, [...entry.endpoints].sort((a, b) => a.localeCompare(b, 'en')));
      }
    }
    const model3 = matrix.TESLA?.find((e) => e.model === 'Model 3');
    assert.deepEqual(
      { startYear: model3?.startYear, endYear: model3?.endYear, type: model3?.type },
      { startYear: 2018, endYear: 2023, type: 'BEV' },
    );
    for (const name of ['EV battery', 'EV charging status', 'EV start & stop charge', 'Lock & unlock', 'Odometer', 'Tire pressure', 'VIN']) {
      assert.ok(model3?.endpoints.includes(name), name);
    }
    assert.ok(!model3?.endpoints.includes('Fuel tank'));
    assert.ok(model3?.permissions.includes('control_charge'));
    assert.ok(!model3?.permissions.includes('read_fuel'));
  });

  test('the region filters makes: Europe has no Chevrolet, Toyota or Rivian', async () => {
    const matrix = await sdk.getCompatibilityMatrix('EUROPE', creds);
    for (const absent of ['CHEVROLET', 'TOYOTA', 'RIVIAN']) assert.ok(!(absent in matrix), absent);
    for (const present of ['TESLA', 'VOLKSWAGEN', 'BMW']) assert.ok(present in matrix, present);
    const canada = await sdk.getCompatibilityMatrix('CA', creds);
    assert.ok('RIVIAN' in canada);
  });

  test('type, make (any case) and scope filter the models', async () => {
    const phev = await sdk.getCompatibilityMatrix('US', { ...creds, type: 'PHEV' });
    assert.ok(!('TESLA' in phev));
    for (const make of makes(phev)) assert.ok(phev[make]?.every((e) => e.type === 'PHEV'), make);

    const chosen = await sdk.getCompatibilityMatrix('US', { ...creds, make: ['tesla', 'Nissan'] });
    assert.deepEqual(makes(chosen), ['NISSAN', 'TESLA']);

    const fuel = await sdk.getCompatibilityMatrix('US', { ...creds, scope: ['read_fuel'], make: ['TESLA', 'FORD'] });
    assert.deepEqual(makes(fuel), ['FORD']);
    for (const entry of fuel.FORD ?? []) {
      assert.deepEqual([entry.endpoints, entry.permissions], [['Fuel tank'], ['read_fuel']], entry.model);
      assert.notEqual(entry.type, 'BEV');
    }
  });

  test('region is required and region, type and scope are validated', async () => {
    assertValidation(...spread(await get('/v2.0/compatibility/matrix')), 'region');
    assertValidation(...spread(await get('/v2.0/compatibility/matrix?region=ASIA')), 'region');
    assertValidation(...spread(await get('/v2.0/compatibility/matrix?region=US&type=DIESEL')), 'type');
    assertValidation(...spread(await get('/v2.0/compatibility/matrix?region=US&scope=read_minds')), 'scope');
  });
});

describe('compatibility API authentication and URL shapes', () => {
  test('wrong client credentials are 401 AUTHENTICATION in the v2 envelope', async () => {
    const wrong = { clientId: creds.clientId, clientSecret: 'not-the-secret' };
    const error = await sdkError(sdk.getCompatibility(TESLA_VIN, ['read_vin'], 'US', wrong));
    assert.equal(error.statusCode, 401);
    assert.equal(error.type, 'AUTHENTICATION');
    const matrixError = await sdkError(sdk.getCompatibilityMatrix('US', wrong));
    assert.equal(matrixError.statusCode, 401);

    const path = `/v2.0/compatibility?vin=${TESLA_VIN}&scope=read_vin`;
    for (const authorization of ['', 'Bearer abc', basic('no-such-client', 'secret'), basic(creds.clientId, ''), 'Basic !!!']) {
      const answer = await get<{ type: string; code: null; statusCode: number; requestId: string }>(path, authorization);
      assert.equal(answer.status, 401, authorization);
      assert.equal(answer.body.type, 'AUTHENTICATION');
      assert.equal(answer.body.code, null);
      assert.equal(answer.body.statusCode, 401);
    }
  });

  test('trailing slashes, + and %20 in scope, repeated parameters and flags are accepted', async () => {
    const plus = await get<Compatibility>(`/v2.0/compatibility/?vin=${TESLA_VIN}&scope=read_odometer+read_vin&country=US&flags=country:DE+color:00819D`);
    assert.equal(plus.status, 200);
    assert.deepEqual(rows(plus.body).map((r) => r[0]), ['/odometer', '/vin']);
    const encoded = await get<Compatibility>(`/v2.0/compatibility?vin=${TESLA_VIN}&scope=read_odometer%20read_vin`);
    assert.deepEqual(rows(encoded.body).map((r) => r[0]), ['/odometer', '/vin']);
    const repeated = await get<Compatibility>(`/v2.0/compatibility?vin=${TESLA_VIN}&vin=${TESLA_VIN}&scope=read_vin&scope=read_vin`);
    assert.equal(repeated.status, 200);
    assert.deepEqual(rows(repeated.body), [['/vin', 'read_vin', true, null]]);
    const matrix = await get<Matrix>('/v2.0/compatibility/matrix/?region=US&make=tesla+rivian&scope=read_battery%20read_charge');
    assert.equal(matrix.status, 200);
    assert.deepEqual(Object.keys(matrix.body).sort(), ['RIVIAN', 'TESLA']);
  });
});

describe('compatibility agrees with the simulated vehicles', () => {
  test('every compatibility endpoint is one the vehicle API serves, with the same permission', () => {
    const served = READ_ENDPOINTS.filter((e) => e.permission !== null).map((e) => `${e.path} ${e.permission}`).sort();
    const reads = ENDPOINTS.filter((e) => e.commands.length === 0).map((e) => `${e.path} ${e.permission}`).sort();
    assert.deepEqual(reads, served);
    const wmis = simulator.BRANDS.flatMap((b) => b.wmis);
    assert.equal(new Set(wmis).size, wmis.length, 'a WMI names one brand');
  });

  const POST_BODIES: Record<string, unknown[]> = {
    '/security': [{ action: 'LOCK' }, { action: 'UNLOCK' }],
    '/charge': [{ action: 'START' }, { action: 'STOP' }],
    '/charge/limit': [{ limit: 0.8 }],
    '/navigation/destination': [{ latitude: 37.7749, longitude: -122.4194 }],
  };

  /** The COMPATIBILITY code each request on the row's endpoint answers, null for any other answer. */
  async function outcomes(vehicle: { id: string; token: string }, row: Capability): Promise<(string | null)[]> {
    const url = `${tp.baseUrl}/v2.0/vehicles/${vehicle.id}${row.endpoint === '/' ? '' : row.endpoint}`;
    const headers = { authorization: `Bearer ${vehicle.token}`, 'content-type': 'application/json' };
    // One after another: START then STOP is a meaningful sequence, the two at once are not.
    const requests = row.permission.startsWith('control_')
      ? (POST_BODIES[row.endpoint] ?? []).map((body) => () => fetch(url, { method: 'POST', headers, body: JSON.stringify(body) }))
      : [() => fetch(url, { headers: { authorization: headers.authorization } })];
    assert.ok(requests.length > 0, row.endpoint);
    const answers: (string | null)[] = [];
    for (const request of requests) {
      const res = await request();
      const body = (await res.json()) as { type?: string; code?: string };
      assert.equal(res.status === 501, body.type === 'COMPATIBILITY', `${row.endpoint} ${res.status}`);
      answers.push(body.type === 'COMPATIBILITY' ? (body.code ?? null) : null);
    }
    return answers;
  }

  const VEHICLES: [make: string, model: string][] = [
    ['TESLA', 'Model 3'], ['TESLA', 'Model X'], ['RIVIAN', 'R1T'],
    ['NISSAN', 'Leaf'], ['CHEVROLET', 'Silverado 1500'], ['JEEP', 'Wrangler 4xe'], ['BMW', 'i4'],
  ];

  for (const [make, model] of VEHICLES) {
    const powertrains = new Set(simulator.MODELS.filter((m) => m.make === make).map((m) => m.powertrain));
    const exact = powertrains.size === 1;
    test(`${make} ${model}: ${exact ? 'capable exactly when the vehicle serves the endpoint' : 'not capable only when the vehicle refuses'}`, async () => {
      const { accessToken, vehicleIds } = await tp.token({ make, model, vehicles: 1 });
      const vehicle = { id: vehicleIds[0]!, token: accessToken };
      const vin = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicle.id}/vin`, { headers: { authorization: `Bearer ${accessToken}` } });
      const answer = await sdk.getCompatibility(((await vin.json()) as { vin: string }).vin, ALL_SCOPES.split(' '), 'US', creds);
      assert.equal(answer.compatible, true);
      assert.equal(answer.capabilities.length, ENDPOINTS.length);
      if (exact) {
        // Both directions are exercised: every simulated brand lacks something and serves something.
        assert.ok(answer.capabilities.some((c) => c.capable) && answer.capabilities.some((c) => !c.capable));
      }
      for (const row of answer.capabilities) {
        const codes = await outcomes(vehicle, row);
        const served = codes.some((c) => c === null);
        const label = `${row.endpoint} ${row.permission}: ${JSON.stringify(codes)}`;
        if (!row.capable) {
          assert.equal(served, false, label);
          // Across powertrains the brand's reason may differ from this car's (a Silverado lacks the
          // battery that Chevrolet's API would not report on anyway).
          if (exact) assert.ok(codes.includes(row.reason), label);
        } else if (exact) {
          assert.equal(served, true, label);
        }
      }
    });
  }
});
