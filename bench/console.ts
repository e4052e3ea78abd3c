/**
 * The console's pages on a large app: one app with `vehicles` connected cars (ten per owner) and
 * `logRows` request-log rows, served by the production build. Each page is timed as its module
 * loads it — the API calls it makes, awaited as the page awaits them — one person at a time, many
 * times over; reported as median, p95 and worst against the 100 ms a page may take.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TokensModule from '../src/cli/tokens.js';
import type * as ConfigModule from '../src/config.js';
import type * as RecordedRowModule from '../src/request-log/recorded-row.js';
import type * as ServerModule from '../src/server.js';
import type * as StoreModule from '../src/store/index.js';
import type { Db } from '../src/store/index.js';
import { freePort, start, stop, waitUntilUp, type Child } from './children.js';
import { carportEnv, CLI, note, ROOT } from './shared.js';

export interface ConsoleBenchOptions {
  work: string;
  servers: Child[];
  vehicles: number;
  logRows: number;
  samples: number;
  json: boolean;
}

const TARGET_MS = 100;
const EMAIL = 'bench@console.example';
const PASSWORD = 'a page under a tenth of a second';

export function consoleBudgetS(o: Pick<ConsoleBenchOptions, 'vehicles' | 'logRows' | 'samples'>): number {
  return Math.ceil(60 + o.vehicles / 200 + o.logRows / 20_000 + o.samples * 2);
}

/** The built server's modules: the rows must be written by the code the benchmarked server runs. */
async function dist<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, 'dist', ...path.split('/'))).href)) as T;
}

type Services = { developers: { create(input: { email: string; password: string }): Promise<{ userId: string }> }; apps: { create(input: Record<string, unknown>): Promise<{ clientId: string }> } };

/** Fills the database through the services, as the CLI and Connect would write it. */
async function fill(databaseUrl: string, o: ConsoleBenchOptions): Promise<{ clientId: string; vehicleId: string; fillSeconds: number }> {
  const began = performance.now();
  const { loadConfig } = await dist<typeof ConfigModule>('config.js');
  const { createServices } = await dist<typeof ServerModule>('server.js');
  const { createTestToken } = await dist<typeof TokensModule>('cli/tokens.js');
  const config = loadConfig(carportEnv(databaseUrl), { logLevel: 'warn' });
  const { db, services, providers } = await createServices(config);
  try {
    const developer = await (services as unknown as Services).developers.create({ email: EMAIL, password: PASSWORD });
    const app = await services.apps.create({ name: 'Console benchmark', redirectUris: ['https://bench.example/cb'], ownerUserId: developer.userId });
    const vehicleIds: string[] = [];
    for (let made = 0; made < o.vehicles; made += 10) {
      const grant = await createTestToken(services, { clientId: app.clientId, scope: 'read_odometer read_vehicle_info read_vin', make: 'TESLA', vehicles: Math.min(10, o.vehicles - made) });
      vehicleIds.push(...grant.vehicleIds);
      if (made % 2000 === 0) note(`console: ${made} of ${o.vehicles} vehicles connected`);
    }
    await fillRequestLog(db as Db, app.clientId, vehicleIds, o.logRows);
    return { clientId: app.clientId, vehicleId: vehicleIds[0]!, fillSeconds: (performance.now() - began) / 1000 };
  } finally {
    await Promise.allSettled([...providers.values()].map((p) => p.close?.()));
    await db.destroy();
  }
}

/**
 * The request log's rows for the app over the last week, spread over its vehicles (so a filter on
 * one vehicle finds a few among all), one in twenty a refusal, written with the recorder's own row
 * shape and batch insert, with the daily counts the Usage page reads.
 */
async function fillRequestLog(db: Db, clientId: string, vehicleIds: readonly string[], rows: number): Promise<void> {
  const { requestLogRepository } = await dist<typeof StoreModule>('store/index.js');
  const { pushRowValues } = await dist<typeof RecordedRowModule>('request-log/recorded-row.js');
  const repo = requestLogRepository(db, 'sqlite');
  const now = Date.now();
  const spanMs = 7 * 86_400_000;
  const days = new Map<string, { requests: number; errors: number }>();
  const BATCH = 500;
  for (let done = 0; done < rows; done += BATCH) {
    const values: unknown[] = [];
    for (let i = done; i < Math.min(rows, done + BATCH); i++) {
      const at = now - spanMs + Math.floor((i / rows) * spanMs);
      const failed = i % 20 === 0;
      pushRowValues(values, [
        at, clientId, 'GET', `/v2.0/vehicles/${vehicleIds[i % vehicleIds.length]}/${failed ? 'battery' : 'odometer'}`, failed ? 403 : 200,
        failed ? { type: 'PERMISSION', code: null } : null, 3, randomUUID(),
      ]);
      const day = new Date(at).toISOString().slice(0, 10);
      const count = days.get(day) ?? { requests: 0, errors: 0 };
      count.requests += 1;
      if (failed) count.errors += 1;
      days.set(day, count);
    }
    await repo.insertFlat(values);
  }
  await repo.addUsage([...days].map(([day, c]) => ({ appId: clientId, day, ...c })));
}

interface Session {
  base: string;
  cookie: string;
}

async function signIn(base: string): Promise<Session> {
  const response = await fetch(`${base}/console/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`console sign-in answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { base, cookie };
}

/** One API call of a page: its answer must be 200, or the timing would flatter a refusal. */
async function call(session: Session, path: string): Promise<unknown> {
  const response = await fetch(`${session.base}/console/api${path}`, { headers: { cookie: session.cookie } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /console/api${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

/** Each page: the calls its module makes on opening, in the order (and grouping) it awaits them. */
function pages(clientId: string, vehicleId: string): Record<string, string[][]> {
  const app = `/apps/${clientId}`;
  return {
    'Apps': [['/session'], ['/apps']],
    'App page': [['/session'], [app, '/connect-options'], [`${app}/members`]],
    'Vehicles (first page)': [['/session'], ['/apps'], [`${app}/vehicles?limit=25`]],
    'Vehicles (page 200)': [['/session'], ['/apps'], [`${app}/vehicles?limit=25&offset=4975`]],
    'Vehicles (filtered by VIN text)': [['/session'], ['/apps'], [`${app}/vehicles?limit=25&q=5YJ`]],
    'Vehicle page': [['/session'], [`${app}/vehicles/${vehicleId}`]],
    'Simulator': [['/session'], ['/apps', '/simulator/vehicles', '/simulator/catalog']],
    'Webhooks': [['/session'], ['/apps'], [`${app}/webhooks`]],
    'Logs (newest)': [['/session'], ['/apps'], [`${app}/logs?limit=50`]],
    'Logs (status 4xx)': [['/session'], ['/apps'], [`${app}/logs?limit=50&status=4xx`]],
    'Logs (vehicle and path)': [['/session'], ['/apps'], [`${app}/logs?limit=50&vehicleId=${vehicleId}&path=/v2.0/vehicles`]],
    'Usage': [['/session'], ['/apps'], [`${app}/usage?days=30`, `${app}/funnel?days=30`]],
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runConsole(o: ConsoleBenchOptions): Promise<Record<string, unknown>> {
  const databaseUrl = `sqlite:${join(o.work, 'console.db')}`;
  note(`console: filling ${o.vehicles} connected vehicles and ${o.logRows} request-log rows`);
  const { clientId, vehicleId, fillSeconds } = await fill(databaseUrl, o);
  note(`console: filled in ${fillSeconds.toFixed(1)} s`);

  const port = await freePort();
  const carport = start(process.execPath, [CLI, 'serve', '--port', String(port)], { cwd: ROOT, env: { ...carportEnv(databaseUrl), PORT: String(port) } });
  o.servers.push(carport);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(carport, `${base}/healthz`, 'carport');
  const session = await signIn(base);

  const results: Record<string, { medianMs: number; p95Ms: number; maxMs: number }> = {};
  for (const [name, steps] of Object.entries(pages(clientId, vehicleId))) {
    const load = async () => {
      for (const step of steps) await Promise.all(step.map((path) => call(session, path)));
    };
    await load(); // the first opening warms what any page's first opening would
    const times: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      const began = performance.now();
      await load();
      times.push(performance.now() - began);
    }
    times.sort((a, b) => a - b);
    results[name] = { medianMs: percentile(times, 50), p95Ms: percentile(times, 95), maxMs: times.at(-1)! };
  }
  await stop(carport);

  const slowest = Math.max(...Object.values(results).map((r) => r.p95Ms));
  if (!o.json) {
    console.log(`\nConsole pages, one app with ${o.vehicles} vehicles and ${o.logRows} log rows (${o.samples} openings each):`);
    console.log('| page | median | p95 | worst |');
    console.log('|---|---|---|---|');
    for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${r.medianMs.toFixed(1)} ms | ${r.p95Ms.toFixed(1)} ms | ${r.maxMs.toFixed(1)} ms |`);
    console.log(`target: every page's p95 under ${TARGET_MS} ms — ${slowest < TARGET_MS ? 'met' : 'missed'} (slowest p95 ${slowest.toFixed(1)} ms)`);
  }
  return { vehicles: o.vehicles, logRows: o.logRows, samples: o.samples, fillSeconds, pages: results, targetMs: TARGET_MS, slowestP95Ms: slowest };
}
