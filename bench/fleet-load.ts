/** The fleet benchmark's load generator, in its own process: each request reads a random granted vehicle; latency kept to the µs. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface LoadConfig {
  origin: string;
  connections: number;
  warmupS: number;
  durationS: number;
  targets: { token: string; vehicleId: string }[];
}

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** autocannon's own p99, whole milliseconds: kept to show why the finer figure is needed. */
  autocannonP99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  warmupFailures: number;
}

interface RawRequest {
  path: string;
  headers: Record<string, string>;
}

interface AutocannonResult {
  duration: number;
  requests: { total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface Instance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): Instance;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: { method: 'GET'; setupRequest: (request: RawRequest) => RawRequest }[];
}) => Instance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

async function run(config: LoadConfig, seconds: number): Promise<{ raw: AutocannonResult; latencies: Float64Array }> {
  const { targets } = config;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const instance = autocannon({
    url: config.origin,
    connections: config.connections,
    duration: seconds,
    requests: [{
      method: 'GET',
      // A random vehicle per request, so the server reads rows all over the table rather than one hot row.
      setupRequest: (request) => {
        const target = targets[Math.floor(Math.random() * targets.length)];
        if (!target) throw new Error('no read targets');
        return { ...request, path: `/v2.0/vehicles/${target.vehicleId}/odometer`, headers: { ...request.headers, authorization: `Bearer ${target.token}` } };
      },
    }],
  });
  // autocannon's histogram keeps whole milliseconds; its per-response event has the hrtime duration.
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status < 200 || status >= 300) return;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  });
  const raw = await instance;
  return { raw, latencies: latencies.slice(0, count).sort() };
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: fleet-load.ts <config.json>');
  const config = JSON.parse(readFileSync(file, 'utf8')) as LoadConfig;
  const warmup = await run(config, config.warmupS);
  const { raw, latencies } = await run(config, config.durationS);
  const result: LoadResult = {
    // Completed requests over the measured wall time rather than autocannon's mean of per-second samples.
    reqPerSec: raw.requests.total / raw.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? Number.NaN,
    autocannonP99Ms: raw.latency.p99,
    total: raw.requests.total,
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    warmupFailures: warmup.raw.non2xx + warmup.raw.errors + warmup.raw.timeouts,
  };
  process.stdout.write(JSON.stringify(result));
}

try {
  await main();
} catch (error) {
  console.error(`fleet-load: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
}
