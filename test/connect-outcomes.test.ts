/**
 * Connect's outcomes (spec §1.2–§1.5): every redirect an app must handle, the flows that skip
 * steps, and re-authentication — driven over HTTP the way a browser submits the forms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browserless, connectOverHttp, csrfOf } from './support/connect-http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

let tp: TestPlatform;
const REDIRECT = 'https://app.example.com/callback';

before(async () => {
  tp = await startPlatform();
});
after(() => tp.close());

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: tp.app.clientId, mode: 'test', scope: 'read_odometer', ...params });
  return `${tp.baseUrl}/oauth/authorize?${query}`;
}

async function exchange(code: string): Promise<{ access_token: string; refresh_token: string }> {
  const res = await fetch(`${tp.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${tp.app.clientId}:${tp.app.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json() as Promise<{ access_token: string; refresh_token: string }>;
}

describe('Connect redirects', () => {
  test('success carries code and state to the registered redirect URI', async () => {
    const url = await connectOverHttp(authorizeUrl({ state: 'a b&c=d ✓' }));
    assert.equal(`${url.origin}${url.pathname}`, REDIRECT);
    assert.match(url.searchParams.get('code') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(url.searchParams.get('state'), 'a b&c=d ✓');
  });

  test('an account without vehicles ends with no_vehicles', async () => {
    const url = await connectOverHttp(authorizeUrl({ state: 's' }), { email: '0-vehicles@example.com' });
    assert.equal(url.searchParams.get('error'), 'no_vehicles');
    assert.equal(url.searchParams.get('error_description'), 'No vehicles found. Please add vehicles to your account and try again.');
    assert.equal(url.searchParams.get('state'), 's');
  });

  test('the test emails reach invalid_subscription and vehicle_incompatible', async () => {
    const sub = await connectOverHttp(authorizeUrl({}), { email: 'smartcar@invalid-subscription.com' });
    assert.equal(sub.searchParams.get('error'), 'invalid_subscription');
    const inc = await connectOverHttp(authorizeUrl({}), { email: 'smartcar@vehicle-incompatible.com' });
    assert.equal(inc.searchParams.get('error'), 'vehicle_incompatible');
  });

  test('a required permission the brand cannot serve ends with vehicle_incompatible and the vehicle', async () => {
    const url = await connectOverHttp(authorizeUrl({ scope: 'required:read_fuel read_odometer', make: 'TESLA' }), { vehicles: 'first' });
    assert.equal(url.searchParams.get('error'), 'vehicle_incompatible');
    assert.equal(url.searchParams.get('make'), 'TESLA');
    assert.match(url.searchParams.get('vin') ?? '', /^[A-HJ-NPR-Z0-9]{17}$/);
    assert.ok(url.searchParams.get('model'));
    assert.match(url.searchParams.get('year') ?? '', /^\d{4}$/);
  });

  test('I don’t see my brand ends with vehicle_incompatible', async () => {
    const url = await connectOverHttp(authorizeUrl({}), { make: '' });
    assert.equal(url.searchParams.get('error'), 'vehicle_incompatible');
  });

  test('live mode lists no simulated brands', async () => {
    const client = new Browserless(tp.baseUrl);
    const start = await client.request(authorizeUrl({ mode: 'live' }));
    const brands = await client.request(`${start.headers.get('location')}/brands`);
    const html = await brands.text();
    assert.doesNotMatch(html, /value="TESLA"/);
    assert.match(html, /I don’t see my brand/);
  });

  test('an unknown scope redirects with invalid_scope; a bad mode with invalid_request', async () => {
    const scope = await fetch(authorizeUrl({ scope: 'read_minds', state: 'q' }), { redirect: 'manual' });
    const location = new URL(scope.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'invalid_scope');
    assert.equal(location.searchParams.get('state'), 'q');
    const mode = await fetch(authorizeUrl({ mode: 'production' }), { redirect: 'manual' });
    assert.equal(new URL(mode.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  });

  test('an unknown client or unregistered redirect URI gets an error page, never a redirect', async () => {
    const cases: Record<string, string>[] = [{ client_id: '00000000-0000-4000-8000-000000000000' }, { redirect_uri: 'https://evil.example.com/cb' }];
    for (const params of cases) {
      const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), /Something went wrong/);
    }
  });

  test('leaving from an error page ends with configuration_error', async () => {
    const client = new Browserless(tp.baseUrl);
    const start = await client.request(authorizeUrl({ state: 'cfg' }));
    const base = start.headers.get('location')!;
    // Skipping the sign-in by URL is out of order: Connect shows an error page with an Exit button.
    const skipped = await client.request(`${base}/vehicles`);
    assert.equal(skipped.status, 400);
    const html = await skipped.text();
    const exit = await client.post(`${base}/exit`, [['_csrf', csrfOf(html)], ['reason', 'configuration_error']]);
    assert.equal(exit.status, 303);
    const url = new URL(exit.headers.get('location')!);
    assert.equal(url.searchParams.get('error'), 'configuration_error');
    assert.equal(url.searchParams.get('status_code'), '400');
    assert.equal(url.searchParams.get('state'), 'cfg');
  });
});

describe('Connect flows', () => {
  test('make skips the brand picker', async () => {
    const pages: string[] = [];
    await connectOverHttp(authorizeUrl({ make: 'BMW' }), { onPage: (path) => pages.push(path) });
    assert.ok(!pages.some((p) => p.endsWith('/brands')), pages.join(' '));
  });

  test('single_select_vin shows exactly that vehicle and grants only it', async () => {
    const vin = '5YJ3E1EA7KF317000';
    let vehiclesPage = '';
    const url = await connectOverHttp(authorizeUrl({ single_select: 'true', single_select_vin: vin, scope: 'read_vin read_vehicle_info' }), {
      onPage: (path, html) => { if (path.endsWith('/vehicles')) vehiclesPage = html; },
    });
    assert.equal([...vehiclesPage.matchAll(/type="radio"/g)].length, 1);
    const tokens = await exchange(url.searchParams.get('code')!);
    const list = await (await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json() as { vehicles: string[] };
    assert.equal(list.vehicles.length, 1);
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    const vinRes = await fetch(`${tp.baseUrl}/v2.0/vehicles/${list.vehicles[0]}/vin`, { headers });
    assert.equal(((await vinRes.json()) as { vin: string }).vin, vin);
    // The VIN's manufacturer code (5YJ) decodes to its brand.
    const attributes = await fetch(`${tp.baseUrl}/v2.0/vehicles/${list.vehicles[0]}`, { headers });
    assert.equal(((await attributes.json()) as { make: string }).make, 'TESLA');
  });

  test('the same email always yields the same account and vehicles', async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const url = await connectOverHttp(authorizeUrl({ make: 'AUDI', approval_prompt: 'force' }), { email: 'same.owner@example.com' });
      const tokens = await exchange(url.searchParams.get('code')!);
      ids.push(await (await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json());
    }
    assert.deepEqual(ids[0], ids[1]);
  });

  test('approval_prompt=auto skips the grant screen once the same permissions were granted; force shows it', async () => {
    const email = 'returning@example.com';
    const first = await connectOverHttp(authorizeUrl({ make: 'NISSAN' }), { email });
    await exchange(first.searchParams.get('code')!);
    const autoPages: string[] = [];
    const again = await connectOverHttp(authorizeUrl({ make: 'NISSAN' }), { email, onPage: (p) => autoPages.push(p) });
    assert.ok(again.searchParams.get('code'));
    assert.ok(!autoPages.some((p) => p.endsWith('/grant')), autoPages.join(' '));
    const forcePages: string[] = [];
    await connectOverHttp(authorizeUrl({ make: 'NISSAN', approval_prompt: 'force' }), { email, onPage: (p) => forcePages.push(p) });
    assert.ok(forcePages.some((p) => p.endsWith('/grant')));
  });

  test('application_id is accepted in place of client_id', async () => {
    const query = new URLSearchParams({ response_type: 'code', application_id: tp.app.clientId, mode: 'test', scope: 'read_odometer' });
    const url = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?${query}`);
    assert.ok(url.searchParams.get('code'));
  });
});

describe('GET /oauth/reauthenticate', () => {
  test('signing in again to the account that holds the vehicle answers with the vehicle id and state', async () => {
    const email = `owner-${crypto.randomUUID()}@example.com`;
    const url = await connectOverHttp(authorizeUrl({ make: 'TOYOTA' }), { vehicles: 'first', email });
    const tokens = await exchange(url.searchParams.get('code')!);
    const { vehicles } = await (await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json() as { vehicles: string[] };
    const query = new URLSearchParams({
      response_type: 'vehicle_id', client_id: tp.app.clientId, vehicle_id: vehicles[0]!, redirect_uri: REDIRECT, state: 'again',
    });
    const back = await connectOverHttp(`${tp.baseUrl}/oauth/reauthenticate?${query}`, { email });
    assert.equal(back.searchParams.get('vehicle_id'), vehicles[0]);
    assert.equal(back.searchParams.get('state'), 'again');
  });

  test('a vehicle not connected to the app is refused', async () => {
    const query = new URLSearchParams({
      response_type: 'vehicle_id', client_id: tp.app.clientId, vehicle_id: '00000000-0000-4000-8000-000000000000', redirect_uri: REDIRECT,
    });
    const res = await fetch(`${tp.baseUrl}/oauth/reauthenticate?${query}`, { redirect: 'manual' });
    assert.equal(new URL(res.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  });
});
