/**
 * POST /oauth/token on the wire (spec §2): the success body, the URL and body shapes the SDKs send,
 * the OAuth error bodies, and the official Node SDK's AuthClient end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { connectOverHttp } from './support/connect-http.js';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

const REDIRECT = 'https://app.example.com/callback';
const JSON_TYPE = /^application\/json(;|$)/;

interface Access {
  accessToken: string;
  refreshToken: string;
  expiration: Date;
  refreshExpiration: Date;
}

interface AuthClient {
  getAuthUrl(scope: string[], options?: object): string;
  exchangeCode(code: string, options?: object): Promise<Access>;
  exchangeRefreshToken(token: string, options?: object): Promise<Access>;
}

const { AuthClient } = smartcar as unknown as { AuthClient: new (options: object) => AuthClient };
type SdkError = InstanceType<typeof smartcar.SmartcarError>;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

let tp: TestPlatform;
let basic: string;

before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
  basic = `Basic ${Buffer.from(`${tp.app.clientId}:${tp.app.clientSecret}`).toString('base64')}`;
});
after(() => tp.close());

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${tp.baseUrl}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic, ...headers }, body,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: (parsed ?? {}) as Record<string, unknown> };
}

function form(fields: Record<string, string> | [string, string][]): string {
  return new URLSearchParams(fields).toString();
}

/** A code from a Connect run; `redirectUri: null` leaves redirect_uri out of the authorize URL. */
async function code(redirectUri: string | null = REDIRECT): Promise<string> {
  const query = new URLSearchParams({
    response_type: 'code', client_id: tp.app.clientId, scope: 'read_vehicle_info read_odometer', mode: 'test', make: 'TESLA',
  });
  if (redirectUri !== null) query.set('redirect_uri', redirectUri);
  const url = await connectOverHttp(`${tp.baseUrl}/oauth/authorize?${query}`);
  const value = url.searchParams.get('code');
  assert.ok(value, `no code in ${url}`);
  return value;
}

function assertTokens(answer: Answer): { access: string; refresh: string } {
  assert.equal(answer.status, 200, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', JSON_TYPE);
  assert.deepEqual(Object.keys(answer.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
  assert.equal(answer.body.token_type, 'Bearer');
  assert.equal(answer.body.expires_in, 7200);
  assert.equal(typeof answer.body.access_token, 'string');
  assert.equal(typeof answer.body.refresh_token, 'string');
  assert.notEqual(answer.body.access_token, answer.body.refresh_token);
  return { access: String(answer.body.access_token), refresh: String(answer.body.refresh_token) };
}

function assertOAuthError(answer: Answer, status: number, error: string, description?: string | RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', JSON_TYPE);
  assert.deepEqual(Object.keys(answer.body).sort(), ['error', 'error_description'], answer.text);
  assert.equal(answer.body.error, error);
  if (typeof description === 'string') assert.equal(answer.body.error_description, description);
  else if (description) assert.match(String(answer.body.error_description), description);
}

async function reachesVehicles(accessToken: string): Promise<boolean> {
  const res = await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${accessToken}` } });
  await res.arrayBuffer();
  return res.status === 200;
}

describe('POST /oauth/token: success (spec §2.3)', () => {
  test('authorization_code answers exactly {access_token, token_type: Bearer, expires_in: 7200, refresh_token} as JSON', async () => {
    const tokens = assertTokens(await post('/oauth/token', form({ grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT })));
    assert.ok(await reachesVehicles(tokens.access));
  });

  test('refresh_token answers the same shape with a new pair', async () => {
    const t = await tp.token();
    const tokens = assertTokens(await post('/oauth/token', form({ grant_type: 'refresh_token', refresh_token: t.refreshToken })));
    assert.notEqual(tokens.refresh, t.refreshToken);
    assert.notEqual(tokens.access, t.accessToken);
    assert.ok(await reachesVehicles(tokens.access));
  });
});

describe('POST /oauth/token: what the SDKs send (spec §0.3, §2.1, §2.2)', () => {
  test('the trailing-slash path /oauth/token/ (Go SDK) is the same endpoint', async () => {
    const t = await tp.token();
    assertTokens(await post('/oauth/token/', form({ grant_type: 'refresh_token', refresh_token: t.refreshToken })));
  });

  test('a ?flags= query (Node, Java, Ruby SDKs) is accepted and ignored', async () => {
    const t = await tp.token();
    assertTokens(await post(`/oauth/token?${form({ flags: 'country:DE color:00819D' })}`, form({ grant_type: 'refresh_token', refresh_token: t.refreshToken })));
  });

  test('a form Content-Type with a charset (OkHttp, Java SDK) is accepted', async () => {
    const t = await tp.token();
    const answer = await post('/oauth/token', form({ grant_type: 'refresh_token', refresh_token: t.refreshToken }), {
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
    });
    assertTokens(answer);
  });

  test('Ruby-style credentials in the body, without a Basic header, work for both grants', async () => {
    const credentials = { client_id: tp.app.clientId, client_secret: tp.app.clientSecret };
    const first = assertTokens(await post('/oauth/token',
      form({ grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT, ...credentials }), { authorization: '' }));
    assertTokens(await post('/oauth/token', form({ grant_type: 'refresh_token', refresh_token: first.refresh, ...credentials }), { authorization: '' }));
  });

  test('the Node SDK quirk redirect_uri=undefined is accepted when the authorize request had no redirect_uri', async () => {
    assertTokens(await post('/oauth/token', form({ grant_type: 'authorization_code', code: await code(null), redirect_uri: 'undefined' })));
  });

  test('the app’s default redirect URI, sent explicitly, matches a code requested without one', async () => {
    assertTokens(await post('/oauth/token', form({ grant_type: 'authorization_code', code: await code(null), redirect_uri: REDIRECT })));
  });
});

describe('POST /oauth/token: errors (spec §2.4, RFC 6749 §5.2)', () => {
  test('a missing grant_type is invalid_request', async () => {
    assertOAuthError(await post('/oauth/token', form({ code: 'x' })), 400, 'invalid_request');
    assertOAuthError(await post('/oauth/token', form({ grant_type: '' })), 400, 'invalid_request');
  });

  test('an unknown grant_type is unsupported_grant_type', async () => {
    for (const grant of ['password', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'AUTHORIZATION_CODE']) {
      assertOAuthError(await post('/oauth/token', form({ grant_type: grant })), 400, 'unsupported_grant_type');
    }
  });

  test('a grant without its code or refresh_token is invalid_request', async () => {
    assertOAuthError(await post('/oauth/token', form({ grant_type: 'authorization_code', redirect_uri: REDIRECT })), 400, 'invalid_request');
    assertOAuthError(await post('/oauth/token', form({ grant_type: 'refresh_token' })), 400, 'invalid_request');
  });

  test('a repeated parameter is invalid_request', async () => {
    const t = await tp.token();
    const answer = await post('/oauth/token', form([['grant_type', 'refresh_token'], ['refresh_token', t.refreshToken], ['refresh_token', 'other']]));
    assertOAuthError(answer, 400, 'invalid_request');
  });

  test('an unknown code is invalid_grant “Invalid code: <code>.”', async () => {
    assertOAuthError(await post('/oauth/token', form({ grant_type: 'authorization_code', code: 'THIS_SHOULD_NOT_WORK', redirect_uri: REDIRECT })),
      400, 'invalid_grant', 'Invalid code: THIS_SHOULD_NOT_WORK.');
  });

  test('another redirect_uri is invalid_grant “Unauthorized redirect_uri: <uri>”', async () => {
    const uri = 'https://app.example.com/elsewhere';
    assertOAuthError(await post('/oauth/token', form({ grant_type: 'authorization_code', code: await code(), redirect_uri: uri })),
      400, 'invalid_grant', `Unauthorized redirect_uri: ${uri}`);
  });

  test('an unknown refresh token is invalid_grant', async () => {
    assertOAuthError(await post('/oauth/token', form({ grant_type: 'refresh_token', refresh_token: 'nope' })), 400, 'invalid_grant', /^Invalid refresh_token/);
  });

  test('bad client credentials are 401 invalid_client', async () => {
    const wrong = `Basic ${Buffer.from(`${tp.app.clientId}:wrong`).toString('base64')}`;
    const answer = await post('/oauth/token', form({ grant_type: 'refresh_token', refresh_token: 'x' }), { authorization: wrong });
    assertOAuthError(answer, 401, 'invalid_client');
    assert.ok(answer.headers.get('www-authenticate'));
  });

  test('a JSON body carrying a valid grant is 400 invalid_request: the endpoint takes forms only (RFC 6749 §3.2)', async () => {
    const t = await tp.token();
    const body = JSON.stringify({ grant_type: 'refresh_token', refresh_token: t.refreshToken });
    assertOAuthError(await post('/oauth/token', body, { 'content-type': 'application/json' }), 400, 'invalid_request');
  });

  test('malformed or non-object JSON is 400 invalid_request, not a 500 and not the v2 envelope', async () => {
    for (const body of ['{"grant_type": ', '[]', '"refresh_token"']) {
      assertOAuthError(await post('/oauth/token', body, { 'content-type': 'application/json' }), 400, 'invalid_request');
    }
  });

  test('other bodies (text, empty, over 1 MB) are 400 invalid_request too', async () => {
    assertOAuthError(await post('/oauth/token', 'grant_type=refresh_token', { 'content-type': 'text/plain' }), 400, 'invalid_request');
    assertOAuthError(await post('/oauth/token', ''), 400, 'invalid_request');
    assertOAuthError(await post('/oauth/token', `grant_type=refresh_token&refresh_token=${'a'.repeat(1_100_000)}`), 400, 'invalid_request');
  });
});

describe('The official Node SDK AuthClient against /oauth/token', () => {
  const client = (options: object = {}) => new AuthClient({
    clientId: tp.app.clientId, clientSecret: tp.app.clientSecret, redirectUri: REDIRECT, mode: 'test', ...options,
  });
  const isOAuthError = (type: string, statusCode: number, description?: string) => (error: SdkError) => {
    assert.ok(error instanceof smartcar.SmartcarError, `a SmartcarError, got ${String(error)}`);
    assert.equal(error.type, type);
    assert.equal(error.statusCode, statusCode);
    if (description !== undefined) assert.equal(error.description, description);
    return true;
  };

  test('getAuthUrl → Connect → exchangeCode → exchangeRefreshToken', async () => {
    const auth = client();
    const url = await connectOverHttp(auth.getAuthUrl(['read_vehicle_info', 'read_odometer'], { state: 's1', makeBypass: 'TESLA' }));
    assert.equal(url.searchParams.get('state'), 's1');
    const access = await auth.exchangeCode(url.searchParams.get('code')!);
    assert.ok(access.expiration.getTime() > Date.now() + 7100_000 && access.expiration.getTime() <= Date.now() + 7200_000);
    assert.equal((await smartcar.getVehicles(access.accessToken)).vehicles.length >= 1, true);
    const renewed = await auth.exchangeRefreshToken(access.refreshToken, { flags: { country: 'DE' } });
    assert.notEqual(renewed.refreshToken, access.refreshToken);
    assert.ok(await reachesVehicles(renewed.accessToken));
  });

  test('an AuthClient without a redirectUri (it sends redirect_uri=undefined) exchanges its code', async () => {
    const auth = client({ redirectUri: undefined });
    const url = await connectOverHttp(auth.getAuthUrl(['read_vehicle_info'], { makeBypass: 'TESLA' }));
    assert.equal(`${url.origin}${url.pathname}`, REDIRECT);
    const access = await auth.exchangeCode(url.searchParams.get('code')!);
    assert.ok(await reachesVehicles(access.accessToken));
  });

  test('errors surface as SmartcarError with the OAuth error as type', async () => {
    await assert.rejects(client().exchangeCode('bogus-code'), isOAuthError('invalid_grant', 400, 'Invalid code: bogus-code.'));
    await assert.rejects(client().exchangeRefreshToken('bogus-token'), isOAuthError('invalid_grant', 400));
    const t = await tp.token();
    await assert.rejects(client({ clientSecret: 'wrong' }).exchangeRefreshToken(t.refreshToken), isOAuthError('invalid_client', 401));
  });
});
