/**
 * TRUST_PROXY: per-address limits key on the address the trusted proxy saw. A client that sends
 * its own X-Forwarded-For entries cannot rotate past a limit, because only the hops carport trusts
 * are read (a hop count or a list of proxy addresses, as Fastify's trustProxy takes them).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startPlatform } from '../support/platform.js';

const LIMIT = 5;

/** A wrong-secret refresh: counted by the token endpoint's per-address limit. */
async function tokenAttempt(baseUrl: string, forwardedFor?: string): Promise<number> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${Buffer.from('unknown-client:guess').toString('base64')}`,
  };
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  const res = await fetch(`${baseUrl}/oauth/token`, { method: 'POST', headers, body: 'grant_type=refresh_token&refresh_token=x' });
  await res.text();
  return res.status;
}

/** Statuses of `count` attempts whose forged leftmost entry changes every time. */
async function rotating(baseUrl: string, proxySaw: string | null, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const forged = `198.51.100.${i + 1}`;
    statuses.push(await tokenAttempt(baseUrl, proxySaw === null ? forged : `${forged}, ${proxySaw}`));
  }
  return statuses;
}

describe('TRUST_PROXY and per-address limits', () => {
  for (const [label, trustProxy] of [['a hop count of 1', 1], ['the proxy\'s own address', '127.0.0.1']] as const) {
    test(`trusting ${label}: rotating forged X-Forwarded-For entries does not escape the limit`, async () => {
      const tp = await startPlatform({ rateLimits: 'on', tokenRequestsPerMinute: LIMIT, trustProxy });
      try {
        const statuses = await rotating(tp.baseUrl, '203.0.113.7', LIMIT + 3);
        assert.deepEqual(statuses.slice(0, LIMIT), Array(LIMIT).fill(401));
        assert.deepEqual(statuses.slice(LIMIT), [429, 429, 429]);
        // Another address seen by the proxy has its own allowance.
        assert.equal(await tokenAttempt(tp.baseUrl, '198.51.100.99, 203.0.113.8'), 401);
      } finally {
        await tp.close();
      }
    });
  }

  test('trusting no proxy: X-Forwarded-For is ignored and the socket address is limited', async () => {
    const tp = await startPlatform({ rateLimits: 'on', tokenRequestsPerMinute: LIMIT, trustProxy: false });
    try {
      const statuses = await rotating(tp.baseUrl, null, LIMIT + 2);
      assert.deepEqual(statuses.slice(LIMIT), [429, 429]);
    } finally {
      await tp.close();
    }
  });

  test('a proxy that is not in the trusted list cannot name the client', async () => {
    const tp = await startPlatform({ rateLimits: 'on', tokenRequestsPerMinute: LIMIT, trustProxy: '10.9.8.7' });
    try {
      const statuses = await rotating(tp.baseUrl, '203.0.113.7', LIMIT + 1);
      assert.equal(statuses[LIMIT], 429);
      // Every attempt came from the untrusted socket address 127.0.0.1, so a fresh entry does not help.
      assert.equal(await tokenAttempt(tp.baseUrl, '203.0.113.9'), 429);
    } finally {
      await tp.close();
    }
  });
});
