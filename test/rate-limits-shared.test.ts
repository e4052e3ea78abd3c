/**
 * RATE_LIMIT_STORE=redis://…: nodes on one database and one Redis share each limit's budget (issue 12
 * point 1), and a Redis that cannot be reached lets requests pass, warns once and is counted.
 * The shared-budget tests need the Redis at REDIS_URL; each uses its own key prefix, so test files
 * running side by side never share a bucket.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { redisRateLimitStore } from '../src/operations/redis-rate-limits.js';
import { testDatabase, type TestDatabase } from './support/database.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

const REDIS_URL = process.env.REDIS_URL;
const METRICS_TOKEN = 'scrape-the-limits-0123456789';

interface Nodes {
  nodes: TestPlatform[];
  prefix: string;
  db: TestDatabase;
}

/** Three nodes on one database, sharing a Redis under one fresh key prefix. */
async function threeNodes(overrides: Record<string, string | number>): Promise<Nodes> {
  const prefix = `test-${randomUUID()}:`;
  const db = await testDatabase({ shareable: true });
  const shared = {
    databaseUrl: db.url, rateLimits: 'on', rateLimitStore: REDIS_URL, rateLimitKeyPrefix: prefix, metricsToken: METRICS_TOKEN, ...overrides,
  };
  const three: Nodes = { nodes: [], prefix, db };
  try {
    // One after the other: the first migrates the database the others open.
    for (let i = 0; i < 3; i++) three.nodes.push(await startPlatform(shared));
  } catch (error) {
    await closeAll(three);
    throw error;
  }
  return three;
}

async function closeAll({ nodes, db }: Nodes): Promise<void> {
  await Promise.all(nodes.map((node) => node.close()));
  await db.drop();
}

async function metricValue(node: TestPlatform, line: RegExp): Promise<number | undefined> {
  const response = await fetch(`${node.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(response.status, 200);
  const match = line.exec(await response.text());
  return match ? Number(match[1]) : undefined;
}

describe('RATE_LIMIT_STORE=redis://…: one budget across nodes', { skip: REDIS_URL ? false : 'REDIS_URL is unset: these tests need a Redis (e.g. redis://127.0.0.1:6379)' }, () => {
  let redis: Redis;
  before(() => {
    redis = new Redis(REDIS_URL!);
  });
  after(() => redis?.disconnect());

  test('three nodes with RATE_LIMIT_APP_PER_MINUTE=60 let about 60 of 150 requests through, not 150', async () => {
    const three = await threeNodes({ appRequestsPerMinute: 60 });
    const { nodes, prefix } = three;
    try {
      const { accessToken } = await nodes[0]!.token();
      const refusedBy = [0, 0, 0];
      let passed = 0;
      for (let i = 0; i < 150; i++) {
        const response = await fetch(`${nodes[i % 3]!.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${accessToken}` } });
        const body = await response.json() as { type?: string; code?: string };
        if (response.status === 200) {
          passed += 1;
          continue;
        }
        assert.equal(response.status, 429, `request ${i}: ${JSON.stringify(body)}`);
        assert.equal(body.type, 'RATE_LIMIT');
        assert.equal(body.code, 'SMARTCAR_API', 'the application\'s budget, as Smartcar names it');
        assert.ok(Number(response.headers.get('retry-after')) >= 1, 'Retry-After in whole seconds');
        refusedBy[i % 3]! += 1;
      }
      // A burst of 60, plus the one a second that refills while the requests run.
      assert.ok(passed >= 55 && passed <= 75, `about 60 of 150 passed: ${passed}`);
      assert.ok(refusedBy.every((refused) => refused > 0), `every node refused once the shared budget was spent: ${refusedBy.join(' ')}`);
      const refusals = await Promise.all(nodes.map((node) => metricValue(node, /^carport_rate_limit_refusals_total\{limit="app"\} (\S+)$/m)));
      assert.equal(refusals.reduce((sum, n) => sum! + (n ?? 0), 0), 150 - passed, 'each node counts its own refusals');

      const ttl = await redis.pttl(`${prefix}carport:rl:app:${nodes[0]!.app.clientId}`);
      assert.ok(ttl > 0 && ttl <= 60_000, `the bucket's key expires once the bucket would be full again: ${ttl} ms`);
    } finally {
      await closeAll(three);
    }
  });

  test('the budget left (the console\'s Usage) is the shared one: what one node took, another sees', async () => {
    const keyPrefix = `test-${randomUUID()}:`;
    const failures: Error[] = [];
    const options = { keyPrefix, onFailure: (error: Error) => failures.push(error), onConnectionError: (error: Error) => failures.push(error) };
    const [one, two] = await Promise.all([redisRateLimitStore(REDIS_URL!, options), redisRateLimitStore(REDIS_URL!, options)]);
    try {
      const taking = one!.limiter('app', 60);
      const looking = two!.limiter('app', 60);
      assert.equal(await looking.peek('app-1', 0), 60, 'an unseen key has the whole burst');
      for (let i = 0; i < 10; i++) assert.equal(await taking.take('app-1', 0), 0);
      const left = await looking.peek('app-1', 0);
      assert.ok(left !== null && left >= 50 && left <= 51, `10 of 60 spent on the other node (one may have refilled): ${left}`);
      assert.equal(await looking.peek('app-1', 0), left, 'looking spends nothing');
      assert.deepEqual(failures, []);
    } finally {
      await Promise.all([one!.close(), two!.close()]);
    }
  });

  test('console sign-in attempts from one address share RATE_LIMIT_TOKEN_PER_MINUTE across nodes', async () => {
    const three = await threeNodes({ tokenRequestsPerMinute: 3 });
    const { nodes } = three;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${nodes[i % 3]!.baseUrl}/console/api/session`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'ada@example.com', password: `guess ${i} guess` }),
        });
        statuses.push(response.status);
        if (response.status === 429) assert.ok(Number(response.headers.get('retry-after')) >= 1);
      }
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    } finally {
      await closeAll(three);
    }
  });
});

describe('RATE_LIMIT_STORE with Redis unreachable', () => {
  test('requests pass (fail open), one warning is logged and each unchecked request is counted', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const tp = await startPlatform({
      rateLimits: 'on', appRequestsPerMinute: 2, metricsToken: METRICS_TOKEN,
      rateLimitStore: `redis://:never-log-this-pw@127.0.0.1:${closedPort}/0`, rateLimitKeyPrefix: `test-${randomUUID()}:`,
    });
    try {
      const { accessToken } = await tp.token();
      const started = Date.now();
      for (let i = 0; i < 10; i++) {
        const response = await fetch(`${tp.baseUrl}/v2.0/vehicles`, { headers: { authorization: `Bearer ${accessToken}` } });
        assert.equal(response.status, 200, 'past a limit of 2, the request still passes: the store is away');
      }
      const warnings = tp.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((l) => l.level === 40 && /rate-limit store/.test(l.msg));
      assert.equal(warnings.length, 1, `one warning, not one per request or reconnect: ${JSON.stringify(warnings)}`);
      assert.ok(Date.now() - started < 60_000, 'within the minute the warning stands for');
      assert.ok(!tp.logs.some((line) => line.includes('never-log-this-pw')), 'the store URL\'s password is never logged');
      assert.equal(await metricValue(tp, /^carport_rate_limit_store_failures_total (\S+)$/m), 10);
    } finally {
      await tp.close();
    }
  });
});
