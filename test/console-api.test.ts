/**
 * The console's JSON API behind its session cookie: sign-in, the session and its CSRF token,
 * password change, sign-out, sign-up when allowed, the sign-in rate limit, and a developer seeing
 * only their own apps.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestToken } from '../src/cli/tokens.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

let tp: TestPlatform;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(base: string, path: string, init: { method?: string; cookie?: string; csrf?: string; json?: unknown; raw?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (init.json !== undefined || init.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET', headers, body: init.raw ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) as Record<string, unknown> : {}, headers: res.headers };
}

/** Signs in; the session's cookie (name=value, as a browser sends it back) and CSRF token. */
async function signIn(base: string, email: string, password: string): Promise<{ cookie: string; csrf: string; answer: Answer }> {
  const answer = await call(base, '/console/api/session', { method: 'POST', json: { email, password } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const setCookie = answer.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, csrf: String(answer.body.csrfToken), answer };
}

before(async () => {
  tp = await startPlatform();
});
after(() => tp.close());

describe('Console sign-in', () => {
  before(async () => {
    await tp.platform.services.developers.create({ email: 'ada@example.com', password: 'analytical engine' });
  });

  test('wrong password and unknown address are refused alike', async () => {
    const wrong = await call(tp.baseUrl, '/console/api/session', { method: 'POST', json: { email: 'ada@example.com', password: 'difference engine' } });
    const unknown = await call(tp.baseUrl, '/console/api/session', { method: 'POST', json: { email: 'nobody@example.com', password: 'analytical engine' } });
    for (const answer of [wrong, unknown]) {
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, { error: 'invalid_credentials', message: 'That email and password do not match an account.' });
      assert.equal(answer.headers.get('set-cookie'), null);
    }
  });

  test('a sign-in sets a signed, HttpOnly, SameSite=Strict cookie for /console and opens the session', async () => {
    const { cookie, csrf, answer } = await signIn(tp.baseUrl, ' ADA@example.com', 'analytical engine');
    const setCookie = answer.headers.get('set-cookie') ?? '';
    // The token (base64url), a dot and its signature (base64).
    assert.match(setCookie, /^carport_console=[\w-]{43}\.[\w%+/]+;/, 'the token, signed');
    for (const attribute of [/; HttpOnly/i, /; SameSite=Strict/i, /; Path=\/console/i, /; Max-Age=43200/i]) assert.match(setCookie, attribute);
    assert.doesNotMatch(setCookie, /; Secure/i, 'plain HTTP here');
    assert.deepEqual(answer.body.user, { userId: (answer.body.user as { userId: string }).userId, email: 'ada@example.com', passwordTemporary: false });
    assert.match(csrf, /^[\w-]{43}$/);

    const session = await call(tp.baseUrl, '/console/api/session', { cookie });
    assert.equal(session.status, 200);
    assert.deepEqual(session.body.user, answer.body.user);
    assert.equal(session.body.csrfToken, csrf);

    assert.equal((await call(tp.baseUrl, '/console/api/session')).status, 401);
    const [name, value] = cookie.split('=');
    const tampered = await call(tp.baseUrl, '/console/api/session', { cookie: `${name}=${value!.slice(0, -2)}xx` });
    assert.equal(tampered.status, 401);
    assert.equal(tampered.body.error, 'not_signed_in');
  });

  test('the database keeps the session token hashed', async () => {
    const { cookie } = await signIn(tp.baseUrl, 'ada@example.com', 'analytical engine');
    const token = decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!;
    const rows = await tp.platform.db.selectFrom('console_sessions').selectAll().execute();
    assert.ok(rows.length > 0);
    assert.ok(!JSON.stringify(rows).includes(token));
  });

  test('a request that changes something needs the session\'s CSRF token', async () => {
    const { cookie, csrf } = await signIn(tp.baseUrl, 'ada@example.com', 'analytical engine');
    const body = { currentPassword: 'analytical engine', newPassword: 'analytical engine 2' };
    const none = await call(tp.baseUrl, '/console/api/password', { method: 'POST', cookie, json: body });
    assert.equal(none.status, 403);
    assert.equal(none.body.error, 'csrf');
    const other = await signIn(tp.baseUrl, 'ada@example.com', 'analytical engine');
    const foreign = await call(tp.baseUrl, '/console/api/password', { method: 'POST', cookie, csrf: other.csrf, json: body });
    assert.equal(foreign.status, 403, 'another session\'s token does not do');
    assert.equal((await call(tp.baseUrl, '/console/api/session', { method: 'DELETE', cookie })).status, 403);
    // Nothing changed: the password is still the old one.
    assert.ok(await tp.platform.services.developers.verify('ada@example.com', 'analytical engine'));
    assert.equal((await call(tp.baseUrl, '/console/api/session', { cookie, csrf })).status, 200);
  });

  test('a password change needs the current one, makes the new one permanent and ends the other sessions', async () => {
    const made = await tp.platform.services.developers.createWithGeneratedPassword('grace@example.com');
    const first = await signIn(tp.baseUrl, 'grace@example.com', made.password);
    assert.equal((first.answer.body.user as { passwordTemporary: boolean }).passwordTemporary, true);
    const second = await signIn(tp.baseUrl, 'grace@example.com', made.password);

    const wrong = await call(tp.baseUrl, '/console/api/password', {
      method: 'POST', cookie: first.cookie, csrf: first.csrf, json: { currentPassword: 'not it at all', newPassword: 'cobol compiler' },
    });
    assert.equal(wrong.status, 403);
    const short = await call(tp.baseUrl, '/console/api/password', {
      method: 'POST', cookie: first.cookie, csrf: first.csrf, json: { currentPassword: made.password, newPassword: 'short' },
    });
    assert.equal(short.status, 400);
    assert.match(String(short.body.message), /8 to 256 characters/);

    const changed = await call(tp.baseUrl, '/console/api/password', {
      method: 'POST', cookie: first.cookie, csrf: first.csrf, json: { currentPassword: made.password, newPassword: 'cobol compiler' },
    });
    assert.equal(changed.status, 204);
    const still = await call(tp.baseUrl, '/console/api/session', { cookie: first.cookie });
    assert.equal(still.status, 200);
    assert.equal((still.body.user as { passwordTemporary: boolean }).passwordTemporary, false);
    assert.equal((await call(tp.baseUrl, '/console/api/session', { cookie: second.cookie })).status, 401, 'the other session ended');
    assert.equal(await tp.platform.services.developers.verify('grace@example.com', made.password), undefined);
    assert.ok(await tp.platform.services.developers.verify('grace@example.com', 'cobol compiler'));
  });

  test('signing out ends the session and clears the cookie', async () => {
    const { cookie, csrf } = await signIn(tp.baseUrl, 'ada@example.com', 'analytical engine');
    const out = await call(tp.baseUrl, '/console/api/session', { method: 'DELETE', cookie, csrf });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^carport_console=;/);
    assert.equal((await call(tp.baseUrl, '/console/api/session', { cookie })).status, 401);
  });

  test('bad bodies are 400 in the console\'s JSON, with no stack', async () => {
    const answers = [
      await call(tp.baseUrl, '/console/api/session', { method: 'POST', json: { email: 'ada@example.com' } }),
      await call(tp.baseUrl, '/console/api/session', { method: 'POST', json: { email: 'x'.repeat(400), password: 'analytical engine' } }),
      await call(tp.baseUrl, '/console/api/session', { method: 'POST', json: ['ada@example.com', 'analytical engine'] }),
      await call(tp.baseUrl, '/console/api/session', { method: 'POST', raw: '{"email": ' }),
      await call(tp.baseUrl, '/console/api/session', { method: 'POST', json: { email: 'ada@example.com', password: 'p'.repeat(20_000) } }),
    ];
    for (const answer of answers) {
      assert.ok(answer.status === 400 || answer.status === 413, `${answer.status} ${JSON.stringify(answer.body)}`);
      assert.ok(!JSON.stringify(answer.body).includes('    at '), 'no stack');
    }
    assert.deepEqual(Object.keys(answers[0]!.body).sort(), ['error', 'message']);
  });
});

describe('Console apps', () => {
  test('a developer sees their own apps only; an app with no owner is shown to no one', async () => {
    const { services } = tp.platform;
    const alan = await services.developers.create({ email: 'alan@example.com', password: 'universal machine' });
    const kurt = await services.developers.create({ email: 'kurt@example.com', password: 'incompleteness' });
    const mine = await services.apps.create({ name: 'Alan\'s app', redirectUris: ['https://alan.example/cb'], ownerUserId: alan.userId });
    await services.apps.create({ name: 'Kurt\'s app', redirectUris: ['https://kurt.example/cb'], ownerUserId: kurt.userId });
    await services.apps.create({ name: 'Nobody\'s app', redirectUris: ['https://nobody.example/cb'] });

    const { cookie } = await signIn(tp.baseUrl, 'alan@example.com', 'universal machine');
    const apps = await call(tp.baseUrl, '/console/api/apps', { cookie });
    assert.equal(apps.status, 200);
    const list = apps.body.apps as { clientId: string; name: string; redirectUris: string[] }[];
    assert.deepEqual(list.map((a) => [a.clientId, a.name, a.redirectUris]), [[mine.clientId, 'Alan\'s app', ['https://alan.example/cb']]]);
    assert.ok(!JSON.stringify(apps.body).includes('Hash'), 'no secret or hash');
    assert.equal((await call(tp.baseUrl, '/console/api/apps')).status, 401);
  });
});

describe('Console app management', () => {
  let session: { cookie: string; csrf: string };
  before(async () => {
    await tp.platform.services.developers.create({ email: 'barbara@example.com', password: 'liskov substitution' });
    session = await signIn(tp.baseUrl, 'barbara@example.com', 'liskov substitution');
  });

  test('creating an app shows its credentials once with a ready environment, and the app is the creator\'s', async () => {
    const made = await call(tp.baseUrl, '/console/api/apps', {
      method: 'POST', ...session, json: { name: 'Fleet tool', redirectUris: ['https://fleet.example/cb', 'http://localhost:3000/cb'] },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { clientId, clientSecret, managementToken, env } = made.body as Record<string, string>;
    assert.match(clientSecret!, /^[\w-]{43}$/);
    assert.match(managementToken!, /^[\w-]{43}$/);
    assert.equal(env, [
      `SMARTCAR_CLIENT_ID=${clientId}`, `SMARTCAR_CLIENT_SECRET=${clientSecret}`, 'SMARTCAR_REDIRECT_URI=https://fleet.example/cb',
      `SMARTCAR_API_ORIGIN=${tp.baseUrl}`, `SMARTCAR_AUTH_ORIGIN=${tp.baseUrl}`, `SMARTCAR_MANAGEMENT_API_ORIGIN=${tp.baseUrl}`,
    ].join('\n'));
    assert.ok(await tp.platform.services.apps.authenticate(clientId!, clientSecret!), 'the secret works at the token endpoint');
    const listed = (await call(tp.baseUrl, '/console/api/apps', { cookie: session.cookie })).body.apps as { clientId: string }[];
    assert.ok(listed.some((a) => a.clientId === clientId));

    const publicApp = await call(tp.baseUrl, '/console/api/apps', {
      method: 'POST', ...session, json: { name: 'Phone app', redirectUris: ['com.example.app:/cb'], publicClient: true },
    });
    assert.equal(publicApp.status, 201);
    assert.doesNotMatch(String(publicApp.body.env), /CLIENT_SECRET/, 'a public client has no secret to configure');
  });

  test('rotating the secret and the management token, and editing redirect URIs, work on one\'s own app only', async () => {
    const made = await call(tp.baseUrl, '/console/api/apps', { method: 'POST', ...session, json: { name: 'Rotating', redirectUris: ['https://r.example/cb'] } });
    const { clientId, clientSecret, managementToken } = made.body as Record<string, string>;

    const secret = await call(tp.baseUrl, `/console/api/apps/${clientId}/secret`, { method: 'POST', ...session, json: { keepPreviousHours: 0 } });
    assert.equal(secret.status, 200, JSON.stringify(secret.body));
    const newSecret = String(secret.body.clientSecret);
    assert.notEqual(newSecret, clientSecret);
    assert.match(String(secret.body.env), new RegExp(`SMARTCAR_CLIENT_SECRET=${newSecret}`));
    assert.ok(await tp.platform.services.apps.authenticate(clientId!, newSecret));

    const token = await call(tp.baseUrl, `/console/api/apps/${clientId}/management-token`, { method: 'POST', ...session });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.notEqual(token.body.managementToken, managementToken);
    assert.equal((await tp.platform.services.apps.byManagementToken(String(token.body.managementToken)))?.id, clientId);

    const uris = await call(tp.baseUrl, `/console/api/apps/${clientId}/redirect-uris`, {
      method: 'PUT', ...session, json: { redirectUris: ['https://r.example/new', 'https://r.example/other'] },
    });
    assert.equal(uris.status, 200);
    assert.deepEqual((await tp.platform.services.apps.find(clientId!))?.redirectUris, ['https://r.example/new', 'https://r.example/other']);
    const fragment = await call(tp.baseUrl, `/console/api/apps/${clientId}/redirect-uris`, {
      method: 'PUT', ...session, json: { redirectUris: ['https://r.example/cb#frag'] },
    });
    assert.equal(fragment.status, 400);
    assert.match(String(fragment.body.message), /fragment/);

    // Another developer's app, an unknown id and a malformed one are all not found; without the CSRF token, forbidden.
    const other = await tp.platform.services.apps.create({ name: 'Not hers', redirectUris: ['https://n.example/cb'] });
    for (const id of [other.clientId, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const answer = await call(tp.baseUrl, `/console/api/apps/${id}/secret`, { method: 'POST', ...session });
      assert.equal(answer.status, 404, id);
      assert.equal(answer.body.error, 'not_found');
    }
    assert.equal((await call(tp.baseUrl, `/console/api/apps/${clientId}/secret`, { method: 'POST', cookie: session.cookie })).status, 403);
    assert.ok(await tp.platform.services.apps.authenticate(other.clientId, other.clientSecret), 'the other app\'s secret is untouched');
  });

  test('a new app needs a name and at least one absolute redirect URI', async () => {
    for (const json of [{ name: '', redirectUris: ['https://x.example/cb'] }, { name: 'X', redirectUris: [] }, { name: 'X', redirectUris: ['not a uri'] }, { name: 'X' }]) {
      const answer = await call(tp.baseUrl, '/console/api/apps', { method: 'POST', ...session, json });
      assert.equal(answer.status, 400, JSON.stringify(json));
      assert.equal(answer.body.error, 'invalid_request');
    }
  });
});

describe('Console vehicles', () => {
  test('an app\'s connected vehicles, paged, with owner, permissions and since when; Disconnect ends the app\'s reach at once', async () => {
    const { services } = tp.platform;
    await services.developers.create({ email: 'edsger@example.com', password: 'go to considered' });
    const session = await signIn(tp.baseUrl, 'edsger@example.com', 'go to considered');
    const made = await call(tp.baseUrl, '/console/api/apps', { method: 'POST', ...session, json: { name: 'Cars', redirectUris: ['https://cars.example/cb'] } });
    const clientId = String(made.body.clientId);
    const grant = await createTestToken(services, { clientId, scope: 'read_odometer read_vin', make: 'TESLA', vehicles: 2 });

    const all = await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles`, { cookie: session.cookie });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    const vehicles = all.body.vehicles as { vehicleId: string; make: string; vin: string; mode: string; userId: string; permissions: string[]; connectedAt: string }[];
    assert.deepEqual(vehicles.map((v) => v.vehicleId).sort(), [...grant.vehicleIds].sort());
    for (const v of vehicles) {
      assert.equal(v.make, 'TESLA');
      assert.match(v.vin, /^[A-HJ-NPR-Z0-9]{17}$/);
      assert.equal(v.mode, 'test');
      assert.equal(v.userId, grant.userId);
      assert.deepEqual([...v.permissions].sort(), ['read_odometer', 'read_vin']);
      assert.ok(!Number.isNaN(Date.parse(v.connectedAt)));
    }
    assert.equal(all.body.next, null);
    const first = await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles?limit=1`, { cookie: session.cookie });
    assert.equal((first.body.vehicles as unknown[]).length, 1);
    assert.equal(first.body.next, 1);
    const second = await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles?limit=1&offset=1`, { cookie: session.cookie });
    assert.notEqual((second.body.vehicles as { vehicleId: string }[])[0]!.vehicleId, (first.body.vehicles as { vehicleId: string }[])[0]!.vehicleId);
    assert.deepEqual((await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles?mode=live`, { cookie: session.cookie })).body.vehicles, []);
    assert.equal((await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles?limit=0`, { cookie: session.cookie })).status, 400);

    const [gone, kept] = grant.vehicleIds as [string, string];
    const odometer = (id: string) => fetch(`${tp.baseUrl}/v2.0/vehicles/${id}/odometer`, { headers: { authorization: `Bearer ${grant.accessToken}` } })
      .then(async (r) => { await r.arrayBuffer(); return r.status; });
    assert.equal(await odometer(gone), 200);
    assert.equal((await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles/${gone}`, { method: 'DELETE', cookie: session.cookie })).status, 403, 'CSRF');
    const disconnected = await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles/${gone}`, { method: 'DELETE', ...session });
    assert.equal(disconnected.status, 200, JSON.stringify(disconnected.body));
    assert.deepEqual(disconnected.body.disconnected, [{ userId: grant.userId, vehicleId: gone }]);
    assert.notEqual(await odometer(gone), 200, 'the token no longer reaches it');
    assert.equal(await odometer(kept), 200, 'the other vehicle stays connected');
    const left = (await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles`, { cookie: session.cookie })).body.vehicles as { vehicleId: string }[];
    assert.deepEqual(left.map((v) => v.vehicleId), [kept]);
    assert.equal((await call(tp.baseUrl, `/console/api/apps/${clientId}/vehicles/${gone}`, { method: 'DELETE', ...session })).status, 404);
    // Another developer's app's vehicles are not this one's to see.
    assert.equal((await call(tp.baseUrl, `/console/api/apps/${tp.app.clientId}/vehicles`, { cookie: session.cookie })).status, 404);
  });
});

describe('Console sign-up and the sign-in rate limit', () => {
  test('sign-up is off by default', async () => {
    const answer = await call(tp.baseUrl, '/console/api/signup', { method: 'POST', json: { email: 'new@example.com', password: 'new account pw' } });
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error, 'signup_off');
    assert.equal(await tp.platform.services.developers.findByEmail('new@example.com'), undefined);
  });

  test('with CONSOLE_SIGNUP=on an account is made and signed in; an address is taken once', async () => {
    const open = await startPlatform({ consoleSignup: 'on' });
    try {
      const made = await call(open.baseUrl, '/console/api/signup', { method: 'POST', json: { email: 'New@Example.com', password: 'new account pw' } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal((made.body.user as { email: string }).email, 'new@example.com');
      const cookie = (made.headers.get('set-cookie') ?? '').split(';')[0]!;
      assert.equal((await call(open.baseUrl, '/console/api/session', { cookie })).status, 200);
      const again = await call(open.baseUrl, '/console/api/signup', { method: 'POST', json: { email: 'new@example.com', password: 'other account pw' } });
      assert.equal(again.status, 400);
      assert.match(String(again.body.message), /already has an account/);
    } finally {
      await open.close();
    }
  });

  test('sign-in attempts beyond RATE_LIMIT_TOKEN_PER_MINUTE from one address are 429 with retry-after', async () => {
    const limited = await startPlatform({ rateLimits: 'on', tokenRequestsPerMinute: 3 });
    try {
      const statuses: number[] = [];
      let last: Answer | undefined;
      for (let i = 0; i < 5; i++) {
        last = await call(limited.baseUrl, '/console/api/session', { method: 'POST', json: { email: 'ada@example.com', password: `guess ${i} guess` } });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
      assert.equal(last!.body.error, 'rate_limited');
      assert.ok(Number(last!.headers.get('retry-after')) >= 1);
    } finally {
      await limited.close();
    }
  });
});
