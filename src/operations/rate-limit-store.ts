/**
 * The store the configured rate limits keep their buckets in: this node's memory (the default), or
 * Redis shared by every node. A failing Redis is counted per request that passed unchecked and
 * warned about at most once a minute, so an outage neither floods the log nor goes unseen.
 */
import type { Config } from '../config.js';
import { memoryRateLimitStore, systemClock, type Clock, type RateLimitStore } from '../core/index.js';
import type { PlatformMetrics } from './metrics.js';
import { redisRateLimitStore } from './redis-rate-limits.js';

const WARN_EVERY_MS = 60_000;

export interface StoreLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/** The configured store; a Redis one once its first connection is up, has failed, or took too long. */
export async function rateLimitStore(
  config: Config, log: StoreLog, metrics?: PlatformMetrics, clock: Clock = systemClock,
): Promise<RateLimitStore> {
  if (config.rateLimits !== 'on' || config.rateLimitStore === 'memory') return memoryRateLimitStore;
  let warnedAt = -Infinity;
  // The reason only: never the URL, which may hold Redis' password.
  const warn = (error: Error, message: string) => {
    const now = clock.now().getTime();
    if (now - warnedAt < WARN_EVERY_MS) return;
    warnedAt = now;
    log.warn({ reason: error.message }, message);
  };
  return redisRateLimitStore(config.rateLimitStore, {
    keyPrefix: config.rateLimitKeyPrefix,
    onFailure(error) {
      metrics?.rateLimitStoreFailed();
      warn(error, 'rate-limit store (Redis) failed or answered late: requests pass its limits unchecked');
    },
    onConnectionError: (error) => warn(error, 'rate-limit store (Redis) unreachable: requests pass its limits unchecked until it is back'),
  });
}
