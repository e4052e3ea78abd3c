/**
 * The management API under pressure and after a leak: each application has its own request budget
 * (429 in the v2 envelope with Retry-After, others unaffected), and its management token can be
 * rotated by CLI or HTTP — the replaced token keeps authenticating for the stated hours only, and
 * deliveries and VERIFY challenges are signed with the new token from the moment of rotation.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { testDatabase, type TestDatabase } from '../support/database.js';
import { MovableClock, pointSdkAt, startPlatform, TEST_SECRET_KEY, type TestPlatform } from '../support/platform.js';
import { startReceiver, type Delivery, type Receiver } from '../support/receiver.js';
import { until } from '../support/until.js';

type SdkVehicle = InstanceType<typeof smartcar.Vehicle> & { subscribe(webhookId: string): Promise<Record<string, unknown>> };
const sdk = smartcar as unknown as { verifyPayload(amt: string, signature: string, body: unknown): boolean };

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const HOUR = 3_600_000;

const basic = (token: string) => `Basic ${Buffer.from(`default:${token}`).toString('base64')}`;

function management(tp: TestPlatform, token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${tp.baseUrl}/v2.0/management${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: basic(token), ...(init.body !== undefined && { 'content-type': 'application/json' }) },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
}

async function statusOf(tp: TestPlatform, token: string): Promise<number> {
  const res = await management(tp, token, '/webhooks');
  await res.arrayBuffer();
  return res.status;
}

describe('Management API rate limit per application', () => {
  const clock = new MovableClock();
  let tp: TestPlatform;
  before(async () => {
    tp = await startPlatform({ rateLimits: 'on', managementRequestsPerMinute: 3 }, { clock });
  });
  after(() => tp.close());

  test('past its budget an app gets 429 RATE_LIMIT with Retry-After on every management face; another app does not', async () => {
    const token = tp.app.managementToken;
    for (const path of ['/connections', '/webhooks', '/simulator/vehicles']) {
      const res = await management(tp, token, path);
      assert.equal(res.status, 200, `${path} within the budget`);
      await res.arrayBuffer();
    }
    for (const path of ['/connections', '/webhooks', '/simulator/vehicles']) {
      const res = await management(tp, token, path);
      assert.equal(res.status, 429, `${path} past the budget`);
      assert.ok(Number(res.headers.get('retry-after')) >= 1, 'Retry-After says when to come back');
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual([body.type, body.code, body.statusCode], ['RATE_LIMIT', 'SMARTCAR_API', 429]);
      assert.equal((body.resolution as { type: string }).type, 'RETRY_LATER');
      assert.equal(typeof body.requestId, 'string');
    }

    // The SDK's unsubscribe carries the management token as Bearer on a Vehicle API path: same budget.
    const unsubscribe = await fetch(`${tp.baseUrl}/v2.0/vehicles/${randomUUID()}/webhooks/${randomUUID()}`, {
      method: 'DELETE', headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(unsubscribe.status, 429, 'unsubscribe past the budget');
    await unsubscribe.arrayBuffer();

    const other = await tp.platform.services.apps.create({ name: 'Other app', redirectUris: ['https://other.example.com/cb'] });
    assert.equal(await statusOf(tp, other.managementToken), 200, 'another app has its own budget');

    clock.advance(60_000);
    assert.equal(await statusOf(tp, token), 200, 'the budget refills');
  });

  test('an unknown token is refused before any budget: 401 AUTHENTICATION', async () => {
    const res = await management(tp, 'not-a-token', '/webhooks');
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { type: string }).type, 'AUTHENTICATION');
  });
});

describe('POST /v2.0/management/token/rotate', () => {
  const clock = new MovableClock();
  let tp: TestPlatform;
  let receiver: Receiver;
  /** The token the receiver checks signatures and answers VERIFY with, as an app would configure it. */
  let receiverToken: string;

  before(async () => {
    tp = await startPlatform({ webhookPollMs: 20 }, { clock });
    pointSdkAt(tp.baseUrl);
    receiverToken = tp.app.managementToken;
    receiver = await startReceiver(() => receiverToken);
  });
  after(async () => {
    await receiver.close();
    await tp.close();
  });

  async function scheduledWebhook(token: string): Promise<string> {
    const res = await management(tp, token, '/webhooks', {
      method: 'POST', body: { url: receiver.url, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] },
    });
    const body = (await res.json()) as { webhookId: string; status: string };
    assert.equal(body.status, 'active');
    return body.webhookId;
  }

  test('the new token works, the old one until its window ends, and deliveries are signed with the new one at once', async () => {
    const old = tp.app.managementToken;
    const webhookId = await scheduledWebhook(old);

    const res = await management(tp, old, '/token/rotate', { method: 'POST' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const rotated = (await res.json()) as { managementToken: string; previousValidUntil: string };
    assert.match(rotated.managementToken, /^[\w-]{43}$/);
    assert.notEqual(rotated.managementToken, old);
    const window = Date.parse(rotated.previousValidUntil) - clock.now().getTime();
    assert.ok(window > 23.9 * HOUR && window <= 24 * HOUR, 'the previous token is kept 24 hours by default');

    assert.equal(await statusOf(tp, rotated.managementToken), 200, 'the new token authenticates');
    assert.equal(await statusOf(tp, old), 200, 'the old token still authenticates within its window');
    const again = await management(tp, old, '/token/rotate', { method: 'POST' });
    assert.equal(again.status, 401, 'a replaced token cannot mint a successor');

    // A receiver still on the old token fails VERIFY: challenges are signed with the new one.
    const stale = (await (await management(tp, rotated.managementToken, `/webhooks/${webhookId}/verify`, { method: 'POST' })).json()) as { status: string };
    assert.equal(stale.status, 'pending');
    receiverToken = rotated.managementToken;
    const fresh = (await (await management(tp, rotated.managementToken, `/webhooks/${webhookId}/verify`, { method: 'POST' })).json()) as { status: string };
    assert.equal(fresh.status, 'active');

    const { accessToken, vehicleIds } = await tp.token();
    await (new smartcar.Vehicle(vehicleIds[0]!, accessToken) as SdkVehicle).subscribe(webhookId);
    const isData = (d: Delivery) => d.body.webhookId === webhookId && d.body.eventName === 'scheduled';
    const delivery = await until('a delivery made after the rotation', () => receiver.deliveries.find(isData), 15_000);
    assert.equal(delivery.verified, true, 'verifyPayload accepts it with the new token');
    assert.equal(sdk.verifyPayload(old, delivery.signature!, delivery.body), false, 'it is not signed with the old token');

    clock.advance(24 * HOUR + 60_000);
    assert.equal(await statusOf(tp, old), 401, 'the old token stops at the end of its window');
    assert.equal(await statusOf(tp, rotated.managementToken), 200);
  });

  test('keepPreviousHours 0 ends the old token at once; bad input is a VALIDATION error', async () => {
    const app = await tp.platform.services.apps.create({ name: 'Rotating app', redirectUris: ['https://r.example.com/cb'] });
    const bad = await management(tp, app.managementToken, '/token/rotate', { method: 'POST', body: { keepPreviousHours: -1 } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { type: string }).type, 'VALIDATION');
    const unknown = await management(tp, app.managementToken, '/token/rotate', { method: 'POST', body: { keep: 1 } });
    assert.equal(unknown.status, 400);
    await unknown.arrayBuffer();

    const res = await management(tp, app.managementToken, '/token/rotate', { method: 'POST', body: { keepPreviousHours: 0 } });
    const rotated = (await res.json()) as { managementToken: string; previousValidUntil: string | null };
    assert.equal(rotated.previousValidUntil, null);
    assert.equal(await statusOf(tp, app.managementToken), 401);
    assert.equal(await statusOf(tp, rotated.managementToken), 200);
  });
});

describe('carport apps rotate-management-token', () => {
  const clock = new MovableClock();
  let db: TestDatabase;
  let tp: TestPlatform;
  let receiver: Receiver;
  let receiverToken: string;

  before(async () => {
    db = await testDatabase({ shareable: true });
    tp = await startPlatform({ databaseUrl: db.url }, { clock });
    receiverToken = tp.app.managementToken;
    receiver = await startReceiver(() => receiverToken);
  });
  after(async () => {
    await receiver.close();
    await tp.close();
    await db.drop();
  });

  function carport(args: string[]) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, DATABASE_URL: db.url, SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: 'warn' }, encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  test('prints a new token; the old one authenticates for --keep-previous hours, and VERIFY is signed with the new one', async () => {
    const old = tp.app.managementToken;
    const created = await management(tp, old, '/webhooks', {
      method: 'POST', body: { url: receiver.url, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] },
    });
    const { webhookId } = (await created.json()) as { webhookId: string };

    const out = carport(['apps', 'rotate-management-token', '--client-id', tp.app.clientId, '--keep-previous', '2', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const rotated = JSON.parse(out.stdout) as { managementToken: string; previousValidUntil: string };
    assert.match(rotated.managementToken, /^[\w-]{43}$/);

    assert.equal(await statusOf(tp, rotated.managementToken), 200);
    assert.equal(await statusOf(tp, old), 200);
    receiverToken = rotated.managementToken;
    const verified = (await (await management(tp, rotated.managementToken, `/webhooks/${webhookId}/verify`, { method: 'POST' })).json()) as { status: string };
    assert.equal(verified.status, 'active', 'the challenge is signed with the new token');

    clock.advance(2 * HOUR + 60_000);
    assert.equal(await statusOf(tp, old), 401);
    assert.equal(await statusOf(tp, rotated.managementToken), 200);
  });

  test('an out-of-range window is refused with a message', () => {
    const range = carport(['apps', 'rotate-management-token', '--client-id', tp.app.clientId, '--keep-previous', '99999']);
    assert.equal(range.code, 1);
    assert.match(range.stderr, /--keep-previous must be a number of hours/);
  });
});
