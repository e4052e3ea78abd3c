/**
 * What carport answers to malformed, hostile or mistaken requests: always the v2 error envelope with
 * the exact type/code/status (spec §5), never a stack trace or a 500, and it keeps serving afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { callApi, type Answer, type Call, type Envelope } from './support/http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

const REQUIRED_KEYS = ['type', 'code', 'description', 'docURL', 'statusCode', 'requestId', 'resolution'];
const OPTIONAL_KEYS = ['detail', 'suggestedUserMessage'];
/** A V8 stack frame (`at fn (/path/file.ts:12:3)`) or anything from node_modules. */
const STACK_TRACE = /\bat (?:[^\s(]+ \()?(?:file:\/\/|\/|[A-Z]:\\)[^\s):]*:\d+|node_modules|\.[jt]s:\d+:\d+/i;

let tp: TestPlatform;
/** Every response body this file received, checked for leaks at the end. */
const seen: Answer<unknown>[] = [];
let owner: { token: string; id: string; otherIds: string[] };

async function call<T = Record<string, unknown>>(path: string, options: Call = {}): Promise<Answer<T>> {
  const answer = await callApi<T>(tp.baseUrl, path, options);
  seen.push(answer);
  return answer;
}

/** The §5.4 envelope, exactly: required keys present, optional ones absent rather than null, no `error`. */
function assertEnvelopeShape(answer: Answer<unknown>): Envelope {
  const body = answer.body as Envelope & Record<string, unknown>;
  assert.ok(body && typeof body === 'object' && !Array.isArray(body), `a JSON object body: ${answer.text}`);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json(;|$)/);
  const keys = Object.keys(body);
  for (const key of REQUIRED_KEYS) assert.ok(keys.includes(key), `envelope has ${key}: ${answer.text}`);
  for (const key of keys) assert.ok(REQUIRED_KEYS.includes(key) || OPTIONAL_KEYS.includes(key), `unexpected key ${key}`);
  assert.ok(!('error' in body), 'never an error key (SDKs would take the v1/OAuth path)');
  assert.equal(typeof body.type, 'string');
  assert.ok(body.code === null || typeof body.code === 'string');
  assert.equal(typeof body.description, 'string');
  assert.ok(body.description.length > 0);
  assert.equal(typeof body.docURL, 'string');
  assert.equal(body.statusCode, answer.status);
  assert.equal(body.requestId, answer.headers.get('sc-request-id'));
  assert.ok(body.resolution && typeof body.resolution === 'object' && 'type' in body.resolution, 'resolution has a type key');
  if ('detail' in body) assert.ok(Array.isArray(body.detail), 'detail is an array when present');
  if ('suggestedUserMessage' in body) assert.equal(typeof body.suggestedUserMessage, 'string');
  return body;
}

function assertError(answer: Answer<unknown>, status: number, type: string, code: string | null): Envelope {
  assert.equal(answer.status, status, answer.text);
  const body = assertEnvelopeShape(answer);
  assert.equal(body.type, type);
  assert.equal(body.code, code);
  return body;
}

function assertValidationDetail(answer: Answer<unknown>): void {
  const body = assertError(answer, 400, 'VALIDATION', null);
  assert.ok(Array.isArray(body.detail) && body.detail.length > 0, `a detail array: ${answer.text}`);
  for (const item of body.detail) assert.equal(typeof item.message, 'string');
}

const vehiclePath = (suffix = '') => `/v2.0/vehicles/${owner.id}${suffix}`;

before(async () => {
  tp = await startPlatform();
  const t = await tp.token({ make: 'TESLA', vehicles: 3 });
  owner = { token: t.accessToken, id: t.vehicleIds[0]!, otherIds: t.vehicleIds.slice(1) };
});
after(() => tp.close());

describe('POST /v2.0/vehicles/:id/security malformed bodies', () => {
  test('malformed JSON is 400 VALIDATION', async () => {
    const answer = await call(vehiclePath('/security'), { method: 'POST', token: owner.token, body: '{"action":' });
    assertError(answer, 400, 'VALIDATION', null);
  });

  test('a JSON array or string instead of an object is 400 VALIDATION', async () => {
    assertValidationDetail(await call(vehiclePath('/security'), { method: 'POST', token: owner.token, body: '["LOCK"]' }));
    assertValidationDetail(await call(vehiclePath('/security'), { method: 'POST', token: owner.token, body: '"LOCK"' }));
  });

  test('{"action":5} is 400 VALIDATION with detail', async () => {
    assertValidationDetail(await call(vehiclePath('/security'), { method: 'POST', token: owner.token, body: '{"action":5}' }));
  });

  test('{"action":"OPEN"} is 400 VALIDATION with detail', async () => {
    assertValidationDetail(await call(vehiclePath('/security'), { method: 'POST', token: owner.token, body: '{"action":"OPEN"}' }));
  });

  test('a missing action is 400 VALIDATION with detail', async () => {
    assertValidationDetail(await call(vehiclePath('/security'), { method: 'POST', token: owner.token, body: '{}' }));
  });
});

describe('POST /v2.0/vehicles/:id/charge/limit and /navigation/destination wrong values', () => {
  test('{"limit":2} is 400 VALIDATION with detail', async () => {
    assertValidationDetail(await call(vehiclePath('/charge/limit'), { method: 'POST', token: owner.token, body: '{"limit":2}' }));
  });

  test('{"limit":"abc"} is 400 VALIDATION with detail', async () => {
    assertValidationDetail(await call(vehiclePath('/charge/limit'), { method: 'POST', token: owner.token, body: '{"limit":"abc"}' }));
  });

  test('latitude 100 is 400 VALIDATION with detail', async () => {
    const body = JSON.stringify({ latitude: 100, longitude: 0 });
    assertValidationDetail(await call(vehiclePath('/navigation/destination'), { method: 'POST', token: owner.token, body }));
  });

  test('a latitude given as a string is 400 VALIDATION with detail', async () => {
    const body = JSON.stringify({ latitude: 'north', longitude: 0 });
    assertValidationDetail(await call(vehiclePath('/navigation/destination'), { method: 'POST', token: owner.token, body }));
  });
});

describe('Request bodies the framework refuses', () => {
  test('a body over 1 MB is 413 with the envelope (type VALIDATION, statusCode 413)', async () => {
    const body = JSON.stringify({ action: 'LOCK', padding: 'x'.repeat(1_100_000) });
    const answer = await call(vehiclePath('/security'), { method: 'POST', token: owner.token, body });
    assertError(answer, 413, 'VALIDATION', null);
  });

  test('a text/plain body is 415 with the envelope (type VALIDATION, statusCode 415)', async () => {
    const answer = await call(vehiclePath('/security'), {
      method: 'POST', token: owner.token, headers: { 'content-type': 'text/plain' }, body: 'LOCK',
    });
    assertError(answer, 415, 'VALIDATION', null);
  });

  test('form-encoded and XML bodies are 415 with the envelope', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'application/xml']) {
      const answer = await call(vehiclePath('/security'), {
        method: 'POST', token: owner.token, headers: { 'content-type': type }, body: type.endsWith('xml') ? '<action>LOCK</action>' : 'action=LOCK',
      });
      assertError(answer, 415, 'VALIDATION', null);
    }
  });

  test('a JSON body with a charset or an upper-case media type is accepted', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const answer = await call(vehiclePath('/security'), {
        method: 'POST', token: owner.token, headers: { 'content-type': type }, body: '{"action":"LOCK"}',
      });
      assert.equal(answer.status, 200, `${type}: ${answer.text}`);
    }
  });
});

describe('Empty bodies sent with Content-Type: application/json', () => {
  test('DELETE /v2.0/vehicles/:id/application with an empty JSON body succeeds', async () => {
    const other = owner.otherIds[1]!;
    const answer = await call(`/v2.0/vehicles/${other}/application`, {
      method: 'DELETE', token: owner.token, headers: { 'content-type': 'application/json' }, body: '',
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body, { status: 'success' });
  });

  test('POST /v2.0/vehicles/:id/batch with an empty JSON body is 400 VALIDATION, not a 500', async () => {
    const answer = await call(vehiclePath('/batch'), {
      method: 'POST', token: owner.token, headers: { 'content-type': 'application/json' }, body: '',
    });
    assertError(answer, 400, 'VALIDATION', null);
  });
});

describe('POST /v2.0/vehicles/:id/batch (spec §6)', () => {
  interface BatchItem { path: string; code: number; body: Envelope & Record<string, unknown>; headers?: Record<string, string> }

  test('an unknown path fails the whole request with 400 VALIDATION', async () => {
    const body = JSON.stringify({ requests: [{ path: '/odometer' }, { path: '/LOCATIONNNNNNNN' }] });
    assertValidationDetail(await call(vehiclePath('/batch'), { method: 'POST', token: owner.token, body }));
  });

  test('requests that is not an array is 400 VALIDATION with detail', async () => {
    const body = JSON.stringify({ requests: '/odometer' });
    assertValidationDetail(await call(vehiclePath('/batch'), { method: 'POST', token: owner.token, body }));
  });

  test('a path without its leading slash (tires/pressure) is echoed as /tires/pressure', async () => {
    const body = JSON.stringify({ requests: [{ path: 'tires/pressure' }] });
    const answer = await call<{ responses: BatchItem[] }>(vehiclePath('/batch'), { method: 'POST', token: owner.token, body });
    assert.equal(answer.status, 200, answer.text);
    const [item] = answer.body.responses;
    assert.equal(item?.path, '/tires/pressure');
    assert.equal(item?.code, 200);
    assert.equal(typeof item?.headers, 'object');
  });

  test('an item the vehicle cannot serve (/fuel on a Tesla) is a 501 COMPATIBILITY item inside a 200', async () => {
    const body = JSON.stringify({ requests: [{ path: '/odometer' }, { path: '/fuel' }] });
    const answer = await call<{ responses: BatchItem[] }>(vehiclePath('/batch'), { method: 'POST', token: owner.token, body });
    assert.equal(answer.status, 200, answer.text);
    const [odometer, fuel] = answer.body.responses;
    assert.equal(odometer?.code, 200);
    assert.equal(fuel?.path, '/fuel');
    assert.equal(fuel?.code, 501);
    assert.equal(fuel?.body.type, 'COMPATIBILITY');
    assert.equal(fuel?.body.code, 'VEHICLE_NOT_CAPABLE');
    assert.equal(fuel?.body.statusCode, 501);
    const keys = Object.keys(fuel?.body ?? {});
    for (const key of REQUIRED_KEYS) assert.ok(keys.includes(key), `item envelope has ${key}`);
    for (const key of keys) assert.ok(REQUIRED_KEYS.includes(key) || OPTIONAL_KEYS.includes(key), `unexpected key ${key}`);
  });

  test('an item without permission is a 403 PERMISSION item inside a 200', async () => {
    const limited = await tp.token({ scope: 'read_vehicle_info' });
    const body = JSON.stringify({ requests: [{ path: '/' }, { path: '/odometer' }] });
    const answer = await call<{ responses: BatchItem[] }>(`/v2.0/vehicles/${limited.vehicleIds[0]}/batch`, {
      method: 'POST', token: limited.accessToken, body,
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.responses.map((r) => [r.path, r.code, r.body.type ?? null]), [
      ['/', 200, null], ['/odometer', 403, 'PERMISSION'],
    ]);
  });
});

describe('Authorization header (spec §4.1)', () => {
  const malformed: [string, string | undefined][] = [
    ['no header', undefined],
    ['Basic credentials', `Basic ${Buffer.from('client:secret').toString('base64')}`],
    ['Basic xxx', 'Basic xxx'],
    ['Bearer alone', 'Bearer'],
    ['Bearer with a blank token', 'Bearer   '],
    ['a random bearer token', `Bearer ${randomBytes(32).toString('base64url')}`],
    ['two bearer tokens', 'Bearer a b'],
  ];
  for (const [name, authorization] of malformed) {
    test(`${name} is 401 AUTHENTICATION with www-authenticate`, async () => {
      const answer = await call(vehiclePath('/odometer'), authorization === undefined ? {} : { authorization });
      const body = assertError(answer, 401, 'AUTHENTICATION', null);
      assert.equal(body.resolution.type, null);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer\b/);
    });
  }
});

describe('Vehicle ids and permissions', () => {
  test('a malformed vehicle id (bad_id) is 400 VALIDATION', async () => {
    const body = assertError(await call('/v2.0/vehicles/bad_id/odometer', { token: owner.token }), 400, 'VALIDATION', null);
    assert.equal(body.resolution.type, null);
  });

  test("a well-formed unknown id and another user's vehicle id are the same 404 RESOURCE_NOT_FOUND", async () => {
    const stranger = await tp.token({ make: 'TESLA', vehicles: 1 });
    const unknown = await call(`/v2.0/vehicles/${randomUUID()}/odometer`, { token: owner.token });
    const foreign = await call(`/v2.0/vehicles/${stranger.vehicleIds[0]}/odometer`, { token: owner.token });
    const a = assertError(unknown, 404, 'RESOURCE_NOT_FOUND', 'PATH');
    const b = assertError(foreign, 404, 'RESOURCE_NOT_FOUND', 'PATH');
    const { requestId: _a, ...restA } = a;
    const { requestId: _b, ...restB } = b;
    assert.deepEqual(restA, restB);
    assert.notEqual(a.requestId, b.requestId);
  });

  test('a token without read_odometer is 403 PERMISSION on /odometer', async () => {
    const limited = await tp.token({ scope: 'read_vehicle_info read_vin' });
    const body = assertError(await call(`/v2.0/vehicles/${limited.vehicleIds[0]}/odometer`, { token: limited.accessToken }), 403, 'PERMISSION', null);
    assert.equal(body.resolution.type, 'REAUTHENTICATE');
    const vin = await call(`/v2.0/vehicles/${limited.vehicleIds[0]}/vin`, { token: limited.accessToken });
    assert.equal(vin.status, 200, vin.text);
  });

  test('a token without control_security is 403 PERMISSION on POST /security', async () => {
    const limited = await tp.token({ scope: 'read_security' });
    const answer = await call(`/v2.0/vehicles/${limited.vehicleIds[0]}/security`, {
      method: 'POST', token: limited.accessToken, body: '{"action":"LOCK"}',
    });
    assertError(answer, 403, 'PERMISSION', null);
  });
});

describe('Every answer of this file', () => {
  test('no response body contains a stack trace or a node_modules path', () => {
    assert.ok(seen.length > 20, `enough responses were checked (${seen.length})`);
    for (const answer of seen) assert.doesNotMatch(answer.text, STACK_TRACE);
  });

  test('every error body is exactly the §5.4 envelope: no error key, no null detail or suggestedUserMessage', () => {
    const errors = seen.filter((a) => a.status >= 400);
    assert.ok(errors.length > 15, `enough error responses were checked (${errors.length})`);
    for (const answer of errors) {
      const body = assertEnvelopeShape(answer) as unknown as Record<string, unknown>;
      assert.notEqual(body.detail, null);
      assert.notEqual(body.suggestedUserMessage, null);
    }
  });

  test('the server still serves a normal request after all of it', async () => {
    const answer = await call<{ vehicles: string[] }>('/v2.0/vehicles', { token: owner.token });
    assert.equal(answer.status, 200, answer.text);
    assert.ok(answer.body.vehicles.includes(owner.id));
    const odometer = await call(vehiclePath('/odometer'), { token: owner.token });
    assert.equal(odometer.status, 200, odometer.text);
  });
});
