/**
 * An app's page in the console's JSON API: the app with the developer's role, rotating the
 * management token (the new one opens the management API, the old one no longer), editing redirect
 * URIs, and the Connect link builder: the URL it builds opens Connect, and its consent preview
 * marks each permission required or optional in Connect's own words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPlatform, type TestPlatform } from './support/platform.js';

let tp: TestPlatform;
let session: { cookie: string; csrf: string };

async function call(path: string, init: { method?: string; cookie?: string; csrf?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${tp.baseUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function newApp(name: string, redirectUris: string[]): Promise<Record<string, string>> {
  const made = await call('/console/api/apps', { method: 'POST', ...session, json: { name, redirectUris } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return made.body as Record<string, string>;
}

before(async () => {
  tp = await startPlatform();
  await tp.platform.services.developers.create({ email: 'radia@example.com', password: 'spanning tree' });
  const answer = await fetch(`${tp.baseUrl}/console/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'radia@example.com', password: 'spanning tree' }),
  });
  session = { cookie: (answer.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: String((await answer.json() as { csrfToken: string }).csrfToken) };
});
after(() => tp.close());

describe('GET /console/api/apps/:clientId', () => {
  test('answers the app with the developer\'s role; another\'s app is 404', async () => {
    const app = await newApp('Page app', ['https://page.example/cb']);
    const answer = await call(`/console/api/apps/${app.clientId}`, { cookie: session.cookie });
    assert.equal(answer.status, 200);
    assert.deepEqual({ ...answer.body, createdAt: undefined }, {
      clientId: app.clientId, name: 'Page app', redirectUris: ['https://page.example/cb'], publicClient: false, role: 'owner', createdAt: undefined,
    });
    assert.equal((await call(`/console/api/apps/${tp.app.clientId}`, { cookie: session.cookie })).status, 404);
  });
});

describe('POST /console/api/apps/:clientId/management-token', () => {
  test('the new token opens the management API; without a grace period the old one no longer does', async () => {
    const app = await newApp('Managed', ['https://managed.example/cb']);
    const connections = (token: string) => fetch(`${tp.baseUrl}/v2.0/management/connections`, {
      headers: { authorization: `Basic ${Buffer.from(`default:${token}`).toString('base64')}` },
    }).then(async (r) => { await r.arrayBuffer(); return r.status; });
    assert.equal(await connections(app.managementToken!), 200);

    const rotated = await call(`/console/api/apps/${app.clientId}/management-token`, { method: 'POST', ...session, json: { keepPreviousHours: 0 } });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const token = String(rotated.body.managementToken);
    assert.match(token, /^[\w-]{43}$/);
    assert.equal(await connections(token), 200);
    assert.equal(await connections(app.managementToken!), 401);

    const graced = await call(`/console/api/apps/${app.clientId}/management-token`, { method: 'POST', ...session });
    assert.ok(!Number.isNaN(Date.parse(String(graced.body.previousValidUntil))), 'a day of grace by default');
    assert.equal(await connections(token), 200, 'the previous one works during its grace');
    assert.equal(await connections(String(graced.body.managementToken)), 200);
  });
});

describe('PUT /console/api/apps/:clientId/redirect-uris', () => {
  test('replaces the list; a bad one is a 400 naming it and changes nothing', async () => {
    const app = await newApp('Uris', ['https://uris.example/cb']);
    const saved = await call(`/console/api/apps/${app.clientId}/redirect-uris`, {
      method: 'PUT', ...session, json: { redirectUris: ['https://uris.example/cb', 'http://localhost:5173/cb'] },
    });
    assert.equal(saved.status, 200);
    assert.deepEqual((await call(`/console/api/apps/${app.clientId}`, { cookie: session.cookie })).body.redirectUris,
      ['https://uris.example/cb', 'http://localhost:5173/cb']);
    for (const redirectUris of [[], ['relative/path'], ['https://uris.example/cb#x']]) {
      const bad = await call(`/console/api/apps/${app.clientId}/redirect-uris`, { method: 'PUT', ...session, json: { redirectUris } });
      assert.equal(bad.status, 400, JSON.stringify(redirectUris));
      assert.equal(bad.body.error, 'invalid_request');
    }
    assert.deepEqual((await tp.platform.services.apps.find(app.clientId!))?.redirectUris, ['https://uris.example/cb', 'http://localhost:5173/cb']);
  });
});

describe('GET /console/api/apps/:clientId/connect-link', () => {
  test('builds the authorize URL Connect expects, which opens Connect for the app', async () => {
    const app = await newApp('Linked', ['https://linked.example/cb', 'https://linked.example/other']);
    const query = new URLSearchParams({
      mode: 'simulated', make: 'tesla', scope: 'required:read_odometer read_vin', redirectUri: 'https://linked.example/other', state: 'xyz 1',
    });
    const built = await call(`/console/api/apps/${app.clientId}/connect-link?${query}`, { cookie: session.cookie });
    assert.equal(built.status, 200, JSON.stringify(built.body));
    const url = new URL(String(built.body.url));
    assert.equal(url.origin, tp.baseUrl);
    assert.equal(url.pathname, '/oauth/authorize');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      response_type: 'code', client_id: app.clientId, redirect_uri: 'https://linked.example/other',
      scope: 'required:read_odometer read_vin', mode: 'simulated', make: 'TESLA', state: 'xyz 1',
    });
    assert.match(String(built.body.url), /scope=required%3Aread_odometer%20read_vin/);

    const opened = await fetch(url, { redirect: 'manual' });
    await opened.arrayBuffer();
    assert.equal(opened.status, 303);
    assert.match(opened.headers.get('location') ?? '', /^\/connect\/[\w-]+/, 'Connect opened an interaction, no error redirect');
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await fetch(new URL(opened.headers.get('location')!, tp.baseUrl), { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Linked wants to connect to your vehicle/);
  });

  test('the consent preview marks each permission required or optional, in Connect\'s words', async () => {
    const app = await newApp('Previewed', ['https://preview.example/cb']);
    const query = new URLSearchParams({ mode: 'test', scope: 'read_location required:control_security read_location' });
    const built = await call(`/console/api/apps/${app.clientId}/connect-link?${query}`, { cookie: session.cookie });
    assert.equal(built.status, 200, JSON.stringify(built.body));
    assert.deepEqual(built.body.consent, {
      heading: 'Allow Previewed to:',
      permissions: [
        { permission: 'read_location', text: 'See your vehicle’s location', required: false },
        { permission: 'control_security', text: 'Lock and unlock your vehicle', required: true },
      ],
    });
  });

  test('offers every permission with its words and the brands of each mode', async () => {
    const options = await call('/console/api/connect-options', { cookie: session.cookie });
    assert.equal(options.status, 200);
    const permissions = options.body.permissions as { permission: string; text: string }[];
    assert.ok(permissions.some((p) => p.permission === 'read_odometer' && p.text === 'See your odometer'));
    const makes = options.body.makes as Record<string, { make: string }[]>;
    assert.ok(makes.simulated!.some((b) => b.make === 'TESLA'));
    assert.equal((await call('/console/api/connect-options')).status, 401);
  });

  test('refuses what Connect would refuse, as 400', async () => {
    const app = await newApp('Strict', ['https://strict.example/cb']);
    const refused: Record<string, string>[] = [
      { scope: '' }, { scope: 'read_everything' }, { scope: 'read_vin', redirectUri: 'https://elsewhere.example/cb' },
      { scope: 'read_vin', mode: 'sideways' }, { scope: 'read_vin', make: 'NOT A BRAND' }, { scope: 'read_vin', make: 'NOSUCHBRAND' },
      { scope: 'x'.repeat(3000) },
    ];
    for (const params of refused) {
      const answer = await call(`/console/api/apps/${app.clientId}/connect-link?${new URLSearchParams(params)}`, { cookie: session.cookie });
      assert.equal(answer.status, 400, JSON.stringify(params));
      assert.deepEqual(Object.keys(answer.body).sort(), ['error', 'message']);
    }
  });
});
