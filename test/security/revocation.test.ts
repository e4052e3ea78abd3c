/**
 * Revocation that holds: once a vehicle is disconnected (by the app, or through the management API),
 * the tokens that reached it never work again — not even after the same owner grants the same
 * vehicle to the same app anew, through Connect or `carport tokens create` — and a refresh token
 * whose family has no live grant left is invalid_grant. Driven through the official SDK and HTTP.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import type { CreatedApp } from '../../src/oauth/index.js';
import { connectOverHttp } from '../support/connect-http.js';
import { pointSdkAt, startPlatform, type TestPlatform } from '../support/platform.js';

interface Access { accessToken: string; refreshToken: string }
interface AuthClient {
  getAuthUrl(scope: string[], options?: Record<string, unknown>): string;
  exchangeCode(code: string): Promise<Access>;
  exchangeRefreshToken(token: string): Promise<Access>;
}
const sdk = smartcar as unknown as typeof smartcar & {
  AuthClient: new (options: Record<string, unknown>) => AuthClient;
  deleteConnections(amt: string, filter: { userId?: string; vehicleId?: string }): Promise<unknown>;
};
type SdkError = InstanceType<typeof smartcar.SmartcarError>;

const REDIRECT = 'https://app.example.com/callback';
const SCOPE = ['read_odometer', 'read_vehicle_info'];

let tp: TestPlatform;
let app: CreatedApp;
let auth: AuthClient;

before(async () => {
  // A long cache: what a revocation ends must end at once on its node, cache or not.
  tp = await startPlatform({ authCacheMs: 60_000 });
  pointSdkAt(tp.baseUrl);
  app = await tp.platform.services.apps.create({ name: 'Revocation app', redirectUris: [REDIRECT] });
  auth = new sdk.AuthClient({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT, mode: 'test' });
});
after(() => tp.close());

/** One owner's pass through Connect (test mode, by email) for the first vehicle, exchanged by the SDK. */
async function connectThroughConnect(email: string): Promise<Access & { vehicleId: string }> {
  const back = await connectOverHttp(auth.getAuthUrl(SCOPE, { make: 'TESLA' }), { email, vehicles: 'first' });
  const code = back.searchParams.get('code');
  assert.ok(code, `Connect answered ${back.toString()}`);
  const access = await auth.exchangeCode(code);
  const { vehicles } = await smartcar.getVehicles(access.accessToken);
  assert.equal(vehicles.length, 1);
  return { ...access, vehicleId: vehicles[0]! };
}

async function odometerStatus(accessToken: string, vehicleId: string): Promise<number> {
  const res = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleId}/odometer`, { headers: { authorization: `Bearer ${accessToken}` } });
  await res.body?.cancel();
  return res.status;
}

async function refreshError(refreshToken: string): Promise<string | undefined> {
  const res = await fetch(`${tp.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  const body = (await res.json()) as { error?: string };
  return res.status === 200 ? undefined : body.error;
}

const isAuthentication = (error: SdkError) => error.type === 'AUTHENTICATION' && error.statusCode === 401;

describe('A disconnected vehicle granted anew', () => {
  test('through Connect: the old access token is 401 and the old refresh token invalid_grant; the new pair works', async () => {
    const email = `owner-${randomUUID()}@example.com`;
    const old = await connectThroughConnect(email);
    const car = new smartcar.Vehicle(old.vehicleId, old.accessToken);
    assert.equal(typeof (await car.odometer()).distance, 'number');
    await car.disconnect();

    const renewed = await connectThroughConnect(email);
    assert.equal(renewed.vehicleId, old.vehicleId, 'the same owner grants the same car again');

    await assert.rejects(car.odometer(), isAuthentication);
    await assert.rejects(smartcar.getVehicles(old.accessToken), isAuthentication);
    await assert.rejects(auth.exchangeRefreshToken(old.refreshToken), (error: SdkError) => error.statusCode === 400);
    assert.equal(await refreshError(old.refreshToken), 'invalid_grant');

    assert.equal(typeof (await new smartcar.Vehicle(renewed.vehicleId, renewed.accessToken).odometer()).distance, 'number');
    const next = await auth.exchangeRefreshToken(renewed.refreshToken);
    assert.equal(await odometerStatus(next.accessToken, renewed.vehicleId), 200);
  });

  test('after a management connection delete, through `carport tokens create`: the old pair never works again', async () => {
    const old = await tp.token({ clientId: app.clientId, scope: SCOPE.join(' ') });
    const vehicleId = old.vehicleIds[0]!;
    assert.equal(await odometerStatus(old.accessToken, vehicleId), 200, 'resolved, and cached on this node');
    await sdk.deleteConnections(app.managementToken, { vehicleId });

    const renewed = await tp.token({ clientId: app.clientId, scope: SCOPE.join(' '), vehicleId });
    assert.equal(renewed.userId, old.userId);

    assert.equal(await odometerStatus(old.accessToken, vehicleId), 401);
    assert.equal(await refreshError(old.refreshToken), 'invalid_grant');
    assert.equal(await odometerStatus(renewed.accessToken, vehicleId), 200);
  });

  test('a family that keeps another live vehicle keeps it, and never gets the disconnected one back', async () => {
    const old = await tp.token({ clientId: app.clientId, scope: SCOPE.join(' '), vehicles: 2 });
    const [gone, kept] = old.vehicleIds as [string, string];
    await new smartcar.Vehicle(gone, old.accessToken).disconnect();
    await tp.token({ clientId: app.clientId, scope: SCOPE.join(' '), vehicleId: gone });

    assert.equal(await odometerStatus(old.accessToken, gone), 404);
    assert.deepEqual((await smartcar.getVehicles(old.accessToken)).vehicles, [kept]);
    const refreshed = await auth.exchangeRefreshToken(old.refreshToken);
    assert.equal(await odometerStatus(refreshed.accessToken, gone), 404);
    assert.equal(await odometerStatus(refreshed.accessToken, kept), 200);
  });
});

describe('A refresh with no live grant left', () => {
  test('is invalid_grant once the app disconnected every vehicle of the family', async () => {
    const old = await tp.token({ clientId: app.clientId, scope: SCOPE.join(' ') });
    await new smartcar.Vehicle(old.vehicleIds[0]!, old.accessToken).disconnect();
    assert.equal(await refreshError(old.refreshToken), 'invalid_grant');
    await assert.rejects(auth.exchangeRefreshToken(old.refreshToken), (error: SdkError) => error.statusCode === 400);
  });

  test('is invalid_grant once the management API ended the owner’s connections', async () => {
    const old = await tp.token({ clientId: app.clientId, scope: SCOPE.join(' '), vehicles: 2 });
    await sdk.deleteConnections(app.managementToken, { userId: old.userId });
    assert.equal(await refreshError(old.refreshToken), 'invalid_grant');
  });
});
