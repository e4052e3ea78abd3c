/**
 * The console's Simulator and Vehicles pages in Chromium, driven by role and name: Add vehicle
 * shows the owner's sign-in once, a car's page follows its state live as a scenario and the clock
 * move it (no reload) and draws its trip as SVG; the Vehicles page filters and disconnects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestToken } from '../src/cli/tokens.js';
import { simulatedAccountKey } from '../src/vehicles/index.js';
import { consoleShowsAddress, launchBrowser, phonePage, screenshot } from './support/browser.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

/** A loaded two-core machine: conditions get this long to come true. */
const WAIT = { timeout: 30_000 };

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

async function signedInPage(email: string, password: string): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await phonePage(browser);
  await page.goto(`${tp.baseUrl}/console`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor(WAIT);
  return { page, problems };
}

/** The value a state row shows now. */
const shown = (page: Page, name: string) => page.getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell').textContent();

/** Waits until a state row shows something other than `before`. */
async function changes(page: Page, name: string, before: string | null): Promise<string> {
  for (const until = Date.now() + WAIT.timeout; Date.now() < until; await page.waitForTimeout(100)) {
    const now = await shown(page, name);
    if (now !== null && now !== before) return now;
  }
  throw new Error(`${name} still shows ${before}`);
}

describe('The console\'s Simulator page in Chromium', () => {
  test('Add vehicle, read the owner\'s sign-in once, watch the car live while a scenario and the clock move it', async () => {
    const { services } = tp.platform;
    const dev = await services.developers.create({ email: 'katherine@example.com', password: 'orbital mechanics' });
    await services.apps.create({ name: 'Friendship 7', redirectUris: ['https://f7.example/cb'], ownerUserId: dev.userId });
    const { page, problems } = await signedInPage('katherine@example.com', 'orbital mechanics');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Simulator' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: 'Simulator', level: 1 }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Add vehicle' }).click();
    await page.getByLabel('Make').selectOption('TESLA');
    await page.getByLabel('Model').selectOption('Model 3');
    await page.getByLabel('Scenario').selectOption('parked');
    await page.getByRole('button', { name: 'Create', exact: true }).click();

    const credentials = page.getByRole('region', { name: 'New vehicle credentials' });
    await credentials.waitFor(WAIT);
    const email = (await credentials.getByLabel('Email', { exact: true }).textContent())!;
    const password = (await credentials.getByLabel('Password', { exact: true }).textContent())!;
    const account = await services.vehicles.findAccount('simulated', simulatedAccountKey(email));
    assert.ok(account, 'the email shown is the new owner\'s');
    const signedIn = await fetch(`${tp.baseUrl}/account/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    assert.equal(signedIn.status, 200, 'the owner signs in with the password shown');
    await page.getByRole('link', { name: 'Open TESLA Model 3' }).waitFor(WAIT);

    await page.getByRole('link', { name: 'Open TESLA Model 3' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: /TESLA Model 3$/, level: 1 }).waitFor(WAIT);
    assert.equal(await page.getByText(password).count(), 0, 'the password is not shown again');

    // Live: the car's clock runs on screen without a reload.
    const url = page.url();
    const carTime = await shown(page, 'Car time');
    await changes(page, 'Car time', carTime);

    const odometer = await shown(page, 'Odometer');
    await page.getByLabel('Scenario', { exact: true }).selectOption('commute');
    await page.getByRole('button', { name: 'Apply scenario' }).click();
    await page.getByRole('row', { name: /^Scenario commute/ }).waitFor(WAIT);
    await page.getByLabel('Advance by minutes').fill('1440');
    await page.getByRole('button', { name: 'Advance clock' }).click();
    const driven = await changes(page, 'Odometer', odometer);
    assert.ok(Number.parseFloat(driven) > Number.parseFloat(odometer!), `${odometer} → ${driven}`);

    await page.getByLabel('Time scale', { exact: true }).fill('60');
    await page.getByRole('button', { name: 'Set time scale' }).click();
    await page.getByRole('row', { name: /^Time scale 60×/ }).waitFor(WAIT);

    await page.getByLabel('Fault', { exact: true }).selectOption('unreachable');
    await page.getByLabel('Duration in minutes (empty: until cleared)').fill('10');
    await page.getByLabel('Probability').fill('0.5');
    await page.getByRole('button', { name: 'Inject fault' }).click();
    await page.getByRole('row', { name: /^Faults unreachable \(50 %/ }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Clear faults' }).click();
    await page.getByRole('row', { name: /^Faults none$/ }).waitFor(WAIT);

    await page.getByLabel('Odometer (km)').fill('4321');
    await page.getByLabel('Lock', { exact: true }).selectOption('unlocked');
    await page.getByRole('button', { name: 'Set values' }).click();
    await page.getByRole('row', { name: /^Odometer 4321\.\d km$/ }).waitFor(WAIT);
    await page.getByRole('row', { name: /^Locked no$/ }).waitFor(WAIT);

    const track = page.getByRole('img', { name: /^Trip track/ });
    assert.equal(await track.evaluate((node) => node.tagName.toLowerCase()), 'svg');
    assert.equal(await track.locator('circle').count(), 1, 'the car on its track');
    assert.ok(await track.locator('polyline').count() >= 1, 'the drives, seen or planned');
    assert.equal(page.url(), url, 'never reloaded or navigated');
    await screenshot(page, 'console-simulator');

    // Leaving the page stops its polling: no request for the car's state once the Vehicles page shows.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Vehicles' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: 'Vehicles', level: 1 }).waitFor(WAIT);
    let asked = 0;
    page.on('request', (request) => { if (request.url().includes('/console/api/simulator/vehicles/')) asked++; });
    await page.waitForTimeout(2500);
    assert.equal(asked, 0);
    assert.deepEqual(problems, []);
  });
});

/** Waits until the vehicles table shows `n` vehicles. */
async function vehicleRows(page: Page, n: number): Promise<void> {
  const rows = page.locator('tbody tr');
  for (const until = Date.now() + WAIT.timeout; Date.now() < until; await page.waitForTimeout(100)) {
    if (await rows.count() === n) return;
  }
  throw new Error(`the table never showed ${n} vehicles`);
}

describe('The console\'s Vehicles page in Chromium', () => {
  test('filter an app\'s vehicles, open one\'s latest values and history, and Disconnect it after confirming', async () => {
    const { services } = tp.platform;
    const dev = await services.developers.create({ email: 'dorothy@example.com', password: 'crystallography' });
    const app = await services.apps.create({ name: 'Penicillin', redirectUris: ['https://p.example/cb'], ownerUserId: dev.userId });
    const scope = 'read_odometer read_vin read_location read_battery read_security';
    await createTestToken(services, { clientId: app.clientId, scope, make: 'TESLA', vehicles: 1 });
    const kia = await createTestToken(services, { clientId: app.clientId, scope, make: 'KIA', vehicles: 1 });
    const kiaCar = (await services.vehicles.find(kia.vehicleIds[0]!))!;
    const { page, problems } = await signedInPage('dorothy@example.com', 'crystallography');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Vehicles' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: 'Vehicles', level: 1 }).waitFor(WAIT);
    const rows = page.getByRole('table', { name: 'Vehicles connected to Penicillin' }).getByRole('row');
    await page.getByRole('cell', { name: kiaCar.vin }).waitFor(WAIT);
    assert.equal(await rows.count(), 3, 'a heading row and two vehicles');

    await page.getByLabel('Make, model or VIN').fill('kia');
    await page.getByRole('button', { name: 'Filter' }).click();
    await vehicleRows(page, 1);
    assert.equal(await page.getByRole('cell', { name: kiaCar.vin }).count(), 1);
    await page.getByLabel('Mode', { exact: true }).selectOption('simulated');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No connected vehicle matches.').waitFor(WAIT);
    await page.getByLabel('Mode', { exact: true }).selectOption('test');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: kiaCar.vin }).waitFor(WAIT);

    await page.getByRole('link', { name: `${kiaCar.year} KIA ${kiaCar.model}` }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: `${kiaCar.year} KIA ${kiaCar.model}`, level: 1 }).waitFor(WAIT);
    await page.getByRole('table', { name: 'Latest values' }).getByRole('row', { name: /^Odometer \d+(\.\d+)? km/ }).waitFor(WAIT);
    await page.getByRole('table', { name: 'Connection history' }).getByRole('row', { name: /connected —$/ }).waitFor(WAIT);

    await page.getByRole('link', { name: 'All vehicles' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('button', { name: `Disconnect ${kiaCar.year} KIA ${kiaCar.model} …${kiaCar.vin.slice(-6)}` }).click();
    await page.getByRole('button', { name: `Confirm disconnect of ${kiaCar.year} KIA ${kiaCar.model} …${kiaCar.vin.slice(-6)}` }).click();
    await vehicleRows(page, 1);
    assert.equal(await page.getByRole('cell', { name: kiaCar.vin }).count(), 0);
    const refused = await fetch(`${tp.baseUrl}/v2.0/vehicles/${kiaCar.id}/odometer`, { headers: { authorization: `Bearer ${kia.accessToken}` } });
    assert.notEqual(refused.status, 200, 'the app no longer reaches the car');
    await refused.arrayBuffer();
    await screenshot(page, 'console-vehicles');

    await page.goto(`${tp.baseUrl}/console#vehicles/${app.clientId}/${kiaCar.id}`);
    await page.getByRole('table', { name: 'Connection history' }).getByRole('row', { name: /app disconnected$/ }).waitFor(WAIT);
    assert.equal(await page.getByText('Not connected now.').count(), 1);
    assert.deepEqual(problems, []);
  });
});

