/**
 * An app's page in the console, in Chromium, driven by role and name: rotate the management token
 * (shown once, and it is the app's), edit the redirect URIs (a bad one is refused on the page),
 * build a Connect link that opens Connect and preview the consent screen it produces, and manage the
 * team (invite an address before its account exists, change its role, remove it).
 * The page's screenshot is kept in artifacts/screenshots/console-app.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { consoleShowsAddress, launchBrowser, phonePage, screenshot } from './support/browser.js';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { until } from './support/until.js';


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
  await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
  return { page, problems };
}

describe('An app\'s page in Chromium', () => {
  test('rotate the management token, edit redirect URIs, build a Connect link, preview its consent screen, manage the team', async () => {
    const { services } = tp.platform;
    const dev = await services.developers.create({ email: 'hedy@example.com', password: 'frequency hopping' });
    const app = await services.apps.create({ name: 'Torpedo', redirectUris: ['https://torpedo.example/cb'], ownerUserId: dev.userId });
    const { page, problems } = await signedInPage('hedy@example.com', 'frequency hopping');

    await page.getByRole('link', { name: 'Torpedo' }).click();
    await consoleShowsAddress(page);
    await assert.doesNotReject(page.getByRole('heading', { name: 'Torpedo', level: 1 }).waitFor());
    assert.equal(await page.getByLabel('Client ID', { exact: true }).textContent(), app.clientId);

    await page.getByRole('button', { name: 'Rotate management token' }).click();
    await assert.doesNotReject(page.getByRole('heading', { name: 'New management token for Torpedo' }).waitFor());
    const token = (await page.getByLabel('Management token', { exact: true }).textContent())!;
    assert.equal((await services.apps.byManagementToken(token))?.id, app.clientId, 'the token shown is the app\'s');
    assert.equal(await page.getByRole('button', { name: 'Copy management token' }).count(), 1);

    // Redirect URIs: a fragment is refused on the page; a second URI is added and saved.
    await page.getByRole('button', { name: 'Add redirect URI' }).click();
    await page.getByLabel('Redirect URI 2', { exact: true }).fill('https://torpedo.example/next#part');
    await page.getByRole('button', { name: 'Save redirect URIs' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'fragment' }).waitFor());
    await page.getByLabel('Redirect URI 2', { exact: true }).fill('http://localhost:8000/cb');
    await page.getByRole('button', { name: 'Save redirect URIs' }).click();
    await assert.doesNotReject(page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor());
    assert.deepEqual((await services.apps.find(app.clientId))?.redirectUris, ['https://torpedo.example/cb', 'http://localhost:8000/cb']);
    await page.getByRole('button', { name: 'Remove redirect URI 2' }).click();
    await page.getByRole('button', { name: 'Save redirect URIs' }).click();
    await assert.doesNotReject(page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor());
    assert.deepEqual((await services.apps.find(app.clientId))?.redirectUris, ['https://torpedo.example/cb']);

    // The Connect link: simulated mode, a brand, two permissions of which one required.
    const builder = page.getByRole('form', { name: 'Connect link builder' });
    await builder.getByLabel('Mode', { exact: true }).selectOption('simulated');
    await builder.getByLabel('Make', { exact: true }).selectOption({ label: 'Tesla' });
    await builder.getByLabel('State', { exact: true }).fill('state-42');
    await builder.getByRole('checkbox', { name: 'See your odometer read_odometer' }).check();
    await builder.getByRole('checkbox', { name: 'Required: See your odometer' }).check();
    await builder.getByRole('checkbox', { name: 'See your vehicle’s location read_location' }).check();
    await builder.getByRole('checkbox', { name: 'See your vehicle’s make, model and year read_vehicle_info' }).uncheck();
    await builder.getByRole('button', { name: 'Build link' }).click();
    const link = page.getByLabel('Connect link', { exact: true });
    await assert.doesNotReject(link.waitFor());
    const url = new URL((await link.textContent())!);
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      response_type: 'code', client_id: app.clientId, redirect_uri: 'https://torpedo.example/cb',
      scope: 'read_location required:read_odometer', mode: 'simulated', make: 'TESLA', state: 'state-42',
    });
    assert.equal(await page.getByRole('link', { name: 'Open Connect' }).getAttribute('href'), url.href);
    const preview = page.getByRole('region', { name: 'Consent preview' });
    await assert.doesNotReject(preview.getByText('Allow Torpedo to:').waitFor());
    assert.deepEqual(await preview.getByRole('listitem').allTextContents(), ['See your vehicle’s location optional', 'See your odometer required']);
    const opened = await fetch(url, { redirect: 'manual' });
    await opened.arrayBuffer();
    assert.equal(opened.status, 303);
    assert.match(opened.headers.get('location') ?? '', /^\/connect\//);

    // The team: invite an address without an account, change its role; the member signs up and sees the app.
    const invite = page.getByRole('form', { name: 'Invite a team member' });
    await invite.getByLabel('Email', { exact: true }).fill('ann@example.com');
    await invite.getByLabel('Role', { exact: true }).selectOption('viewer');
    await invite.getByRole('button', { name: 'Invite' }).click();
    const annRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'ann@example.com' }) });
    await assert.doesNotReject(annRow.getByRole('cell', { name: 'Invited (no account yet)' }).waitFor());
    await page.getByRole('combobox', { name: 'Role of ann@example.com' }).selectOption('developer');
    const roleOfAnn = async () => (await tp.platform.db.selectFrom('app_members').select('role').where('email', '=', 'ann@example.com').executeTakeFirst())?.role;
    await assert.doesNotReject(until('the new role to be saved', async () => (await roleOfAnn()) === 'developer', 15_000));
    assert.equal(await page.getByRole('button', { name: 'Remove hedy@example.com' }).count(), 0, 'the owning user cannot be removed');
    await screenshot(page, 'console-app');

    await services.developers.create({ email: 'ann@example.com', password: 'team member pw' });
    const ann = await signedInPage('ann@example.com', 'team member pw');
    const annApps = ann.page.getByRole('row').filter({ has: ann.page.getByRole('cell', { name: 'Torpedo', exact: true }) });
    await assert.doesNotReject(annApps.getByRole('cell', { name: 'developer', exact: true }).waitFor());
    await annApps.getByRole('link', { name: 'Torpedo' }).click();
    await consoleShowsAddress(ann.page);
    await assert.doesNotReject(ann.page.getByText('Only the app\'s owners rotate its secret and management token.').waitFor());
    assert.equal(await ann.page.getByRole('button', { name: 'Rotate management token' }).count(), 0);

    await page.getByRole('button', { name: 'Remove ann@example.com' }).click();
    await assert.doesNotReject(annRow.waitFor({ state: 'detached' }));
    assert.equal(await roleOfAnn(), undefined);
    assert.deepEqual([...problems, ...ann.problems], []);
  });
});
