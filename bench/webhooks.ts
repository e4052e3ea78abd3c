/** The webhook step of `npm run bench`: signed scheduled deliveries from the built server's worker to a local receiver, their rate and delay. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type * as TokensModule from '../src/cli/tokens.js';
import type * as ConfigModule from '../src/config.js';
import type * as ServerModule from '../src/server.js';
import { freePort, start, stop, waitUntilUp, type Child } from './children.js';
import { carportEnv, CLI, note, ROOT } from './shared.js';
import type { Arrival, ReceiverStats } from './webhook-receiver.js';

const TARGET_PER_SECOND = 1_000;
const TARGET_P99_MS = 1_000;
/** Never due until the benchmark says so: the burst webhook's subscriptions wait here. */
const NEVER = '9999-12-31T23:59:59.999Z';
/** Owners with ten cars each, as the fleet step fills them: a webhook's data read looks up its owner's grants. */
const VEHICLES_PER_OWNER = 10;
/** The steady schedule starts this long after it is written: time for the server to start before anything is due. */
const LEAD_MS = 3_000;
/** A phase that delivers nothing new for this long has stalled: stop waiting and report what arrived. */
const STALL_MS = 10_000;

export interface WebhookBenchOptions {
  /** The run's scratch directory (the SQLite file goes here), deleted by the caller. */
  work: string;
  /** Children are added here so the caller stops them on any exit. */
  servers: Child[];
  /** Events per phase, and subscribed vehicles. */
  events: number;
  /** Scheduled deliveries falling due per second in the steady phase. */
  rate: number;
  batchSize: number;
  /** WEBHOOK_APP_IN_FLIGHT for the server; null leaves carport's default (a fifth of the batch). */
  appInFlight: number | null;
  pollMs: number;
  /** A PostgreSQL server to run the same phases on, in a database created for the run; null for SQLite only. */
  postgres: string | null;
  /** Where the server writes a V8 CPU profile of the whole run (node --cpu-prof), when set. */
  cpuProfDir: string | null;
  json: boolean;
}

interface Delays {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface Phase {
  database: 'sqlite' | 'postgres';
  phase: 'steady' | 'burst';
  events: number;
  delivered: number;
  /** Distinct events received over the time from the first to the last. */
  perSecond: number;
  /** From the moment each subscription fell due to its delivery's arrival. */
  delay: Delays;
  /** From each event's outbox row (`created_at`) to its arrival. */
  outboxDelay: Delays;
  /** CPU seconds the server and the receiver used during the phase (from /proc; NaN elsewhere). */
  serverCpuS: number;
  receiverCpuS: number;
  wallS: number;
}

/** One phase as measured, before the receiver's arrivals are matched with the outbox. */
interface Measured {
  phase: 'steady' | 'burst';
  webhookId: string;
  /** When a vehicle's subscription fell due, in ms since the epoch. */
  dueAt: (vehicleId: string) => number;
  wallS: number;
  serverCpuS: number;
  receiverCpuS: number;
}

interface Check {
  value: number;
  target: string;
  pass: boolean;
}

interface DatabaseRun {
  database: 'sqlite' | 'postgres';
  phases: Phase[];
  stats: ReceiverStats;
  /** Outbox rows not delivered, and failed attempts, when the phases ended. */
  undelivered: number;
  failedAttempts: number;
  setupS: number;
  /** How long before the first steady event fell due the server answered /healthz (negative: it was late). */
  serverReadyLeadMs: number;
}

/** PostgreSQL databases this run created, dropped at the end or by the caller's clean-up. */
const createdDatabases = new Map<string, string>();

/** The upper bound the caller's watchdog allows this step. */
export function webhooksBudgetS(o: Pick<WebhookBenchOptions, 'events' | 'rate' | 'postgres'>): number {
  const one = 60 + (LEAD_MS + (o.events / o.rate) * 1000 + 2 * STALL_MS) / 1000 + o.events / 100;
  return Math.ceil(one * (o.postgres ? 2 : 1));
}

/** Drops the databases a run created; safe to call more than once. */
export async function dropWebhookDatabases(): Promise<void> {
  for (const [name, base] of createdDatabases) {
    createdDatabases.delete(name);
    const client = new pg.Client({ connectionString: base });
    try {
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } catch (error) {
      note(`webhooks: could not drop PostgreSQL database ${name}: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** A fresh database on that server, or why there is none. */
async function postgresDatabase(base: string): Promise<string | { skip: string }> {
  const name = `carport_bench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    return { skip: `PostgreSQL at ${base} is not usable: ${(error as Error).message}` };
  } finally {
    await client.end().catch(() => {});
  }
  createdDatabases.set(name, base);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The built server's modules: the benchmark sets up what the benchmarked server will read. */
async function distModules() {
  const load = (path: string) => import(pathToFileURL(join(ROOT, 'dist', ...path.split('/'))).href);
  return {
    config: (await load('config.js')) as typeof ConfigModule,
    server: (await load('server.js')) as typeof ServerModule,
    tokens: (await load('cli/tokens.js')) as typeof TokensModule,
  };
}

/** User plus system CPU seconds a process has used, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function delays(values: number[]): Delays {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? Number.NaN };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

async function inParallel(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/** Waits until the receiver holds `events` distinct events of the webhook, or nothing new arrived for STALL_MS. */
async function delivered(origin: string, webhookId: string, events: number): Promise<number> {
  let seen = 0;
  let progressAt = Date.now();
  for (;;) {
    const stats = await getJson<ReceiverStats>(`${origin}/stats`);
    const count = stats.byWebhook[webhookId] ?? 0;
    if (count >= events) return count;
    if (count > seen) {
      seen = count;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > STALL_MS) {
      note(`webhooks: no new delivery for ${STALL_MS / 1000} s; ${count.toLocaleString('en-US')} of ${events.toLocaleString('en-US')} arrived`);
      return count;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function runDatabase(database: 'sqlite' | 'postgres', url: string, o: WebhookBenchOptions): Promise<DatabaseRun> {
  const began = performance.now();
  const { config, server, tokens } = await distModules();
  const secretKey = randomBytes(32).toString('base64');
  const { db, services } = await server.createServices(config.loadConfig({}, { databaseUrl: url, secretKey, logLevel: 'silent' }));
  const children: Child[] = [];
  try {
    const app = await services.apps.create({ name: 'webhook benchmark', redirectUris: ['http://127.0.0.1/callback'] });
    const receiverPort = await freePort();
    const receiver = start(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'webhook-receiver.ts')], {
      cwd: ROOT, env: { ...process.env, PORT: String(receiverPort), BENCH_MANAGEMENT_TOKEN: app.managementToken },
    });
    children.push(receiver);
    o.servers.push(receiver);
    const origin = `http://127.0.0.1:${receiverPort}`;
    await waitUntilUp(receiver, `${origin}/healthz`, 'webhook receiver');

    // Both webhooks pass the VERIFY handshake against the receiver, as a developer's would.
    const webhook = async (name: string) => {
      const { webhook: w, verification } = await services.webhooks.create(app.clientId, {
        name, url: `${origin}/hooks`, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'],
      });
      if (w.status !== 'active') throw new Error(`webhook ${name} was not verified: ${verification.reason ?? 'no reason given'}`);
      return w.id;
    };
    const steadyId = await webhook('steady');
    const burstId = await webhook('burst');

    const vehicleIds: string[] = [];
    // One SQLite connection serializes anyway; PostgreSQL's pool takes several owners at once.
    await inParallel(Math.ceil(o.events / VEHICLES_PER_OWNER), database === 'postgres' ? 8 : 1, async () => {
      const grant = await tokens.createTestToken(services, { clientId: app.clientId, scope: 'read_odometer', make: 'TESLA', vehicles: VEHICLES_PER_OWNER });
      vehicleIds.push(...grant.vehicleIds);
    });
    vehicleIds.length = o.events;

    // Written directly rather than through subscribe(), which makes every subscription due at once.
    const createdAt = new Date().toISOString();
    const firstDueAt = Date.now() + LEAD_MS;
    const dueOf = new Map<string, number>();
    const rows = vehicleIds.flatMap((vehicleId, i) => {
      const due = firstDueAt + Math.floor((i * 1000) / o.rate);
      dueOf.set(vehicleId, due);
      return [
        { webhook_id: steadyId, vehicle_id: vehicleId, created_at: createdAt, next_due_at: new Date(due).toISOString(), last_seen: null },
        { webhook_id: burstId, vehicle_id: vehicleId, created_at: createdAt, next_due_at: NEVER, last_seen: null },
      ];
    });
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('webhook_subscriptions').values(rows.slice(i, i + 500)).execute();
    });
    const setupS = (performance.now() - began) / 1000;

    const port = await freePort();
    if (o.cpuProfDir) mkdirSync(o.cpuProfDir, { recursive: true });
    const profile = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir, '--cpu-prof-name', `webhooks-${database}-${process.pid}.cpuprofile`] : [];
    const carport = start(process.execPath, [...profile, CLI, 'serve', '--port', String(port)], {
      cwd: ROOT,
      env: {
        ...carportEnv(url), PORT: String(port), SECRET_KEY: secretKey, WEBHOOK_WORKER: 'on',
        WEBHOOK_BATCH_SIZE: String(o.batchSize), WEBHOOK_POLL_MS: String(o.pollMs),
        ...(o.appInFlight !== null && { WEBHOOK_APP_IN_FLIGHT: String(o.appInFlight) }),
      },
    });
    children.push(carport);
    o.servers.push(carport);
    await waitUntilUp(carport, `http://127.0.0.1:${port}/healthz`, `carport on ${database}`);
    const serverReadyLeadMs = firstDueAt - Date.now();
    if (serverReadyLeadMs < 0) note(`webhooks: the server was up ${-serverReadyLeadMs} ms after the first event fell due; delays include that`);

    const phases: Measured[] = [];
    const measure = async (phase: Measured['phase'], webhookId: string, dueAt: Measured['dueAt'], release?: () => Promise<void>) => {
      const cpu = [cpuSeconds(carport.process.pid), cpuSeconds(receiver.process.pid)] as const;
      const t = performance.now();
      await release?.();
      await delivered(origin, webhookId, o.events);
      phases.push({
        phase, webhookId, dueAt, wallS: (performance.now() - t) / 1000,
        serverCpuS: cpuSeconds(carport.process.pid) - cpu[0], receiverCpuS: cpuSeconds(receiver.process.pid) - cpu[1],
      });
    };

    note(`webhooks (${database}): steady phase, ${o.rate.toLocaleString('en-US')} scheduled deliveries/s falling due for ${(o.events / o.rate).toFixed(1)} s`);
    // The phase's wall time and CPU cover the schedule, not the idle wait for it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstDueAt - Date.now())));
    await measure('steady', steadyId, (vehicleId) => dueOf.get(vehicleId) ?? Number.NaN);
    note(`webhooks (${database}): burst phase, ${o.events.toLocaleString('en-US')} scheduled deliveries due at once`);
    let releasedAt = Number.NaN;
    await measure('burst', burstId, () => releasedAt, async () => {
      releasedAt = Date.now();
      await db.updateTable('webhook_subscriptions').set({ next_due_at: new Date(releasedAt).toISOString() })
        .where('webhook_id', '=', burstId).execute();
    });

    const stats = await getJson<ReceiverStats>(`${origin}/stats`);
    const arrivals = await getJson<Arrival[]>(`${origin}/arrivals`);
    await stop(carport);
    const outbox = await db.selectFrom('webhook_outbox').select(['event_id', 'vehicle_id', 'created_at', 'status']).execute();
    const failedAttempts = await db.selectFrom('webhook_attempts').select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('status_code', 'is', null), eb('status_code', '<', 200), eb('status_code', '>=', 300)])).executeTakeFirst();
    const byEvent = new Map(outbox.map((r) => [r.event_id, r]));
    return {
      database, stats, setupS, serverReadyLeadMs,
      undelivered: outbox.filter((r) => r.status !== 'delivered').length + 2 * o.events - outbox.length,
      failedAttempts: Number(failedAttempts?.n ?? 0),
      phases: phases.map((p) => summarize(database, p, arrivals, byEvent, o.events)),
    };
  } finally {
    for (const child of children) await stop(child);
    await db.destroy();
  }
}

function summarize(
  database: 'sqlite' | 'postgres', p: Measured, arrivals: Arrival[], byEvent: Map<string, { vehicle_id: string | null; created_at: string }>,
  events: number,
): Phase {
  const mine = arrivals.filter(([webhookId]) => webhookId === p.webhookId);
  const times = mine.map(([, , at]) => at);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const due: number[] = [];
  const queued: number[] = [];
  for (const [, eventId, at] of mine) {
    const row = byEvent.get(eventId);
    if (!row) continue;
    due.push(at - p.dueAt(row.vehicle_id ?? ''));
    queued.push(at - Date.parse(row.created_at));
  }
  return {
    database, phase: p.phase, events, delivered: mine.length, perSecond: mine.length / ((last - first) / 1000),
    delay: delays(due), outboxDelay: delays(queued), serverCpuS: p.serverCpuS, receiverCpuS: p.receiverCpuS, wallS: p.wallS,
  };
}

export async function runWebhooks(o: WebhookBenchOptions): Promise<Record<string, unknown>> {
  const loadBefore = loadavg()[0] ?? 0;
  const runs: DatabaseRun[] = [];
  const skipped: string[] = [];
  runs.push(await runDatabase('sqlite', `sqlite:${join(o.work, 'webhooks.db')}`, o));
  if (o.postgres) {
    const url = await postgresDatabase(o.postgres);
    if (typeof url === 'string') {
      try {
        runs.push(await runDatabase('postgres', url, o));
      } finally {
        await dropWebhookDatabases();
      }
    } else {
      note(`webhooks: SKIPPING PostgreSQL: ${url.skip}`);
      skipped.push(url.skip);
    }
  }
  return report(o, runs, skipped, loadBefore);
}

function report(o: WebhookBenchOptions, runs: DatabaseRun[], skipped: string[], loadBefore: number): Record<string, unknown> {
  const loadAfter = loadavg()[0] ?? 0;
  const phase = (run: DatabaseRun, name: 'steady' | 'burst') => run.phases.find((p) => p.phase === name);
  const problems = runs.reduce((n, r) => n + r.stats.badSignatures + r.stats.malformed + r.stats.duplicates + r.undelivered, 0);
  const checks: Record<string, Check> = { problems: { value: problems, target: '= 0', pass: problems === 0 } };
  for (const r of runs) {
    const perSecond = phase(r, 'burst')?.perSecond ?? Number.NaN;
    const steady = phase(r, 'steady');
    const p99 = steady?.delay.p99Ms ?? Number.NaN;
    checks[`${r.database}DeliveriesPerSecond`] = { value: perSecond, target: `>= ${TARGET_PER_SECOND}`, pass: perSecond >= TARGET_PER_SECOND };
    // A p99 over the events that did arrive says nothing if some never did.
    checks[`${r.database}P99DelayMs`] = { value: p99, target: `< ${TARGET_P99_MS}`, pass: p99 < TARGET_P99_MS && steady?.delivered === o.events };
  }
  const pass = Object.values(checks).every((c) => c.pass);
  const json = {
    receiver: 'node:http, SC-Signature checked with the official SDK\'s verifyPayload', events: o.events, steadyRate: o.rate,
    config: { WEBHOOK_BATCH_SIZE: o.batchSize, WEBHOOK_APP_IN_FLIGHT: o.appInFlight ?? Math.max(1, Math.floor(o.batchSize / 5)), WEBHOOK_POLL_MS: o.pollMs }, loadAverage: { before: loadBefore, after: loadAfter },
    runs, skipped, checks, pass,
  };
  if (o.json) return json;

  const n = (v: number) => (Number.isNaN(v) ? 'n/a' : Math.round(v).toLocaleString('en-US'));
  const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v >= 100 ? String(Math.round(v)) : v.toFixed(1));
  const s = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1));
  const widths = [10, 8, 9, 13, 8, 8, 8, 10, 10, 10, 9];
  const row = (cells: (string | number)[]) => cells.map((c, i) => String(c)[i < 2 ? 'padEnd' : 'padStart'](widths[i] ?? 9)).join(' ');
  console.log(`\nwebhooks: scheduled deliveries from \`carport serve\` (WEBHOOK_WORKER=on, WEBHOOK_BATCH_SIZE=${o.batchSize},`
    + ` WEBHOOK_APP_IN_FLIGHT=${o.appInFlight ?? `${Math.max(1, Math.floor(o.batchSize / 5))} (default)`}, WEBHOOK_POLL_MS=${o.pollMs}, LOG_LEVEL=info) to a receiver process checking every SC-Signature with the SDK's verifyPayload`);
  console.log(`steady: ${n(o.rate)}/s fall due for ${s(o.events / o.rate)} s, delay from due time to arrival;`
    + ` burst: ${n(o.events)} due at once, rate from first to last arrival`);
  console.log(`machine load (1-min average): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after\n`);
  console.log(row(['database', 'phase', 'delivered', 'deliveries/s', 'p50 ms', 'p99 ms', 'max ms', 'queued p99', 'server CPU', 'recv CPU', 'wall s']));
  for (const r of runs) {
    for (const p of r.phases) {
      console.log(row([r.database, p.phase, n(p.delivered), n(p.perSecond), ms(p.delay.p50Ms), ms(p.delay.p99Ms), ms(p.delay.maxMs),
        ms(p.outboxDelay.p99Ms), `${s(p.serverCpuS)} s`, `${s(p.receiverCpuS)} s`, s(p.wallS)]));
    }
  }
  console.log('(queued p99: from the outbox row\'s created_at to arrival; CPU: seconds used during the phase, from /proc)');
  for (const r of runs) {
    console.log(`${r.database}: set-up ${s(r.setupS)} s, server ready ${n(r.serverReadyLeadMs)} ms before the first due time;`
      + ` ${n(r.stats.deliveries)} deliveries received, ${r.stats.badSignatures} bad signatures, ${r.stats.duplicates} duplicates,`
      + ` ${r.stats.malformed} malformed, ${r.undelivered} undelivered, ${r.failedAttempts} failed attempts`);
  }
  for (const reason of skipped) console.log(`PostgreSQL skipped: ${reason}`);
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  for (const r of runs) {
    const perSecond = checks[`${r.database}DeliveriesPerSecond`];
    const p99 = checks[`${r.database}P99DelayMs`];
    if (perSecond) console.log(`${mark(perSecond.pass)}  ${r.database}: burst ${n(perSecond.value)} deliveries/s ${perSecond.target}`);
    if (p99) console.log(`${mark(p99.pass)}  ${r.database}: p99 delay ${ms(p99.value)} ms at ${n(o.rate)}/s, all delivered, ${p99.target} ms`);
  }
  console.log(`${mark(problems === 0)}  bad signatures, malformed, duplicates and undelivered ${problems} = 0`);
  console.log(pass ? '\nwebhook targets met' : '\nwebhook targets missed (a measurement, not a test: exit code stays 0)');
  return json;
}
