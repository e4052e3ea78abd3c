/**
 * Smartcar v3 application tokens (smartcar-v3.md §2.1): POST /oauth2/token with the
 * client-credentials grant, and v3 requests carrying the token with `sc-user-id` naming a user
 * connected to the app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callApi } from './support/http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { applicationToken, assertHybridError, type HybridError, type V3Signal } from './support/v3.js';

let tp: TestPlatform;

before(async () => {
  tp = await startPlatform();
});
after(() => tp.close());

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function postToken(body: string, headers: Record<string, string>) {
  return callApi<Record<string, unknown>>(tp.baseUrl, '/oauth2/token', { method: 'POST', body, headers });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('POST /oauth2/token (client_credentials)', () => {
  test('a form body with client_id and client_secret answers exactly access_token, token_type and expires_in', async () => {
    const res = await postToken(
      new URLSearchParams({ grant_type: 'client_credentials', client_id: tp.app.clientId, client_secret: tp.app.clientSecret }).toString(), FORM,
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.ok((res.body.access_token as string).length >= 43);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('a JSON body works too, as Smartcar\'s spec and real clients send it', async () => {
    const res = await postToken(JSON.stringify({ grant_type: 'client_credentials', client_id: tp.app.clientId, client_secret: tp.app.clientSecret }), {});
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.token_type, 'Bearer');
  });

  test('HTTP Basic client credentials work with a form or a JSON body', async () => {
    const authorization = basic(tp.app.clientId, tp.app.clientSecret);
    assert.equal((await postToken('grant_type=client_credentials', { ...FORM, authorization })).status, 200);
    assert.equal((await postToken('{"grant_type":"client_credentials"}', { authorization })).status, 200);
  });

  test('each grant issues a different token, and none is stored in clear', async () => {
    const a = await applicationToken(tp.baseUrl, tp.app.clientId, tp.app.clientSecret);
    const b = await applicationToken(tp.baseUrl, tp.app.clientId, tp.app.clientSecret);
    assert.notEqual(a, b);
    const rows = await tp.platform.db.selectFrom('application_tokens').select('hash').execute();
    assert.ok(rows.length >= 2);
    for (const row of rows) assert.ok(![a, b].includes(row.hash) && /^[0-9a-f]{64}$/.test(row.hash));
  });

  test('a wrong secret is 401 invalid_client with a Basic challenge', async () => {
    const res = await postToken(
      new URLSearchParams({ grant_type: 'client_credentials', client_id: tp.app.clientId, client_secret: 'wrong' }).toString(), FORM,
    );
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    assert.equal(typeof res.body.error_description, 'string');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/);
    assert.equal((await postToken('grant_type=client_credentials', { ...FORM, authorization: basic(tp.app.clientId, 'nope') })).status, 401);
  });

  test('a missing grant_type is 400 invalid_request; another grant type is unsupported_grant_type', async () => {
    const missing = await postToken(JSON.stringify({ client_id: tp.app.clientId, client_secret: tp.app.clientSecret }), {});
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { error: 'invalid_request', error_description: 'Missing parameter: grant_type.' });
    const other = await postToken('grant_type=password', { ...FORM, authorization: basic(tp.app.clientId, tp.app.clientSecret) });
    assert.equal(other.status, 400);
    assert.equal(other.body.error, 'unsupported_grant_type');
  });

  test('malformed bodies are invalid_request in the OAuth form: bad JSON, a number for a string, a text body', async () => {
    for (const [body, headers] of [['{"grant_type":', {}], ['{"grant_type":7}', {}], ['["client_credentials"]', {}], ['grant_type=client_credentials', { 'content-type': 'text/plain' }]] as const) {
      const res = await postToken(body, { ...headers });
      assert.ok([400, 415].includes(res.status), `${body}: ${res.status}`);
      assert.equal(res.body.error, 'invalid_request', body);
    }
  });

  test('the v2 token endpoint is unchanged: it does not take client_credentials', async () => {
    const res = await callApi<Record<string, unknown>>(tp.baseUrl, '/oauth/token', {
      method: 'POST', body: 'grant_type=client_credentials', headers: { ...FORM, authorization: basic(tp.app.clientId, tp.app.clientSecret) },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'unsupported_grant_type');
  });
});

describe('v3 requests with an application token and sc-user-id', () => {
  let appToken: string;
  let userId: string;
  let vehicleId: string;
  before(async () => {
    appToken = await applicationToken(tp.baseUrl, tp.app.clientId, tp.app.clientSecret);
    const granted = await tp.token({ make: 'TESLA', model: 'Model 3', scope: 'read_odometer read_vehicle_info' });
    userId = granted.userId;
    vehicleId = granted.vehicleIds[0]!;
  });

  test('read the user\'s vehicle and its signals with that user\'s permissions', async () => {
    const headers = { 'sc-user-id': userId };
    const vehicle = await callApi<Record<string, unknown>>(tp.baseUrl, `/v3/vehicles/${vehicleId}`, { token: appToken, headers });
    assert.equal(vehicle.status, 200, vehicle.text);
    assert.equal(vehicle.body.id, vehicleId);
    const list = await callApi<{ data: V3Signal[] }>(tp.baseUrl, `/v3/vehicles/${vehicleId}/signals`, { token: appToken, headers });
    assert.equal(list.status, 200, list.text);
    const byCode = new Map(list.body.data.map((s) => [s.id, s]));
    assert.equal(byCode.get('odometer-traveleddistance')?.attributes.status.value, 'SUCCESS');
    assert.equal(byCode.get('tractionbattery-stateofcharge')?.attributes.status.error?.type, 'PERMISSION');
    const one = await callApi<V3Signal>(tp.baseUrl, `/v3/vehicles/${vehicleId}/signals/odometer-traveleddistance`, { token: appToken, headers });
    assert.equal(one.body.attributes.status.value, 'SUCCESS');
  });

  test('without sc-user-id: 400 VALIDATION naming the header', async () => {
    const res = await callApi<HybridError & { detail: { field: string }[] }>(tp.baseUrl, `/v3/vehicles/${vehicleId}/signals`, { token: appToken });
    assertHybridError(res, 400, 'VALIDATION', 'PARAMETER');
    assert.equal(res.body.detail[0]?.field, 'sc-user-id');
  });

  test('a user not connected to the app, or not this vehicle\'s, finds nothing: 404', async () => {
    const other = await tp.token({ make: 'TESLA' });
    for (const user of ['6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f', other.userId, 'not-a-uuid']) {
      const res = await callApi<HybridError>(tp.baseUrl, `/v3/vehicles/${vehicleId}/signals`, { token: appToken, headers: { 'sc-user-id': user } });
      assertHybridError(res, 404, 'RESOURCE_NOT_FOUND', 'VEHICLE_NOT_FOUND');
    }
  });

  test('another app\'s application token does not reach this app\'s users', async () => {
    const otherApp = await tp.platform.services.apps.create({ name: 'Other', redirectUris: ['https://o.example.com/cb'] });
    const otherToken = await applicationToken(tp.baseUrl, otherApp.clientId, otherApp.clientSecret);
    const res = await callApi<HybridError>(tp.baseUrl, `/v3/vehicles/${vehicleId}`, { token: otherToken, headers: { 'sc-user-id': userId } });
    assertHybridError(res, 404, 'RESOURCE_NOT_FOUND', 'VEHICLE_NOT_FOUND');
  });

  test('an ended grant ends what the application token reaches', async () => {
    const granted = await tp.token({ make: 'TESLA' });
    const path = `/v3/vehicles/${granted.vehicleIds[0]}`;
    const headers = { 'sc-user-id': granted.userId };
    assert.equal((await callApi(tp.baseUrl, path, { token: appToken, headers })).status, 200);
    await tp.platform.services.tokens.revokeVehicle(tp.app.clientId, granted.userId, granted.vehicleIds[0]!, 'owner_revoked');
    assertHybridError(await callApi<HybridError>(tp.baseUrl, path, { token: appToken, headers }), 404, 'RESOURCE_NOT_FOUND', 'VEHICLE_NOT_FOUND');
  });

  test('an application token is not a v2 token, and an unknown token is 401', async () => {
    assert.equal((await callApi(tp.baseUrl, `/v2.0/vehicles/${vehicleId}/odometer`, { token: appToken })).status, 401);
    const res = await callApi<HybridError>(tp.baseUrl, `/v3/vehicles/${vehicleId}`, { token: 'app.nothing', headers: { 'sc-user-id': userId } });
    assertHybridError(res, 401, 'AUTHENTICATION', null);
  });

  test('a v2 token with sc-user-id naming its own user works; naming another user finds nothing', async () => {
    const own = await tp.token({ make: 'TESLA' });
    const path = `/v3/vehicles/${own.vehicleIds[0]}/signals`;
    assert.equal((await callApi(tp.baseUrl, path, { token: own.accessToken, headers: { 'sc-user-id': own.userId } })).status, 200);
    const res = await callApi<HybridError>(tp.baseUrl, path, { token: own.accessToken, headers: { 'sc-user-id': userId } });
    assertHybridError(res, 404, 'RESOURCE_NOT_FOUND', 'VEHICLE_NOT_FOUND');
  });
});
