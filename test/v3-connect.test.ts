/**
 * Connect for v3 apps (smartcar-v3.md §7.2): the success redirect names the owner in `user_id`, the
 * id a v3 app then sends as `sc-user-id` with its application token (and v4 webhooks carry as
 * data.user.id).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectOverHttp } from './support/connect-http.js';
import { callApi } from './support/http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { applicationToken } from './support/v3.js';

let tp: TestPlatform;

before(async () => {
  tp = await startPlatform();
});
after(() => tp.close());

describe('Connect → v3', () => {
  test('the redirect carries user_id beside code and state; it is the user of the token and of sc-user-id', async () => {
    const query = new URLSearchParams({ response_type: 'code', client_id: tp.app.clientId, mode: 'test', scope: 'read_odometer', state: 's1' });
    const url = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?${query}`, { vehicles: 'first' });
    const userId = url.searchParams.get('user_id');
    assert.ok(url.searchParams.get('code'));
    assert.equal(url.searchParams.get('state'), 's1');
    assert.match(userId ?? '', /^[0-9a-f-]{36}$/);

    const exchanged = await fetch(`${tp.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${tp.app.clientId}:${tp.app.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: url.searchParams.get('code')!, redirect_uri: 'https://app.example.com/callback' }),
    });
    const { access_token: accessToken } = await exchanged.json() as { access_token: string };
    const user = await callApi<{ id: string }>(tp.baseUrl, '/v2.0/user', { token: accessToken });
    assert.equal(user.body.id, userId);
    const vehicles = await callApi<{ vehicles: string[] }>(tp.baseUrl, '/v2.0/vehicles', { token: accessToken });

    const appToken = await applicationToken(tp.baseUrl, tp.app.clientId, tp.app.clientSecret);
    const odometer = await callApi<{ attributes: { status: { value: string } } }>(
      tp.baseUrl, `/v3/vehicles/${vehicles.body.vehicles[0]}/signals/odometer-traveleddistance`, { token: appToken, headers: { 'sc-user-id': userId! } },
    );
    assert.equal(odometer.status, 200, odometer.text);
    assert.equal(odometer.body.attributes.status.value, 'SUCCESS');
  });
});
