/**
 * v3 commands over raw HTTP (smartcar-v3.md §6): each command answers a command-execution resource
 * and changes the car as a following read shows; bad bodies, missing permissions, incapable cars and
 * refusing cars answer their errors; with simulator realism on, a command that outlasts the sync
 * bound answers 202 at once and streams its outcome, and a client that leaves does not harm the platform.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callApi } from './support/http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { until } from './support/until.js';
import { applicationToken, assertHybridError, type HybridError } from './support/v3.js';

interface CommandExecution {
  id: string;
  type: string;
  attributes: {
    commandType: string;
    status: { value: string; error?: { type: string; code: string | null; status: string } };
    executionMode: string;
    parameters: Record<string, unknown>;
  };
  meta: { executedAt: string; completedAt: string; durationInSeconds: number };
}

/** Who calls: a v2 access token, or an application token acting for `userId` through `sc-user-id`. */
interface Caller {
  id: string;
  token: string;
  userId?: string;
}

let tp: TestPlatform;
/**
 * A second platform whose sync bound a realistic car's command always outlasts: a Tesla's shortest
 * command (3 s of car time) at ten times speed is 300 ms, and its timer starts after the bound's.
 * As long a bound as that leaves room for what answers at once (a refusal) on a busy machine.
 */
let slow: TestPlatform;
const SLOW_SYNC_MS = 300;
const TIME_SCALE = 10;

before(async () => {
  tp = await startPlatform();
  slow = await startPlatform({ v3CommandSyncMs: SLOW_SYNC_MS });
});
after(async () => {
  await tp?.close();
  await slow?.close();
});

async function control(on: TestPlatform, vehicleId: string, path: string, body: unknown) {
  const res = await fetch(`${on.baseUrl}/v2.0/management/simulator/vehicles/${vehicleId}${path}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`default:${on.app.managementToken}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { state: Record<string, unknown> };
}

async function car(on = tp, request: Parameters<TestPlatform['token']>[0] = {}): Promise<Caller & { userId: string }> {
  const { accessToken, vehicleIds, userId } = await on.token({ make: 'TESLA', model: 'Model 3', ...request });
  return { token: accessToken, id: vehicleIds[0]!, userId };
}

const appToken = () => applicationToken(tp.baseUrl, tp.app.clientId, tp.app.clientSecret);

function headersOf(caller: Caller): Record<string, string> {
  return caller.userId === undefined ? {} : { 'sc-user-id': caller.userId };
}

/** Either the command-execution (bare and under `data`) or the hybrid error, with the v2 `detail` of a VALIDATION. */
type CommandAnswer = CommandExecution & { data: CommandExecution } & HybridError & { detail?: unknown[] };

function command(caller: Caller, path: string, body?: unknown, on = tp) {
  return callApi<CommandAnswer>(on.baseUrl, `/v3/vehicles/${caller.id}/commands/${path}`, {
    method: 'POST', token: caller.token, headers: headersOf(caller), body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A v3 signal's body, as a read following a command shows it. */
async function signal<T>(caller: Caller, code: string, on = tp): Promise<T> {
  const answer = await callApi<{ data: { attributes: { status: { value: string }; body: T } } }>(
    on.baseUrl, `/v3/vehicles/${caller.id}/signals/${code}`, { token: caller.token, headers: headersOf(caller) },
  );
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.body.data.attributes.status.value, 'SUCCESS', answer.text);
  return answer.body.data.attributes.body;
}

const isLocked = async (caller: Caller, on = tp) => (await signal<{ value: boolean }>(caller, 'closure-islocked', on)).value;
const isCharging = async (caller: Caller) => (await signal<{ value: boolean }>(caller, 'charge-ischarging')).value;
const activeLimit = async (caller: Caller, on = tp) => (await signal<{ activeLimit: number }>(caller, 'charge-chargelimits', on)).activeLimit;

async function v2Read<T>(caller: Caller, path: string): Promise<T> {
  const answer = await callApi<T>(tp.baseUrl, `/v2.0/vehicles/${caller.id}${path}`, { token: caller.token });
  assert.equal(answer.status, 200, answer.text);
  return answer.body;
}


function assertExecution(answer: CommandAnswer, commandType: string, mode: string, parameters: Record<string, unknown> = {}) {
  const { data: resource, ...bare } = answer;
  assert.deepEqual(bare, resource, 'the resource is bare at the top level too');
  assert.match(resource.id, /^exec_[0-9a-f]{32}$/);
  assert.equal(resource.type, 'command-execution');
  assert.equal(resource.attributes.commandType, commandType);
  assert.deepEqual(resource.attributes.status, { value: 'SUCCESS' });
  assert.equal(resource.attributes.executionMode, mode);
  assert.deepEqual(resource.attributes.parameters, parameters);
  const { executedAt, completedAt, durationInSeconds } = resource.meta;
  assert.ok(Date.parse(executedAt) <= Date.parse(completedAt), `${executedAt} ≤ ${completedAt}`);
  assert.equal(durationInSeconds, (Date.parse(completedAt) - Date.parse(executedAt)) / 1000);
}

const plugIn = { isPluggedIn: true, charger: { powerKw: 11, dc: false }, soc: 0.4, chargeLimit: 0.9 };

/** The same tests with either kind of token: a v2 access token, and an application token + sc-user-id. */
const CALLERS: [string, (vehicle: Caller & { userId: string }) => Promise<Caller>][] = [
  ['a v2 access token', async ({ id, token }) => ({ id, token })],
  ['an application token and sc-user-id', async ({ id, userId }) => ({ id, userId, token: await appToken() })],
];

for (const [who, as] of CALLERS) {
  describe(`POST /v3/vehicles/:id/commands/… with ${who}`, () => {
    test('security/lock and security/unlock answer a sync command-execution and set closure-islocked', async () => {
      const vehicle = await as(await car());
      const locked = await command(vehicle, 'security/lock');
      assert.equal(locked.status, 200, locked.text);
      assert.match(locked.headers.get('content-type') ?? '', /^application\/json/);
      assert.ok(locked.headers.get('sc-request-id'));
      assertExecution(locked.body, 'security-lock', 'sync');
      assert.equal(await isLocked(vehicle), true);

      const unlocked = await command(vehicle, 'security/unlock', {});
      assert.equal(unlocked.status, 200, unlocked.text);
      assertExecution(unlocked.body, 'security-unlock', 'sync');
      assert.equal(await isLocked(vehicle), false);
    });

    test('charge/start and charge/stop start and stop charging (charge-ischarging)', async () => {
      const vehicle = await as(await car());
      await control(tp, vehicle.id, '/values', plugIn);
      const started = await command(vehicle, 'charge/start');
      assert.equal(started.status, 200, started.text);
      assertExecution(started.body, 'charge-start', 'sync');
      assert.equal(await isCharging(vehicle), true);

      const stopped = await command(vehicle, 'charge/stop');
      assert.equal(stopped.status, 200, stopped.text);
      assertExecution(stopped.body, 'charge-stop', 'sync');
      assert.equal(await isCharging(vehicle), false);
    });

    test('charge/set-limit takes {data:{attributes:{percent}}} and sets charge-chargelimits activeLimit', async () => {
      const vehicle = await as(await car());
      const answer = await command(vehicle, 'charge/set-limit', { data: { type: 'charge-limit', attributes: { percent: 65 } } });
      assert.equal(answer.status, 200, answer.text);
      assertExecution(answer.body, 'charge-set-limit', 'sync', { percent: 65 });
      assert.equal(await activeLimit(vehicle), 65);
    });

    test('a token without the control permission is 403 PERMISSION and the car is unchanged', async () => {
      const vehicle = await as(await car(tp, { scope: 'read_security read_charge' }));
      const before = await isLocked(vehicle);
      assertHybridError(await command(vehicle, before ? 'security/unlock' : 'security/lock'), 403, 'PERMISSION', null);
      assert.equal(await isLocked(vehicle), before);
      assertHybridError(await command(vehicle, 'charge/set-limit', { data: { attributes: { percent: 70 } } }), 403, 'PERMISSION', null);
    });
  });
}

describe('POST /v3/vehicles/:id/commands/…: bodies and refusals', () => {
  test('navigation/set-destination takes {data:{attributes:{latitude, longitude}}} and sends it to the car', async () => {
    const vehicle = await car();
    const destination = { latitude: 48.8584, longitude: 2.2945 };
    const answer = await command(vehicle, 'navigation/set-destination', { data: { attributes: destination } });
    assert.equal(answer.status, 200, answer.text);
    assertExecution(answer.body, 'navigation-set-destination', 'sync', destination);
    const shown = await fetch(`${tp.baseUrl}/v2.0/management/simulator/vehicles/${vehicle.id}`, {
      headers: { authorization: `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}` },
    });
    assert.deepEqual(((await shown.json()) as { state: { destination: unknown } }).state.destination, destination);
  });

  test('the v2 endpoints show what v3 commands did', async () => {
    const vehicle = await car();
    await command(vehicle, 'security/lock');
    assert.equal((await v2Read<{ isLocked: boolean }>(vehicle, '/security')).isLocked, true);
    await command(vehicle, 'charge/set-limit', { data: { attributes: { percent: 55 } } });
    assert.equal((await v2Read<{ limit: number }>(vehicle, '/charge/limit')).limit, 0.55);
  });

  test('charge/set-limit out of 50–100, not an integer, or outside the envelope is 400 VALIDATION, and the limit stays', async () => {
    const vehicle = await car();
    const before = await activeLimit(vehicle);
    const bodies: unknown[] = [
      { data: { attributes: { percent: 49 } } },
      { data: { attributes: { percent: 101 } } },
      { data: { attributes: { percent: 80.5 } } },
      { data: { attributes: { percent: '80' } } },
      { data: { attributes: {} } },
      { percent: 80 },
      { limit: 0.8 },
      [80],
      undefined,
    ];
    for (const body of bodies) {
      const answer = await command(vehicle, 'charge/set-limit', body);
      assertHybridError(answer, 400, 'VALIDATION', null);
      assert.ok(Array.isArray(answer.body.detail), JSON.stringify(body));
    }
    const notJson = await callApi<HybridError>(tp.baseUrl, `/v3/vehicles/${vehicle.id}/commands/charge/set-limit`, {
      method: 'POST', token: vehicle.token, body: '{"data":',
    });
    assertHybridError(notJson, 400, 'VALIDATION', null);
    assert.equal(await activeLimit(vehicle), before);
  });

  test('navigation/set-destination off the globe or incomplete is 400 VALIDATION', async () => {
    const vehicle = await car();
    for (const attributes of [{ latitude: 91, longitude: 0 }, { latitude: 0, longitude: -181 }, { latitude: 0 }, { latitude: '1', longitude: 2 }]) {
      assertHybridError(await command(vehicle, 'navigation/set-destination', { data: { attributes } }), 400, 'VALIDATION', null);
    }
  });

  test('charge/start on a combustion car is 501 COMPATIBILITY VEHICLE_NOT_CAPABLE', async () => {
    const vehicle = await car(tp, { make: 'TOYOTA', model: 'Corolla' });
    assertHybridError(await command(vehicle, 'charge/start'), 501, 'COMPATIBILITY', 'VEHICLE_NOT_CAPABLE');
    assertHybridError(await command(vehicle, 'charge/set-limit', { data: { attributes: { percent: 80 } } }), 501, 'COMPATIBILITY', 'VEHICLE_NOT_CAPABLE');
  });

  test('charge/start on an unplugged car is 409 VEHICLE_STATE CHARGING_PLUG_NOT_CONNECTED', async () => {
    const vehicle = await car();
    await control(tp, vehicle.id, '/values', { isPluggedIn: false, charger: null });
    assertHybridError(await command(vehicle, 'charge/start'), 409, 'VEHICLE_STATE', 'CHARGING_PLUG_NOT_CONNECTED');
    assert.equal(await isCharging(vehicle), false);
  });

  test('no token is 401; another user’s vehicle is 404; an unknown command is 404', async () => {
    const vehicle = await car();
    const other = await car();
    const anonymous = await callApi<HybridError>(tp.baseUrl, `/v3/vehicles/${vehicle.id}/commands/security/lock`, { method: 'POST' });
    assertHybridError(anonymous, 401, 'AUTHENTICATION', null);
    assert.equal((await command({ token: vehicle.token, id: other.id }, 'security/lock')).status, 404);
    assert.equal((await command(vehicle, 'security/self-destruct')).status, 404);
  });

  test('an application token without sc-user-id is 400; naming a user not connected to the app is 404', async () => {
    const vehicle = await car();
    const other = await car();
    const token = await appToken();
    assertHybridError(await command({ id: vehicle.id, token }, 'security/lock'), 400, 'VALIDATION', 'PARAMETER');
    assert.equal((await command({ id: vehicle.id, token, userId: other.userId }, 'security/lock')).status, 404);
  });
});

describe('Long-running v3 commands (simulator realism on)', () => {
  /** A Tesla with realism on: its commands take 3–10 s of car time, here scaled ten times faster. */
  async function realisticCar() {
    const vehicle = await car(slow);
    await control(slow, vehicle.id, '/values', { realism: true });
    await control(slow, vehicle.id, '/clock', { timeScale: TIME_SCALE });
    return vehicle;
  }

  test('a command outlasting the sync bound answers 202 with headers only, then streams the final command-execution', async () => {
    const vehicle = await realisticCar();
    const res = await fetch(`${slow.baseUrl}/v3/vehicles/${vehicle.id}/commands/security/lock`, {
      method: 'POST', headers: { authorization: `Bearer ${vehicle.token}` },
    });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('content-length'), null);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.ok(res.headers.get('sc-request-id'));
    const body = JSON.parse(await res.text()) as CommandAnswer;
    assertExecution(body, 'security-lock', 'async');
    assert.ok(body.data.meta.durationInSeconds * 1000 >= SLOW_SYNC_MS);
    assert.equal(await isLocked(vehicle, slow), true);
  });

  test('a command the car refuses at once still answers its error, not 202', async () => {
    const vehicle = await realisticCar();
    await control(slow, vehicle.id, '/values', { isPluggedIn: false, charger: null });
    assertHybridError(await command(vehicle, 'charge/start', undefined, slow), 409, 'VEHICLE_STATE', 'CHARGING_PLUG_NOT_CONNECTED');
  });

  test('a client that leaves during the 202 stream leaves the platform healthy; the command still completes', async () => {
    const vehicle = await realisticCar();
    const abort = new AbortController();
    const res = await fetch(`${slow.baseUrl}/v3/vehicles/${vehicle.id}/commands/charge/set-limit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${vehicle.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { attributes: { percent: 72 } } }),
      signal: abort.signal,
    });
    assert.equal(res.status, 202);
    abort.abort();
    const finished = await until('the command to finish after its client left',
      () => slow.logs.find((line) => line.includes('command finished after its client left')), 15_000);
    assert.equal(JSON.parse(finished).status, 'SUCCESS');
    assert.equal(await activeLimit(vehicle, slow), 72);
    assert.equal((await fetch(`${slow.baseUrl}/healthz`)).status, 200);
    assert.ok(!slow.logs.some((line) => /"level":(50|60)/.test(line)), 'nothing logged at error or fatal');
  });
});
