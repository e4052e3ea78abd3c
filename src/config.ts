/**
 * The one typed configuration object. Read once from the environment (and CLI flags, which win),
 * validated, frozen. Nothing else reads process.env. Every option is listed in OPTIONS with its
 * default and meaning; the README's configuration table is printed from it (`carport config`).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { commaList } from './core/comma-list.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const databaseUrl = z.string().refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), {
  message: 'must start with sqlite: (e.g. sqlite:./data/carport.db or sqlite::memory:) or postgres://',
});
const url = z.string().url();
const rateLimitStore = z.string().max(2048).refine((v) => v === 'memory' || isRedisUrl(v), {
  message: 'must be memory or redis://[user:password@]host[:port][/db] (rediss:// for TLS)',
});
const cidrList = z.string().max(4096).refine((v) => commaList(v).every(isCidr), {
  message: 'must be comma-separated CIDRs, e.g. 10.0.0.0/8,fd00::/8',
});
const hostPortList = z.string().max(4096).refine((v) => commaList(v).every((h) => /^[A-Za-z0-9.\-[\]:]{1,260}$/.test(h)), {
  message: 'must be comma-separated host[:port], e.g. broker.example.com:8883',
});
/** Fastify's trustProxy: a hop count or a list of addresses/CIDRs. `true` would trust every X-Forwarded-For hop a client invents. */
const trustProxy = z.string().max(4096).transform((v, ctx): false | number | string[] => {
  const text = v.trim();
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  if (['true', 'yes', 'on'].includes(text)) {
    ctx.addIssue({
      code: 'custom',
      message: 'true would trust every X-Forwarded-For hop a client sends (any address could be forged past the rate limits); give the number of proxies in front of carport (e.g. 1) or their addresses/CIDRs',
    });
    return z.NEVER;
  }
  if (/^\d{1,3}$/.test(text)) return Number(text);
  const list = commaList(text);
  if (list.length === 0 || !list.every((c) => isIP(c) !== 0 || isCidr(c))) {
    ctx.addIssue({ code: 'custom', message: 'must be false, a hop count, or comma-separated proxy addresses/CIDRs' });
    return z.NEVER;
  }
  return list;
});

function isRedisUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const parsed = new URL(text);
  return (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:') && parsed.hostname !== ''
    && /^(?:\/\d{0,5})?$/.test(parsed.pathname) && parsed.search === '' && parsed.hash === '';
}

function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0 || text.length > 64) return false;
  const address = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  const version = isIP(address);
  if (version === 0 || !/^\d{1,3}$/.test(bitsText)) return false;
  return Number(bitsText) <= (version === 4 ? 32 : 128);
}

/** Each option: environment variable, schema with default, what it does. */
export const OPTIONS = {
  port: { env: 'PORT', schema: int(0, 65535).default(8000), doc: 'TCP port to listen on (0 picks a free one).' },
  host: { env: 'HOST', schema: z.string().min(1).default('127.0.0.1'), doc: 'Interface to bind; 0.0.0.0 for all.' },
  databaseUrl: {
    env: 'DATABASE_URL', schema: databaseUrl.default('sqlite:./data/carport.db'),
    doc: 'Database: sqlite:<file> (embedded, default) or postgres://user@host:port/db.',
  },
  publicUrl: {
    env: 'PUBLIC_URL', schema: url.optional(),
    doc: 'Origin clients use to reach carport; shown in printed instructions. Default http://localhost:<port>.',
  },
  logLevel: {
    env: 'LOG_LEVEL', schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'pino log level. Tokens, secrets and codes are never logged at any level.',
  },
  tlsCertFile: { env: 'TLS_CERT_FILE', schema: z.string().optional(), doc: 'PEM certificate: serve HTTPS directly (with TLS_KEY_FILE).' },
  tlsKeyFile: { env: 'TLS_KEY_FILE', schema: z.string().optional(), doc: 'PEM private key for TLS_CERT_FILE.' },
  trustProxy: {
    env: 'TRUST_PROXY', schema: trustProxy.default(false),
    doc: 'Behind proxies: a hop count (1 = the one proxy in front) or comma-separated proxy addresses/CIDRs whose X-Forwarded-Proto/-For are trusted. false trusts none; true is refused.',
  },
  shutdownDelayMs: {
    env: 'SHUTDOWN_DELAY_MS', schema: int(0, 600_000).default(5000),
    doc: 'On SIGTERM, how long /readyz answers 503 while requests are still served (the load balancer\'s time to stop sending), before the node stops accepting and finishes what is in flight. SIGINT skips it.',
  },
  metricsToken: {
    env: 'METRICS_TOKEN', schema: z.string().min(16).max(512).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
    doc: 'Bearer token Prometheus sends to GET /metrics (at least 16 characters). Unset: /metrics is not served (404).',
  },
  outboundAllowCidrs: {
    env: 'OUTBOUND_ALLOW_CIDRS', schema: cidrList.optional(),
    doc: 'Private or local ranges carport may connect to on a user\'s behalf (webhooks, MQTT brokers), comma-separated CIDRs. Default: 127.0.0.0/8,::1/128 when HOST is a loopback address, else none.',
  },
  ovmsBrokers: {
    env: 'OVMS_BROKERS', schema: hostPortList.optional(),
    doc: 'Comma-separated host[:port] of the only MQTT brokers owners may name in the OVMS sign-in. Default: any broker the outbound policy allows.',
  },
  corsOrigins: {
    env: 'CORS_ORIGINS', schema: z.string().default('*'),
    doc: 'Origins allowed to call the Vehicle API from a browser: * or a comma-separated list. Never with credentials.',
  },
  rateLimits: {
    env: 'RATE_LIMITS', schema: z.enum(['on', 'off']).default('on'),
    doc: 'off disables every rate limit (benchmarks, load tests).',
  },
  rateLimitStore: {
    env: 'RATE_LIMIT_STORE', schema: rateLimitStore.default('memory'),
    doc: 'Where the rate limits keep their buckets: memory (each node its own) or redis://host:port/db (one budget across the nodes that share it; fails open, see below).',
  },
  rateLimitKeyPrefix: {
    env: 'RATE_LIMIT_KEY_PREFIX', schema: z.string().max(64).regex(/^[\w:.-]+$/, 'must be letters, digits and _:.-').optional(),
    doc: 'Put before carport:rl:<limit>:<key>, the Redis keys of shared rate limits, when carports that must not share budgets use one Redis.',
  },
  appRequestsPerMinute: {
    env: 'RATE_LIMIT_APP_PER_MINUTE', schema: int(1, 10_000_000).default(6000),
    doc: 'Vehicle API requests per application per minute (token bucket; burst = one minute).',
  },
  vehicleRequestsPerMinute: {
    env: 'RATE_LIMIT_VEHICLE_PER_MINUTE', schema: int(1, 1_000_000).default(120),
    doc: 'Requests per vehicle per minute across apps, batch sub-requests included (protects the car).',
  },
  tokenRequestsPerMinute: {
    env: 'RATE_LIMIT_TOKEN_PER_MINUTE', schema: int(1, 1_000_000).default(60),
    doc: 'Token endpoint requests, and Connect and console sign-in attempts, per client IP per minute (brute-force protection).',
  },
  connectRequestsPerMinute: {
    env: 'RATE_LIMIT_CONNECT_PER_MINUTE', schema: int(1, 1_000_000).default(30),
    doc: 'Connect sessions (GET /oauth/authorize) started per client IP per minute.',
  },
  managementRequestsPerMinute: {
    env: 'RATE_LIMIT_MANAGEMENT_PER_MINUTE', schema: int(1, 1_000_000).default(600),
    doc: 'Management API requests (connections, webhooks, simulator controls) per application per minute.',
  },
  consoleSignup: {
    env: 'CONSOLE_SIGNUP', schema: z.enum(['on', 'off']).default('off'),
    doc: 'Whether anyone may create a developer account from the console (off: carport users create only).',
  },
  signInAttempts: {
    env: 'CONNECT_SIGN_IN_ATTEMPTS', schema: int(1, 1000).default(5),
    doc: 'Failed car-account sign-ins allowed per Connect session before it must start over.',
  },
  connectUrl: {
    env: 'CONNECT_URL', schema: url.optional(),
    doc: 'Separate origin serving Connect pages; /oauth/authorize also answers on the API origin.',
  },
  authCacheMs: {
    env: 'AUTH_CACHE_MS', schema: int(0, 60_000).default(2000),
    doc: 'How long a node may reuse a resolved access token: the bound on how late a revocation made on another node takes effect when its eviction notice is missed (PostgreSQL evicts at once on every node).',
  },
  vehicleCacheMs: {
    env: 'VEHICLE_CACHE_MS', schema: int(0, 60_000).default(1000),
    doc: 'How long a node may reuse a vehicle record it read: the bound on how late it sees a change written through another node when its eviction notice is missed (its own writes, and on PostgreSQL every node\'s, show at once).',
  },
  secretKey: {
    env: 'SECRET_KEY', schema: z.string().regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes, base64').optional(),
    doc: 'Key that seals the management tokens webhook deliveries are signed with (32 bytes, base64). Same on every node.',
  },
  secretKeyFile: {
    env: 'SECRET_KEY_FILE', schema: z.string().min(1).default('./data/secret.key'),
    doc: 'Where the key is kept when SECRET_KEY is not set; created on first start (mode 600).',
  },
  webhookWorker: {
    env: 'WEBHOOK_WORKER', schema: z.enum(['on', 'off']).default('on'),
    doc: 'Run the webhook delivery worker inside `carport serve` (off when `carport worker` processes do it).',
  },
  webhookPollMs: { env: 'WEBHOOK_POLL_MS', schema: int(10, 60_000).default(100), doc: 'How often an idle worker looks for due deliveries.' },
  webhookEventPollMs: {
    env: 'WEBHOOK_EVENT_POLL_MS', schema: int(10, 3_600_000).default(5000),
    doc: 'How often each event-webhook subscription\'s vehicle is looked at for its triggers.',
  },
  webhookBatchSize: {
    env: 'WEBHOOK_BATCH_SIZE', schema: int(1, 1000).default(100),
    doc: 'Most deliveries one worker has out at once, and most subscriptions it turns into events per pass.',
  },
  webhookLeaseMs: {
    env: 'WEBHOOK_LEASE_MS', schema: int(100, 3_600_000).default(60_000),
    doc: 'How long a worker holds a claimed delivery; a crashed worker\'s deliveries are retried after it. Keep it above the 15 s delivery timeout.',
  },
  webhookRetryBaseMs: {
    env: 'WEBHOOK_RETRY_BASE_MS', schema: int(10, 3_600_000).default(25_000),
    doc: 'First retry delay of a failed delivery; each next one doubles (with jitter, at most an hour).',
  },
  webhookRetryHorizonMs: {
    env: 'WEBHOOK_RETRY_HORIZON_MS', schema: int(1000, 30 * 86_400_000).default(86_400_000),
    doc: 'How long a delivery is retried before it is dead-lettered (redeliverable by API or CLI).',
  },
  webhookAppInFlight: {
    env: 'WEBHOOK_APP_IN_FLIGHT', schema: int(1, 1000).optional(),
    doc: 'Most deliveries of one application a worker has out at once, so one app\'s slow receivers cannot starve the others. Default: a fifth of WEBHOOK_BATCH_SIZE (at least 1).',
  },
  webhookPauseAfter: {
    env: 'WEBHOOK_PAUSE_AFTER', schema: int(0, 10_000).default(5),
    doc: 'Dead-lettered deliveries in a row after which a webhook is paused: its events are kept and wait until it is resumed (console or management API). 0: never pause.',
  },
  retentionDays: {
    env: 'RETENTION_DAYS', schema: int(1, 3650).default(30),
    doc: 'Days delivered or dead webhook deliveries and their attempts are kept before the purge removes them.',
  },
  requestLogDays: {
    env: 'REQUEST_LOG_DAYS', schema: int(0, 365).default(7),
    doc: 'Days each Vehicle API and token-endpoint request of an app is kept for the console\'s Logs (0: requests are not recorded, nor counted for Usage).',
  },
  v3CommandSyncMs: {
    env: 'V3_COMMAND_SYNC_MS', schema: int(0, 600_000).default(5000),
    doc: 'How long a v3 command may take before it is answered 202 at once and its outcome streamed as the body when the car answers.',
  },
  bodyLimitBytes: { env: 'BODY_LIMIT_BYTES', schema: int(1024, 100_000_000).default(1_048_576), doc: 'Largest request body accepted.' },
  demoRedirectUri: {
    env: 'DEMO_REDIRECT_URI', schema: url.optional(),
    doc: 'Redirect URI of the demo app created on first start. Default <public url>/demo/callback.',
  },
} as const;

type Options = typeof OPTIONS;
export type Config = Readonly<{ [K in keyof Options]: z.output<Options[K]['schema']> }>;
export type ConfigInput = { [K in keyof Options]?: string | number | boolean | undefined };

export class ConfigError extends Error {}

/** Parses env, then applies overrides (CLI flags, tests). Throws ConfigError naming every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigInput = {}): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, option] of Object.entries(OPTIONS) as [keyof Options, Options[keyof Options]][]) {
    const override = overrides[key];
    const raw = override !== undefined ? String(override) : env[option.env];
    const parsed = (option.schema as z.ZodType).safeParse(raw === '' ? undefined : raw);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(`${option.env}=${JSON.stringify(raw)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  if (Boolean(out.tlsCertFile) !== Boolean(out.tlsKeyFile)) {
    throw new ConfigError('invalid configuration:\n  TLS_CERT_FILE and TLS_KEY_FILE go together');
  }
  return Object.freeze(out) as Config;
}

export function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end -= 1;
  return text.slice(0, end);
}

export function publicUrlOf(config: Config, boundPort = config.port): string {
  if (config.publicUrl) return withoutTrailingSlashes(config.publicUrl);
  const scheme = config.tlsCertFile ? 'https' : 'http';
  return `${scheme}://localhost:${boundPort}`;
}
