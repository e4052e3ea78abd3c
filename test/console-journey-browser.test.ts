/**
 * A developer's first day with carport, in one real browser, driven by role and name: sign in to
 * the console, create an app and read its credentials, add a simulated car and connect it through
 * Connect with those credentials (the official SDK exchanging the code), see it under Vehicles,
 * run a scenario and watch its state change, create a webhook to a local receiver and see its
 * delivery, make a failing API request and find it in Logs; then the car's owner signs in at
 * /account, revokes the app, and the Vehicle API refuses the app's token for the car.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import smartcar from 'smartcar';

interface AuthClient {
  getAuthUrl(scope: string[], options?: Record<string, unknown>): string;
  exchangeCode(code: string): Promise<{ accessToken: string; refreshToken: string }>;
}
const { AuthClient } = smartcar as unknown as { AuthClient: new (options: Record<string, unknown>) => AuthClient };
import { consoleShowsAddress, launchBrowser, phonePage, screenshot } from './support/browser.js';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';
import { startReceiver, type Receiver } from './support/receiver.js';

const WAIT = { timeout: 30_000 };
let tp: TestPlatform;
/** The app's redirect URI: a page of its own on this machine, so the browser really lands there. */
let app: Server;
let REDIRECT_URI = '';
let browser: Browser;
let receiver: Receiver;
let managementToken = '';

before(async () => {
  tp = await startPlatform({ webhookPollMs: 20 });
  pointSdkAt(tp.baseUrl);
  await tp.platform.services.developers.create({ email: 'grace@example.com', password: 'compiler of compilers' });
  receiver = await startReceiver(() => managementToken);
  app = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('back at the app'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  REDIRECT_URI = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => app?.close(resolve));
  await receiver?.close();
  await tp?.close();
});


async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name }).click();
  await consoleShowsAddress(page);
}

/** Chooses the app whose page to show; the page is shown again for it. */
async function chooseApp(page: Page, label: string): Promise<void> {
  await page.getByLabel('App', { exact: true }).selectOption({ label });
  await consoleShowsAddress(page);
}

describe('A developer\'s journey through the console, and the owner\'s revocation', () => {
  test('app → simulated car connected through Connect → Vehicles → scenario → webhook → Logs → owner revokes', async () => {
    const { page, problems } = await phonePage(browser);
    await page.goto(`${tp.baseUrl}/console`);
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByLabel('Password').fill('compiler of compilers');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor(WAIT);

    // Create an app and read its credentials.
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByLabel('Name').fill('Journey');
    await page.getByLabel('Redirect URI').fill(REDIRECT_URI);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const credentials = page.getByRole('region', { name: 'New app credentials' });
    await credentials.waitFor(WAIT);
    const clientId = (await credentials.getByLabel('Client ID', { exact: true }).textContent())!.trim();
    const clientSecret = (await credentials.getByLabel('Client secret', { exact: true }).textContent())!.trim();
    managementToken = (await credentials.getByLabel('Management token', { exact: true }).textContent())!.trim();
    assert.match(clientId, /^[0-9a-f-]{36}$/);
    assert.match((await credentials.getByLabel('Environment', { exact: true }).textContent())!, new RegExp(`SMARTCAR_CLIENT_ID=${clientId}`));

    // Add a simulated car to it; its owner's sign-in is shown once.
    await nav(page, 'Simulator');
    await page.getByRole('heading', { name: 'Simulator', level: 1 }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Add vehicle' }).click();
    await page.getByLabel('App', { exact: true }).selectOption({ label: 'Journey' });
    await page.getByLabel('Make').selectOption('TESLA');
    await page.getByLabel('Model').selectOption('Model 3');
    await page.getByLabel('Scenario').selectOption('parked');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const owner = page.getByRole('region', { name: 'New vehicle credentials' });
    await owner.waitFor(WAIT);
    const ownerEmail = (await owner.getByLabel('Email', { exact: true }).textContent())!.trim();
    const ownerPassword = (await owner.getByLabel('Password', { exact: true }).textContent())!.trim();
    await screenshot(page, 'journey-simulator');

    // Connect the car through Connect, in simulated mode, with the app's credentials.
    const auth = new AuthClient({ clientId, clientSecret, redirectUri: REDIRECT_URI, mode: 'simulated' });
    const { page: connect } = await phonePage(browser);
    await connect.goto(auth.getAuthUrl(['read_vehicle_info', 'read_vin', 'read_odometer', 'read_location', 'control_security'], { state: 'journey', makeBypass: 'TESLA' }));
    await connect.getByRole('link', { name: 'Continue' }).click();
    await connect.getByLabel('Email').fill(ownerEmail);
    await connect.getByLabel('Password').fill(ownerPassword);
    await connect.getByRole('button', { name: 'Continue' }).click();
    await connect.getByRole('checkbox').first().check();
    await connect.getByRole('button', { name: 'Continue' }).click();
    await connect.getByRole('button', { name: 'Allow' }).click();
    await connect.waitForURL(`${REDIRECT_URI}?**`, WAIT);
    const params = new URL(connect.url()).searchParams;
    assert.equal(params.get('state'), 'journey');
    const access = await auth.exchangeCode(params.get('code')!);
    const { vehicles: [vehicleId] } = await smartcar.getVehicles(access.accessToken);
    assert.ok(vehicleId, 'the connected car is the app\'s');
    const vehicle = new smartcar.Vehicle(vehicleId, access.accessToken);
    const vin = String((await vehicle.vin()).vin);

    // See it under Vehicles.
    await nav(page, 'Vehicles');
    await page.getByRole('heading', { name: 'Vehicles', level: 1 }).waitFor(WAIT);
    await page.getByRole('row').filter({ hasText: vin }).waitFor(WAIT);
    await screenshot(page, 'journey-vehicles');

    // Run a scenario and watch the state change without reloading.
    await nav(page, 'Simulator');
    await page.getByRole('link', { name: /TESLA Model 3$/ }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: /TESLA Model 3$/, level: 1 }).waitFor(WAIT);
    const shownOdometer = async () => (await page.getByRole('row', { name: /^Odometer / }).getByRole('cell').textContent()) ?? '';
    const before = Number.parseFloat(await shownOdometer());
    await page.getByLabel('Scenario', { exact: true }).selectOption('commute');
    await page.getByRole('button', { name: 'Apply scenario' }).click();
    await page.getByRole('row', { name: /^Scenario commute/ }).waitFor(WAIT);
    await page.getByLabel('Advance by minutes').fill('1440');
    await page.getByRole('button', { name: 'Advance clock' }).click();
    for (const end = Date.now() + WAIT.timeout; Number.parseFloat(await shownOdometer()) <= before; await page.waitForTimeout(100)) {
      assert.ok(Date.now() < end, 'the odometer shown moved after a day of commuting');
    }
    const reading = await vehicle.odometer();
    assert.ok(Number(reading.distance) > before, 'the API reads the distance the page showed growing');

    // A webhook to a local receiver, and its delivery.
    await nav(page, 'Webhooks');
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor(WAIT);
    await chooseApp(page, 'Journey');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByLabel('Name').fill('Journey feed');
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('Type').selectOption('scheduled');
    await page.getByLabel('Interval').fill('3600');
    await page.getByLabel('Data').fill('/odometer');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('link', { name: 'Journey feed' }).waitFor(WAIT);
    const [webhook] = await tp.platform.services.webhooks.list(clientId);
    assert.ok(webhook, 'the webhook exists');
    const subscribed = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleId}/webhooks/${webhook.id}`, {
      method: 'POST', headers: { authorization: `Bearer ${access.accessToken}` },
    });
    assert.equal(subscribed.status, 200);
    await page.getByRole('link', { name: 'Journey feed' }).click();
    await consoleShowsAddress(page);
    await page.locator('summary').filter({ hasText: 'delivered · 1 attempt' }).waitFor(WAIT);
    assert.ok(receiver.deliveries.some((d) => d.body.webhookId === webhook.id && d.verified), 'the receiver got a signed delivery');
    await screenshot(page, 'journey-webhooks');

    // A failing request (a permission the owner did not grant), found in Logs.
    await assert.rejects(vehicle.battery(), (error: { statusCode?: number; type?: string }) => error.statusCode === 403 && error.type === 'PERMISSION');
    await findFailingRequest(page, vehicleId);
    await screenshot(page, 'journey-logs');
    assert.deepEqual(problems, []);

    // The owner signs in at /account and revokes the app; the API refuses the app's token for the car.
    const { page: account, problems: accountProblems } = await phonePage(browser);
    await account.goto(`${tp.baseUrl}/account`);
    await account.getByLabel('Email').fill(ownerEmail);
    await account.getByLabel('Password').fill(ownerPassword);
    await account.getByRole('button', { name: 'Sign in' }).click();
    const revoke = account.getByRole('button', { name: 'Revoke access of Journey' });
    await revoke.waitFor(WAIT);
    await screenshot(account, 'journey-account');
    await revoke.click();
    await revoke.waitFor({ state: 'detached', ...WAIT });
    const refused = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleId}/odometer`, { headers: { authorization: `Bearer ${access.accessToken}` } });
    assert.ok(refused.status >= 400, `the revoked app's token no longer reads the car (${refused.status})`);
    assert.deepEqual((await smartcar.getVehicles(access.accessToken)).vehicles, [], 'the car is no longer among the app\'s');
    assert.deepEqual(accountProblems, []);
  });
});

/** The Logs page lists the app's failing request with its error, newest first, filtered by status. */
async function findFailingRequest(page: Page, vehicleId: string): Promise<void> {
  await nav(page, 'Logs');
  await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor(WAIT);
  await chooseApp(page, 'Journey');
  await page.getByLabel('Status').fill('4xx');
  const row = page.getByRole('row').filter({ hasText: `/v2.0/vehicles/${vehicleId}/battery` });
  for (const end = Date.now() + WAIT.timeout; (await row.count()) === 0; await page.waitForTimeout(250)) {
    assert.ok(Date.now() < end, 'the failing request appears in Logs');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
  }
  assert.match((await row.first().textContent()) ?? '', /403.*PERMISSION/);
}
