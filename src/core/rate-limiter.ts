/**
 * Token buckets per key, in memory on each node. A bucket holds one minute's worth of requests and
 * refills continuously, so bursts up to the per-minute figure pass and a steady rate above it does not.
 */
import { BoundedMap } from './bounded-map.js';
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the whole seconds until one is available. */
  take(key: string, nowMs: number): number;
  /** The whole tokens the key has left now, without taking one; null when nothing is limited. */
  peek(key: string, nowMs: number): number | null;
}

export const noRateLimit: RateLimiter = { take: () => 0, peek: () => null };

/** `burst` is the bucket's size: one minute's worth by default; a daily quota passes its whole day. */
export function tokenBucketLimiter(perMinute: number, maxKeys = 100_000, burst = perMinute): RateLimiter {
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
