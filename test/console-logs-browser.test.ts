/**
 * The console's Logs and Usage pages in a real browser, driven by role and name: a failing API
 * request shows in Logs and the Status filter narrows to it; Usage draws its charts (uPlot, from
 * carport's own origin) with a text alternative and shows the rate-limit budget. Screenshots of
 * both pages are kept in artifacts/screenshots.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestToken } from '../src/cli/tokens.js';
import { consoleShowsAddress, launchBrowser } from './support/browser.js';
import { ALL_SCOPES, startPlatform, type TestPlatform } from './support/platform.js';
import { until } from './support/until.js';

const SCREENSHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots');
const MISSING = '6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';

let tp: TestPlatform;
let browser: Browser;

before(async () => {
  tp = await startPlatform({ rateLimits: 'on' });
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await tp?.close();
});

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `console-${name}.png`), fullPage: true });
}

describe('Logs and Usage in Chromium', () => {
  test('find a failing request in Logs, filter by status, see usage charts and the budget', async () => {
    const { services } = tp.platform;
    const dev = await services.developers.create({ email: 'katherine@example.com', password: 'orbital mechanics' });
    const app = await services.apps.create({ name: 'Friendship 7', redirectUris: ['https://f7.example/cb'], ownerUserId: dev.userId });
    const grant = await createTestToken(services, { clientId: app.clientId, scope: ALL_SCOPES, make: 'TESLA', vehicles: 1 });
    const call = (path: string) => fetch(`${tp.baseUrl}${path}`, { headers: { authorization: `Bearer ${grant.accessToken}` } });
    for (let i = 0; i < 3; i++) assert.equal((await call(`/v2.0/vehicles/${grant.vehicleIds[0]}/odometer`)).status, 200);
    const failing = await call(`/v2.0/vehicles/${MISSING}/odometer`);
    assert.equal(failing.status, 404);
    const requestId = failing.headers.get('sc-request-id')!;
    // Recorded off the request path: wait until the batch is written.
    await until('the requests recorded', async () => {
      const rows = await tp.platform.db.selectFrom('request_log').select('request_id').execute();
      return rows.length >= 4 || undefined;
    }, 15_000, 100);

    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    await page.goto(`${tp.baseUrl}/console`);
    await page.getByLabel('Email').fill('katherine@example.com');
    await page.getByLabel('Password').fill('orbital mechanics');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();

    await page.getByRole('link', { name: 'Logs' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    const table = page.getByRole('table', { name: 'Requests of Friendship 7, newest first' });
    await table.waitFor();
    assert.equal(await table.getByRole('row').count(), 5, 'a heading row and four requests');
    const failingRow = table.getByRole('row').filter({ hasText: requestId });
    assert.match((await failingRow.textContent())!, /404.*RESOURCE_NOT_FOUND · PATH/);
    assert.match((await failingRow.textContent())!, new RegExp(`/v2.0/vehicles/${MISSING}/odometer`));
    assert.equal(await page.getByRole('button', { name: 'Older' }).isVisible(), false, 'one page only');

    await page.getByLabel('Status').fill('4xx');
    await page.getByRole('button', { name: 'Filter' }).click();
    await until('only the failing request listed', async () => (await table.getByRole('row').count()) === 2 || undefined, 10_000);
    assert.equal(await table.getByRole('row').filter({ hasText: requestId }).count(), 1);
    await screenshot(page, 'logs');

    await page.getByLabel('Status').fill('');
    await page.getByLabel('Vehicle').fill(grant.vehicleIds[0]!);
    await page.getByLabel('Path').fill('/v2.0/vehicles/');
    await page.getByRole('button', { name: 'Filter' }).click();
    await until('the vehicle\'s three requests listed', async () => (await table.getByRole('row').count()) === 4 || undefined, 10_000);

    await page.getByRole('link', { name: 'Usage' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: 'Usage' }).waitFor();
    const requestsChart = page.getByRole('img', { name: /^Requests per day: 4 requests in 30 days/ });
    await requestsChart.waitFor();
    assert.equal(await requestsChart.locator('canvas').count(), 1, 'uPlot drew the requests chart');
    assert.equal(await page.getByRole('img', { name: /^Error rate per day: 25\.0 % overall/ }).locator('canvas').count(), 1);
    await assert.doesNotReject(page.getByText(/Rate-limit budget: [\d,]+ of 6,000 requests left this minute/).waitFor());
    await page.getByText('Figures per day').click();
    const today = new Date().toISOString().slice(0, 10);
    const todayRow = page.getByRole('table', { name: 'Requests, errors and error rate per day' }).getByRole('row').filter({ hasText: today });
    assert.deepEqual(await todayRow.getByRole('cell').allTextContents(), [today, '4', '1', '25.0 %']);
    await screenshot(page, 'usage');
    assert.deepEqual(problems, []);
  });
});

describe('The console in a browser under a POSIX locale', () => {
  test('signing in and every page still work; Usage shows its figures, drawn or not', async () => {
    const { services } = tp.platform;
    const dev = await services.developers.create({ email: 'mary@example.com', password: 'hidden figures' });
    await services.apps.create({ name: 'Mercury', redirectUris: ['https://mercury.example/cb'], ownerUserId: dev.userId });
    // Chromium under LANG=C.UTF-8 takes en-US@posix as its locale, which its own Intl refuses.
    const posix = await launchBrowser({ machineLang: 'C.UTF-8' });
    try {
      const page = await (await posix.newContext({ viewport: { width: 390, height: 844 } })).newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`${tp.baseUrl}/console`);
      await page.getByLabel('Email').fill('mary@example.com');
      await page.getByLabel('Password').fill('hidden figures');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Usage' }).click();
      await consoleShowsAddress(page);
      await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
      const chart = page.getByRole('img', { name: /^Requests per day: 0 requests in 30 days/ });
      await chart.waitFor();
      const drawn = await chart.locator('canvas').count();
      if (drawn === 0) await chart.getByText('This browser could not draw the chart').waitFor();
      await page.getByText('Figures per day', { exact: true }).click();
      await page.getByRole('table', { name: 'Requests, errors and error rate per day' }).waitFor();
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await consoleShowsAddress(page);
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await posix.close();
    }
  });
});
