/**
 * The console's Vehicles API: an app's connected vehicles filtered by mode and by a piece of make,
 * model or VIN, paged; a vehicle's latest values with when they were observed; and its connection
 * history, each connection with why it ended — owner revoked, app disconnected, expired.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestToken } from '../src/cli/tokens.js';
import { REFRESH_TOKEN_SECONDS, type CreatedApp } from '../src/oauth/index.js';
import { purgeOnce } from '../src/maintenance/index.js';
import { databaseKind } from '../src/store/index.js';
import { consoleCall, consoleSignIn, type ConsoleSession } from './support/console-http.js';
import { MovableClock, startPlatform, type TestPlatform } from './support/platform.js';

const clock = new MovableClock();
let tp: TestPlatform;
let app: CreatedApp;
let ada: ConsoleSession;

interface Listed { vehicleId: string; make: string; model: string; vin: string; mode: string; userId: string; permissions: string[]; connectedAt: string }
interface Span { accountId: string; startedAt: string; endedAt: string | null; endReason: string | null }
interface Detail {
  vehicle: { vehicleId: string; make: string; vin: string; mode: string };
  connected: boolean;
  permissions: string[];
  latest: { values: { code: string; name: string; value: Record<string, unknown>; observedAt: string | null }[]; unreachable: unknown } | null;
  history: Span[];
}

before(async () => {
  tp = await startPlatform({}, { clock });
  const dev = await tp.platform.services.developers.create({ email: 'ada@example.com', password: 'analytical engine' });
  app = await tp.platform.services.apps.create({ name: 'Engine', redirectUris: ['https://engine.example/cb'], ownerUserId: dev.userId });
  ada = await consoleSignIn(tp.baseUrl, 'ada@example.com', 'analytical engine');
});
after(() => tp.close());

const vehicles = (query = '') => consoleCall(tp.baseUrl, `/apps/${app.clientId}/vehicles${query}`, { session: ada });
const detail = async (vehicleId: string): Promise<Detail> => {
  const answer = await consoleCall(tp.baseUrl, `/apps/${app.clientId}/vehicles/${vehicleId}`, { session: ada });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as unknown as Detail;
};
const connect = (request: { make?: string; vehicles?: number; vehicleId?: string; model?: string }) => createTestToken(tp.platform.services, {
  clientId: app.clientId, scope: 'read_odometer read_vin read_location read_battery read_security', make: 'TESLA', vehicles: 1, ...request,
});

describe('Console vehicles: the list', () => {
  test('filters by mode and by a piece of make, model or VIN in any case, pages, and caps its parameters', async () => {
    const teslas = await connect({ make: 'TESLA', vehicles: 2 });
    const kia = await connect({ make: 'KIA', vehicles: 1 });
    const kiaVin = (await tp.platform.services.vehicles.find(kia.vehicleIds[0]!))!.vin;
    const ids = (answer: { body: Record<string, unknown> }) => (answer.body.vehicles as Listed[]).map((v) => v.vehicleId).sort();

    assert.deepEqual(ids(await vehicles('?q=kia')), kia.vehicleIds);
    assert.deepEqual(ids(await vehicles(`?q=${kiaVin.slice(3, 11).toLowerCase()}`)), kia.vehicleIds, 'a piece of the VIN');
    assert.deepEqual(ids(await vehicles('?q=TeSLa')), [...teslas.vehicleIds].sort());
    assert.deepEqual(ids(await vehicles('?q=%25')), [], 'a % is matched literally');
    assert.deepEqual(ids(await vehicles('?q=_')), [], 'so is an underscore');
    assert.deepEqual(ids(await vehicles('?mode=test&q=kia')), kia.vehicleIds);
    assert.deepEqual(ids(await vehicles('?mode=simulated')), []);

    const first = await vehicles('?q=tesla&limit=1');
    assert.equal((first.body.vehicles as Listed[]).length, 1);
    assert.equal(first.body.next, 1);
    const second = await vehicles('?q=tesla&limit=1&offset=1');
    assert.equal(second.body.next, null);
    assert.notEqual((second.body.vehicles as Listed[])[0]!.vehicleId, (first.body.vehicles as Listed[])[0]!.vehicleId);
    const row = (first.body.vehicles as Listed[])[0]!;
    assert.equal(row.make, 'TESLA');
    assert.equal(row.mode, 'test');
    assert.equal(row.userId, teslas.userId);
    assert.deepEqual(row.permissions.sort(), ['read_battery', 'read_location', 'read_odometer', 'read_security', 'read_vin']);

    for (const bad of [`?q=${'x'.repeat(65)}`, '?limit=101', '?limit=0', '?mode=flying', '?offset=-1']) {
      const answer = await vehicles(bad);
      assert.equal(answer.status, 400, bad);
      assert.equal(answer.body.error, 'invalid_request');
    }
  });
});

describe('Console vehicles: one vehicle', () => {
  test('its latest values with when each was observed', async () => {
    const granted = await connect({ make: 'TESLA', model: 'Model 3' });
    const vehicleId = granted.vehicleIds[0]!;
    const shown = await detail(vehicleId);
    assert.equal(shown.connected, true);
    assert.equal(shown.vehicle.make, 'TESLA');
    const byName = new Map(shown.latest!.values.map((v) => [v.name, v]));
    const odometer = byName.get('Odometer')!;
    assert.equal(odometer.value.unit, 'km');
    assert.ok(typeof odometer.value.value === 'number' && odometer.value.value > 0);
    assert.ok(!Number.isNaN(Date.parse(odometer.observedAt!)));
    assert.ok(byName.has('Battery') && byName.has('Location') && byName.has('Locked'));
    assert.equal(byName.has('Fuel'), false, 'an electric car reports no fuel');
    assert.equal(shown.latest!.unreachable, null);

    // The values are the car's: a value set on it shows.
    const car = (await tp.platform.services.vehicles.find(vehicleId))!;
    await tp.platform.services.simulator.setValues(car, { odometerKm: 54_321 });
    assert.equal((await detail(vehicleId)).latest!.values.find((v) => v.name === 'Odometer')!.value.value, 54_321);

    // A car that cannot be reached says why, rather than failing the page.
    await tp.platform.services.simulator.injectFault((await tp.platform.services.vehicles.find(vehicleId))!, 'unreachable', null, 1);
    assert.deepEqual((await detail(vehicleId)).latest, { values: [], unreachable: { category: 'VehicleState', code: 'UNREACHABLE' } });
  });

  test('another app\'s vehicle, an unknown one, or none at all is not found', async () => {
    const elsewhere = await tp.token();
    for (const id of [elsewhere.vehicleIds[0]!, crypto.randomUUID(), 'not-a-uuid']) {
      const answer = await consoleCall(tp.baseUrl, `/apps/${app.clientId}/vehicles/${id}`, { session: ada });
      assert.deepEqual([answer.status, answer.body.error], [404, 'not_found'], id);
    }
  });
});

describe('Console vehicles: connection history', () => {
  test('each connection with when it started and why it ended: app disconnected, owner revoked, expired', async () => {
    const { services } = tp.platform;
    const first = await connect({ make: 'TESLA' });
    const vehicleId = first.vehicleIds[0]!;
    const ended = (spans: Span[]) => spans.filter((s) => s.endedAt !== null);

    // App disconnected: the console's Disconnect.
    const gone = await consoleCall(tp.baseUrl, `/apps/${app.clientId}/vehicles/${vehicleId}`, { method: 'DELETE', session: ada });
    assert.equal(gone.status, 200, JSON.stringify(gone.body));
    let shown = await detail(vehicleId);
    assert.equal(shown.connected, false);
    assert.equal(shown.latest, null, 'no values read for a car the app no longer reaches');
    assert.deepEqual(shown.history.map((s) => s.endReason), ['app_disconnected']);

    // Owner revoked: the owner's account revokes the app (through the token service the owner's API uses).
    clock.advance(60_000);
    await connect({ vehicleId });
    assert.equal((await detail(vehicleId)).connected, true);
    clock.advance(60_000);
    assert.ok(await services.tokens.revokeVehicle(app.clientId, first.userId, vehicleId, 'owner_revoked'));

    // Expired: connected again, then the refresh token lapses.
    clock.advance(60_000);
    await connect({ vehicleId });
    const lastStart = (await detail(vehicleId)).history[0]!.startedAt;
    clock.advance((REFRESH_TOKEN_SECONDS + 60) * 1000);
    ada = await consoleSignIn(tp.baseUrl, 'ada@example.com', 'analytical engine');
    shown = await detail(vehicleId);
    assert.equal(shown.connected, false, 'its refresh token lapsed');
    assert.deepEqual(shown.history.map((s) => s.endReason), ['expired', 'owner_revoked', 'app_disconnected']);
    const expired = shown.history[0]!;
    assert.equal(expired.startedAt, lastStart);
    assert.equal(Date.parse(expired.endedAt!), Date.parse(lastStart) + REFRESH_TOKEN_SECONDS * 1000, 'when the refresh token lapsed');
    for (const span of ended(shown.history)) {
      assert.ok(Date.parse(span.endedAt!) > Date.parse(span.startedAt));
      assert.equal(span.accountId, first.userId);
    }

    // The purge records the lapse before the lapsed tokens go, and a later Disconnect does not rewrite it.
    const purged = await purgeOnce({ db: tp.platform.db, kind: databaseKind(tp.databaseUrl), clock, retentionDays: 30 });
    assert.ok(purged.ran && purged.deleted.tokens > 0);
    assert.deepEqual(await detail(vehicleId).then((d) => d.history), shown.history);
    await consoleCall(tp.baseUrl, `/apps/${app.clientId}/vehicles/${vehicleId}`, { method: 'DELETE', session: ada });
    assert.deepEqual(await detail(vehicleId).then((d) => d.history), shown.history);
  });

  test('the owner revoking through their account API and the v2 DELETE /vehicles/:id/application are recorded as such', async () => {
    ada = await consoleSignIn(tp.baseUrl, 'ada@example.com', 'analytical engine');
    const created = await consoleCall(tp.baseUrl, '/simulator/vehicles', { method: 'POST', session: ada, json: { clientId: app.clientId, make: 'TESLA' } });
    const car = created.body as { vehicleId: string; email: string; password: string };
    const granted = await connect({ vehicleId: car.vehicleId });

    const signIn = await fetch(`${tp.baseUrl}/account/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: car.email, password: car.password }),
    });
    const { csrfToken } = await signIn.json() as { csrfToken: string };
    const revoke = await fetch(`${tp.baseUrl}/account/api/vehicles/${car.vehicleId}/apps/${app.clientId}`, {
      method: 'DELETE', headers: { cookie: signIn.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken },
    });
    assert.equal(revoke.status, 204);
    assert.deepEqual((await detail(car.vehicleId)).history.map((s) => s.endReason), ['owner_revoked']);

    clock.advance(60_000);
    const again = await connect({ vehicleId: car.vehicleId });
    const disconnect = await fetch(`${tp.baseUrl}/v2.0/vehicles/${car.vehicleId}/application`, {
      method: 'DELETE', headers: { authorization: `Bearer ${again.accessToken}` },
    });
    assert.equal(disconnect.status, 200);
    assert.deepEqual((await detail(car.vehicleId)).history.map((s) => s.endReason), ['app_disconnected', 'owner_revoked']);
    assert.ok(granted.accessToken);
  });
});
