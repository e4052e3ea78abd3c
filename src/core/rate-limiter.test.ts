/** Specification of the per-key token bucket behind RATE_LIMIT errors and their Retry-After (spec §10). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { noRateLimit, tokenBucketLimiter } from './rate-limiter.js';

const T0 = 1_700_000_000_000;

/** Takes `count` tokens at one instant and returns the answers. */
function burst(limiter: ReturnType<typeof tokenBucketLimiter>, key: string, count: number, nowMs = T0): number[] {
  return Array.from({ length: count }, () => limiter.take(key, nowMs));
}

describe('tokenBucketLimiter()', () => {
  test('lets a burst of exactly perMinute requests through at once', () => {
    const limiter = tokenBucketLimiter(10);
    assert.deepEqual(burst(limiter, 'car', 10), Array(10).fill(0));
  });

  test('then refuses with a Retry-After of whole seconds, at least 1', () => {
    const limiter = tokenBucketLimiter(10);
    burst(limiter, 'car', 10);
    const retryAfter = limiter.take('car', T0);
    assert.ok(Number.isInteger(retryAfter), `integer seconds, got ${retryAfter}`);
    assert.equal(retryAfter, 6, 'one token per 6 s at 10 per minute');
  });

  test('Retry-After is at least 1 second even when a token is milliseconds away', () => {
    const limiter = tokenBucketLimiter(6000);
    burst(limiter, 'app', 6000);
    assert.equal(limiter.take('app', T0), 1);
    assert.equal(limiter.take('app', T0 + 9), 1);
  });

  test('a refused request spends nothing: asking again answers the same', () => {
    const limiter = tokenBucketLimiter(10);
    burst(limiter, 'car', 10);
    assert.deepEqual(burst(limiter, 'car', 5), [6, 6, 6, 6, 6]);
  });

  test('refills continuously: after the Retry-After delay the next request passes', () => {
    const limiter = tokenBucketLimiter(10);
    burst(limiter, 'car', 10);
    const retryAfter = limiter.take('car', T0);
    assert.ok(limiter.take('car', T0 + retryAfter * 1000 - 1) > 0, 'not a millisecond early');
    assert.equal(limiter.take('car', T0 + retryAfter * 1000), 0);
    assert.ok(limiter.take('car', T0 + retryAfter * 1000) > 0, 'and only one token came back');
  });

  test('refills at perMinute per minute: half a minute brings back half the bucket', () => {
    const limiter = tokenBucketLimiter(10);
    burst(limiter, 'car', 10);
    assert.deepEqual(burst(limiter, 'car', 6, T0 + 30_000), [0, 0, 0, 0, 0, 6]);
  });

  test('never holds more than perMinute tokens however long it was idle', () => {
    const limiter = tokenBucketLimiter(10);
    burst(limiter, 'car', 10);
    const later = T0 + 24 * 3600_000;
    const answers = burst(limiter, 'car', 11, later);
    assert.deepEqual(answers.slice(0, 10), Array(10).fill(0));
    assert.ok(answers[10]! >= 1);
  });

  test('keys are independent: one exhausted bucket does not slow another', () => {
    const limiter = tokenBucketLimiter(3);
    burst(limiter, 'car-a', 3);
    assert.ok(limiter.take('car-a', T0) > 0);
    assert.deepEqual(burst(limiter, 'car-b', 3), [0, 0, 0]);
    assert.ok(limiter.take('car-b', T0) > 0);
  });

  test('separate limiters do not share buckets', () => {
    const a = tokenBucketLimiter(1);
    const b = tokenBucketLimiter(1);
    assert.equal(a.take('same-key', T0), 0);
    assert.equal(b.take('same-key', T0), 0);
  });

  test('a perMinute of 1 asks for a 60 second wait', () => {
    const limiter = tokenBucketLimiter(1);
    assert.equal(limiter.take('car', T0), 0);
    assert.equal(limiter.take('car', T0), 60);
    assert.equal(limiter.take('car', T0 + 45_000), 15);
    assert.equal(limiter.take('car', T0 + 60_000), 0);
  });

  test('peek tells the whole tokens left without taking one, refilled as time passes', () => {
    const limiter = tokenBucketLimiter(60);
    assert.equal(limiter.peek('car', T0), 60, 'an unseen key has the whole burst');
    burst(limiter, 'car', 10);
    assert.equal(limiter.peek('car', T0), 50);
    assert.equal(limiter.peek('car', T0), 50, 'looking spends nothing');
    assert.equal(limiter.peek('car', T0 + 2_500), 52);
  });
});

describe('noRateLimit', () => {
  test('always allows', () => {
    for (let i = 0; i < 1000; i++) assert.equal(noRateLimit.take('any', T0), 0);
    assert.equal(noRateLimit.peek('any', T0), null, 'nothing is limited');
  });
});
