/**
 * Token buckets per key, in memory on each node. A bucket holds one minute's worth of requests and
 * refills continuously, so bursts up to the per-minute figure pass and a steady rate above it does not.
 * A shared store (Redis, src/operations) answers the same contract with a promise.
 */
import { BoundedMap } from './bounded-map.js';

/** 0 when allowed, else the whole seconds until a token is available. */
export type Wait = number;

export interface RateLimiter {
  /**
   * Takes one token. A memory limiter answers at once; a shared store answers with a promise, so
   * callers await only when given one and the memory path allocates no promise per request.
   */
  take(key: string, nowMs: number): Wait | Promise<Wait>;
  /** The whole tokens the key has left now, without taking one; null when nothing is limited. */
  peek(key: string, nowMs: number): number | null | Promise<number | null>;
}

/** A limiter that always answers at once (memory, none). */
export interface ImmediateRateLimiter extends RateLimiter {
  take(key: string, nowMs: number): Wait;
  peek(key: string, nowMs: number): number | null;
}

/** Where the buckets of the named limits are kept; `close` lets go of a shared store's connection. */
export interface RateLimitStore {
  limiter(name: string, perMinute: number): RateLimiter;
  close(): Promise<void>;
}

export const noRateLimit: ImmediateRateLimiter = { take: () => 0, peek: () => null };

/**
 * Calls `refuse` with the wait when the budget is spent (it throws). Answers at once for an
 * immediate wait; only a shared store's promise gives a promise the caller awaits.
 */
export function refuseWhenSpent(wait: Wait | Promise<Wait>, refuse: (seconds: number) => never): Promise<void> | undefined {
  if (typeof wait !== 'number') return wait.then((seconds) => refuseWhenSpent(seconds, refuse));
  if (wait > 0) refuse(wait);
  return undefined;
}

/** `burst` is the bucket's size: one minute's worth by default; a daily quota passes its whole day. */
export function tokenBucketLimiter(perMinute: number, maxKeys = 100_000, burst = perMinute): ImmediateRateLimiter {
  const buckets = new BoundedMap<string, { tokens: number; at: number }>(maxKeys);
  const refillPerMs = perMinute / 60_000;
  return {
    take(key, nowMs) {
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { tokens: burst, at: nowMs };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(burst, bucket.tokens + (nowMs - bucket.at) * refillPerMs);
      bucket.at = nowMs;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    },
    peek(key, nowMs) {
      const bucket = buckets.get(key);
      if (!bucket) return burst;
      return Math.floor(Math.min(burst, bucket.tokens + (nowMs - bucket.at) * refillPerMs));
    },
  };
}

/** Each limit's buckets in this node's memory (the default store). */
export const memoryRateLimitStore: RateLimitStore = {
  limiter: (_name, perMinute) => tokenBucketLimiter(perMinute),
  close: async () => {},
};
