/**
 * The owner's page at /account in a real browser, driven by role and name: a simulated car's owner
 * signs in with the credentials `sim create` printed, sees the app that reaches their car with its
 * permissions in plain words, revokes it, and the Vehicle API refuses that app's token at once.
 * A screenshot is kept in artifacts/screenshots for a person to look at.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createTestToken } from '../src/cli/tokens.js';
import { createSimulatedVehicle } from '../src/vehicles/index.js';
import { launchBrowser, phonePage, screenshot } from './support/browser.js';
import { startPlatform, type TestPlatform } from './support/platform.js';


let tp: TestPlatform;
let browser: Browser;

before(async () => {
  tp = await startPlatform();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await tp?.close();
});

describe('The owner\'s page in Chromium', () => {
  test('a simulated car\'s owner signs in, sees the app that reaches the car, revokes it, and its token is refused', async () => {
    const { services } = tp.platform;
    const car = await createSimulatedVehicle(services.vehicles, { make: 'TESLA', model: 'Model 3' });
    const tracker = await services.apps.create({ name: 'Trip Tracker', redirectUris: ['https://trips.example/cb'] });
    const granted = await createTestToken(services, {
      clientId: tracker.clientId, scope: 'read_odometer read_location', make: 'TESLA', vehicles: 1, vehicleId: car.vehicleId,
    });
    const odometer = () => fetch(`${tp.baseUrl}/v2.0/vehicles/${car.vehicleId}/odometer`, { headers: { authorization: `Bearer ${granted.accessToken}` } })
      .then(async (r) => ({ status: r.status, body: await r.json() as { type?: string; code?: string } }));
    assert.equal((await odometer()).status, 200);

    const { page, problems } = await phonePage(browser);
    await page.goto(`${tp.baseUrl}/account`);

    await page.getByLabel('Email').fill(car.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor());

    await page.getByLabel('Password').fill(car.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const vehicle = page.getByRole('region', { name: `${car.year} TESLA Model 3` });
    await assert.doesNotReject(vehicle.getByRole('heading', { name: `${car.year} TESLA Model 3` }).waitFor());
    await assert.doesNotReject(vehicle.getByText(`VIN ${car.vin}`).waitFor());
    const app = vehicle.getByRole('listitem', { name: 'Trip Tracker' });
    await assert.doesNotReject(app.getByRole('heading', { name: 'Trip Tracker' }).waitFor());
    const permissions = app.getByRole('list', { name: 'What Trip Tracker may do' });
    assert.deepEqual((await permissions.getByRole('listitem').allTextContents()).sort(), ['See your odometer', 'See your vehicle’s location']);
    assert.match((await app.textContent())!, /Since /);
    await screenshot(page, 'account');

    const revoke = page.getByRole('button', { name: 'Revoke access of Trip Tracker' });
    assert.equal(await revoke.textContent(), 'Revoke access');
    await revoke.click();
    await assert.doesNotReject(app.waitFor({ state: 'detached' }));
    await assert.doesNotReject(vehicle.getByText('No app can reach this vehicle.').waitFor());

    // The token no longer covers the car: the Vehicle API answers as for any vehicle it does not
    // cover (RESOURCE_NOT_FOUND, so ids leak nothing), and no longer lists it.
    const refused = await odometer();
    assert.equal(refused.status, 404);
    assert.equal(refused.body.type, 'RESOURCE_NOT_FOUND');
    const listed = await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${granted.accessToken}` } });
    assert.deepEqual((await listed.json() as { vehicles: string[] }).vehicles, []);

    // Signed in across a reload (the cookie); Sign out ends it.
    await page.reload();
    await assert.doesNotReject(vehicle.getByText('No app can reach this vehicle.').waitFor());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await assert.doesNotReject(page.getByRole('button', { name: 'Sign in' }).waitFor());
    await page.reload();
    await assert.doesNotReject(page.getByRole('button', { name: 'Sign in' }).waitFor());
    assert.deepEqual(problems, []);
  });

  test('the page is served with a strict content security policy', async () => {
    const res = await fetch(`${tp.baseUrl}/account`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
    assert.match(await res.text(), /<label for="email">Email<\/label>/);
    const script = await fetch(`${tp.baseUrl}/account/assets/account.js`);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    await script.arrayBuffer();
  });
});
