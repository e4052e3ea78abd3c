/**
 * Isolation between apps and owners: test-mode owners of two apps never share a car even with one
 * email; re-authentication answers only for the account that holds the vehicle; and a Connect
 * session's sign-in attempt cap holds when the attempts arrive all at once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import type { CreatedApp } from '../../src/oauth/index.js';
import { Browserless, connectOverHttp, csrfOf } from '../support/connect-http.js';
import { callApi } from '../support/http.js';
import { pointSdkAt, startPlatform, type TestPlatform } from '../support/platform.js';

interface AuthClient {
  getAuthUrl(scope: string[], options?: Record<string, unknown>): string;
  exchangeCode(code: string): Promise<{ accessToken: string; refreshToken: string }>;
}
const { AuthClient } = smartcar as unknown as { AuthClient: new (options: Record<string, unknown>) => AuthClient };

const REDIRECT = 'https://app.example.com/callback';
const SIGN_IN_ATTEMPTS = 5;

let tp: TestPlatform;

before(async () => {
  tp = await startPlatform({ signInAttempts: SIGN_IN_ATTEMPTS });
  pointSdkAt(tp.baseUrl);
});
after(() => tp.close());

let apps = 0;
function newApp(): Promise<CreatedApp> {
  apps += 1;
  return tp.platform.services.apps.create({ name: `Isolation app ${apps}`, redirectUris: [REDIRECT] });
}

function authClient(app: CreatedApp): AuthClient {
  return new AuthClient({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT, mode: 'test' });
}

/** A test-mode owner connects every car of theirs to the app; answers the app's token and the cars. */
async function connectOwner(app: CreatedApp, email: string): Promise<{ accessToken: string; vehicleIds: string[] }> {
  const auth = authClient(app);
  const back = await connectOverHttp(auth.getAuthUrl(['read_odometer', 'read_vin'], { make: 'TESLA' }), { email, vehicles: 'all' });
  const code = back.searchParams.get('code');
  assert.ok(code, `Connect answered ${back.toString()}`);
  const { accessToken } = await auth.exchangeCode(code);
  return { accessToken, vehicleIds: (await smartcar.getVehicles(accessToken)).vehicles };
}

function management(app: CreatedApp): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`default:${app.managementToken}`).toString('base64')}` };
}

describe('Test-mode owners of two apps', () => {
  test('with one email get different cars, and neither app can reach the other’s car through the simulator controls', async () => {
    const [first, second] = await Promise.all([newApp(), newApp()]);
    const email = `shared-${randomUUID()}@example.com`;
    const mine = await connectOwner(first, email);
    const theirs = await connectOwner(second, email);
    assert.ok(mine.vehicleIds.length > 0 && theirs.vehicleIds.length > 0);
    assert.deepEqual(mine.vehicleIds.filter((id) => theirs.vehicleIds.includes(id)), [], 'no car is shared');
    const vins = async (owner: { accessToken: string; vehicleIds: string[] }) =>
      Promise.all(owner.vehicleIds.map(async (id) => (await new smartcar.Vehicle(id, owner.accessToken).vin()).vin));
    const theirVins = await vins(theirs);
    assert.deepEqual((await vins(mine)).filter((vin) => theirVins.includes(vin)), []);

    const target = mine.vehicleIds[0]!;
    const injected = await callApi(tp.baseUrl, `/v2.0/management/simulator/vehicles/${target}/faults`, {
      method: 'POST', headers: management(second), body: JSON.stringify({ kind: 'unreachable', forSeconds: 600 }),
    });
    assert.equal(injected.status, 404, injected.text);
    const inspected = await callApi(tp.baseUrl, `/v2.0/management/simulator/vehicles/${target}`, { headers: management(second) });
    assert.equal(inspected.status, 404);
    assert.equal(typeof (await new smartcar.Vehicle(target, mine.accessToken).odometer()).distance, 'number', 'the car answers normally');
    // Its own app still controls it.
    const own = await callApi(tp.baseUrl, `/v2.0/management/simulator/vehicles/${target}`, { headers: management(first) });
    assert.equal(own.status, 200);
    // For one app, the same email still brings the same cars.
    assert.deepEqual((await connectOwner(first, email)).vehicleIds, mine.vehicleIds);
  });
});

describe('GET /oauth/reauthenticate', () => {
  async function startReauthentication(app: CreatedApp, vehicleId: string) {
    const client = new Browserless(tp.baseUrl);
    const query = new URLSearchParams({ response_type: 'vehicle_id', client_id: app.clientId, vehicle_id: vehicleId, redirect_uri: REDIRECT });
    const start = await client.request(`/oauth/reauthenticate?${query}`);
    assert.equal(start.status, 303);
    const signInPath = start.headers.get('location')!;
    assert.match(signInPath, /^\/connect\/[^/]+\/sign-in$/);
    const page = await (await client.request(signInPath)).text();
    return {
      signIn: (email: string) => client.post(signInPath, [['_csrf', csrfOf(page)], ['email', email], ['password', 'password']]),
    };
  }

  test('signed in to another account, it does not answer with the vehicle id', async () => {
    const app = await newApp();
    const ownerEmail = `owner-${randomUUID()}@example.com`;
    const owner = await connectOwner(app, ownerEmail);
    const vehicleId = owner.vehicleIds[0]!;

    const intruder = await startReauthentication(app, vehicleId);
    const refused = await intruder.signIn(`intruder-${randomUUID()}@example.com`);
    const location = refused.headers.get('location');
    assert.ok(!location?.includes(vehicleId), `redirected with the vehicle id: ${location}`);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /does not hold the vehicle/);

    const rightful = await startReauthentication(app, vehicleId);
    const answered = await rightful.signIn(ownerEmail);
    assert.equal(answered.status, 303);
    assert.equal(new URL(answered.headers.get('location')!).searchParams.get('vehicle_id'), vehicleId);
  });
});

// The submissions interleave where the database answers asynchronously (PostgreSQL: the suite runs
// on it too); embedded SQLite answers each statement at once, so there they run one after another.
describe('The sign-in attempt cap of one Connect session', () => {
  test(`holds under 20 parallel wrong sign-ins: at most ${SIGN_IN_ATTEMPTS} are judged, and the right password is refused after`, async () => {
    const app = await newApp();
    const created = await callApi<{ email: string; password: string }>(tp.baseUrl, '/v2.0/management/simulator/vehicles', {
      method: 'POST', headers: management(app), body: JSON.stringify({ make: 'TESLA' }),
    });
    assert.equal(created.status, 200, created.text);
    const { email, password } = created.body;

    const client = new Browserless(tp.baseUrl);
    const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, mode: 'simulated', make: 'TESLA', scope: 'read_odometer', redirect_uri: REDIRECT });
    const start = await client.request(`/oauth/authorize?${query}`);
    const base = start.headers.get('location')!;
    const page = await (await client.request(`${base}/sign-in`)).text();
    const csrf = csrfOf(page);

    const answers = await Promise.all(Array.from({ length: 20 }, async () => {
      const res = await client.post(`${base}/sign-in`, [['_csrf', csrf], ['email', email], ['password', 'wrong password']]);
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    }));
    const judged = answers.filter((a) => /The email or password is incorrect/.test(a.text));
    assert.ok(judged.length <= SIGN_IN_ATTEMPTS - 1, `${judged.length} wrong passwords were judged`);
    assert.ok(answers.some((a) => a.location && new URL(a.location).searchParams.get('error') === 'access_denied'), 'the session ends with access_denied');

    const right = await client.post(`${base}/sign-in`, [['_csrf', csrf], ['email', email], ['password', password]]);
    assert.ok(!right.headers.get('location')?.endsWith('/vehicles'), 'the right password no longer opens the session');
  });
});
