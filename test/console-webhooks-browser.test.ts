/**
 * The console's Webhooks page in a real browser, driven by role and name: a developer creates a
 * webhook to a local receiver (verified on creation), opens it, and sees the delivery a subscribed
 * vehicle produces appear with its attempt; a webhook to a failing receiver is shown paused with
 * the reason, its dead-lettered delivery redelivered and sent once it is resumed. The page's
 * screenshot is kept in artifacts/screenshots. The platform's clock is moved, not waited for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestToken } from '../src/cli/tokens.js';
import type { CreatedApp } from '../src/oauth/index.js';
import { consoleShowsAddress, launchBrowser, phonePage, screenshot } from './support/browser.js';
import { MovableClock, startPlatform, type TestPlatform } from './support/platform.js';
import { startReceiver, type Receiver } from './support/receiver.js';

/** Bound on waiting for the page and the worker: generous, for a loaded machine. */
const WAIT_MS = 30_000;

const clock = new MovableClock();
let tp: TestPlatform;
let browser: Browser;
let page: Page;
let receiver: Receiver;
let app: CreatedApp;

before(async () => {
  // One dead letter pauses a webhook; a delivery is dead-lettered after a second of retries.
  tp = await startPlatform({
    webhookPollMs: 20, webhookRetryBaseMs: 1000, webhookRetryHorizonMs: 1000, webhookLeaseMs: 3_600_000, webhookPauseAfter: 1,
  }, { clock });
  const dev = await tp.platform.services.developers.create({ email: 'katherine@example.com', password: 'orbital mechanics' });
  app = await tp.platform.services.apps.create({ name: 'Friendship 7', redirectUris: ['https://f7.example/cb'], ownerUserId: dev.userId });
  receiver = await startReceiver(() => app.managementToken);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await receiver?.close();
  await tp?.close();
});

describe('The console\'s Webhooks page in Chromium', () => {
  test('create a webhook to a local receiver, open it, and see a delivery appear with its attempt', async () => {
    let problems: string[];
    ({ page, problems } = await phonePage(browser));
    await page.goto(`${tp.baseUrl}/console`);
    await page.getByLabel('Email').fill('katherine@example.com');
    await page.getByLabel('Password').fill('orbital mechanics');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Webhooks' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByLabel('App').inputValue(), app.clientId);

    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByLabel('Name').fill('Odometer feed');
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('Type').selectOption('scheduled');
    assert.equal(await page.getByLabel('Triggers').isVisible(), false, 'a scheduled webhook has an interval, not triggers');
    await page.getByLabel('Interval').fill('3600');
    await page.getByLabel('Data').fill('/odometer');
    await page.getByLabel('Payload version').selectOption('2.0');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Odometer feed created: active.' }).waitFor({ timeout: WAIT_MS });
    const row = page.getByRole('row').filter({ hasText: 'Odometer feed' });
    await row.getByRole('cell', { name: 'active', exact: true }).waitFor();
    const [webhook] = await tp.platform.services.webhooks.list(app.clientId);
    assert.equal(webhook?.url, receiver.url);

    await page.getByRole('button', { name: 'Verify Odometer feed' }).click();
    await page.getByRole('status').filter({ hasText: 'Odometer feed: active' }).waitFor({ timeout: WAIT_MS });

    // An app subscribes a vehicle as the SDK does, with the owner's access token.
    const { accessToken, vehicleIds } = await createTestToken(tp.platform.services, {
      clientId: app.clientId, scope: 'read_odometer read_vehicle_info', make: 'TESLA', vehicles: 1,
    });
    const subscribed = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleIds[0]}/webhooks/${webhook!.id}`, {
      method: 'POST', headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(subscribed.status, 200);

    await page.getByRole('link', { name: 'Odometer feed' }).click();
    await consoleShowsAddress(page);
    await page.getByRole('heading', { name: 'Odometer feed' }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('region', { name: 'Subscribed vehicles' }).getByRole('cell', { name: /TESLA/ }).waitFor({ timeout: WAIT_MS });
    // The page refreshes its deliveries on its own: the one the subscription produced appears, delivered.
    const delivery = page.locator('summary').filter({ hasText: 'delivered · 1 attempt' });
    await delivery.waitFor({ timeout: WAIT_MS });
    await delivery.click();
    const attempts = page.getByRole('table', { name: /^Attempts of delivery/ });
    await attempts.getByRole('cell', { name: '200', exact: true }).waitFor({ timeout: WAIT_MS });
    assert.match((await attempts.getByRole('row').nth(1).textContent()) ?? '', /200\d+ ms/);
    const eventId = /event ([0-9a-f-]{36})/.exec((await delivery.textContent()) ?? '')?.[1];
    assert.ok(receiver.deliveries.some((d) => d.body.eventName === 'scheduled' && d.body.eventId === eventId), 'the receiver got the event shown');

    await screenshot(page, 'console-webhooks');
    assert.deepEqual(problems, []);
  });

  test('a failing webhook is shown paused with the reason; Redeliver queues its dead letter, Resume sends it', async () => {
    const failing = await startReceiver(() => app.managementToken);
    try {
      const { webhook } = await tp.platform.services.webhooks.create(app.clientId, {
        name: 'Flaky feed', url: failing.url, type: 'scheduled', intervalSeconds: 86_400, data: ['/odometer'],
      });
      failing.deliveryStatus = 503;
      const { accessToken, vehicleIds } = await createTestToken(tp.platform.services, {
        clientId: app.clientId, scope: 'read_odometer read_vehicle_info', make: 'TESLA', vehicles: 1,
      });
      await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleIds[0]}/webhooks/${webhook.id}`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });

      await page.goto(`${tp.baseUrl}/console#webhooks/${app.clientId}/${webhook.id}`);
      const state = page.getByText(/^State: paused since .+: the receiver answered 503$/);
      // The page refreshes itself; the clock moves on meanwhile so the retries come due at once.
      const deadline = Date.now() + WAIT_MS;
      while (!(await state.isVisible())) {
        assert.ok(Date.now() < deadline, 'the webhook is shown paused');
        clock.advance(1000);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const dead = page.locator('summary').filter({ hasText: '· dead ·' });
      await dead.click();
      await page.getByRole('button', { name: /^Redeliver event / }).click();
      await page.getByRole('status').filter({ hasText: 'queued again' }).waitFor({ timeout: WAIT_MS });
      await page.locator('summary').filter({ hasText: '· pending ·' }).waitFor({ timeout: WAIT_MS });

      failing.deliveryStatus = 200;
      await page.getByRole('button', { name: 'Resume Flaky feed' }).click();
      await page.getByRole('status').filter({ hasText: 'Flaky feed resumed' }).waitFor({ timeout: WAIT_MS });
      await page.getByText('State: active').waitFor({ timeout: WAIT_MS });
      await page.locator('summary').filter({ hasText: '· delivered ·' }).waitFor({ timeout: WAIT_MS });
      const statuses = failing.deliveries.filter((d) => d.body.eventName === 'scheduled').map((d) => d.body.eventId);
      assert.equal(new Set(statuses).size, 1, 'the redelivery is the same event');
    } finally {
      await failing.close();
    }
  });
});
