import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { registerCors } from './cors.js';

const EXPOSED = 'sc-request-id, sc-data-age, sc-fetched-at, sc-unit-system, retry-after';

/** An API scope with CORS and one route, beside a route outside it (as Connect and the token endpoint are). */
async function appWith(origins: string) {
  const app = Fastify();
  await app.register(async (api) => {
    await registerCors(api, origins);
    api.get('/v2.0/vehicles/:id/odometer', async () => ({ distance: 1 }));
    api.post('/v2.0/vehicles/:id/security', async () => ({ status: 'success' }));
  });
  app.get('/connect', async () => 'page');
  await app.ready();
  return app;
}

const corsHeaders = (headers: Record<string, unknown>) => Object.fromEntries(
  Object.entries(headers).filter(([name]) => name.startsWith('access-control-') || name === 'vary'),
);

describe('CORS on the API faces', () => {
  test('CORS_ORIGINS=*: every answer of the API allows any origin and exposes the sc-* headers', async () => {
    const app = await appWith('*');
    for (const [method, url] of [['GET', '/v2.0/vehicles/x/odometer'], ['POST', '/v2.0/vehicles/x/security']] as const) {
      const res = await app.inject({ method, url, headers: { origin: 'https://a.example' } });
      assert.deepEqual(corsHeaders(res.headers), { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED }, url);
    }
    const noOrigin = await app.inject({ url: '/v2.0/vehicles/x/odometer' });
    assert.deepEqual(corsHeaders(noOrigin.headers), { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED });
  });

  test('an origin list: a listed origin is echoed, any other is not, and the answer varies with Origin', async () => {
    const app = await appWith('https://a.example, https://b.example');
    const listed = await app.inject({ url: '/v2.0/vehicles/x/odometer', headers: { origin: 'https://b.example' } });
    assert.deepEqual(corsHeaders(listed.headers), {
      vary: 'Origin', 'access-control-allow-origin': 'https://b.example', 'access-control-expose-headers': EXPOSED,
    });
    const other = await app.inject({ url: '/v2.0/vehicles/x/odometer', headers: { origin: 'https://c.example' } });
    assert.deepEqual(corsHeaders(other.headers), { vary: 'Origin', 'access-control-expose-headers': EXPOSED });
  });

  test('a preflight is answered 204 with the methods and headers the API takes', async () => {
    const app = await appWith('*');
    const res = await app.inject({
      method: 'OPTIONS', url: '/v2.0/vehicles/x/odometer',
      headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(res.statusCode, 204);
    assert.deepEqual(corsHeaders(res.headers), {
      'access-control-allow-origin': '*',
      'access-control-expose-headers': EXPOSED,
      'access-control-allow-methods': 'GET, POST, DELETE',
      'access-control-allow-headers': 'authorization, content-type, sc-unit-system, sc-user-id',
    });
    const partial = await app.inject({ method: 'OPTIONS', url: '/v2.0/vehicles/x/odometer' });
    assert.equal(partial.statusCode, 204, 'not a full preflight: an empty 204 all the same');
  });

  test('a preflight from an origin not listed gets no allow-origin', async () => {
    const app = await appWith('https://a.example');
    const res = await app.inject({
      method: 'OPTIONS', url: '/v2.0/vehicles/x/odometer',
      headers: { origin: 'https://c.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers.vary, 'Origin');
  });

  test('routes outside the API faces get no CORS headers', async () => {
    const app = await appWith('*');
    const res = await app.inject({ url: '/connect', headers: { origin: 'https://a.example' } });
    assert.deepEqual(corsHeaders(res.headers), {});
  });
});
