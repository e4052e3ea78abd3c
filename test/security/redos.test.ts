/**
 * No request holds the event loop: the inputs that once made a regex backtrack for seconds to
 * minutes (the Connect sign-in email, the charge limit, a webhook data path) are refused with a
 * 4xx, and `/healthz` keeps answering while each is in flight. Every string field has a length cap.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { Browserless, csrfOf } from '../support/connect-http.js';

/**
 * Far longer than a loaded machine needs to answer `/healthz`, and far shorter than the minutes a
 * super-linear regex spends on these megabyte inputs.
 */
const HEALTH_BOUND_MS = 20_000;
/** Under the 1 MB body limit of the API faces, so the body reaches the handler. */
const NEAR_MEGABYTE = 1_000_000;

const ENVELOPE_KEYS = ['type', 'code', 'description', 'docURL', 'statusCode', 'requestId', 'resolution'];

/** What the platform process tells this one. */
interface Served {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  managementToken: string;
  accessToken: string;
  vehicleId: string;
}

/**
 * The platform runs in a process of its own: a handler that held its event loop would hold this
 * process's timers too if they shared one, and the health checks could not time out.
 */
const PLATFORM_PROCESS = `
const { startPlatform } = await import(${JSON.stringify(new URL('../support/platform.ts', import.meta.url).href)});
const tp = await startPlatform();
const token = await tp.token({ make: 'TESLA', vehicles: 1 });
process.stdout.write(JSON.stringify({
  baseUrl: tp.baseUrl, clientId: tp.app.clientId, redirectUri: tp.app.redirectUris[0], managementToken: tp.app.managementToken,
  accessToken: token.accessToken, vehicleId: token.vehicleIds[0],
}) + '\\n');
process.stdin.resume();
process.stdin.on('end', async () => { await tp.close(); process.exit(0); });
`;

let child: ChildProcess;
let tp: Served;

before(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PLATFORM_PROCESS], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  tp = JSON.parse(line) as Served;
});
after(async () => {
  const exited = once(child, 'exit');
  child.stdin!.end();
  // A platform still stuck in a handler cannot close; it is ended instead.
  const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(stuck);
});

/**
 * Sends a hostile request and, until it has its answer, asks `/healthz` again and again: every
 * health check must answer within the bound. A handler that holds the event loop stalls the
 * health check that overlaps it.
 */
async function answeredWhileHealthy(send: () => Promise<Response>): Promise<Response> {
  let settled = false;
  const hostile = send().finally(() => {
    settled = true;
  });
  hostile.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  let checks = 0;
  do {
    let health: Response;
    try {
      health = await fetch(`${tp.baseUrl}/healthz`, { signal: AbortSignal.timeout(HEALTH_BOUND_MS) });
    } catch (error) {
      assert.fail(`GET /healthz got no answer within ${HEALTH_BOUND_MS} ms while the hostile request was in flight (${String(error)})`);
    }
    assert.equal(health.status, 200);
    await health.arrayBuffer();
    checks += 1;
  } while (!settled);
  assert.ok(checks >= 1);
  return hostile;
}

async function assertEnvelope(res: Response, status: number): Promise<Record<string, unknown>> {
  const text = await res.text();
  assert.equal(res.status, status, text.slice(0, 300));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  for (const key of ENVELOPE_KEYS) assert.ok(key in body, `envelope has ${key}: ${text.slice(0, 300)}`);
  assert.equal(body.type, 'VALIDATION');
  assert.equal(body.statusCode, status);
  return body;
}

async function assertConnectPage(res: Response, status: number): Promise<string> {
  const text = await res.text();
  assert.equal(res.status, status, text.slice(0, 300));
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(text, /carport Connect<\/title>/);
  assert.match(text, /role="alert"/);
  return text;
}

const management = () => `Basic ${Buffer.from(`default:${tp.managementToken}`).toString('base64')}`;

function postJson(path: string, authorization: string, body: unknown): Promise<Response> {
  return fetch(`${tp.baseUrl}${path}`, {
    method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
}

/** A test-mode Connect interaction at its sign-in page: the browser that holds it and the form's CSRF token. */
async function atSignIn(): Promise<{ browser: Browserless; action: string; csrf: string }> {
  const browser = new Browserless(tp.baseUrl);
  const query = new URLSearchParams({
    client_id: tp.clientId, redirect_uri: tp.redirectUri, response_type: 'code', scope: 'read_odometer', mode: 'test', make: 'TESLA',
  });
  const start = await browser.request(`/oauth/authorize?${query}`);
  assert.equal(start.status, 303);
  const base = start.headers.get('location')!;
  const page = await browser.request(`${base}/sign-in`);
  assert.equal(page.status, 200);
  return { browser, action: `${base}/sign-in`, csrf: csrfOf(await page.text()) };
}

describe('Inputs that once held the event loop', () => {
  test('a 1 MB sign-in email sent as JSON is refused with 415 on the Connect error page, /healthz answering meanwhile', async () => {
    const { browser, action, csrf } = await atSignIn();
    const email = `a@${'.'.repeat(NEAR_MEGABYTE)}@`;
    const res = await answeredWhileHealthy(() => browser.request(action, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _csrf: csrf, email, password: 'x' }),
    }));
    await assertConnectPage(res, 415);
  });

  test('a 1 MB sign-in email as a form is refused with 413 (Connect reads at most 64 KB)', async () => {
    const { browser, action, csrf } = await atSignIn();
    const res = await answeredWhileHealthy(() => browser.post(action, [['_csrf', csrf], ['email', `a@${'.'.repeat(NEAR_MEGABYTE)}@`], ['password', 'x']]));
    await assertConnectPage(res, 413);
  });

  test('the longest email a form can carry is refused as a sign-in error, /healthz answering meanwhile', async () => {
    const { browser, action, csrf } = await atSignIn();
    const res = await answeredWhileHealthy(() => browser.post(action, [['_csrf', csrf], ['email', `a@${'.'.repeat(60_000)}@`], ['password', 'x']]));
    const page = await assertConnectPage(res, 400);
    assert.match(page, /Enter the email and password of your car account/);
  });

  test('a charge limit of "1"×1,000,000 + "a" is 400 VALIDATION, /healthz answering meanwhile', async () => {
    const res = await answeredWhileHealthy(() => postJson(
      `/v2.0/vehicles/${tp.vehicleId}/charge/limit`, `Bearer ${tp.accessToken}`, { limit: `${'1'.repeat(NEAR_MEGABYTE)}a` },
    ));
    await assertEnvelope(res, 400);
  });

  test('a webhook data path of "a" + "/"×1,000,000 + "b" is 400 VALIDATION, /healthz answering meanwhile', async () => {
    const res = await answeredWhileHealthy(() => postJson('/v2.0/management/webhooks', management(), {
      name: 'hostile', url: 'http://127.0.0.1:9/hook', type: 'scheduled', intervalSeconds: 3600, data: [`a${'/'.repeat(NEAR_MEGABYTE)}b`],
    }));
    await assertEnvelope(res, 400);
  });

  test('a charge limit in each of its string forms still works; a malformed one is 400 VALIDATION', async () => {
    const limit = await postJson(`/v2.0/vehicles/${tp.vehicleId}/charge/limit`, `Bearer ${tp.accessToken}`, { limit: '0.8' });
    assert.equal(limit.status, 200, await limit.text());
    for (const value of ['.75', '1', '0.5']) {
      const res = await postJson(`/v2.0/vehicles/${tp.vehicleId}/charge/limit`, `Bearer ${tp.accessToken}`, { limit: value });
      assert.equal(res.status, 200, `${value}: ${await res.text()}`);
    }
    for (const value of ['', '.', '1.', '0..5', ' ', '0.5a']) {
      await assertEnvelope(await postJson(`/v2.0/vehicles/${tp.vehicleId}/charge/limit`, `Bearer ${tp.accessToken}`, { limit: value }), 400);
    }
  });

  test('data paths in the forms SDKs send still work', async () => {
    const res = await postJson('/v2.0/management/webhooks', management(), {
      name: 'paths', url: 'http://127.0.0.1:9/hook', type: 'scheduled', intervalSeconds: 3600, data: ['/odometer/', 'tires/pressure', '//battery'],
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.deepEqual((JSON.parse(text) as { data: string[] }).data, ['/odometer', '/tires/pressure', '/battery']);
  });
});

describe('Connect reads forms only', () => {
  test('a Connect POST with a JSON body is 415 on the Connect error page', async () => {
    const { browser, action, csrf } = await atSignIn();
    const res = await browser.request(action, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _csrf: csrf, email: 'owner@example.com', password: 'x' }),
    });
    const page = await assertConnectPage(res, 415);
    assert.match(page, /application\/x-www-form-urlencoded/);
  });

  test('text, multipart and XML bodies are 415 on the Connect error page too', async () => {
    const { browser, action } = await atSignIn();
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml']) {
      const res = await browser.request(action, { method: 'POST', headers: { 'content-type': type }, body: 'email=a' });
      await assertConnectPage(res, 415);
    }
  });

  test('the same form as application/x-www-form-urlencoded signs in', async () => {
    const { browser, action, csrf } = await atSignIn();
    const res = await browser.post(action, [['_csrf', csrf], ['email', 'owner@example.com'], ['password', 'x']]);
    assert.equal(res.status, 303, await res.text());
    assert.match(res.headers.get('location') ?? '', /\/vehicles$/);
  });
});

describe('Length caps', () => {
  const webhook = (overrides: Record<string, unknown>) => postJson('/v2.0/management/webhooks', management(), {
    name: 'capped', url: 'http://127.0.0.1:9/hook', type: 'event', triggers: ['lock_state_changed'], ...overrides,
  });

  test('a webhook URL over 2,048 characters is 400 VALIDATION', async () => {
    const body = await assertEnvelope(await webhook({ url: `http://127.0.0.1:9/${'a'.repeat(2048)}` }), 400);
    assert.match(JSON.stringify(body.detail), /url/);
  });

  test('a webhook name over 200 characters is 400 VALIDATION', async () => {
    await assertEnvelope(await webhook({ name: 'n'.repeat(201) }), 400);
  });

  test('over 50 triggers, over 20 data points, or a data point over 200 characters is 400 VALIDATION', async () => {
    await assertEnvelope(await webhook({ triggers: Array.from({ length: 51 }, () => 'lock_state_changed') }), 400);
    await assertEnvelope(await webhook({ data: Array.from({ length: 21 }, () => 'odometer') }), 400);
    await assertEnvelope(await webhook({ data: [`odometer${' '.repeat(200)}`] }), 400);
  });

  test('a simulator make over 64 characters is 400 VALIDATION', async () => {
    await assertEnvelope(await postJson('/v2.0/management/simulator/vehicles', management(), { make: 'T'.repeat(65) }), 400);
  });

  test('an API query value over 2,048 characters is 400 VALIDATION', async () => {
    const res = await fetch(`${tp.baseUrl}/v2.0/vehicles?limit=${'1'.repeat(2049)}`, { headers: { authorization: `Bearer ${tp.accessToken}` } });
    await assertEnvelope(res, 400);
  });

  test('a Connect link parameter over 2,048 characters is a 400 Connect error page', async () => {
    const query = new URLSearchParams({
      client_id: tp.clientId, redirect_uri: tp.redirectUri, response_type: 'code', scope: 'read_odometer', state: 's'.repeat(2049),
    });
    const page = await assertConnectPage(await fetch(`${tp.baseUrl}/oauth/authorize?${query}`, { redirect: 'manual' }), 400);
    assert.match(page, /too long/);
  });
});
