/**
 * The v3 face's errors and HTTP tolerance (smartcar-v3.md §1.4, §5.4, §8.8): every refusal on a
 * /v3 path is the hybrid body (errors[] beside the v2 fields), unknown and v2-style paths are
 * INVALID_PATH, and what SDKs send (duplicate slashes, an empty query, a JSON content type on a GET,
 * a trailing slash) is accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callApi } from './support/http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { assertHybridError, type HybridError } from './support/v3.js';

let tp: TestPlatform;
let token: string;
let vehicleId: string;

before(async () => {
  tp = await startPlatform();
  const granted = await tp.token({ make: 'TESLA', model: 'Model 3' });
  token = granted.accessToken;
  vehicleId = granted.vehicleIds[0]!;
});
after(() => tp.close());

const get = (path: string, headers: Record<string, string> = {}) => callApi<HybridError>(tp.baseUrl, path, { token, headers });

describe('v3 error bodies', () => {
  test('an unknown v3 path, and a v2 resource under /v3, is 404 RESOURCE_NOT_FOUND INVALID_PATH', async () => {
    for (const path of ['/v3/nope', '/v3', `/v3/vehicles/${vehicleId}/odometer`, `/v3/vehicles/${vehicleId}/battery`]) {
      assertHybridError(await get(path), 404, 'RESOURCE_NOT_FOUND', 'INVALID_PATH');
    }
  });

  test('the v2 fields make a typed error: description, docURL, resolution, statusCode', async () => {
    const body = assertHybridError(await get('/v3/vehicles/not-a-uuid'), 404, 'RESOURCE_NOT_FOUND', 'VEHICLE_NOT_FOUND');
    assert.match(body.docURL, /^https:\/\/smartcar\.com\/docs\/errors\/api-errors\/resource-not-found-errors#vehicle-not-found$/);
    assert.deepEqual(body.resolution, { type: null });
    assert.equal(body.errors[0]!.title, 'Resource not found');
  });

  test('no token, a wrong token, another owner\'s vehicle', async () => {
    assertHybridError(await callApi<HybridError>(tp.baseUrl, `/v3/vehicles/${vehicleId}`), 401, 'AUTHENTICATION', null);
    assertHybridError(await callApi<HybridError>(tp.baseUrl, `/v3/vehicles/${vehicleId}`, { token: 'wrong' }), 401, 'AUTHENTICATION', null);
    const other = await tp.token({ make: 'TESLA' });
    assertHybridError(await get(`/v3/vehicles/${other.vehicleIds[0]}/signals`), 404, 'RESOURCE_NOT_FOUND', 'VEHICLE_NOT_FOUND');
  });

  test('an unknown signal code is 404 SIGNAL_NOT_FOUND, however long', async () => {
    assertHybridError(await get(`/v3/vehicles/${vehicleId}/signals/odometer-nope`), 404, 'RESOURCE_NOT_FOUND', 'SIGNAL_NOT_FOUND');
    assertHybridError(await get(`/v3/vehicles/${vehicleId}/signals/${'x'.repeat(90)}`), 404, 'RESOURCE_NOT_FOUND', 'SIGNAL_NOT_FOUND');
  });

  test('the framework\'s own refusals on /v3 paths are hybrid too: a URL that does not decode, a segment too long', async () => {
    assertHybridError(await get(`/v3/vehicles/${vehicleId}/signals/%E0%A4%A`), 400, 'VALIDATION', null);
    const long = await get(`/v3/vehicles/${'a'.repeat(500)}`);
    assert.equal(long.body.errors.length, 1);
    assert.equal(long.body.type, 'VALIDATION');
  });

  test('v2 errors keep the v2 envelope, without errors[]', async () => {
    const res = await get('/v2.0/nope');
    assert.equal(res.status, 404);
    assert.ok(!('errors' in res.body));
  });
});

describe('v3 tolerance of what clients send', () => {
  test('trailing slash, duplicate slashes, an empty query, unknown parameters, JSON content type on a GET', async () => {
    for (const path of [
      `/v3/vehicles/${vehicleId}/`, `//v3/vehicles/${vehicleId}`, `/v3/vehicles/${vehicleId}?`, `/v3/vehicles/${vehicleId}/signals?`,
      `/v3/vehicles/${vehicleId}/signals?flags=a:b&page=1`, `/v3/vehicles/${vehicleId.toUpperCase()}/signals/odometer-traveleddistance`,
    ]) {
      const res = await get(path, { 'content-type': 'application/json', 'sc-unit-system': 'imperial' });
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.ok(res.headers.get('sc-request-id'));
    }
  });
});
