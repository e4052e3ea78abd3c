/**
 * Simulated mode: a developer's simulated vehicles, connected through Connect with their owner's
 * credentials, and kept apart from test-mode vehicles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSimulatedVehicle } from '../src/vehicles/index.js';
import { Browserless, connectOverHttp, csrfOf } from './support/connect-http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

let tp: TestPlatform;
before(async () => {
  tp = await startPlatform();
});
after(() => tp.close());

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: tp.app.clientId, scope: 'read_vehicle_info read_vin', ...params });
  return `${tp.baseUrl}/oauth/authorize?${query}`;
}

async function exchange(code: string): Promise<string> {
  const res = await fetch(`${tp.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${tp.app.clientId}:${tp.app.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('Connect in simulated mode', () => {
  test('the owner signs in with the simulated vehicle’s credentials and the app reaches exactly that vehicle', async () => {
    const car = await createSimulatedVehicle(tp.platform.services.vehicles, { make: 'TESLA', model: 'Model Y', seed: '7' });
    const url = await connectOverHttp(authorizeUrl({ mode: 'simulated', make: 'TESLA' }), { email: car.email, password: car.password });
    const access = await exchange(url.searchParams.get('code')!);
    const list = (await (await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${access}` } })).json()) as { vehicles: string[] };
    assert.deepEqual(list.vehicles, [car.vehicleId]);
    const vin = (await (await fetch(`${tp.baseUrl}/v2.0/vehicles/${car.vehicleId}/vin`, { headers: { authorization: `Bearer ${access}` } })).json()) as { vin: string };
    assert.equal(vin.vin, car.vin);
  });

  test('a wrong password is refused on the sign-in page and opens nothing', async () => {
    const car = await createSimulatedVehicle(tp.platform.services.vehicles, { make: 'KIA' });
    const client = new Browserless(tp.baseUrl);
    const start = await client.request(authorizeUrl({ mode: 'simulated', make: 'KIA' }));
    const base = start.headers.get('location')!;
    const page = await (await client.request(`${base}/sign-in`)).text();
    const res = await client.post(`${base}/sign-in`, [['_csrf', csrfOf(page)], ['email', car.email], ['password', 'not-the-password']]);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /The email or password is incorrect/);
    assert.equal((await client.request(`${base}/vehicles`)).status, 400, 'the vehicles step stays out of reach');
  });

  test('the same seed gives the same car', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => createSimulatedVehicle(tp.platform.services.vehicles, { make: 'FORD', model: 'F-150', seed: 'fleet-42' })));
    assert.equal(a!.vin, b!.vin);
    assert.notEqual(a!.vehicleId, b!.vehicleId);
  });
});

describe('Mode isolation', () => {
  test('a simulated vehicle granted by tokens create --vehicle-id is reachable; test-mode tokens never reach it', async () => {
    const car = await createSimulatedVehicle(tp.platform.services.vehicles, { make: 'AUDI' });
    const granted = await tp.token({ vehicleId: car.vehicleId, scope: 'read_vin' });
    assert.deepEqual(granted.vehicleIds, [car.vehicleId]);
    const ok = await fetch(`${tp.baseUrl}/v2.0/vehicles/${car.vehicleId}/vin`, { headers: { authorization: `Bearer ${granted.accessToken}` } });
    assert.equal(ok.status, 200);
    const testToken = await tp.token({ scope: 'read_vin' });
    const other = await fetch(`${tp.baseUrl}/v2.0/vehicles/${car.vehicleId}/vin`, { headers: { authorization: `Bearer ${testToken.accessToken}` } });
    assert.equal(other.status, 404);
  });

  test('in simulated mode an email without a simulated vehicle cannot sign in, as test mode would let it', async () => {
    const url = await connectOverHttp(authorizeUrl({ mode: 'simulated', make: 'TESLA' }), { email: 'anyone@example.com', password: 'x' }).catch((e: Error) => e);
    assert.ok(url instanceof Error, 'an unknown simulated owner cannot sign in');
  });
});
