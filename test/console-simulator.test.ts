/**
 * The console's simulator API: a developer adds a simulated car to one of their apps, reads its
 * owner's Connect sign-in once, and drives it (scenario, clock, faults, values) while its state
 * endpoint follows; another developer can neither see nor control it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CreatedApp } from '../src/oauth/index.js';
import { consoleCall, consoleSignIn, type ConsoleSession } from './support/console-http.js';
import { connectOverHttp } from './support/connect-http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

let tp: TestPlatform;
let mine: CreatedApp;
let ada: ConsoleSession;
let grace: ConsoleSession;

interface CarView {
  vehicle: { vehicleId: string; make: string; model: string; vin: string; clientId: string };
  carTime: string;
  state: {
    odometerKm: number; soc: number | null; isLocked: boolean; timeScale?: number; location: { latitude: number; longitude: number };
    scenario?: { name: string } | null; faults?: { kind: string; until: string | null; probability: number }[];
  };
}

before(async () => {
  tp = await startPlatform();
  const { developers, apps } = tp.platform.services;
  const a = await developers.create({ email: 'ada@example.com', password: 'analytical engine' });
  await developers.create({ email: 'grace@example.com', password: 'compiler first' });
  mine = await apps.create({ name: 'Engine', redirectUris: ['https://engine.example/cb'], ownerUserId: a.userId });
  ada = await consoleSignIn(tp.baseUrl, 'ada@example.com', 'analytical engine');
  grace = await consoleSignIn(tp.baseUrl, 'grace@example.com', 'compiler first');
});
after(() => tp.close());

const sim = (path: string, init: Parameters<typeof consoleCall>[2] = {}) => consoleCall(tp.baseUrl, `/simulator${path}`, init);

async function addCar(json: Record<string, unknown> = {}) {
  const answer = await sim('/vehicles', { method: 'POST', session: ada, json: { clientId: mine.clientId, make: 'TESLA', model: 'Model 3', ...json } });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body as { vehicleId: string; vin: string; email: string; password: string; userId: string; clientId: string };
}

async function carState(vehicleId: string, session = ada): Promise<CarView> {
  const answer = await sim(`/vehicles/${vehicleId}`, { session });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as unknown as CarView;
}

async function accessTokenFor(email: string, password: string): Promise<string> {
  const query = new URLSearchParams({ response_type: 'code', client_id: mine.clientId, scope: 'read_vehicle_info read_odometer', mode: 'simulated', make: 'TESLA' });
  const back = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?${query}`, { email, password });
  const res = await fetch(`${tp.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${mine.clientId}:${mine.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: 'https://engine.example/cb' }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('Console simulator: cars', () => {
  test('the catalog lists makes with their models, the scenarios and the faults', async () => {
    const catalog = (await sim('/catalog', { session: ada })).body as { makes: { make: string; models: string[] }[]; scenarios: string[]; startingScenarios: string[]; faults: string[] };
    assert.ok(catalog.makes.find((m) => m.make === 'TESLA')?.models.includes('Model 3'));
    assert.deepEqual(catalog.startingScenarios, ['parked', 'charging', 'commute', 'road_trip']);
    assert.ok(catalog.faults.includes('asleep'));
    assert.equal((await sim('/catalog')).status, 401);
  });

  test('Add vehicle: the owner\'s sign-in is shown once and opens Connect; the car is listed and reachable by the app', async () => {
    const car = await addCar({ scenario: 'commute' });
    assert.match(car.email, /^sim-[0-9a-f]{12}@simulated\.carport\.dev$/);
    assert.ok(car.password.length >= 20);
    assert.equal(car.clientId, mine.clientId);
    assert.equal((car as unknown as { scenario: string }).scenario, 'commute');

    const listed = (await sim('/vehicles', { session: ada })).body.vehicles as { vehicleId: string; createdHere: boolean; clientId: string }[];
    const entry = listed.find((v) => v.vehicleId === car.vehicleId);
    assert.deepEqual({ createdHere: entry?.createdHere, clientId: entry?.clientId }, { createdHere: true, clientId: mine.clientId });
    const shown = await sim(`/vehicles/${car.vehicleId}`, { session: ada });
    assert.equal(shown.body.vehicle && (shown.body as unknown as CarView).state.scenario?.name, 'commute');
    assert.doesNotMatch(JSON.stringify(shown.body) + JSON.stringify(listed), new RegExp(car.password), 'the password is never shown again');

    const access = await accessTokenFor(car.email, car.password);
    const odometer = await fetch(`${tp.baseUrl}/v2.0/vehicles/${car.vehicleId}/odometer`, { headers: { authorization: `Bearer ${access}` } });
    assert.equal(odometer.status, 200);
    await assert.rejects(accessTokenFor(car.email, 'not the password'));
  });

  test('the state endpoint follows a scenario and the clock, and the time scale sticks', async () => {
    const car = await addCar();
    const before = await carState(car.vehicleId);
    assert.equal(before.state.scenario ?? null, null);

    const applied = await sim(`/vehicles/${car.vehicleId}/scenario`, { method: 'POST', session: ada, json: { name: 'commute' } });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.equal((applied.body as unknown as CarView).state.scenario?.name, 'commute');

    const advanced = await sim(`/vehicles/${car.vehicleId}/clock`, { method: 'POST', session: ada, json: { advanceSeconds: 86_400, timeScale: 60 } });
    assert.equal(advanced.status, 200, JSON.stringify(advanced.body));
    const after = await carState(car.vehicleId);
    assert.ok(after.state.odometerKm > before.state.odometerKm, 'a day of commuting drives the car');
    assert.ok(Date.parse(after.carTime) - Date.parse(before.carTime) >= 86_400_000);
    assert.equal(after.state.timeScale, 60);
  });

  test('faults are injected with a duration and probability, answer the Vehicle API, and are cleared', async () => {
    const car = await addCar();
    const access = await accessTokenFor(car.email, car.password);
    const odometer = () => fetch(`${tp.baseUrl}/v2.0/vehicles/${car.vehicleId}/odometer`, { headers: { authorization: `Bearer ${access}` } })
      .then(async (r) => ({ status: r.status, body: (await r.json()) as { code?: string } }));

    const injected = await sim(`/vehicles/${car.vehicleId}/faults`, { method: 'POST', session: ada, json: { kind: 'asleep', forSeconds: 600, probability: 1 } });
    assert.equal(injected.status, 200, JSON.stringify(injected.body));
    const faults = (injected.body as unknown as CarView).state.faults!;
    assert.deepEqual(faults.map((f) => [f.kind, f.probability]), [['asleep', 1]]);
    assert.ok(faults[0]!.until !== null);
    const refused = await odometer();
    assert.deepEqual([refused.status, refused.body.code], [409, 'ASLEEP']);

    const cleared = await sim(`/vehicles/${car.vehicleId}/faults`, { method: 'DELETE', session: ada });
    assert.deepEqual((cleared.body as unknown as CarView).state.faults, []);
    assert.equal((await odometer()).status, 200);
  });

  test('a car that cannot follow the starting scenario is still handed over, parked, with the reason', async () => {
    const answer = await sim('/vehicles', { method: 'POST', session: ada, json: { clientId: mine.clientId, make: 'TOYOTA', model: 'Camry Hybrid', scenario: 'charging' } });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.scenario, null);
    assert.equal(answer.body.scenarioRefused, 'this car has no traction battery to charge');
    assert.ok(answer.body.password);
    assert.equal((await carState(answer.body.vehicleId as string)).state.scenario ?? null, null);
  });

  test('values are set on the car: odometer, battery, lock', async () => {
    const car = await addCar();
    const set = await sim(`/vehicles/${car.vehicleId}/values`, { method: 'POST', session: ada, json: { odometerKm: 12_345, soc: 0.42, isLocked: false } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const { state } = await carState(car.vehicleId);
    assert.equal(state.odometerKm, 12_345);
    assert.equal(state.soc, 0.42);
    assert.equal(state.isLocked, false);
  });
});

describe('Console simulator: who may see and control a car', () => {
  test('another developer can neither see nor control the car, nor add one to an app not theirs', async () => {
    const car = await addCar();
    assert.equal((await sim(`/vehicles/${car.vehicleId}`, { session: grace })).status, 404);
    for (const [method, path, json] of [
      ['POST', 'scenario', { name: 'parked' }], ['POST', 'clock', { advanceSeconds: 60 }], ['POST', 'faults', { kind: 'asleep' }],
      ['DELETE', 'faults', undefined], ['POST', 'values', { isLocked: true }],
    ] as const) {
      const answer = await sim(`/vehicles/${car.vehicleId}/${path}`, { method, session: grace, json });
      assert.deepEqual(answer.body, { error: 'not_found', message: 'You have no simulated car with that id.' }, `${method} ${path}`);
      assert.equal(answer.status, 404);
    }
    assert.deepEqual((await sim('/vehicles', { session: grace })).body.vehicles, []);
    const foreign = await sim('/vehicles', { method: 'POST', session: grace, json: { clientId: mine.clientId, make: 'TESLA' } });
    assert.equal(foreign.status, 404);
    // A live or unknown vehicle is no simulated car of anyone's.
    assert.equal((await sim(`/vehicles/${crypto.randomUUID()}`, { session: ada })).status, 404);
    assert.equal((await sim('/vehicles/not-a-uuid', { session: ada })).status, 404);
  });

  test('a change without the CSRF token is refused', async () => {
    const car = await addCar();
    const answer = await sim(`/vehicles/${car.vehicleId}/clock`, { method: 'POST', session: ada, csrf: false, json: { advanceSeconds: 60 } });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error, 'csrf');
  });

  test('bad input is a 400 in the {error, message} envelope, naming what is wrong', async () => {
    const car = await addCar();
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/vehicles', { clientId: mine.clientId, make: 'DELOREAN' }, /make: not in the simulator catalog/],
      ['POST', '/vehicles', { clientId: mine.clientId, make: 'TESLA', model: 'Cybertruck 9' }, /model: not in the simulator catalog/],
      ['POST', '/vehicles', { clientId: mine.clientId, make: 'x'.repeat(65) }, /make/],
      ['POST', '/vehicles', { clientId: mine.clientId, make: 'TESLA', scenario: 'custom' }, /scenario/],
      ['POST', '/vehicles', { clientId: 'y'.repeat(65), make: 'TESLA' }, /clientId/],
      ['POST', `/vehicles/${car.vehicleId}/scenario`, { name: 'fly' }, /name/],
      ['POST', `/vehicles/${car.vehicleId}/scenario`, { name: 'custom', steps: [{ kind: 'teleport' }] }, /invalid steps/],
      ['POST', `/vehicles/${car.vehicleId}/faults`, { kind: 'asleep', probability: 2 }, /probability/],
      ['POST', `/vehicles/${car.vehicleId}/clock`, {}, /advanceSeconds, timeScale, or both/],
      ['POST', `/vehicles/${car.vehicleId}/clock`, { timeScale: 0 }, /timeScale/],
      ['POST', `/vehicles/${car.vehicleId}/values`, { warpDrive: true }, /warpDrive|Unrecognized/],
      ['POST', `/vehicles/${car.vehicleId}/values`, { soc: 'full' }, /soc/],
    ];
    for (const [method, path, json, message] of cases) {
      const answer = await sim(path, { method, session: ada, json });
      assert.equal(answer.status, 400, `${path} ${JSON.stringify(json)}: ${JSON.stringify(answer.body)}`);
      assert.deepEqual(Object.keys(answer.body).sort(), ['error', 'message']);
      assert.equal(answer.body.error, 'invalid_request');
      assert.match(String(answer.body.message), message);
      assert.doesNotMatch(String(answer.body.message), /\bat .*\.ts:\d+/, 'no stack trace');
    }
  });
});
