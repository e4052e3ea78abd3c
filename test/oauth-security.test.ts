/**
 * The OAuth 2.0 security rules of spec/oauth-security.md §7, one suite per rule, exercised over HTTP
 * against a real carport: Connect (GET /oauth/authorize and the /connect pages), POST /oauth/token
 * and the Vehicle API. Lifetimes are checked on a second platform whose clock the test moves.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createTestToken } from '../src/cli/tokens.js';
import { loadConfig } from '../src/config.js';
import type { CreatedApp } from '../src/oauth/index.js';
import { createPlatform, type Platform } from '../src/server.js';
import { createSimulatedVehicle } from '../src/vehicles/index.js';
import { Browserless, connectOverHttp, csrfOf, type HttpConnectOptions } from './support/connect-http.js';
import { testDatabase } from './support/database.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

const REDIRECT = 'https://app.example.com/callback';
const SCOPE = 'read_vehicle_info read_odometer';
/** Put in every default `state`: a query string reaching a log line would show it (rule 9). */
const QUERY_MARKER = `qmark${randomBytes(6).toString('hex')}`;
const COOKIE = 'carport_connect';

/** Where a request goes: a platform's origin and the app that asks. */
interface Target {
  baseUrl: string;
  app: CreatedApp;
}

interface TokenAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** How a token request authenticates: Basic (default), form fields (Ruby SDK), or client_id alone (public client). */
type ClientAuth =
  | { kind: 'basic'; clientId: string; secret: string }
  | { kind: 'body'; clientId: string; secret: string }
  | { kind: 'public'; clientId: string }
  | { kind: 'none' };

let tp: TestPlatform;
/** A second confidential app, to present the wrong client's credentials. */
let other: CreatedApp;
/** Every credential this file handles, for rule 9's search of the database and the logs. */
const credentials = new Set<string>();

function keep(value: string): string {
  credentials.add(value);
  return value;
}

const basicOf = (app: CreatedApp): ClientAuth => ({ kind: 'basic', clientId: app.clientId, secret: app.clientSecret });

function authorizeUrl(params: Record<string, string | undefined> = {}, target: Target = tp): string {
  const all: Record<string, string | undefined> = {
    response_type: 'code', client_id: target.app.clientId, redirect_uri: REDIRECT, scope: SCOPE, mode: 'test', make: 'TESLA',
    state: QUERY_MARKER, ...params,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(all)) if (value !== undefined) query.set(name, value);
  return `${target.baseUrl}/oauth/authorize?${query}`;
}

/** Runs Connect to the end; the query of the redirect back to the app. */
async function connect(params: Record<string, string | undefined> = {}, options: HttpConnectOptions = {}, target: Target = tp) {
  const url = await connectOverHttp(authorizeUrl(params, target), options);
  return url.searchParams;
}

async function codeFor(params: Record<string, string | undefined> = {}, target: Target = tp): Promise<string> {
  const query = await connect(params, {}, target);
  const code = query.get('code');
  assert.ok(code, `Connect returned no code: ${query}`);
  return keep(code);
}

async function tokenRequest(fields: Record<string, string>, auth: ClientAuth = basicOf(tp.app), baseUrl = tp.baseUrl): Promise<TokenAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = { ...fields };
  if (auth.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${auth.clientId}:${auth.secret}`).toString('base64')}`;
  if (auth.kind === 'body') Object.assign(form, { client_id: auth.clientId, client_secret: auth.secret });
  if (auth.kind === 'public') form.client_id = auth.clientId;
  const res = await fetch(`${baseUrl}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status === 200) {
    keep(String(body.access_token));
    keep(String(body.refresh_token));
  }
  return { status: res.status, headers: res.headers, body };
}

function exchange(code: string, extra: Record<string, string> = {}, auth?: ClientAuth, baseUrl?: string) {
  return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra }, auth, baseUrl);
}

function refresh(refreshToken: string, auth?: ClientAuth, baseUrl?: string) {
  return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, auth, baseUrl);
}

function ok(answer: TokenAnswer): { access: string; refresh: string } {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return { access: String(answer.body.access_token), refresh: String(answer.body.refresh_token) };
}

/** RFC 6749 §5.2: the status, exactly `{error, error_description}`, and no caching. */
function assertOAuthError(answer: TokenAnswer, status: number, error: string, description?: string | RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.deepEqual(Object.keys(answer.body).sort(), ['error', 'error_description']);
  assert.equal(answer.body.error, error);
  assert.equal(typeof answer.body.error_description, 'string');
  if (typeof description === 'string') assert.equal(answer.body.error_description, description);
  else if (description) assert.match(String(answer.body.error_description), description);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  assert.equal(answer.headers.get('pragma'), 'no-cache');
}

async function apiStatus(token: string, path: string, baseUrl = tp.baseUrl): Promise<number> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

async function vehiclesOf(token: string, baseUrl = tp.baseUrl): Promise<string[]> {
  const res = await fetch(`${baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { vehicles: string[] }).vehicles;
}

/** RFC 6749 §4.1.2.1: an error shown to the owner, never a redirect. */
async function assertErrorPage(res: Response, status = 400): Promise<string> {
  const html = await res.text();
  assert.equal(res.status, status, html);
  assert.equal(res.headers.get('location'), null);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  return html;
}

function redirectQuery(res: Response, to = REDIRECT): URLSearchParams {
  assert.equal(res.status, 303);
  const location = new URL(res.headers.get('location') ?? '');
  assert.equal(location.href.split('?')[0], to);
  return location.searchParams;
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A Connect session in one browser, driven step by step. */
async function openSession(params: Record<string, string | undefined> = {}, target: Target = tp) {
  const client = new Browserless(target.baseUrl);
  const start = await client.request(authorizeUrl(params, target));
  assert.equal(start.status, 303, await start.clone().text());
  const base = new URL(start.headers.get('location')!, target.baseUrl).pathname;
  assert.match(base, /^\/connect\/[A-Za-z0-9_-]+$/);
  const cookieLine = start.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  assert.ok(cookieLine, 'the authorize answer sets the interaction cookie');
  const cookie = cookieLine.split(';')[0]!.slice(COOKIE.length + 1);
  return { client, start, base, cookie, id: base.split('/')[2]! };
}

async function pageOf(client: Browserless, path: string): Promise<{ res: Response; html: string }> {
  const res = await client.request(path);
  const html = await res.text();
  assert.equal(res.status, 200, `${path}: ${html}`);
  return { res, html };
}

/** Signs in (make=TESLA skips the brand step) and returns the vehicles page. */
async function signIn(session: Awaited<ReturnType<typeof openSession>>, email = `${randomUUID()}@example.com`) {
  const { html } = await pageOf(session.client, `${session.base}/sign-in`);
  const res = await session.client.post(`${session.base}/sign-in`, [['_csrf', csrfOf(html)], ['email', email], ['password', 'pw']]);
  assert.equal(res.status, 303);
  return pageOf(session.client, `${session.base}/vehicles`);
}

function vehicleFields(html: string): [string, string][] {
  return [...html.matchAll(/name="vehicle" value="([^"]+)"/g)].map((m): [string, string] => ['vehicle', m[1]!]);
}

/** Signs in, ticks every vehicle and lands before the grant page; the vehicle ids. */
async function chooseAllVehicles(session: Awaited<ReturnType<typeof openSession>>): Promise<string[]> {
  const { html } = await signIn(session);
  const fields = vehicleFields(html);
  assert.equal((await session.client.post(`${session.base}/vehicles`, [['_csrf', csrfOf(html)], ...fields])).status, 303);
  return fields.map(([, id]) => id);
}

/** A platform on a clock the test moves forward, for lifetimes (createPlatform's Clock port). */
interface ClockedPlatform extends Target {
  platform: Platform;
  advance(seconds: number): void;
  close(): Promise<void>;
}

async function startClockedPlatform(): Promise<ClockedPlatform> {
  let offsetMs = 0;
  const db = await testDatabase();
  const config = loadConfig({}, { databaseUrl: db.url, port: 0, rateLimits: 'off', logLevel: 'silent' });
  const platform = await createPlatform(config, { clock: { now: () => new Date(Date.now() + offsetMs) } });
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const address = platform.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const app = await platform.services.apps.create({ name: 'Clocked app', redirectUris: [REDIRECT] });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    platform,
    advance: (seconds) => {
      offsetMs += seconds * 1000;
    },
    async close() {
      await platform.close();
      await db.drop();
    },
  };
}

let clocked: ClockedPlatform;

before(async () => {
  [tp, clocked] = await Promise.all([startPlatform(), startClockedPlatform()]);
  other = await tp.platform.services.apps.create({ name: 'Other app', redirectUris: [REDIRECT] });
  for (const app of [tp.app, other, clocked.app]) {
    keep(app.clientSecret);
    keep(app.managementToken);
  }
});
after(async () => {
  await Promise.all([tp.close(), clocked.close()]);
});

describe('Rule 1: TLS behind a proxy (RFC 6749 §3.1)', () => {
  test('with TRUST_PROXY, X-Forwarded-Proto: https makes the Connect cookie Secure and adds HSTS to Connect and the token endpoint', async () => {
    const proxied = await startPlatform({ trustProxy: 1 });
    try {
      const res = await fetch(authorizeUrl({}, proxied), { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(res.status, 303);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`)) ?? '';
      assert.match(cookie, /;\s*Secure(;|$)/i);
      assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
      const t = await proxied.token();
      const token = await fetch(`${proxied.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: {
          'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${proxied.app.clientId}:${proxied.app.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refreshToken }).toString(),
      });
      assert.equal(token.status, 200);
      assert.match(token.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
    } finally {
      await proxied.close();
    }
  });

  test('without TRUST_PROXY, a forged X-Forwarded-Proto is ignored: no Secure cookie, no HSTS', async () => {
    const res = await fetch(authorizeUrl(), { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(res.status, 303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`)) ?? '';
    assert.ok(cookie, 'a cookie is set');
    assert.doesNotMatch(cookie, /;\s*Secure(;|$)/i);
    assert.equal(res.headers.get('strict-transport-security'), null);
  });
});

describe('Rule 2: only response_type=code (RFC 9700 §2.1.2, §2.4)', () => {
  for (const responseType of ['token', 'code token', 'id_token', undefined]) {
    test(`response_type=${responseType ?? '(absent)'} redirects back with unsupported_response_type and the state`, async () => {
      const res = await fetch(authorizeUrl({ response_type: responseType, state: 'st-1' }), { redirect: 'manual' });
      const query = redirectQuery(res);
      assert.equal(query.get('error'), 'unsupported_response_type');
      assert.ok(query.get('error_description'));
      assert.equal(query.get('state'), 'st-1');
      assert.equal(query.get('code'), null);
    });
  }

  test('the password (ROPC) and client_credentials grants are unsupported_grant_type', async () => {
    for (const grant of ['password', 'client_credentials', 'implicit']) {
      assertOAuthError(await tokenRequest({ grant_type: grant, username: 'a@example.com', password: 'pw' }), 400, 'unsupported_grant_type');
    }
  });
});

describe('Rule 3: redirect URIs matched by exact string (RFC 6749 §3.1.2, RFC 9700 §4.1)', () => {
  const near = [
    ['an extra path segment', `${REDIRECT}/extra`],
    ['an extra query', `${REDIRECT}?next=/admin`],
    ['a different case in the host', 'https://APP.example.com/callback'],
    ['a different case in the path', 'https://app.example.com/Callback'],
    ['a trailing slash', `${REDIRECT}/`],
    ['another scheme', 'http://app.example.com/callback'],
    ['a fragment', `${REDIRECT}#x`],
    ['a port', 'https://app.example.com:8443/callback'],
    ['another host', 'https://evil.example.com/callback'],
  ];
  for (const [what, uri] of near) {
    test(`a redirect_uri with ${what} gets a 400 error page and no redirect`, async () => {
      const res = await fetch(authorizeUrl({ redirect_uri: uri }), { redirect: 'manual' });
      const html = await assertErrorPage(res);
      assert.match(html, /redirect URI/i);
    });
  }

  test('an absent redirect_uri means the app’s first registered one, and the code is bound to it', async () => {
    const first = 'https://two.example.com/first';
    const second = 'https://two.example.com/second';
    const app = await tp.platform.services.apps.create({ name: 'Two URIs', redirectUris: [first, second] });
    keep(app.clientSecret);
    const target = { baseUrl: tp.baseUrl, app };
    const url = await connectOverHttp(authorizeUrl({ redirect_uri: undefined }, target));
    assert.equal(`${url.origin}${url.pathname}`, first);
    const code = keep(url.searchParams.get('code')!);
    ok(await exchange(code, { redirect_uri: first }, basicOf(app)));
    const viaSecond = await connectOverHttp(authorizeUrl({ redirect_uri: second }, target));
    assert.equal(`${viaSecond.origin}${viaSecond.pathname}`, second);
  });

  test('an app cannot register a redirect URI with a fragment or a relative one', async () => {
    for (const uri of ['https://a.example.com/cb#frag', '/callback']) {
      await assert.rejects(tp.platform.services.apps.create({ name: 'Bad', redirectUris: [uri] }));
    }
  });
});

describe('Rule 4: never redirect to an unverified URI (RFC 6749 §4.1.2.1, RFC 9700 §4.11)', () => {
  test('an unknown client_id gets an error page, even with a redirect URI registered elsewhere', async () => {
    for (const redirect of [REDIRECT, 'https://evil.example.com/steal']) {
      const res = await fetch(authorizeUrl({ client_id: randomUUID(), redirect_uri: redirect }), { redirect: 'manual' });
      assert.match(await assertErrorPage(res), /not registered/);
    }
  });

  test('a missing client_id gets an error page', async () => {
    await assertErrorPage(await fetch(authorizeUrl({ client_id: undefined }), { redirect: 'manual' }));
  });

  test('application_id (the JavaScript SDK) is accepted instead of client_id', async () => {
    const code = await codeFor({ client_id: undefined, application_id: tp.app.clientId });
    ok(await exchange(code));
  });

  test('once client and redirect URI are verified, other errors redirect with error, error_description and state', async () => {
    for (const [params, error] of [[{ scope: 'read_nothing' }, 'invalid_scope'], [{ mode: 'bogus' }, 'invalid_request']] as const) {
      const query = redirectQuery(await fetch(authorizeUrl({ ...params, state: 'keep-me' }), { redirect: 'manual' }));
      assert.equal(query.get('error'), error);
      assert.ok(query.get('error_description'));
      assert.equal(query.get('state'), 'keep-me');
    }
  });
});

describe('Rule 5: authorization codes (RFC 6749 §4.1.2, §4.1.3, §10.10)', () => {
  test('a code carries at least 256 bits: 43 or more base64url characters, never repeated', async () => {
    const [a, b] = await Promise.all([codeFor(), codeFor()]);
    for (const code of [a, b]) assert.match(code, /^[A-Za-z0-9_-]{43,}$/);
    assert.notEqual(a, b);
  });

  test('a second exchange is invalid_grant and revokes the tokens of the first', async () => {
    const code = await codeFor();
    const first = ok(await exchange(code));
    assert.equal(await apiStatus(first.access, '/v2.0/vehicles'), 200);
    assertOAuthError(await exchange(code), 400, 'invalid_grant', `Invalid code: ${code}.`);
    assert.equal(await apiStatus(first.access, '/v2.0/vehicles'), 401);
    assertOAuthError(await refresh(first.refresh), 400, 'invalid_grant');
  });

  test('a code issued to one client is invalid_grant for another', async () => {
    assertOAuthError(await exchange(await codeFor(), {}, basicOf(other)), 400, 'invalid_grant');
  });

  test('a different redirect_uri at the token endpoint is invalid_grant “Unauthorized redirect_uri”', async () => {
    const uri = 'https://app.example.com/other';
    assertOAuthError(await exchange(await codeFor(), { redirect_uri: uri }), 400, 'invalid_grant', `Unauthorized redirect_uri: ${uri}`);
  });

  test('a code requested with a redirect_uri is refused when the exchange omits it (RFC 6749 §4.1.3)', async () => {
    const code = await codeFor();
    assertOAuthError(await tokenRequest({ grant_type: 'authorization_code', code }), 400, 'invalid_grant');
    const quirk = await codeFor();
    assertOAuthError(await exchange(quirk, { redirect_uri: 'undefined' }), 400, 'invalid_grant');
  });

  for (const n of [2, 10]) {
    test(`of ${n} concurrent exchanges of one code exactly one succeeds`, async () => {
      const code = await codeFor();
      const answers = await Promise.all(Array.from({ length: n }, () => exchange(code)));
      assert.equal(answers.filter((a) => a.status === 200).length, 1, answers.map((a) => a.status).join(' '));
      for (const a of answers.filter((x) => x.status !== 200)) assertOAuthError(a, 400, 'invalid_grant');
    });
  }

  test('a code expires after 10 minutes', async () => {
    const [fresh, stale] = await Promise.all([codeFor({}, clocked), codeFor({}, clocked)]);
    clocked.advance(590);
    ok(await exchange(fresh, {}, basicOf(clocked.app), clocked.baseUrl));
    clocked.advance(11);
    assertOAuthError(await exchange(stale, {}, basicOf(clocked.app), clocked.baseUrl), 400, 'invalid_grant', `Invalid code: ${stale}.`);
  });
});

describe('Rule 6: RFC 7636 PKCE, S256 only (RFC 9700 §2.1.1, §4.8)', () => {
  test('with a code_challenge the exchange needs the matching code_verifier', async () => {
    const { verifier, challenge } = pkcePair();
    const params = { code_challenge: challenge, code_challenge_method: 'S256' };
    const [wrong, missing, right] = await Promise.all([codeFor(params), codeFor(params), codeFor(params)]);
    assertOAuthError(await exchange(wrong, { code_verifier: pkcePair().verifier }), 400, 'invalid_grant');
    assertOAuthError(await exchange(missing), 400, 'invalid_grant');
    const tokens = ok(await exchange(right, { code_verifier: verifier }));
    assert.equal(await apiStatus(tokens.access, '/v2.0/vehicles'), 200);
  });

  test('code_challenge_method=plain, or no method, redirects with invalid_request', async () => {
    const { verifier } = pkcePair();
    for (const method of ['plain', undefined]) {
      const query = redirectQuery(await fetch(authorizeUrl({ code_challenge: verifier, code_challenge_method: method }), { redirect: 'manual' }));
      assert.equal(query.get('error'), 'invalid_request');
      assert.equal(query.get('state'), QUERY_MARKER);
    }
  });

  test('a code_challenge that is not a SHA-256 digest redirects with invalid_request', async () => {
    const query = redirectQuery(await fetch(authorizeUrl({ code_challenge: 'short', code_challenge_method: 'S256' }), { redirect: 'manual' }));
    assert.equal(query.get('error'), 'invalid_request');
  });

  test('a code_verifier sent when no challenge was used is invalid_grant (downgrade)', async () => {
    assertOAuthError(await exchange(await codeFor(), { code_verifier: pkcePair().verifier }), 400, 'invalid_grant');
  });

  describe('public clients', () => {
    const mobileRedirect = 'scmobile://exchange';
    let mobile: Target;
    before(async () => {
      const app = await tp.platform.services.apps.create({ name: 'Mobile app', redirectUris: [mobileRedirect], publicClient: true });
      mobile = { baseUrl: tp.baseUrl, app };
    });

    test('without a code_challenge Connect redirects with invalid_request', async () => {
      const res = await fetch(authorizeUrl({ redirect_uri: mobileRedirect }, mobile), { redirect: 'manual' });
      const query = redirectQuery(res, mobileRedirect);
      assert.equal(query.get('error'), 'invalid_request');
    });

    test('exchange with client_id in the body, no secret and the right verifier; a missing verifier is invalid_grant', async () => {
      const { verifier, challenge } = pkcePair();
      const params = { redirect_uri: mobileRedirect, code_challenge: challenge, code_challenge_method: 'S256' };
      const [code, unverified] = await Promise.all([codeFor(params, mobile), codeFor(params, mobile)]);
      const auth: ClientAuth = { kind: 'public', clientId: mobile.app.clientId };
      assertOAuthError(await exchange(unverified, { redirect_uri: mobileRedirect }, auth), 400, 'invalid_grant');
      const tokens = ok(await exchange(code, { redirect_uri: mobileRedirect, code_verifier: verifier }, auth));
      assert.equal(await apiStatus(tokens.access, '/v2.0/vehicles'), 200);
      ok(await refresh(tokens.refresh, auth));
    });
  });
});

describe('Rule 7: state passed through unchanged (RFC 6749 §4.1.2)', () => {
  const state = 'a b&c=d/é✓ 😀+%20?x';

  test('on success', async () => {
    assert.equal((await connect({ state })).get('state'), state);
  });

  test('on an error (the owner denies)', async () => {
    const query = await connect({ state }, { decision: 'deny' });
    assert.equal(query.get('error'), 'access_denied');
    assert.equal(query.get('error_description'), 'User denied access to application.');
    assert.equal(query.get('state'), state);
  });

  test('absent stays absent', async () => {
    const query = await connect({ state: undefined });
    assert.ok(query.get('code'));
    assert.equal(query.has('state'), false);
  });
});

describe('Rule 8: client authentication (RFC 6749 §2.3.1, §5.2)', () => {
  test('client_secret_basic and client_secret_post both work', async () => {
    const t = await tp.token();
    const viaBasic = ok(await refresh(t.refreshToken));
    ok(await refresh(viaBasic.refresh, { kind: 'body', clientId: tp.app.clientId, secret: tp.app.clientSecret }));
  });

  test('Basic and body credentials at once are invalid_request', async () => {
    const t = await tp.token();
    const res = await tokenRequest({
      grant_type: 'refresh_token', refresh_token: t.refreshToken, client_id: tp.app.clientId, client_secret: tp.app.clientSecret,
    });
    assertOAuthError(res, 400, 'invalid_request');
  });

  const refusals: [string, () => ClientAuth][] = [
    ['a wrong secret', () => ({ kind: 'basic', clientId: tp.app.clientId, secret: `${tp.app.clientSecret.slice(0, -2)}xx` })],
    ['an unknown client', () => ({ kind: 'basic', clientId: randomUUID(), secret: tp.app.clientSecret })],
    ['the management token as secret', () => ({ kind: 'basic', clientId: tp.app.clientId, secret: tp.app.managementToken })],
    ['a wrong secret in the body', () => ({ kind: 'body', clientId: tp.app.clientId, secret: 'nope' })],
    ['a confidential client without its secret', () => ({ kind: 'public', clientId: tp.app.clientId })],
    ['no credentials', () => ({ kind: 'none' })],
  ];
  for (const [what, auth] of refusals) {
    test(`${what} is 401 invalid_client with WWW-Authenticate`, async () => {
      const t = await tp.token();
      const res = await refresh(t.refreshToken, auth());
      assertOAuthError(res, 401, 'invalid_client');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /);
      ok(await refresh(t.refreshToken));
    });
  }

  test('secrets and management tokens are 256-bit base64url: safe unencoded in a Basic header', () => {
    for (const secret of [tp.app.clientSecret, tp.app.managementToken]) assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
  });

  test('the token endpoint is rate limited per client: 429 with error and Retry-After, failures counted', async () => {
    const limited = await startPlatform({ rateLimits: 'on', tokenRequestsPerMinute: 5 });
    try {
      const t = await limited.token();
      const wrong: ClientAuth = { kind: 'basic', clientId: limited.app.clientId, secret: 'guess' };
      for (let i = 0; i < 5; i++) assertOAuthError(await refresh(t.refreshToken, wrong, limited.baseUrl), 401, 'invalid_client');
      const res = await refresh(t.refreshToken, basicOf(limited.app), limited.baseUrl);
      assertOAuthError(res, 429, 'temporarily_unavailable');
      assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    } finally {
      await limited.close();
    }
  });
});

describe('Rule 10: refresh tokens (RFC 6749 §6, RFC 9700 §4.14.2)', () => {
  test('every refresh returns a new refresh token and a working access token', async () => {
    const t = await tp.token();
    const seen = new Set([t.refreshToken]);
    let current = t.refreshToken;
    for (let i = 0; i < 3; i++) {
      const next = ok(await refresh(current));
      assert.ok(!seen.has(next.refresh), 'a new refresh token');
      seen.add(next.refresh);
      assert.equal(await apiStatus(next.access, `/v2.0/vehicles/${t.vehicleIds[0]}/odometer`), 200);
      current = next.refresh;
    }
  });

  test('a refresh token is bound to its client: another app’s credentials are invalid_grant', async () => {
    const t = await tp.token();
    assertOAuthError(await refresh(t.refreshToken, basicOf(other)), 400, 'invalid_grant');
    ok(await refresh(t.refreshToken));
  });

  test('no scope widening: a scope sent on refresh grants nothing new', async () => {
    const t = await tp.token({ scope: 'read_odometer' });
    const next = ok(await tokenRequest({ grant_type: 'refresh_token', refresh_token: t.refreshToken, scope: 'read_odometer control_security' }));
    const vehicle = `/v2.0/vehicles/${t.vehicleIds[0]}`;
    assert.equal(await apiStatus(next.access, `${vehicle}/odometer`), 200);
    const lock = await fetch(`${tp.baseUrl}${vehicle}/security`, {
      method: 'POST', headers: { authorization: `Bearer ${next.access}`, 'content-type': 'application/json' }, body: '{"action":"LOCK"}',
    });
    assert.equal(lock.status, 403);
  });

  /** Tokens on the platform whose clock the test moves, recorded for rule 9's search. */
  async function clockedToken() {
    const t = await createTestToken(clocked.platform.services, { clientId: clocked.app.clientId, scope: SCOPE, make: 'TESLA', vehicles: 1 });
    keep(t.accessToken);
    keep(t.refreshToken);
    return t;
  }

  test('a rotated refresh token sent again within the race window is refused as a duplicate, revoking nothing', async () => {
    const t = await tp.token();
    const rotated = ok(await refresh(t.refreshToken));
    assertOAuthError(await refresh(t.refreshToken), 400, 'invalid_grant');
    assert.equal(await apiStatus(rotated.access, '/v2.0/vehicles'), 200);
    ok(await refresh(rotated.refresh));
  });

  test('a rotated refresh token retried within the grace window works once; a second retry revokes the whole family', async () => {
    const auth = basicOf(clocked.app);
    const t = await clockedToken();
    const rotated = ok(await refresh(t.refreshToken, auth, clocked.baseUrl));
    clocked.advance(3);
    const retried = ok(await refresh(t.refreshToken, auth, clocked.baseUrl));
    assert.notEqual(retried.refresh, rotated.refresh);
    assert.equal(await apiStatus(retried.access, '/v2.0/vehicles', clocked.baseUrl), 200);
    clocked.advance(3);
    assertOAuthError(await refresh(t.refreshToken, auth, clocked.baseUrl), 400, 'invalid_grant');
    for (const access of [t.accessToken, rotated.access, retried.access]) {
      assert.equal(await apiStatus(access, '/v2.0/vehicles', clocked.baseUrl), 401);
    }
    for (const r of [rotated.refresh, retried.refresh]) assertOAuthError(await refresh(r, auth, clocked.baseUrl), 400, 'invalid_grant');
  });

  test('a rotated refresh token used after the grace window revokes the whole family', async () => {
    const auth = basicOf(clocked.app);
    const t = await clockedToken();
    const rotated = ok(await refresh(t.refreshToken, auth, clocked.baseUrl));
    clocked.advance(61);
    assertOAuthError(await refresh(t.refreshToken, auth, clocked.baseUrl), 400, 'invalid_grant');
    assert.equal(await apiStatus(rotated.access, '/v2.0/vehicles', clocked.baseUrl), 401);
    assertOAuthError(await refresh(rotated.refresh, auth, clocked.baseUrl), 400, 'invalid_grant');
  });

  for (const n of [2, 10]) {
    test(`of ${n} concurrent refreshes with one token exactly one succeeds, and its tokens keep working`, async () => {
      const t = await tp.token();
      const answers = await Promise.all(Array.from({ length: n }, () => refresh(t.refreshToken)));
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, answers.map((a) => a.status).join(' '));
      for (const a of answers.filter((x) => x.status !== 200)) assertOAuthError(a, 400, 'invalid_grant');
      // Losing a race is not reuse: the family is not revoked.
      const won = ok(winners[0]!);
      assert.equal(await apiStatus(won.access, '/v2.0/vehicles'), 200);
      ok(await refresh(won.refresh));
    });
  }

  test('a refresh token lives 60 days, renewed on each rotation', async () => {
    const auth = basicOf(clocked.app);
    const t = await clockedToken();
    clocked.advance(59 * 86_400);
    const renewed = ok(await refresh(t.refreshToken, auth, clocked.baseUrl));
    clocked.advance(59 * 86_400);
    const again = ok(await refresh(renewed.refresh, auth, clocked.baseUrl));
    clocked.advance(60 * 86_400 + 1);
    assertOAuthError(await refresh(again.refresh, auth, clocked.baseUrl), 400, 'invalid_grant');
  });

  test('after the app disconnects a vehicle, refreshed tokens no longer reach it', async () => {
    const t = await tp.token({ vehicles: 2 });
    const [gone, kept] = t.vehicleIds as [string, string];
    const res = await fetch(`${tp.baseUrl}/v2.0/vehicles/${gone}/application`, { method: 'DELETE', headers: { authorization: `Bearer ${t.accessToken}` } });
    assert.equal(res.status, 200);
    const next = ok(await refresh(t.refreshToken));
    assert.equal(await apiStatus(next.access, `/v2.0/vehicles/${gone}/odometer`), 404);
    assert.equal(await apiStatus(next.access, `/v2.0/vehicles/${kept}/odometer`), 200);
    assert.deepEqual(await vehiclesOf(next.access), [kept]);
  });
});

describe('Rule 11: access tokens (RFC 9700 §2.3, §4.10)', () => {
  test('expires_in is 7200 and a token stops working after two hours', async () => {
    const code = await codeFor({}, clocked);
    const answer = await exchange(code, {}, basicOf(clocked.app), clocked.baseUrl);
    assert.equal(answer.body.expires_in, 7200);
    const { access } = ok(answer);
    clocked.advance(7190);
    assert.equal(await apiStatus(access, '/v2.0/vehicles', clocked.baseUrl), 200);
    clocked.advance(11);
    assert.equal(await apiStatus(access, '/v2.0/vehicles', clocked.baseUrl), 401);
  });

  test('a token reaches its own vehicles only: another owner’s or another app’s vehicle is 404', async () => {
    const [mine, theirs] = await Promise.all([tp.token(), tp.token()]);
    const foreign = await createTestToken(tp.platform.services, { clientId: other.clientId, scope: SCOPE, make: 'TESLA', vehicles: 1 });
    keep(foreign.accessToken);
    keep(foreign.refreshToken);
    assert.equal(await apiStatus(mine.accessToken, `/v2.0/vehicles/${mine.vehicleIds[0]}`), 200);
    assert.equal(await apiStatus(mine.accessToken, `/v2.0/vehicles/${theirs.vehicleIds[0]}`), 404);
    assert.equal(await apiStatus(mine.accessToken, `/v2.0/vehicles/${foreign.vehicleIds[0]}`), 404);
    assert.equal(await apiStatus(foreign.accessToken, `/v2.0/vehicles/${mine.vehicleIds[0]}`), 404);
  });

  test('mode isolation: a test-mode token cannot reach a simulated vehicle', async () => {
    const car = await createSimulatedVehicle(tp.platform.services.vehicles, { make: 'TESLA' });
    const query = await connect({ mode: 'simulated' }, { email: car.email, password: car.password });
    const simulated = ok(await exchange(keep(query.get('code')!)));
    const [simVehicle] = await vehiclesOf(simulated.access);
    assert.ok(simVehicle);
    assert.equal(await apiStatus(simulated.access, `/v2.0/vehicles/${simVehicle}`), 200);
    const testMode = await tp.token();
    assert.equal(await apiStatus(testMode.accessToken, `/v2.0/vehicles/${simVehicle}`), 404);
  });

  test('privilege-restricted: a permission not granted is 403', async () => {
    const t = await tp.token({ scope: 'read_vehicle_info' });
    assert.equal(await apiStatus(t.accessToken, `/v2.0/vehicles/${t.vehicleIds[0]}`), 200);
    assert.equal(await apiStatus(t.accessToken, `/v2.0/vehicles/${t.vehicleIds[0]}/odometer`), 403);
  });

  test('only an access token is a bearer credential: refresh token, code, secret and management token are 401', async () => {
    const t = await tp.token();
    const code = await codeFor();
    for (const credential of [t.refreshToken, code, tp.app.clientSecret, tp.app.managementToken]) {
      assert.equal(await apiStatus(credential, '/v2.0/vehicles'), 401);
    }
  });
});

describe('Rule 12: token responses are not cached (RFC 6749 §5.1, §5.2)', () => {
  test('a success has Cache-Control: no-store, Pragma: no-cache and a JSON body', async () => {
    const answer = await exchange(await codeFor());
    ok(answer);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('pragma'), 'no-cache');
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  });

  test('every kind of error is exactly {error, error_description}, not cached', async () => {
    assertOAuthError(await tokenRequest({}), 400, 'invalid_request');
    assertOAuthError(await tokenRequest({ grant_type: 'authorization_code' }), 400, 'invalid_request');
    assertOAuthError(await tokenRequest({ grant_type: 'magic' }), 400, 'unsupported_grant_type');
    assertOAuthError(await exchange('not-a-code'), 400, 'invalid_grant', 'Invalid code: not-a-code.');
    assertOAuthError(await refresh('not-a-token'), 400, 'invalid_grant');
    assertOAuthError(await refresh('x', { kind: 'basic', clientId: tp.app.clientId, secret: 'bad' }), 401, 'invalid_client');
  });
});

describe('Rule 13: CSRF on the Connect pages (RFC 9700 §4.7)', () => {
  test('the interaction cookie is HttpOnly, SameSite=Lax, path-scoped and signed', async () => {
    const session = await openSession();
    const line = session.start.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`))!;
    assert.match(line, /;\s*HttpOnly(;|$)/i);
    assert.match(line, /;\s*SameSite=Lax(;|$)/i);
    assert.match(line, /;\s*Path=\//i);
    const value = decodeURIComponent(session.cookie);
    assert.ok(value.startsWith(`${session.id}.`) && value.length > session.id.length + 20, `signed: ${value}`);
  });

  test('a POST without _csrf, with a wrong one, with another interaction’s, or without the cookie is refused and changes nothing', async () => {
    const session = await openSession();
    const otherSession = await openSession();
    const { html } = await pageOf(session.client, `${session.base}/sign-in`);
    const { html: otherHtml } = await pageOf(otherSession.client, `${otherSession.base}/sign-in`);
    const fields = (csrf: string | null): [string, string][] => [
      ...(csrf === null ? [] : [['_csrf', csrf] as [string, string]]), ['email', 'csrf@example.com'], ['password', 'pw'],
    ];
    const forged = csrfOf(html).replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    for (const csrf of [null, '', 'wrong', forged, csrfOf(otherHtml)]) {
      await assertErrorPage(await session.client.post(`${session.base}/sign-in`, fields(csrf)));
    }
    const cookieless = new Browserless(tp.baseUrl);
    await assertErrorPage(await cookieless.post(`${session.base}/sign-in`, fields(csrfOf(html))));
    // Nothing happened: the owner is still not signed in, and the real form still works.
    await assertErrorPage(await session.client.request(`${session.base}/vehicles`));
    assert.equal((await session.client.post(`${session.base}/sign-in`, fields(csrfOf(html)))).status, 303);
  });

  test('a tampered or unsigned cookie is rejected', async () => {
    const session = await openSession();
    const { html } = await pageOf(session.client, `${session.base}/sign-in`);
    const value = decodeURIComponent(session.cookie);
    const tampered = `${value.slice(0, -3)}${value.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const cookie of [tampered, session.id, `${session.id}.`]) {
      const headers = { cookie: `${COOKIE}=${encodeURIComponent(cookie)}`, 'content-type': 'application/x-www-form-urlencoded' };
      await assertErrorPage(await fetch(`${tp.baseUrl}${session.base}/sign-in`, { headers: { cookie: headers.cookie }, redirect: 'manual' }));
      const body = new URLSearchParams([['_csrf', csrfOf(html)], ['email', 'x@example.com'], ['password', 'pw']]).toString();
      await assertErrorPage(await fetch(`${tp.baseUrl}${session.base}/sign-in`, { method: 'POST', headers, body, redirect: 'manual' }));
    }
  });

  test('a /connect/<id> URL opened with another interaction’s cookie is rejected', async () => {
    const [a, b] = await Promise.all([openSession(), openSession()]);
    await assertErrorPage(await a.client.request(b.base));
    await assertErrorPage(await a.client.request(`${b.base}/sign-in`));
  });
});

/** Walks a whole Connect flow (brand step included) step by step, keeping every answer. */
async function recordedFlow(): Promise<{ pages: Response[]; posts: Response[]; final: Response }> {
  const session = await openSession({ make: undefined });
  const pages: Response[] = [];
  const posts: Response[] = [];
  const get = async (path: string) => {
    const { res, html } = await pageOf(session.client, path);
    pages.push(res);
    return csrfOf(html);
  };
  const post = async (path: string, fields: [string, string][]) => {
    const res = await session.client.post(path, fields);
    posts.push(res);
    return res;
  };
  pages.push((await pageOf(session.client, session.base)).res);
  const brandToken = await get(`${session.base}/brands`);
  await post(`${session.base}/brand`, [['_csrf', brandToken], ['make', 'TESLA']]);
  const signInToken = await get(`${session.base}/sign-in`);
  await post(`${session.base}/sign-in`, [['_csrf', signInToken], ['email', `${randomUUID()}@example.com`], ['password', 'pw']]);
  const vehicles = await pageOf(session.client, `${session.base}/vehicles`);
  pages.push(vehicles.res);
  await post(`${session.base}/vehicles`, [['_csrf', csrfOf(vehicles.html)], ...vehicleFields(vehicles.html)]);
  const grantToken = await get(`${session.base}/grant`);
  const final = await post(`${session.base}/grant`, [['_csrf', grantToken], ['action', 'allow'], ['permission', 'read_odometer'], ['permission', 'read_vehicle_info']]);
  keep(redirectQuery(final).get('code')!);
  return { pages, posts, final };
}

/** The error pages an owner can meet: unknown client, unknown interaction, bad CSRF. */
async function errorPages(): Promise<Response[]> {
  const session = await openSession();
  return Promise.all([
    fetch(authorizeUrl({ client_id: randomUUID() }), { redirect: 'manual' }),
    fetch(authorizeUrl({ redirect_uri: 'https://evil.example.com/' }), { redirect: 'manual' }),
    session.client.request('/connect/not-an-interaction'),
    session.client.post(`${session.base}/sign-in`, [['_csrf', 'wrong']]),
    session.client.request(`${session.base}/grant`),
  ]);
}

describe('Rule 14: clickjacking (RFC 6749 §10.13, RFC 9700 §4.16)', () => {
  const assertFramingDenied = (res: Response) => {
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, res.url);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', res.url);
  };

  test('every Connect page carries frame-ancestors \'none\' and X-Frame-Options: DENY', async () => {
    const { pages, final } = await recordedFlow();
    assert.equal(pages.length, 5);
    for (const res of [...pages, final]) assertFramingDenied(res);
  });

  test('every error page does too', async () => {
    for (const res of await errorPages()) {
      await assertErrorPage(res);
      assertFramingDenied(res);
    }
  });
});

describe('Rule 15: 303 after a POST, no referrer, no caching (RFC 9700 §4.12, §4.2)', () => {
  test('every POST step answers 303, never 302 or 307', async () => {
    const { posts } = await recordedFlow();
    assert.equal(posts.length, 4);
    for (const res of posts) assert.equal(res.status, 303, res.url);
    const denied = await openSession();
    await chooseAllVehicles(denied);
    const { html } = await pageOf(denied.client, `${denied.base}/grant`);
    const res = await denied.client.post(`${denied.base}/grant`, [['_csrf', csrfOf(html)], ['action', 'deny']]);
    assert.equal(redirectQuery(res).get('error'), 'access_denied');
  });

  test('the exit from an error page answers 303 with configuration_error', async () => {
    const session = await openSession();
    const html = await assertErrorPage(await session.client.request(`${session.base}/grant`));
    const res = await session.client.post(`${session.base}/exit`, [['_csrf', csrfOf(html)]]);
    assert.equal(redirectQuery(res).get('error'), 'configuration_error');
  });

  test('Connect pages, error pages and the redirect back carry Referrer-Policy: no-referrer and Cache-Control: no-store', async () => {
    const { pages, final } = await recordedFlow();
    for (const res of [...pages, final, ...(await errorPages())]) {
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', res.url);
      assert.match(res.headers.get('cache-control') ?? '', /no-store/, res.url);
    }
  });
});

describe('Rule 17: no token introspection (RFC 7662 §4)', () => {
  test('there is no introspection endpoint', async () => {
    const t = await tp.token();
    for (const path of ['/oauth/introspect', '/oauth/token/introspect', '/oauth/token/introspection']) {
      const res = await fetch(`${tp.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${tp.app.clientId}:${tp.app.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ token: t.accessToken }).toString(),
      });
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /"active"/);
    }
  });
});

describe('Rule 18: login and consent semantics', () => {
  test('every session signs in afresh: no silent SSO from an earlier one in the same browser', async () => {
    const first = await openSession();
    await signIn(first);
    const again = await first.client.request(authorizeUrl());
    const base = new URL(again.headers.get('location')!, tp.baseUrl).pathname;
    assert.notEqual(base, first.base);
    await assertErrorPage(await first.client.request(`${base}/vehicles`));
  });

  test('one grant per session: replaying the grant POST is refused', async () => {
    const session = await openSession();
    await chooseAllVehicles(session);
    const grant = await pageOf(session.client, `${session.base}/grant`);
    const fields: [string, string][] = [['_csrf', csrfOf(grant.html)], ['action', 'allow'], ['permission', 'read_odometer']];
    keep(redirectQuery(await session.client.post(`${session.base}/grant`, fields)).get('code')!);
    await assertErrorPage(await session.client.post(`${session.base}/grant`, fields));
  });

  test('single_select is enforced server-side', async () => {
    const session = await openSession({ single_select: 'true' });
    const { html } = await signIn(session, `2-vehicles@${randomUUID()}.example.com`);
    const ids = vehicleFields(html);
    assert.equal(ids.length, 2);
    const both = await session.client.post(`${session.base}/vehicles`, [['_csrf', csrfOf(html)], ...ids]);
    assert.equal(both.status, 400);
    assert.match(await both.text(), /Select one vehicle/);
    assert.equal((await session.client.post(`${session.base}/vehicles`, [['_csrf', csrfOf(html)], ids[0]!])).status, 303);
  });

  test('the grant lists what is asked, and the token carries only what the owner left ticked (required ones always)', async () => {
    const session = await openSession({ scope: 'required:read_vehicle_info read_odometer read_vin' });
    const ids = await chooseAllVehicles(session);
    const grant = await pageOf(session.client, `${session.base}/grant`);
    const listed = new Set([...grant.html.matchAll(/name="permission" value="([^"]+)"/g)].map((m) => m[1]));
    assert.deepEqual([...listed].sort(), ['read_odometer', 'read_vehicle_info', 'read_vin']);
    const res = await session.client.post(`${session.base}/grant`, [['_csrf', csrfOf(grant.html)], ['action', 'allow'], ['permission', 'read_vin']]);
    const tokens = ok(await exchange(keep(redirectQuery(res).get('code')!)));
    const vehicle = `/v2.0/vehicles/${ids[0]}`;
    assert.equal(await apiStatus(tokens.access, vehicle), 200);
    assert.equal(await apiStatus(tokens.access, `${vehicle}/vin`), 200);
    assert.equal(await apiStatus(tokens.access, `${vehicle}/odometer`), 403);
  });
});

// Last, so that it searches what every test above produced.
describe('Rule 9: credentials at rest and in logs (RFC 6819 §5.1.4)', () => {
  const tables = [
    'apps', 'accounts', 'vehicles', 'grants', 'authorizations', 'tokens', 'interactions', 'authorization_codes', 'server_keys',
    'developer_users', 'console_sessions',
  ] as const;

  test('no table holds a client secret, management token, access token, refresh token or code in clear', async () => {
    assert.ok(credentials.size > 50, `credentials seen: ${credentials.size}`);
    const dumps = await Promise.all(tables.map(async (table) => {
      const rows = await tp.platform.db.selectFrom(table as 'apps').selectAll().execute();
      return { table, rows: rows.length, text: JSON.stringify(rows) };
    }));
    for (const table of ['apps', 'tokens', 'authorization_codes']) {
      assert.ok(dumps.find((d) => d.table === table)!.rows > 3, `${table} has rows to search`);
    }
    for (const { table, text } of dumps) {
      for (const secret of credentials) assert.ok(!text.includes(secret), `${table} holds a credential in clear`);
    }
  });

  test('the logs hold none of them, and no query string', async () => {
    await delay(100);
    assert.ok(tp.logs.length > 100, `log lines: ${tp.logs.length}`);
    assert.ok(tp.logs.some((line) => line.includes('/oauth/authorize')), 'authorize requests are logged');
    for (const line of tp.logs) {
      for (const secret of credentials) assert.ok(!line.includes(secret), `a credential in ${line}`);
      assert.ok(!line.includes(QUERY_MARKER), `a query string in ${line}`);
      assert.doesNotMatch(line, /\/(oauth|connect|v2\.0)\/[^"\s]*\?/, line);
    }
  });
});
