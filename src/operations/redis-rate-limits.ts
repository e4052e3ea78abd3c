/**
 * Rate limits kept in Redis, one budget for every node that uses it: each request is one atomic GCRA
 * step in a Lua script (the memory token bucket's twin: same burst, same refill, same Retry-After).
 * The limiters never reject: a Redis that fails or answers late lets the request pass (fail open), as
 * a limit must not take the API down with it, and `onFailure` hears of it.
 */
import { Redis, type Result } from 'ioredis';
import type { RateLimiter, RateLimitStore, Wait } from '../core/index.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** The ms until the key's next request would be allowed, or 0 (and the request counted). */
    carportTakeToken(key: string, intervalMs: number, spanMs: number): Result<number, Context>;
    /** The whole requests the key may still make now, without taking one. */
    carportTokensLeft(key: string, intervalMs: number, spanMs: number): Result<number, Context>;
  }
}

/**
 * KEYS[1] holds the theoretical arrival time (ms): when the bucket would be full again if no request
 * came. ARGV[1] is the ms one request stands for at the steady rate; ARGV[2] the bucket's span in ms
 * (burst × interval). Redis' own clock keeps nodes whose clocks disagree on one budget. The key
 * expires when the bucket would be full again, so idle keys leave nothing behind.
 */
const TAKE_TOKEN = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local span = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local later = tat + interval
local early = later - now - span
if early > 0 then return math.ceil(early) end
redis.call('SET', KEYS[1], string.format('%.3f', later), 'PX', math.ceil(later - now))
return 0
`;

/** The same bucket looked at: the whole tokens left now (span minus what is spent, in intervals). */
const TOKENS_LEFT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
return math.floor((tonumber(ARGV[2]) - (tat - now)) / tonumber(ARGV[1]))
`;

/** How long a request waits for Redis before it passes unchecked: a limit must cost next to nothing. */
const COMMAND_TIMEOUT_MS = 50;
/** How long start-up waits for a first connection, so a healthy Redis checks the first requests too. */
const CONNECT_WAIT_MS = 2000;

export interface RedisRateLimitOptions {
  /** Put before `carport:rl:<limit>:<key>`. */
  keyPrefix?: string;
  /** A request passed unchecked (the store failed or answered late). */
  onFailure(error: Error): void;
  /** The connection failed; the client keeps reconnecting in the background. */
  onConnectionError(error: Error): void;
}

/**
 * Limits in the Redis at `url` (redis://host:port/db), once its first connection is up or has failed,
 * or after `CONNECT_WAIT_MS`: a node starting with Redis away starts anyway, and its requests pass.
 */
export async function redisRateLimitStore(url: string, options: RedisRateLimitOptions): Promise<RateLimitStore> {
  const client = new Redis(url, {
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_WAIT_MS,
    // A command is answered now or not at all: never queued while Redis is away, never retried.
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  client.defineCommand('carportTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
  client.defineCommand('carportTokensLeft', { numberOfKeys: 1, lua: TOKENS_LEFT });
  client.on('error', (error: Error) => options.onConnectionError(error));
  // Reconnects go on in the background (ioredis' default back-off, at most 2 s apart).
  const connected = client.connect().catch(() => {});
  let waited: NodeJS.Timeout | undefined;
  await Promise.race([connected, new Promise((resolve) => { waited = setTimeout(resolve, CONNECT_WAIT_MS); })]);
  clearTimeout(waited);

  const prefix = `${options.keyPrefix ?? ''}carport:rl:`;
  const passUnchecked = (error: Error): Wait => {
    options.onFailure(error);
    return 0;
  };
  const secondsOf = (ms: number): Wait => (ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0);
  return {
    limiter(name: string, perMinute: number): RateLimiter {
      const intervalMs = 60_000 / perMinute;
      // The burst is one minute's worth, as in memory.
      const spanMs = 60_000;
      return {
        take: (key) => client.carportTakeToken(`${prefix}${name}:${key}`, intervalMs, spanMs).then(secondsOf, passUnchecked),
        // While the store fails, nothing is limited: null says so.
        peek: (key) => client.carportTokensLeft(`${prefix}${name}:${key}`, intervalMs, spanMs).catch(() => null),
      };
    },
    async close() {
      client.disconnect();
    },
  };
}
