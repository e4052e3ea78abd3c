/**
 * The rules of oauth-security.md beyond the basic flow: issuer identification (RFC 9207), token
 * revocation (RFC 7009), and client secret rotation with two valid secrets during the transition.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CreatedApp } from '../src/oauth/index.js';
import { connectOverHttp } from './support/connect-http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

const REDIRECT = 'https://app.example.com/callback';
let tp: TestPlatform;

before(async () => {
  tp = await startPlatform();
});
after(() => tp.close());

function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

async function post(path: string, form: Record<string, string>, authorization: string) {
  const res = await fetch(`${tp.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function tokensFor(app: CreatedApp, secret = app.clientSecret) {
  const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, scope: 'read_odometer', mode: 'test', make: 'TESLA' });
  const url = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?${query}`);
  const res = await post('/oauth/token', { grant_type: 'authorization_code', code: url.searchParams.get('code')! }, basic(app.clientId, secret));
  assert.equal(res.status, 200);
  return { access: res.body.access_token!, refresh: res.body.refresh_token! };
}

async function vehiclesStatus(access: string): Promise<number> {
  return (await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${access}` } })).status;
}

describe('RFC 9207 issuer identification', () => {
  test('every redirect back to the app carries iss, the origin of this server', async () => {
    const ok = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?response_type=code&client_id=${tp.app.clientId}&scope=read_odometer&mode=test`);
    assert.equal(ok.searchParams.get('iss'), tp.baseUrl);
    const denied = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?response_type=code&client_id=${tp.app.clientId}&scope=read_odometer&mode=test`, { decision: 'deny' });
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('iss'), tp.baseUrl);
  });
});

describe('RFC 7009 token revocation: POST /oauth/revoke', () => {
  test('revoking a refresh token ends its whole family: the refresh token and its access tokens', async () => {
    const { access, refresh } = await tokensFor(tp.app);
    const res = await post('/oauth/revoke', { token: refresh, token_type_hint: 'refresh_token' }, basic(tp.app.clientId, tp.app.clientSecret));
    assert.deepEqual(res, { status: 200, body: {} });
    assert.equal(await vehiclesStatus(access), 401);
    const again = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refresh }, basic(tp.app.clientId, tp.app.clientSecret));
    assert.equal(again.body.error, 'invalid_grant');
  });

  test('revoking an access token ends only that token', async () => {
    const { access, refresh } = await tokensFor(tp.app);
    assert.equal((await post('/oauth/revoke', { token: access }, basic(tp.app.clientId, tp.app.clientSecret))).status, 200);
    assert.equal(await vehiclesStatus(access), 401);
    const renewed = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refresh }, basic(tp.app.clientId, tp.app.clientSecret));
    assert.equal(renewed.status, 200);
    assert.equal(await vehiclesStatus(renewed.body.access_token!), 200);
  });

  test('an unknown token, or another app’s, answers 200 and changes nothing', async () => {
    const other = await tp.platform.services.apps.create({ name: 'Other', redirectUris: [REDIRECT] });
    const { access } = await tokensFor(tp.app);
    assert.equal((await post('/oauth/revoke', { token: 'no-such-token' }, basic(other.clientId, other.clientSecret))).status, 200);
    assert.equal((await post('/oauth/revoke', { token: access }, basic(other.clientId, other.clientSecret))).status, 200);
    assert.equal(await vehiclesStatus(access), 200);
  });

  test('the client must authenticate', async () => {
    const res = await post('/oauth/revoke', { token: 'x' }, basic(tp.app.clientId, 'wrong'));
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
  });
});

describe('Client secret rotation', () => {
  test('after a rotation both secrets work until the previous one’s end; with no overlap only the new one', async () => {
    const app = await tp.platform.services.apps.create({ name: 'Rotating', redirectUris: [REDIRECT] });
    const overlap = await tp.platform.services.apps.rotateSecret(app.clientId, 3600);
    assert.notEqual(overlap.clientSecret, app.clientSecret);
    await tokensFor(app, app.clientSecret);
    await tokensFor(app, overlap.clientSecret);

    const clean = await tp.platform.services.apps.rotateSecret(app.clientId, 0);
    await tokensFor(app, clean.clientSecret);
    for (const stale of [app.clientSecret, overlap.clientSecret]) {
      const res = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x' }, basic(app.clientId, stale));
      assert.equal(res.status, 401, 'a replaced secret past its end is refused');
      assert.equal(res.body.error, 'invalid_client');
    }
  });
});
