/**
 * The console's Logs, Usage and Connect funnel: real Vehicle API and token-endpoint requests are
 * recorded off the request path and found through the console API with each filter and by
 * pages; another developer sees none of them; the purge drops rows older than REQUEST_LOG_DAYS;
 * REQUEST_LOG_DAYS=0 records nothing; no token, code or secret is ever part of a row.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestToken } from '../src/cli/tokens.js';
import { purgeOnce } from '../src/maintenance/index.js';
import type { CreatedApp } from '../src/oauth/index.js';
import type { ConfigInput } from '../src/config.js';
import { databaseKind, openDatabase } from '../src/store/index.js';
import { connectOverHttp } from './support/connect-http.js';
import { ALL_SCOPES, MovableClock, startPlatform, type TestPlatform } from './support/platform.js';
import { testDatabase } from './support/database.js';
import type { LoggedRequest as LogRow } from '../src/request-log/log-queries.js';
import { until } from './support/until.js';

type Json = Record<string, unknown>;

const REDIRECT = 'https://app.example.com/callback';
const DAY_MS = 86_400_000;

async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/console/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function consoleGet(base: string, cookie: string, path: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  return { status: res.status, body: await res.json() as Json };
}

async function api(base: string, token: string, path: string): Promise<Response> {
  return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

/** A developer with an app of their own, signed in. */
async function developerWithApp(tp: TestPlatform, email: string): Promise<{ cookie: string; app: CreatedApp }> {
  const { userId } = await tp.platform.services.developers.create({ email, password: 'correct horse battery' });
  const app = await tp.platform.services.apps.create({ name: `${email}'s app`, redirectUris: [REDIRECT], ownerUserId: userId });
  return { cookie: await signIn(tp.baseUrl, email, 'correct horse battery'), app };
}

describe('GET /console/api/apps/:clientId/logs', () => {
  let tp: TestPlatform;
  let cookie: string;
  let app: CreatedApp;
  let token: { accessToken: string; refreshToken: string; vehicleIds: string[] };
  let applicationToken: string;
  const clock = new MovableClock();
  const logsOf = (query = '') => consoleGet(tp.baseUrl, cookie, `/console/api/apps/${app.clientId}/logs${query}`);

  before(async () => {
    tp = await startPlatform({}, { clock });
    ({ cookie, app } = await developerWithApp(tp, 'ada@example.com'));
    token = await createTestToken(tp.platform.services, { clientId: app.clientId, scope: ALL_SCOPES, make: 'TESLA', vehicles: 1 });
    const vehicleId = token.vehicleIds[0]!;
    assert.equal((await api(tp.baseUrl, token.accessToken, `/v2.0/vehicles/${vehicleId}/odometer?units=secret`)).status, 200);
    assert.equal((await api(tp.baseUrl, token.accessToken, '/v2.0/vehicles')).status, 200);
    assert.equal((await api(tp.baseUrl, token.accessToken, `/v3/vehicles/${vehicleId}/signals`)).status, 200);
    // A vehicle this token does not cover: the failing request.
    assert.equal((await api(tp.baseUrl, token.accessToken, '/v2.0/vehicles/6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f/odometer')).status, 404);
    // A token request with a wrong refresh token: OAuth's invalid_grant, under the authenticated client.
    const refused = await fetch(`${tp.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' }),
    });
    assert.equal(refused.status, 400);
    // v3's application token (client credentials).
    const issued = await fetch(`${tp.baseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret }),
    });
    assert.equal(issued.status, 200);
    applicationToken = ((await issued.json()) as { access_token: string }).access_token;
    // Requests with no token are no app's: nothing to record.
    assert.equal((await fetch(`${tp.baseUrl}/v2.0/vehicles`)).status, 401);
    await until('the six requests recorded', async () => ((await logsOf()).body.logs as LogRow[]).length >= 6 || undefined, 15_000, 100);
  });
  after(() => tp.close());

  test('lists the app\'s requests newest first with their status, error, vehicle, latency and request id', async () => {
    const { status, body } = await logsOf();
    assert.equal(status, 200);
    const logs = body.logs as LogRow[];
    assert.deepEqual(logs.map((l) => `${l.method} ${l.path} ${l.status}`), [
      'POST /oauth2/token 200',
      'POST /oauth/token 400',
      'GET /v2.0/vehicles/6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f/odometer 404',
      `GET /v3/vehicles/${token.vehicleIds[0]}/signals 200`,
      'GET /v2.0/vehicles 200',
      `GET /v2.0/vehicles/${token.vehicleIds[0]}/odometer 200`,
    ]);
    const [, oauth, missing, v3, list, odometer] = logs;
    assert.deepEqual([oauth!.errorType, oauth!.errorCode, oauth!.vehicleId], ['invalid_grant', null, null]);
    assert.deepEqual([missing!.errorType, missing!.errorCode], ['RESOURCE_NOT_FOUND', 'PATH']);
    assert.equal(missing!.vehicleId, '6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f');
    assert.equal(v3!.vehicleId, token.vehicleIds[0]);
    assert.equal(list!.vehicleId, null);
    assert.deepEqual([odometer!.errorType, odometer!.errorCode, odometer!.vehicleId], [null, null, token.vehicleIds[0]]);
    for (const row of logs) {
      assert.match(row.requestId, /^[0-9a-f-]{36}$/);
      assert.ok(Number.isInteger(row.latencyMs) && row.latencyMs >= 0);
      assert.ok(!Number.isNaN(Date.parse(row.time)));
    }
    assert.equal(body.next, null);
  });

  test('the failing request carries the sc-request-id its answer had', async () => {
    const res = await api(tp.baseUrl, token.accessToken, '/v2.0/vehicles/not-a-vehicle/odometer');
    assert.equal(res.status, 400);
    const requestId = res.headers.get('sc-request-id');
    const found = await until('the refused request', async () => ((await logsOf('?status=400')).body.logs as LogRow[]).find((l) => l.requestId === requestId), 15_000, 100);
    assert.deepEqual([found.errorType, found.path, found.vehicleId], ['VALIDATION', '/v2.0/vehicles/not-a-vehicle/odometer', null]);
  });

  test('filters by status class, exact status, vehicle and path prefix', async () => {
    const paths = async (query: string) => ((await logsOf(query)).body.logs as LogRow[]).map((l) => `${l.status} ${l.path}`);
    assert.deepEqual(await paths('?status=2xx&path=/v2.0/vehicles/'), [`200 /v2.0/vehicles/${token.vehicleIds[0]}/odometer`]);
    assert.deepEqual(await paths('?status=404'), ['404 /v2.0/vehicles/6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f/odometer']);
    assert.ok((await paths('?status=4xx')).every((p) => p.startsWith('4')));
    assert.equal((await paths('?status=5xx')).length, 0);
    assert.deepEqual(await paths(`?vehicleId=${token.vehicleIds[0]!.toUpperCase()}`), [
      `200 /v3/vehicles/${token.vehicleIds[0]}/signals`, `200 /v2.0/vehicles/${token.vehicleIds[0]}/odometer`,
    ]);
    assert.deepEqual(await paths('?path=/oauth'), ['200 /oauth2/token', '400 /oauth/token']);
    assert.deepEqual(await paths('?path=/oauth/'), ['400 /oauth/token']);
    assert.deepEqual(await paths('?status=&vehicleId=&path=/v3'), [`200 /v3/vehicles/${token.vehicleIds[0]}/signals`]);
  });

  test('pages with the next cursor until the oldest row', async () => {
    const seen: string[] = [];
    let query = '?limit=2';
    for (let pages = 0; pages < 10; pages++) {
      const { body } = await logsOf(query);
      seen.push(...(body.logs as LogRow[]).map((l) => l.requestId));
      if (body.next === null) break;
      assert.equal((body.logs as LogRow[]).length, 2);
      query = `?limit=2&before=${encodeURIComponent(String(body.next))}`;
    }
    const all = ((await logsOf('?limit=200')).body.logs as LogRow[]).map((l) => l.requestId);
    assert.deepEqual(seen, all);
    assert.equal(new Set(seen).size, seen.length);
  });

  test('bad filters are refused with a 400 naming the field', async () => {
    for (const query of ['?status=6xx', '?status=40', `?status=${'4'.repeat(5000)}`, '?vehicleId=abc', `?path=/${'a'.repeat(300)}`, '?limit=0', '?before=yesterday']) {
      const { status, body } = await logsOf(query);
      assert.equal(status, 400, query.slice(0, 40));
      assert.equal(body.error, 'invalid_request');
    }
  });

  test('another developer, and no session, get nothing', async () => {
    const other = await developerWithApp(tp, 'grace@example.com');
    const theirs = await consoleGet(tp.baseUrl, other.cookie, `/console/api/apps/${app.clientId}/logs`);
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.error, 'not_found');
    assert.equal((await consoleGet(tp.baseUrl, '', `/console/api/apps/${app.clientId}/logs`)).status, 401);
    const own = await consoleGet(tp.baseUrl, other.cookie, `/console/api/apps/${other.app.clientId}/logs`);
    assert.deepEqual(own.body, { logs: [], next: null });
  });

  test('no token, refresh token, client secret or query string is stored', async () => {
    const rows = await tp.platform.db.selectFrom('request_log').selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const secret of [token.accessToken, token.refreshToken, applicationToken, app.clientSecret, 'not-a-refresh-token', 'units=secret', 'Bearer']) {
      assert.ok(!stored.includes(secret), 'a secret in the rows');
    }
  });

  test('usage counts the requests and errors per UTC day; the budget is shown', async () => {
    const { status, body } = await consoleGet(tp.baseUrl, cookie, `/console/api/apps/${app.clientId}/usage?days=7`);
    assert.equal(status, 200);
    const days = body.days as { day: string; requests: number; errors: number; errorRate: number }[];
    assert.equal(days.length, 7);
    const today = days.at(-1)!;
    assert.equal(today.day, clock.now().toISOString().slice(0, 10));
    const logged = (await logsOf('?limit=200')).body.logs as LogRow[];
    assert.equal(today.requests, logged.length);
    assert.equal(today.errors, logged.filter((l) => l.status >= 400).length);
    assert.equal(today.errorRate, today.errors / today.requests);
    assert.ok(days.slice(0, -1).every((d) => d.requests === 0 && d.errorRate === 0));
    // RATE_LIMITS=off in tests: nothing is limited.
    assert.deepEqual(body.budget, { limited: false, perMinute: null, left: null });
    assert.equal((await consoleGet(tp.baseUrl, cookie, `/console/api/apps/${app.clientId}/usage?days=1000`)).status, 400);
  });

  test('the purge removes rows older than REQUEST_LOG_DAYS and keeps the daily counts', async () => {
    const deps = { db: tp.platform.db, kind: databaseKind(tp.databaseUrl), clock, retentionDays: 30, requestLogDays: 7 };
    const recorded = ((await logsOf('?limit=200')).body.logs as LogRow[]).length;
    assert.equal((await purgeOnce(deps)).deleted.requestLog, 0);
    clock.advance(6 * DAY_MS);
    assert.equal((await purgeOnce(deps)).deleted.requestLog, 0);
    clock.advance(DAY_MS + 60_000);
    assert.equal((await purgeOnce(deps)).deleted.requestLog, recorded);
    // The console session ended meanwhile (12 hours).
    cookie = await signIn(tp.baseUrl, 'ada@example.com', 'correct horse battery');
    assert.deepEqual((await logsOf()).body, { logs: [], next: null });
    const usage = (await consoleGet(tp.baseUrl, cookie, `/console/api/apps/${app.clientId}/usage?days=30`)).body.days as { requests: number }[];
    assert.equal(usage.reduce((n, d) => n + d.requests, 0), recorded);
  });
});

describe('Rate-limit budget and the Connect funnel', () => {
  let tp: TestPlatform;
  let cookie: string;
  let app: CreatedApp;

  before(async () => {
    tp = await startPlatform({ rateLimits: 'on', appRequestsPerMinute: 50 });
    ({ cookie, app } = await developerWithApp(tp, 'ada@example.com'));
  });
  after(() => tp.close());

  test('the budget left falls with each Vehicle API request, and peeking takes nothing', async () => {
    const budget = async () => (await consoleGet(tp.baseUrl, cookie, `/console/api/apps/${app.clientId}/usage`)).body.budget as Json;
    assert.deepEqual(await budget(), { limited: true, perMinute: 50, left: 50 });
    assert.deepEqual(await budget(), { limited: true, perMinute: 50, left: 50 });
    const token = await createTestToken(tp.platform.services, { clientId: app.clientId, scope: ALL_SCOPES, make: 'TESLA', vehicles: 1 });
    for (let i = 0; i < 3; i++) assert.equal((await api(tp.baseUrl, token.accessToken, '/v2.0/vehicles')).status, 200);
    const left = Number((await budget()).left);
    // The bucket refills continuously (50 a minute), so a slow machine may have earned one back.
    assert.ok(left >= 47 && left <= 48, String(left));
  });

  test('counts sessions started, finished, denied and where owners gave up, per day', async () => {
    const authorize = (extra: Record<string, string> = {}) => `${tp.baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: 'code', client_id: app.clientId, mode: 'test', scope: 'read_odometer', redirect_uri: REDIRECT, ...extra,
    })}`;
    const finished = await connectOverHttp(authorize());
    assert.ok(finished.searchParams.get('code'));
    const denied = await connectOverHttp(authorize(), { decision: 'deny' });
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    // Two owners open Connect and leave: one at the brand list, one at the sign-in (brand preset by make).
    assert.equal((await fetch(authorize(), { redirect: 'manual' })).status, 303);
    assert.equal((await fetch(authorize({ make: 'TESLA' }), { redirect: 'manual' })).status, 303);

    const { status, body } = await consoleGet(tp.baseUrl, cookie, `/console/api/apps/${app.clientId}/funnel?days=3`);
    assert.equal(status, 200);
    const days = body.days as Json[];
    assert.equal(days.length, 3);
    assert.deepEqual(days.at(-1), {
      day: new Date().toISOString().slice(0, 10),
      started: 4,
      finished: 1,
      denied: 1,
      gaveUp: { brand: 1, signIn: 1, vehicles: 0, permissions: 0 },
    });
    assert.deepEqual(days[0], { day: days[0]!.day, started: 0, finished: 0, denied: 0, gaveUp: { brand: 0, signIn: 0, vehicles: 0, permissions: 0 } });
  });
});

/** Starts a platform on a database that outlives it, runs `use`, closes it (which flushes), and reads the rows left. */
async function rowsAfterClose(overrides: ConfigInput, use: (tp: TestPlatform) => Promise<void>): Promise<{ log: string[]; usage: number }> {
  const database = await testDatabase({ shareable: true });
  try {
    const tp = await startPlatform({ databaseUrl: database.url, ...overrides });
    try {
      await use(tp);
    } finally {
      await tp.close();
    }
    const reopened = openDatabase(database.url);
    try {
      const log = await reopened.selectFrom('request_log').select('request_id').execute();
      const usage = await reopened.selectFrom('usage_days').select('requests').execute();
      return { log: log.map((r) => r.request_id), usage: usage.reduce((n, r) => n + Number(r.requests), 0) };
    } finally {
      await reopened.destroy();
    }
  } finally {
    await database.drop();
  }
}

describe('Recording and shutdown', () => {
  test('requests answered just before closing are written by the close', async () => {
    let requestId: string | null = null;
    const rows = await rowsAfterClose({}, async (tp) => {
      const token = await tp.token();
      const res = await api(tp.baseUrl, token.accessToken, '/v2.0/vehicles');
      assert.equal(res.status, 200);
      requestId = res.headers.get('sc-request-id');
    });
    assert.deepEqual(rows, { log: [requestId], usage: 1 });
  });

  test('REQUEST_LOG_DAYS=0 records nothing', async () => {
    const rows = await rowsAfterClose({ requestLogDays: 0 }, async (tp) => {
      const token = await tp.token();
      assert.equal((await api(tp.baseUrl, token.accessToken, '/v2.0/vehicles')).status, 200);
      assert.equal((await api(tp.baseUrl, token.accessToken, '/v2.0/vehicles/6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f/odometer')).status, 404);
    });
    assert.deepEqual(rows, { log: [], usage: 0 });
  });
});
