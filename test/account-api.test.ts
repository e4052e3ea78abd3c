/**
 * The owner's JSON API: a simulated car's owner signs in with the credentials `sim create` gave,
 * sees which apps reach each vehicle, and revokes one: that app's token stops reaching the car at
 * once, while the other app keeps its access.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestToken } from '../src/cli/tokens.js';
import { createSimulatedVehicle } from '../src/vehicles/index.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

let tp: TestPlatform;

async function call(path: string, init: { method?: string; cookie?: string; csrf?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${tp.baseUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, headers: res.headers };
}

before(async () => {
  tp = await startPlatform();
});
after(() => tp.close());

describe('The owner\'s account API', () => {
  test('sign in, see each app that reaches the car, revoke one: its token stops at once, the other stays', async () => {
    const { services } = tp.platform;
    const car = await createSimulatedVehicle(services.vehicles, { make: 'TESLA' });
    const other = await services.apps.create({ name: 'Other app', redirectUris: ['https://other.example/cb'] });
    const mine = await createTestToken(services, { clientId: tp.app.clientId, scope: 'read_odometer read_vin', make: 'TESLA', vehicles: 1, vehicleId: car.vehicleId });
    const theirs = await createTestToken(services, { clientId: other.clientId, scope: 'read_odometer', make: 'TESLA', vehicles: 1, vehicleId: car.vehicleId });

    const wrong = await call('/account/api/session', { method: 'POST', json: { email: car.email, password: 'not the password' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_credentials');
    assert.equal((await call('/account/api/vehicles')).status, 401);

    const signedIn = await call('/account/api/session', { method: 'POST', json: { email: car.email, password: car.password } });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    for (const attribute of [/; HttpOnly/i, /; SameSite=Strict/i, /; Path=\/account/i]) assert.match(setCookie, attribute);
    const cookie = setCookie.split(';')[0]!;
    const csrf = String(signedIn.body.csrfToken);
    assert.equal(signedIn.body.userId, car.userId);

    const listed = await call('/account/api/vehicles', { cookie });
    assert.equal(listed.status, 200);
    const vehicles = listed.body.vehicles as { vehicleId: string; vin: string; apps: { appId: string; name: string; permissions: string[]; since: string }[] }[];
    assert.equal(vehicles.length, 1);
    assert.equal(vehicles[0]!.vehicleId, car.vehicleId);
    assert.equal(vehicles[0]!.vin, car.vin);
    const apps = vehicles[0]!.apps;
    assert.deepEqual(apps.map((a) => [a.appId, a.name, [...a.permissions].sort()]).sort(), [
      [tp.app.clientId, 'Test app', ['read_odometer', 'read_vin']], [other.clientId, 'Other app', ['read_odometer']],
    ].sort());
    for (const a of apps) assert.ok(!Number.isNaN(Date.parse(a.since)));

    const odometer = (token: string) => fetch(`${tp.baseUrl}/v2.0/vehicles/${car.vehicleId}/odometer`, { headers: { authorization: `Bearer ${token}` } })
      .then(async (r) => { await r.arrayBuffer(); return r.status; });
    assert.equal(await odometer(mine.accessToken), 200);
    assert.equal(await odometer(theirs.accessToken), 200);

    const path = `/account/api/vehicles/${car.vehicleId}/apps/${tp.app.clientId}`;
    assert.equal((await call(path, { method: 'DELETE', cookie })).status, 403, 'no CSRF token');
    assert.equal(await odometer(mine.accessToken), 200, 'nothing revoked without it');
    const revoked = await call(path, { method: 'DELETE', cookie, csrf });
    assert.equal(revoked.status, 204);
    assert.notEqual(await odometer(mine.accessToken), 200, 'the revoked app\'s token no longer reaches the car');
    assert.equal(await odometer(theirs.accessToken), 200, 'the other app keeps its access');
    const after = (await call('/account/api/vehicles', { cookie })).body.vehicles as { apps: { appId: string }[] }[];
    assert.deepEqual(after[0]!.apps.map((a) => a.appId), [other.clientId]);
    assert.equal((await call(path, { method: 'DELETE', cookie, csrf })).status, 404, 'nothing left to revoke');

    const out = await call('/account/api/session', { method: 'DELETE', cookie, csrf });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^carport_account=;/);
  });

  test('another owner\'s vehicle cannot be revoked for, and a forged cookie opens nothing', async () => {
    const { services } = tp.platform;
    const a = await createSimulatedVehicle(services.vehicles, { make: 'FORD' });
    const b = await createSimulatedVehicle(services.vehicles, { make: 'FORD' });
    await createTestToken(services, { clientId: tp.app.clientId, scope: 'read_odometer', make: 'FORD', vehicles: 1, vehicleId: b.vehicleId });
    const signedIn = await call('/account/api/session', { method: 'POST', json: { email: a.email, password: a.password } });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = String(signedIn.body.csrfToken);
    const attempt = await call(`/account/api/vehicles/${b.vehicleId}/apps/${tp.app.clientId}`, { method: 'DELETE', cookie, csrf });
    assert.equal(attempt.status, 404);
    assert.equal(((await services.tokens.grantsOfAccount(b.userId)).length), 1, 'b\'s grant stands');
    const forged = `carport_account=${encodeURIComponent(`${b.userId}~${Date.now() + 3_600_000}`)}`;
    assert.equal((await call('/account/api/vehicles', { cookie: forged })).status, 401);
  });
});
