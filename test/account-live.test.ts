/**
 * A live car's owner on the owner's page: an OVMS module (faked, publishing to a password-protected
 * broker) is connected to an app through Connect's live mode; its owner then signs in at
 * /account/api with the same OVMS fields, sees the app, and revokes it — the app's token stops
 * reading the car. Only an account that connected through Connect opens, and every refusal reads
 * the same, naming nothing of the network behind carport. In Chromium, choosing OVMS shows its
 * fields by their labels, and the owner signs in and revokes there too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { connectOverHttp } from './support/connect-http.js';
import { localBrokerUrl, startPrivateBroker, type Broker } from './support/mqtt-broker.js';
import { fakeOvmsModule, type FakeModule } from './support/ovms-module.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

const SCREENSHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots');
const VIN = '1N4AZ0CP5FC300002';
const OWNER = 'bruno';
const PASSWORD = randomBytes(12).toString('hex');
const REFUSED = 'Those details do not open a car account connected here, or its server did not answer.';

let tp: TestPlatform;
let broker: Broker;
let module: FakeModule;
let fields: Record<string, string>;

before(async () => {
  tp = await startPlatform();
  broker = await startPrivateBroker(OWNER, PASSWORD);
  module = await fakeOvmsModule({ server: broker.url, user: OWNER, password: PASSWORD });
  await module.publish({ 'v.vin': VIN, 'v.type': 'NL', 'v.p.odometer': '2345.6', 'v.b.soc': '64' });
  fields = { server: broker.url, username: OWNER, password: PASSWORD, vehicleId: module.vehicleId };
});
after(async () => {
  await module?.clear();
  await broker?.stop();
  await tp?.close();
});

interface Answer { status: number; body: Record<string, unknown>; text: string; headers: Headers }

async function call(path: string, init: { method?: string; cookie?: string; csrf?: string; json?: unknown } = {}, base = tp.baseUrl): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, text, headers: res.headers };
}

/** Connects the OVMS car to the test app through Connect's live mode; the app's access token. */
async function connectCar(): Promise<string> {
  const query = new URLSearchParams({ response_type: 'code', client_id: tp.app.clientId, scope: 'read_vehicle_info read_vin read_odometer', mode: 'live' });
  const back = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?${query}`, { make: 'OVMS', fields });
  const code = back.searchParams.get('code');
  assert.ok(code, `Connect ended without a code: ${back}`);
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

async function carOf(token: string): Promise<string> {
  const listed = await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${token}` } });
  const { vehicles } = await listed.json() as { vehicles: string[] };
  assert.equal(vehicles.length, 1);
  return vehicles[0]!;
}

async function odometerStatus(token: string, vehicleId: string): Promise<number> {
  const res = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleId}/odometer`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

const liveSignIn = (values: Record<string, string>, base?: string) => call('/account/api/session', { method: 'POST', json: { provider: 'ovms', fields: values } }, base);

function assertRefusedWithoutDetails(answer: Answer): void {
  assert.equal(answer.status, 401);
  assert.deepEqual(answer.body, { error: 'invalid_credentials', message: REFUSED });
  assert.ok(answer.headers.get('set-cookie') === null, 'no session');
}

describe('The owner\'s account API for a live owner', () => {
  test('the sign-in options list each live brand with its fields, never a value', async () => {
    const options = await call('/account/api/sign-in-options');
    assert.equal(options.status, 200);
    assert.deepEqual(options.body, {
      live: [{
        provider: 'ovms', make: 'OVMS', displayName: 'OVMS (Open Vehicle Monitoring System)',
        fields: [
          { name: 'server', label: 'MQTT server URL', type: 'url', hint: 'mqtt://host:1883 or mqtts://host:8883' },
          { name: 'username', label: 'Username', type: 'text' },
          { name: 'password', label: 'Password', type: 'password' },
          { name: 'vehicleId', label: 'Vehicle ID', type: 'text' },
        ],
      }],
    });
  });

  test('an OVMS account that never connected through Connect does not open, and none is created', async () => {
    const accounts = async () => (await tp.platform.db.selectFrom('accounts').select('id').where('mode', '=', 'live').execute()).length;
    const before = await accounts();
    assertRefusedWithoutDetails(await liveSignIn(fields));
    assert.equal(await accounts(), before);
  });

  test('the owner signs in with the OVMS fields Connect took, sees the app, revokes it, and its token stops reading the car', async () => {
    const token = await connectCar();
    const vehicleId = await carOf(token);
    assert.equal(await odometerStatus(token, vehicleId), 200);

    const signedIn = await liveSignIn(fields);
    assert.equal(signedIn.status, 200, signedIn.text);
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    for (const attribute of [/; HttpOnly/i, /; SameSite=Strict/i, /; Path=\/account/i]) assert.match(setCookie, attribute);
    const cookie = setCookie.split(';')[0]!;
    const csrf = String(signedIn.body.csrfToken);

    const listed = await call('/account/api/vehicles', { cookie });
    assert.equal(listed.status, 200);
    const vehicles = listed.body.vehicles as { vehicleId: string; make: string; vin: string; apps: { appId: string; name: string; permissions: string[] }[] }[];
    assert.deepEqual(vehicles.map((v) => [v.vehicleId, v.make, v.vin]), [[vehicleId, 'NISSAN', VIN]]);
    assert.deepEqual(vehicles[0]!.apps.map((a) => [a.appId, a.name, [...a.permissions].sort()]), [
      [tp.app.clientId, 'Test app', ['read_odometer', 'read_vehicle_info', 'read_vin']],
    ]);

    const revoked = await call(`/account/api/vehicles/${vehicleId}/apps/${tp.app.clientId}`, { method: 'DELETE', cookie, csrf });
    assert.equal(revoked.status, 204);
    assert.equal(await odometerStatus(token, vehicleId), 404, 'the app\'s token no longer reads the car');
    const remaining = (await call('/account/api/vehicles', { cookie })).body.vehicles as { apps: unknown[] }[];
    assert.deepEqual(remaining.map((v) => v.apps), [[]]);
    assert.ok(!tp.logs.join('').includes(PASSWORD), 'the broker password is never logged');
  });

  test('a wrong password, an unreachable server and another vehicle id all read the same, naming nothing', async () => {
    const closed = new URL(broker.url);
    closed.port = '1';
    for (const tried of [
      { ...fields, password: 'not the password' },
      { ...fields, server: closed.toString().replace(/\/$/, '') },
      { ...fields, server: await localBrokerUrl(), vehicleId: 'NOSUCHCAR' },
    ]) {
      const answer = await liveSignIn(tried);
      assertRefusedWithoutDetails(answer);
      assert.doesNotMatch(answer.text, /127\.0\.0\.1|mqtt|MQTT|NOSUCHCAR/);
    }
  });

  test('bad input is a 400 before anything is dialled', async () => {
    const missing = await liveSignIn({ ...fields, vehicleId: '' });
    assert.deepEqual([missing.status, missing.body.error, missing.body.message], [400, 'invalid_request', 'Fill in “Vehicle ID”.']);
    assert.equal((await liveSignIn({ ...fields, password: 'x'.repeat(2049) })).status, 400);
    const unknown = await call('/account/api/session', { method: 'POST', json: { provider: 'tesla-fleet', fields } });
    assert.deepEqual([unknown.status, unknown.body.error], [400, 'invalid_request']);
    assert.equal((await call('/account/api/session', { method: 'POST', json: { provider: 'ovms', fields: 'server' } })).status, 400);
  });

  test('live sign-ins share the sign-in rate limit per client address', async () => {
    const limited = await startPlatform({ rateLimits: 'on', tokenRequestsPerMinute: 2 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await liveSignIn({ ...fields, password: `guess ${i}` }, limited.baseUrl)).status);
      assert.deepEqual(statuses, [401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('The owner\'s page for a live owner in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
  });

  test('choosing OVMS shows its fields by their labels; the owner signs in, sees the app and revokes it', async () => {
    const token = await connectCar();
    const vehicleId = await carOf(token);
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    await page.goto(`${tp.baseUrl}/account`);
    const account = page.getByLabel('Car account');
    await assert.doesNotReject(page.getByLabel('Email').waitFor());
    assert.equal(await account.inputValue(), '', 'a simulated car is the first choice');
    await account.selectOption({ label: 'OVMS (Open Vehicle Monitoring System)' });
    for (const label of ['MQTT server URL', 'Username', 'Password', 'Vehicle ID']) {
      await assert.doesNotReject(page.getByLabel(label, { exact: true }).waitFor(), label);
    }
    assert.equal(await page.getByLabel('Email').count(), 0, 'the simulated owner\'s fields are gone');

    await page.getByLabel('MQTT server URL').fill(fields.server!);
    await page.getByLabel('Username').fill(OWNER);
    await page.getByLabel('Password').fill('not the password');
    await page.getByLabel('Vehicle ID').fill(module.vehicleId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: REFUSED }).waitFor());
    await page.screenshot({ path: join(SCREENSHOTS, 'account-live-sign-in.png'), fullPage: true });

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const vehicle = page.getByRole('region', { name: '2015 NISSAN Leaf' });
    await assert.doesNotReject(vehicle.getByText(`VIN ${VIN}`).waitFor());
    await assert.doesNotReject(vehicle.getByRole('listitem', { name: 'Test app' }).waitFor());
    await page.getByRole('button', { name: 'Revoke access of Test app' }).click();
    await assert.doesNotReject(vehicle.getByText('No app can reach this vehicle.').waitFor());
    assert.equal(await odometerStatus(token, vehicleId), 404);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await assert.doesNotReject(page.getByRole('button', { name: 'Sign in' }).waitFor());
    assert.deepEqual(problems, []);
  });
});
