import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadinessFailure } from './readiness.js';
import { workerCheck } from './worker-check.js';

test('a worker is ready while its passes keep coming, and stuck after fifty missed ones (at least 30 s)', async () => {
  let now = 1_000_000;
  const worker = { lastPassAt: () => 1_000_000 };
  const check = workerCheck(worker, 1000, () => now);
  now += 49_000;
  await check.check();
  now += 2_000;
  await assert.rejects(check.check(), (error: unknown) => error instanceof ReadinessFailure && error.message === 'no pass for 51 s');
  const quick = workerCheck(worker, 100, () => 1_000_000 + 29_000);
  await quick.check();
});
