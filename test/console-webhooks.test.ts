/**
 * The console's Webhooks API, over HTTP with the session cookie: create and verify against a real
 * local receiver, a vehicle subscribed as an app subscribes it, deliveries listed with every attempt,
 * Redeliver of a dead-lettered delivery with its event id, a failing webhook paused with the reason
 * and resumed, and refusals (another developer's app, bad definitions). The clock is moved, not
 * waited for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestToken } from '../src/cli/tokens.js';
import { ALL_SCOPES, MovableClock, startPlatform, type TestPlatform } from './support/platform.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { until } from './support/until.js';

/** Bound on waiting for what the worker does on its own: generous, for a loaded machine. */
const WAIT_MS = 30_000;
/** Scheduled webhooks here deliver once a day: the clock's small steps produce no second event. */
const DAILY = 86_400;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface Session {
  cookie: string;
  csrf: string;
}

interface Attempt {
  startedAt: string;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  response: string | null;
}

interface Delivery {
  deliveryId: string;
  eventId: string;
  vehicleId: string;
  status: string;
  attempts: Attempt[];
}

const clock = new MovableClock();
let tp: TestPlatform;
let ada: Session;
let bob: Session;
let app: { clientId: string; managementToken: string };
const receivers: Receiver[] = [];

async function call(path: string, session: Session | null, init: { method?: string; json?: unknown; csrf?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (session) headers.cookie = session.cookie;
  if (session && init.method && init.method !== 'GET' && init.csrf !== false) headers['x-csrf-token'] = session.csrf;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${tp.baseUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
}

async function signIn(email: string, password: string): Promise<Session> {
  const res = await fetch(`${tp.baseUrl}/console/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: body.csrfToken };
}

async function receiver(): Promise<Receiver> {
  const started = await startReceiver(() => app.managementToken);
  receivers.push(started);
  return started;
}

const webhooksOf = (clientId: string) => `/console/api/apps/${clientId}/webhooks`;

/** A daily scheduled webhook of the odometer to `url`, created through the console and active. */
async function activeWebhook(url: string): Promise<string> {
  const created = await call(webhooksOf(app.clientId), ada, {
    method: 'POST', json: { name: 'Odometer', url, type: 'scheduled', intervalSeconds: DAILY, data: ['/odometer'] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.status, 'active', JSON.stringify(created.body));
  return created.body.webhookId as string;
}

/** Connects `count` test vehicles to the app and subscribes each as an app does: the Vehicle API with the owner's access token. */
async function subscribed(webhookId: string, count = 1): Promise<string[]> {
  const { accessToken, vehicleIds } = await createTestToken(tp.platform.services, {
    clientId: app.clientId, scope: ALL_SCOPES, make: 'TESLA', vehicles: count,
  });
  for (const vehicleId of vehicleIds) {
    const res = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleId}/webhooks/${webhookId}`, {
      method: 'POST', headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(res.status, 200, await res.text());
  }
  return vehicleIds;
}

async function deliveries(webhookId: string): Promise<Delivery[]> {
  const answer = await call(`${webhooksOf(app.clientId)}/${webhookId}/deliveries`, ada);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.deliveries as Delivery[];
}

/** Waits until every delivery of the webhook is `status` (and there are `count`), moving the clock on so retries come due at once. */
function settled(webhookId: string, status: string, count = 1): Promise<Delivery[]> {
  return until(`${count} ${status} deliveries`, async () => {
    clock.advance(2000);
    const all = await deliveries(webhookId);
    return all.length === count && all.every((d) => d.status === status) && all;
  }, WAIT_MS, 50);
}

before(async () => {
  // Retries a second apart and dead-lettered after five: the clock's steps take a delivery there in a few passes.
  tp = await startPlatform({
    webhookPollMs: 20, webhookEventPollMs: 50, webhookRetryBaseMs: 1000, webhookRetryHorizonMs: 5000, webhookLeaseMs: 3_600_000,
    webhookPauseAfter: 2,
  }, { clock });
  await tp.platform.services.developers.create({ email: 'ada@example.com', password: 'analytical engine' });
  await tp.platform.services.developers.create({ email: 'bob@example.com', password: 'difference engine' });
  ada = await signIn('ada@example.com', 'analytical engine');
  bob = await signIn('bob@example.com', 'difference engine');
  const created = await call('/console/api/apps', ada, { method: 'POST', json: { name: 'Fleet', redirectUris: ['https://fleet.example.com/cb'] } });
  app = created.body as typeof app;
});
after(async () => {
  await tp.close();
  for (const r of receivers) await r.close();
});

describe('Console webhooks: create, verify, subscribed vehicles and deliveries', () => {
  test('a webhook the receiver does not verify is pending with the reason; Verify activates it; the list shows it', async () => {
    const hooks = await receiver();
    hooks.verifyMode = 'wrong';
    const created = await call(webhooksOf(app.clientId), ada, {
      method: 'POST', json: { name: 'Locks', url: hooks.url, type: 'event', triggers: ['lock_state_changed'], data: ['/security'], version: '2.0' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'pending');
    assert.equal(created.body.verification, 'the receiver answered a wrong challenge hash');
    const webhookId = created.body.webhookId as string;
    hooks.verifyMode = 'right';
    const verified = await call(`${webhooksOf(app.clientId)}/${webhookId}/verify`, ada, { method: 'POST' });
    assert.deepEqual(verified, { status: 200, body: { status: 'active' } });
    const listed = await call(webhooksOf(app.clientId), ada);
    const shown = (listed.body.webhooks as Record<string, unknown>[]).find((w) => w.webhookId === webhookId);
    assert.deepEqual(shown && [shown.name, shown.type, shown.triggers, shown.data, shown.version, shown.status, shown.paused],
      ['Locks', 'event', ['lock_state_changed'], ['/security'], '2.0', 'active', null]);
  });

  test('a subscribed vehicle is listed, and its delivery appears with its attempt (time, status, latency)', async () => {
    const hooks = await receiver();
    const webhookId = await activeWebhook(hooks.url);
    const [vehicleId] = await subscribed(webhookId);
    const vehicles = await call(`${webhooksOf(app.clientId)}/${webhookId}/vehicles`, ada);
    assert.equal(vehicles.status, 200);
    const [listed] = vehicles.body.vehicles as { vehicleId: string; make: string; since: string }[];
    assert.deepEqual([listed?.vehicleId, listed?.make, vehicles.body.next], [vehicleId, 'TESLA', null]);

    const [delivery] = await settled(webhookId, 'delivered');
    assert.equal(delivery!.vehicleId, vehicleId);
    assert.equal(delivery!.attempts.length, 1);
    const [attempt] = delivery!.attempts;
    assert.equal(attempt!.statusCode, 200);
    assert.equal(typeof attempt!.latencyMs, 'number');
    assert.ok(!Number.isNaN(Date.parse(attempt!.startedAt)));
    const received = hooks.deliveries.find((d) => d.body.eventName === 'scheduled');
    assert.equal(received?.body.eventId, delivery!.eventId, 'the receiver got the listed event');
  });

  test('a failing receiver dead-letters the delivery; Redeliver sends that delivery again with the same event id', async () => {
    const hooks = await receiver();
    const webhookId = await activeWebhook(hooks.url);
    hooks.deliveryStatus = 503;
    await subscribed(webhookId);
    const [dead] = await settled(webhookId, 'dead');
    assert.ok(dead!.attempts.length >= 1);
    assert.ok(dead!.attempts.every((a) => a.statusCode === 503), JSON.stringify(dead!.attempts));

    hooks.deliveryStatus = 200;
    const path = `${webhooksOf(app.clientId)}/${webhookId}/deliveries/${dead!.deliveryId}/redeliver`;
    assert.deepEqual(await call(path, ada, { method: 'POST' }), { status: 200, body: { status: 'queued' } });
    const [delivered] = await settled(webhookId, 'delivered');
    assert.deepEqual([delivered!.deliveryId, delivered!.eventId], [dead!.deliveryId, dead!.eventId]);
    assert.equal(delivered!.attempts.at(-1)!.statusCode, 200);
    assert.equal(delivered!.attempts.length, dead!.attempts.length + 1, 'every attempt is listed');
    const sent = hooks.deliveries.filter((d) => d.body.eventName === 'scheduled').map((d) => d.body.eventId);
    assert.deepEqual([...new Set(sent)], [dead!.eventId], 'one event id, however often it was sent');

    const again = await call(path, ada, { method: 'POST' });
    assert.deepEqual([again.status, again.body.error], [409, 'not_dead_lettered']);
  });

  test('after WEBHOOK_PAUSE_AFTER dead letters in a row the webhook is paused with the reason; events wait; Resume sends them', async () => {
    const hooks = await receiver();
    const webhookId = await activeWebhook(hooks.url);
    hooks.deliveryStatus = 503;
    await subscribed(webhookId, 2);
    await settled(webhookId, 'dead', 2);
    const paused = await call(`${webhooksOf(app.clientId)}/${webhookId}`, ada);
    const { since, reason } = paused.body.paused as { since: string; reason: string };
    assert.equal(reason, 'the receiver answered 503');
    assert.ok(!Number.isNaN(Date.parse(since)));

    // A day on, each vehicle's next scheduled event is recorded, and waits.
    const sentBefore = hooks.deliveries.length;
    const witness = await receiver();
    const witnessHook = await activeWebhook(witness.url);
    await subscribed(witnessHook);
    await settled(witnessHook, 'delivered');
    clock.advance(DAILY * 1000);
    // Console sessions last 12 hours: a day on, the developers sign in again.
    ada = await signIn('ada@example.com', 'analytical engine');
    bob = await signIn('bob@example.com', 'difference engine');
    const waiting = await until('two waiting deliveries', async () => {
      const pending = (await deliveries(webhookId)).filter((d) => d.status === 'pending');
      return pending.length === 2 && pending;
    }, WAIT_MS);
    // The witness's second event delivered shows the worker has passed over the waiting ones since.
    await settled(witnessHook, 'delivered', 2);
    assert.equal(hooks.deliveries.length, sentBefore, 'nothing was sent while paused');
    assert.ok((await deliveries(webhookId)).filter((d) => d.status === 'pending').every((d) => d.attempts.length === 0));

    hooks.deliveryStatus = 200;
    const resumed = await call(`${webhooksOf(app.clientId)}/${webhookId}/resume`, ada, { method: 'POST' });
    assert.equal(resumed.status, 200);
    assert.equal(resumed.body.paused, null);
    await until('the waiting events delivered', async () => {
      const all = await deliveries(webhookId);
      return waiting.every((w) => all.find((d) => d.deliveryId === w.deliveryId)?.status === 'delivered');
    }, WAIT_MS);
    const received = new Set(hooks.deliveries.map((d) => d.body.eventId));
    assert.ok(waiting.every((w) => received.has(w.eventId)));
    const notPaused = await call(`${webhooksOf(app.clientId)}/${webhookId}/resume`, ada, { method: 'POST' });
    assert.deepEqual([notPaused.status, notPaused.body.error], [409, 'not_paused']);
  });

  test('a deleted webhook is gone from the list, its vehicles unsubscribed', async () => {
    const hooks = await receiver();
    const webhookId = await activeWebhook(hooks.url);
    await subscribed(webhookId);
    const deleted = await call(`${webhooksOf(app.clientId)}/${webhookId}`, ada, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    const listed = await call(webhooksOf(app.clientId), ada);
    assert.ok(!(listed.body.webhooks as { webhookId: string }[]).some((w) => w.webhookId === webhookId));
    assert.equal((await call(`${webhooksOf(app.clientId)}/${webhookId}/vehicles`, ada)).status, 404);
    const rows = await tp.platform.db.selectFrom('webhook_subscriptions').select('vehicle_id').where('webhook_id', '=', webhookId).execute();
    assert.equal(rows.length, 0);
  });
});

describe('Console webhooks: refusals', () => {
  test('another developer gets 404 for the app and its webhooks, read or changed', async () => {
    const hooks = await receiver();
    const webhookId = await activeWebhook(hooks.url);
    const base = webhooksOf(app.clientId);
    for (const [path, method] of [
      [base, 'GET'], [base, 'POST'], [`${base}/${webhookId}`, 'GET'], [`${base}/${webhookId}/deliveries`, 'GET'],
      [`${base}/${webhookId}/vehicles`, 'GET'], [`${base}/${webhookId}/verify`, 'POST'], [`${base}/${webhookId}/resume`, 'POST'],
      [`${base}/${webhookId}`, 'DELETE'],
    ] as const) {
      const answer = await call(path, bob, { method, ...(method === 'POST' && { json: { url: hooks.url, type: 'scheduled' } }) });
      assert.deepEqual([answer.status, answer.body.error], [404, 'not_found'], `${method} ${path}`);
    }
    assert.equal((await call(`${base}/${webhookId}`, ada)).status, 200, 'still there');
  });

  test('only the app\'s owner creates (no other role exists yet), with the session\'s CSRF token', async () => {
    const hooks = await receiver();
    const body = { url: hooks.url, type: 'scheduled', data: ['/odometer'] };
    const noCsrf = await call(webhooksOf(app.clientId), ada, { method: 'POST', json: body, csrf: false });
    assert.deepEqual([noCsrf.status, noCsrf.body.error], [403, 'csrf']);
    assert.equal((await call(webhooksOf(app.clientId), null, { method: 'POST', json: body })).status, 401);
  });

  test('bad definitions are 400 in the {error, message} envelope, checked as the management API checks them', async () => {
    const hooks = await receiver();
    const cases: [unknown, RegExp][] = [
      [{ type: 'scheduled', data: ['/odometer'] }, /^Expected a JSON object; url: /],
      [{ url: `https://example.com/${'x'.repeat(5000)}`, type: 'scheduled' }, /^Expected a JSON object; url: /],
      [{ url: 'ftp://example.com/hooks', type: 'scheduled' }, /url: must be an http\(s\) URL/],
      [{ url: hooks.url, type: 'event', data: ['/charge'] }, /triggers: an event webhook needs triggers/],
      [{ url: hooks.url, type: 'scheduled', data: ['/warp-core'] }, /^data: not a data path: \/warp-core/],
      [{ url: hooks.url, type: 'event', triggers: ['warp_engaged'], data: [] }, /^triggers: /],
      [{ url: hooks.url, type: 'scheduled', version: '4.0' }, /^version: the v4.0 format is for event webhooks/],
      [{ url: hooks.url, type: 'scheduled', intervalSeconds: 5 }, /intervalSeconds: /],
      ['not an object', /^Expected a JSON object/],
    ];
    for (const [json, message] of cases) {
      const answer = await call(webhooksOf(app.clientId), ada, { method: 'POST', json });
      assert.equal(answer.status, 400, JSON.stringify(json).slice(0, 100));
      assert.deepEqual(Object.keys(answer.body).sort(), ['error', 'message']);
      assert.equal(answer.body.error, 'invalid_request');
      assert.match(String(answer.body.message), message);
    }
    const unknown = await call(`${webhooksOf(app.clientId)}/${'a'.repeat(36)}/deliveries`, ada);
    assert.deepEqual([unknown.status, unknown.body.error], [404, 'not_found'], 'an id that is no UUID names nothing');
    const webhookId = await activeWebhook(hooks.url);
    const tooMany = await call(`${webhooksOf(app.clientId)}/${webhookId}/deliveries?limit=1000`, ada);
    assert.deepEqual([tooMany.status, tooMany.body.error], [400, 'invalid_request']);
  });
});
