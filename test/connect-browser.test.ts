/**
 * Connect in a real browser: the owner picks a brand, signs in, chooses vehicles and allows (or
 * denies); the app exchanges the code with the official SDK and reads the vehicles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import smartcar from 'smartcar';
import { launchBrowser } from './support/browser.js';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

interface Access { accessToken: string; refreshToken: string; expiration: Date }
interface AuthClient {
  getAuthUrl(scope: string[], options?: Record<string, unknown>): string;
  exchangeCode(code: string): Promise<Access>;
  exchangeRefreshToken(token: string): Promise<Access>;
}
const { AuthClient } = smartcar as unknown as { AuthClient: new (options: Record<string, unknown>) => AuthClient };

let tp: TestPlatform;
let browser: Browser;
let auth: AuthClient;
let callback: string;

before(async () => {
  // One after the other: if Chromium fails to start, the platform is already assigned and `after` closes it.
  tp = await startPlatform();
  browser = await launchBrowser();
  pointSdkAt(tp.baseUrl);
  callback = `${tp.baseUrl}/demo/callback`;
  const app = await tp.platform.services.apps.create({ name: 'Charge Planner', redirectUris: [callback] });
  auth = new AuthClient({ clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: callback, mode: 'test' });
});
after(async () => {
  await browser?.close();
  await tp?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

async function signIn(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Continue' }).click();
}

function returned(page: Page): URLSearchParams {
  const url = new URL(page.url());
  assert.equal(`${url.origin}${url.pathname}`, callback);
  return url.searchParams;
}

describe('Connect in Chromium', () => {
  test('brand, sign-in, vehicles, Allow; then exchangeCode, reads, and exchangeRefreshToken', async () => {
    const page = await newPage();
    await page.goto(auth.getAuthUrl(['required:read_odometer', 'read_vehicle_info', 'read_location'], { state: 'after-login' }));
    await assert.doesNotReject(page.getByRole('heading', { name: 'Charge Planner wants to connect to your vehicle' }).waitFor());
    await page.getByRole('link', { name: 'Continue' }).click();

    await page.getByRole('searchbox', { name: 'Search brands' }).fill('tes');
    await page.getByRole('searchbox', { name: 'Search brands' }).press('Enter');
    await page.getByRole('button', { name: 'Tesla' }).click();
    await signIn(page, 'owner@example.com');

    const boxes = page.getByRole('checkbox');
    const count = await boxes.count();
    assert.ok(count >= 1, 'the account has vehicles');
    for (let i = 0; i < count; i++) await boxes.nth(i).check();
    await page.getByRole('button', { name: 'Continue' }).click();

    const required = page.getByRole('checkbox', { name: /See your odometer/ });
    assert.equal(await required.isDisabled(), true, 'a required permission is locked on');
    assert.equal(await required.isChecked(), true);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${callback}?**`);
    const params = returned(page);
    assert.equal(params.get('state'), 'after-login');
    assert.equal(await page.getByRole('heading', { name: 'Connected' }).count(), 1);

    const access = await auth.exchangeCode(params.get('code')!);
    const { vehicles } = await smartcar.getVehicles(access.accessToken);
    assert.equal(vehicles.length, count);
    const vehicle = new smartcar.Vehicle(vehicles[0]!, access.accessToken);
    assert.equal((await vehicle.attributes()).make, 'TESLA');
    assert.equal(typeof (await vehicle.odometer()).distance, 'number');
    assert.deepEqual(((await vehicle.permissions()).permissions as string[]).sort(), ['read_location', 'read_odometer', 'read_vehicle_info']);

    const refreshed = await auth.exchangeRefreshToken(access.refreshToken);
    assert.notEqual(refreshed.refreshToken, access.refreshToken);
    assert.equal(typeof (await new smartcar.Vehicle(vehicles[0]!, refreshed.accessToken).odometer()).distance, 'number');
  });

  test('Deny sends the owner back with access_denied and the state', async () => {
    const page = await newPage();
    await page.goto(auth.getAuthUrl(['read_odometer'], { state: 'deny-me', makeBypass: 'FORD' }));
    await page.getByRole('link', { name: 'Continue' }).click();
    await assert.doesNotReject(page.getByRole('heading', { name: 'Sign in to your Ford account' }).waitFor());
    await signIn(page, 'denier@example.com');
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${callback}?**`);
    const params = returned(page);
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('error_description'), 'User denied access to application.');
    assert.equal(params.get('state'), 'deny-me');
    assert.equal(params.get('code'), null);
  });

  test('single select offers radio buttons; optional permissions can be unticked', async () => {
    const page = await newPage();
    await page.goto(auth.getAuthUrl(['read_odometer', 'read_location'], { makeBypass: 'KIA', singleSelect: { enabled: true } }));
    await page.getByRole('link', { name: 'Continue' }).click();
    await signIn(page, '3-vehicles@example.com');
    assert.equal(await page.getByRole('radio').count(), 3);
    assert.equal(await page.getByRole('checkbox').count(), 0);
    await page.getByRole('radio').nth(1).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('checkbox', { name: /location/ }).uncheck();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${callback}?**`);
    const access = await auth.exchangeCode(returned(page).get('code')!);
    const { vehicles } = await smartcar.getVehicles(access.accessToken);
    assert.equal(vehicles.length, 1);
    const granted = await new smartcar.Vehicle(vehicles[0]!, access.accessToken).permissions();
    assert.deepEqual(granted.permissions, ['read_odometer']);
  });

  test('a country flag limits the brand list', async () => {
    const page = await newPage();
    await page.goto(auth.getAuthUrl(['read_odometer'], { flags: { country: 'DE' } }));
    await page.getByRole('link', { name: 'Continue' }).click();
    const names = await page.locator('.brands button').allTextContents();
    assert.ok(names.includes('Volkswagen') && names.includes('BMW'), names.join(', '));
    assert.ok(!names.includes('Chevrolet'), 'Chevrolet is not offered in Germany');
  });

  test('the pages work on a phone-sized screen', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(auth.getAuthUrl(['read_odometer']));
    await page.getByRole('link', { name: 'Continue' }).click();
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(width <= 375, `no horizontal scrolling (${width}px)`);
    await context.close();
  });
});
