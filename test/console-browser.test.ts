/**
 * The console in a real browser, driven by role and name: a wrong password is refused on the page,
 * a developer signs in, sees their apps (not another's) and the vehicles connected to them, and
 * signs out. One screenshot per page is kept in artifacts/screenshots for a person to look at.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createTestToken } from '../src/cli/tokens.js';
import { consoleShowsAddress, launchBrowser, phonePage, screenshot } from './support/browser.js';
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


describe('The console in Chromium', () => {
  test('sign in, see one\'s own apps and their vehicles, sign out', async () => {
    const { services } = tp.platform;
    const dev = await services.developers.create({ email: 'margaret@example.com', password: 'apollo guidance' });
    const app = await services.apps.create({ name: 'Lunar Module', redirectUris: ['https://lm.example/cb'], ownerUserId: dev.userId });
    await services.apps.create({ name: 'Someone else\'s app', redirectUris: ['https://else.example/cb'] });
    const grant = await createTestToken(services, { clientId: app.clientId, scope: 'read_odometer read_vin', make: 'TESLA', vehicles: 1 });
    const vin = (await services.vehicles.find(grant.vehicleIds[0]!))!.vin;

    const { page, problems } = await phonePage(browser);
    await page.goto(`${tp.baseUrl}/console`);

    await page.getByLabel('Email').fill('margaret@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor());
    assert.equal(await page.getByRole('navigation', { name: 'Console' }).count(), 0, 'no navigation before signing in');
    await screenshot(page, 'console-sign-in');

    await page.getByLabel('Password').fill('apollo guidance');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await assert.doesNotReject(page.getByRole('heading', { name: 'Apps' }).waitFor());
    await assert.doesNotReject(page.getByRole('cell', { name: 'Lunar Module', exact: true }).waitFor());
    assert.equal(await page.getByRole('cell', { name: app.clientId }).count(), 1);
    assert.equal(await page.getByText('Someone else\'s app').count(), 0);
    await screenshot(page, 'console-apps');

    // Create app: name, two redirect URIs; the credentials are shown once and work.
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByLabel('Name').fill('Command Module');
    await page.getByLabel('Redirect URI', { exact: true }).fill('https://cm.example/cb');
    await page.getByRole('button', { name: 'Add redirect URI' }).click();
    await page.getByLabel('Redirect URI 2').fill('http://localhost:3000/cb');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await assert.doesNotReject(page.getByRole('heading', { name: 'Command Module is ready' }).waitFor());
    const clientId = (await page.getByLabel('Client ID', { exact: true }).textContent())!;
    const secret = (await page.getByLabel('Client secret', { exact: true }).textContent())!;
    const environment = (await page.getByLabel('Environment', { exact: true }).textContent())!;
    assert.ok(await services.apps.authenticate(clientId, secret), 'the secret shown is the app\'s');
    assert.match(environment, new RegExp(`^SMARTCAR_CLIENT_ID=${clientId}\nSMARTCAR_CLIENT_SECRET=${secret}\nSMARTCAR_REDIRECT_URI=https://cm\\.example/cb\n`));
    assert.deepEqual((await services.apps.find(clientId))?.redirectUris, ['https://cm.example/cb', 'http://localhost:3000/cb']);
    assert.equal((await services.apps.find(clientId))?.ownerUserId, dev.userId);
    await assert.doesNotReject(page.getByRole('cell', { name: 'Command Module', exact: true }).waitFor());
    assert.equal(await page.getByRole('button', { name: 'Copy client secret' }).count(), 1);
    await screenshot(page, 'console-app-created');

    // Rotate secret: a new one, shown once; the previous one keeps working for the day.
    await page.getByRole('button', { name: 'Rotate secret of Command Module' }).click();
    await assert.doesNotReject(page.getByRole('heading', { name: 'New secret for Command Module' }).waitFor());
    const rotated = (await page.getByRole('region', { name: 'New app credentials' }).first().getByLabel('Client secret', { exact: true }).textContent())!;
    assert.notEqual(rotated, secret);
    assert.ok(await services.apps.authenticate(clientId, rotated), 'the new secret works');
    assert.ok(await services.apps.authenticate(clientId, secret), 'the previous one still works');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Vehicles' }).click();
    await consoleShowsAddress(page);
    await assert.doesNotReject(page.getByRole('heading', { name: 'Vehicles', level: 1 }).waitFor());
    await assert.doesNotReject(page.getByRole('cell', { name: vin }).waitFor());
    assert.equal(await page.getByRole('cell', { name: 'read_odometer read_vin' }).count(), 1);
    await screenshot(page, 'console-vehicles');

    // The session survives a reload (the cookie), and signing out ends it.
    await page.reload();
    await assert.doesNotReject(page.getByRole('heading', { name: 'Vehicles', level: 1 }).waitFor());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await assert.doesNotReject(page.getByRole('button', { name: 'Sign in' }).waitFor());
    await page.reload();
    await assert.doesNotReject(page.getByRole('button', { name: 'Sign in' }).waitFor());
    assert.deepEqual(problems, []);
  });

  test('the page is served with a strict content security policy', async () => {
    const res = await fetch(`${tp.baseUrl}/console`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await res.text(), /<label for="email">Email<\/label>/);
    const script = await fetch(`${tp.baseUrl}/console/assets/console.js`);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    await script.arrayBuffer();
    const missing = await fetch(`${tp.baseUrl}/console/assets/..%2f..%2fpackage.json`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  });
});
