/**
 * The one typed configuration object. Read once from the environment (and CLI flags, which win),
 * validated, frozen. Nothing else reads process.env. Every option is listed in OPTIONS with its
 * default and meaning; the README's configuration table is printed from it (`carport config`).
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const databaseUrl = z.string().refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), {
  message: 'must start with sqlite: (e.g. sqlite:./data/carport.db or sqlite::memory:) or postgres://',
});
const url = z.string().url();

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
    env: 'TRUST_PROXY', schema: bool.default(false),
    doc: 'Behind a TLS proxy: trust X-Forwarded-Proto/-For from it.',
  },
  corsOrigins: {
    env: 'CORS_ORIGINS', schema: z.string().default('*'),
    doc: 'Origins allowed to call the Vehicle API from a browser: * or a comma-separated list. Never with credentials.',
  },
  rateLimits: {
    env: 'RATE_LIMITS', schema: z.enum(['on', 'off']).default('on'),
    doc: 'off disables every rate limit (benchmarks, load tests).',
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
    doc: 'Token endpoint requests, and Connect sign-in attempts, per client IP per minute (brute-force protection).',
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
    doc: 'How long a node may reuse a resolved access token: the bound on how late a revocation made on another node takes effect.',
  },
  vehicleCacheMs: {
    env: 'VEHICLE_CACHE_MS', schema: int(0, 60_000).default(1000),
    doc: 'How long a node may reuse a vehicle record it read: the bound on how late it sees a change written through another node (its own writes show at once).',
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

export function publicUrlOf(config: Config, boundPort = config.port): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const scheme = config.tlsCertFile ? 'https' : 'http';
  return `${scheme}://localhost:${boundPort}`;
}
