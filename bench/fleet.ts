/** The fleet step of `npm run bench`: the same reads against 100 vehicles and against a million, p99 and server memory compared. */
import { readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, start, stop, waitUntilUp, type Child } from './children.js';
import { cachedFleet, fillFleet, grantReads, revokeReads, VEHICLES_PER_ACCOUNT, type FleetDb, type ReadTarget } from './fleet-fill.js';
import type { LoadConfig, LoadResult } from './fleet-load.js';
import { carportEnv, checkOdometer, CLI, note, ROOT } from './shared.js';

const SMALL_FLEET = 100;
/** Owners whose vehicles the load reads on the large fleet: 100 × 10 = 1,000 vehicles spread over the table. */
const READ_OWNERS = 100;
const TARGET_P99_RATIO = 1.5;
const TARGET_RSS_RATIO = 1.2;
/** Free space wanted in os.tmpdir() per million vehicles: the file is ~2 GB, with room to spare. */
const FREE_BYTES_PER_MILLION = 5e9;
/** Fill rate assumed for the watchdog, generously below what a slow machine manages. */
const FILL_SECONDS_PER_MILLION = 900;

export interface FleetOptions {
  /** The run's scratch directory, deleted by the caller. */
  work: string;
  /** Servers are added here so the caller stops them on any exit. */
  servers: Child[];
  /** Unfinished fill files, deleted by the caller on any exit. */
  partials: Set<string>;
  size: number;
  connections: number;
  warmupS: number;
  durationS: number;
  rounds: number;
  json: boolean;
}

interface Fleet {
  name: 'small' | 'large';
  db: FleetDb;
  targets: ReadTarget[];
  owners: number;
  server: Child;
  origin: string;
  idleRssMb: number;
}

interface Run extends LoadResult {
  fleet: 'small' | 'large';
  round: number;
  /** Highest VmRSS sampled while this run's load (warm-up included) was on. */
  maxRssMb: number;
}

/** The upper bound the caller's watchdog allows this step. */
export function fleetBudgetS(o: Pick<FleetOptions, 'size' | 'rounds' | 'warmupS' | 'durationS'>): number {
  return 120 + Math.ceil((FILL_SECONDS_PER_MILLION * o.size) / 1e6) + o.rounds * 2 * (o.warmupS + o.durationS + 15);
}

/** Resident memory of a process in MB, from /proc (Linux); NaN elsewhere. */
function rssMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

async function startServer(db: FleetDb, servers: Child[]): Promise<{ server: Child; origin: string }> {
  const port = await freePort();
  // Every request reads its vehicle row: with the node-local cache on, a small read set would never reach SQLite.
  const env = { ...carportEnv(`sqlite:${db.file}`), PORT: String(port), VEHICLE_CACHE_MS: '0' };
  const server = start(process.execPath, [CLI, 'serve', '--port', String(port)], { cwd: ROOT, env });
  servers.push(server);
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilUp(server, `${origin}/healthz`, `carport on ${db.vehicles.toLocaleString('en-US')} vehicles`, 60_000);
  return { server, origin };
}

/** Every read target must answer 200 with a distance before its latency means anything. */
async function checkTargets(fleet: Fleet, targets: ReadTarget[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const t = targets[i];
      if (t) await checkOdometer(`${fleet.origin}/v2.0/vehicles/${t.vehicleId}/odometer`, t.token, `${fleet.name} fleet`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function load(fleet: Fleet, round: number, o: FleetOptions): Promise<Run> {
  const config: LoadConfig = {
    origin: fleet.origin, connections: o.connections, warmupS: o.warmupS, durationS: o.durationS, targets: fleet.targets,
  };
  // Through a file: a thousand tokens would not fit in one argument or environment variable.
  const file = join(o.work, `load-${fleet.name}.json`);
  writeFileSync(file, JSON.stringify(config));
  const child = start(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'fleet-load.ts'), file], { cwd: ROOT, captureStdout: true });
  const timer = setTimeout(() => void stop(child), (o.warmupS + o.durationS + 30) * 1000);
  let maxRssMb = rssMb(fleet.server.process.pid);
  const sampler = setInterval(() => {
    maxRssMb = Math.max(maxRssMb, rssMb(fleet.server.process.pid));
  }, 200);
  const code = await child.exited;
  clearInterval(sampler);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`fleet load against the ${fleet.name} fleet failed (${code}):\n${child.stderrTail()}`);
  return { ...(JSON.parse(child.stdout()) as LoadResult), fleet: fleet.name, round, maxRssMb };
}

const failures = (r: Pick<LoadResult, 'non2xx' | 'errors' | 'timeouts'>) => r.non2xx + r.errors + r.timeouts;

/** Noise on a shared machine only ever adds latency, so each fleet's lowest p99 is its truest. */
function best(runs: Run[], fleet: 'small' | 'large'): Run | undefined {
  return runs.filter((r) => r.fleet === fleet).reduce<Run | undefined>((a, b) => (a === undefined || b.p99Ms < a.p99Ms ? b : a), undefined);
}

/** The large fleet's database, or why there is none this run. */
async function largeFleet(o: FleetOptions): Promise<FleetDb | string> {
  const needed = Math.max(5e8, (FREE_BYTES_PER_MILLION * o.size) / 1e6);
  const stats = statfsSync(tmpdir());
  const free = stats.bavail * stats.bsize;
  return cachedFleet(o.size, o.partials, () => (free >= needed ? undefined
    : `only ${(free / 1e9).toFixed(1)} GB free in ${tmpdir()}, ${(needed / 1e9).toFixed(1)} GB wanted for ${o.size.toLocaleString('en-US')} vehicles`));
}

function describeDb(db: FleetDb): { fill: string; size: string } {
  const gb = db.bytes / 1e9;
  return {
    fill: `${db.fillSeconds.toFixed(1)} s${db.cached ? ' (cached)' : ''}`,
    size: gb >= 1 ? `${gb.toFixed(2)} GB` : `${(db.bytes / 1e6).toFixed(1)} MB`,
  };
}

export async function runFleet(o: FleetOptions): Promise<Record<string, unknown>> {
  const loadBefore = loadavg()[0] ?? 0;
  const dbs: { name: 'small' | 'large'; db: FleetDb; owners: number }[] = [];
  note(`fleet: filling ${SMALL_FLEET} vehicles`);
  dbs.push({ name: 'small', db: await fillFleet(join(o.work, `fleet-${SMALL_FLEET}.db`), SMALL_FLEET), owners: SMALL_FLEET / VEHICLES_PER_ACCOUNT });
  const large = await largeFleet(o);
  if (typeof large === 'string') note(`fleet: SKIPPING the ${o.size.toLocaleString('en-US')}-vehicle fleet: ${large}`);
  else dbs.push({ name: 'large', db: large, owners: Math.min(READ_OWNERS, large.accounts) });

  const fleets: Fleet[] = [];
  const granted: { file: string; appId: string; keep: boolean }[] = [];
  try {
    for (const { name, db, owners } of dbs) {
      const { appId, targets } = grantReads(db.file, owners);
      granted.push({ file: db.file, appId, keep: name === 'large' });
      const { server, origin } = await startServer(db, o.servers);
      const fleet: Fleet = { name, db, targets, owners, server, origin, idleRssMb: rssMb(server.process.pid) };
      fleets.push(fleet);
      await checkTargets(fleet, targets);
      note(`fleet: ${name} (${db.vehicles.toLocaleString('en-US')} vehicles) answers 200 for all ${targets.length.toLocaleString('en-US')} read targets`);
    }

    const runs: Run[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      for (const fleet of fleets) {
        note(`fleet round ${round}/${o.rounds}: ${fleet.name} (${o.warmupS} s warm-up, ${o.durationS} s measured)`);
        const run = await load(fleet, round, o);
        if (failures(run) + run.warmupFailures > 0) note(`${fleet.name}: ${failures(run) + run.warmupFailures} non-2xx/errors/timeouts`);
        runs.push(run);
      }
    }
    // After the load, not before: a server that broke under it must not pass on earlier numbers.
    for (const fleet of fleets) await checkTargets(fleet, fleet.targets.slice(0, 20));
    const peakRssMb = Object.fromEntries(fleets.map((f) => [f.name, rssMb(f.server.process.pid, 'VmHWM')]));
    return report(o, fleets, runs, peakRssMb, loadBefore);
  } finally {
    for (const fleet of fleets) await stop(fleet.server);
    // The large database outlives the run; its tokens must not.
    for (const g of granted) if (g.keep) revokeReads(g.file, g.appId);
  }
}

function report(o: FleetOptions, fleets: Fleet[], runs: Run[], peakRssMb: Record<string, number>, loadBefore: number): Record<string, unknown> {
  const loadAfter = loadavg()[0] ?? 0;
  const small = best(runs, 'small');
  const large = best(runs, 'large');
  const nonOk = runs.reduce((n, r) => n + failures(r) + r.warmupFailures, 0);
  const p99Ratio = small && large ? large.p99Ms / small.p99Ms : Number.NaN;
  const rssRatio = (peakRssMb.large ?? Number.NaN) / (peakRssMb.small ?? Number.NaN);
  const skipped = !large;
  const checks = {
    p99Ratio: { value: p99Ratio, target: `<= ${TARGET_P99_RATIO}`, pass: skipped ? null : p99Ratio <= TARGET_P99_RATIO },
    // NaN where /proc is missing: not a pass, not a failure, said so.
    rssRatio: { value: rssRatio, target: `<= ${TARGET_RSS_RATIO}`, pass: skipped || Number.isNaN(rssRatio) ? null : rssRatio <= TARGET_RSS_RATIO },
    failedResponses: { value: nonOk, target: '= 0', pass: nonOk === 0 },
  };
  const pass = Object.values(checks).every((c) => c.pass !== false);
  const fleetInfo = fleets.map((f) => ({
    fleet: f.name, vehicles: f.db.vehicles, accounts: f.db.accounts, fillSeconds: f.db.fillSeconds, cached: f.db.cached, dbBytes: f.db.bytes,
    readVehicles: f.targets.length, readOwners: f.owners, idleRssMb: f.idleRssMb, peakRssMb: peakRssMb[f.name],
  }));
  const json = {
    endpoint: 'GET /v2.0/vehicles/{id}/odometer', vehicleCacheMs: 0, connections: o.connections, durationS: o.durationS, warmupS: o.warmupS,
    rounds: o.rounds, loadAverage: { before: loadBefore, after: loadAfter }, fleets: fleetInfo, runs, best: { small, large }, checks, pass,
  };
  if (o.json) return json;

  const row = (cells: (string | number)[], widths: number[]) =>
    cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](widths[i] ?? 11)).join(' ');
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const ms = (v: number) => v.toFixed(2);
  const mb = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(1));
  console.log(`\nfleet: GET /v2.0/vehicles/{id}/odometer on a random read-target vehicle per request, ${o.connections} connections,`
    + ` ${o.warmupS} s warm-up + ${o.durationS} s per run`);
  console.log('VEHICLE_CACHE_MS=0: every request reads its vehicle row from SQLite (tokens stay cached for AUTH_CACHE_MS, 2 s by default)');
  console.log(`machine load (1-min average): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after;`
    + ' latency from each response\'s hrtime (autocannon\'s own histogram keeps whole ms)\n');
  const fw = [8, 11, 9, 18, 11, 22, 9, 9];
  console.log(row(['fleet', 'vehicles', 'owners', 'fill', 'db size', 'read targets', 'idle RSS', 'peak RSS'], fw));
  for (const f of fleets) {
    const d = describeDb(f.db);
    console.log(row([f.name, n(f.db.vehicles), n(f.db.accounts), d.fill, d.size,
      `${n(f.targets.length)} cars/${f.owners} owners`, mb(f.idleRssMb), mb(peakRssMb[f.name])], fw));
  }
  const rw = [12, 9, 8, 8, 8, 10, 10, 11];
  const fmt = (r: Run, label: string) => row([label, n(r.reqPerSec), ms(r.p50Ms), ms(r.p99Ms), ms(r.maxMs), mb(r.maxRssMb), n(r.total),
    failures(r) + r.warmupFailures], rw);
  console.log(`\n${row(['run', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'RSS MB', 'requests', 'non-2xx/err'], rw)}`);
  for (const r of runs) console.log(fmt(r, `${r.fleet} #${r.round}`));
  console.log(`\nbest of ${o.rounds} (lowest p99):`);
  if (small) console.log(fmt(small, `${n(fleets[0]?.db.vehicles ?? 0)}`));
  if (large) console.log(fmt(large, `${n(fleets[1]?.db.vehicles ?? 0)}`));
  const mark = (ok: boolean | null) => (ok === null ? 'SKIP' : ok ? 'PASS' : 'FAIL');
  if (skipped) console.log('\nlarge fleet skipped: no comparison this run');
  else {
    console.log(`\n${mark(checks.p99Ratio.pass)}  p99 large/small ${p99Ratio.toFixed(2)} (${ms(large.p99Ms)} / ${ms(small?.p99Ms ?? Number.NaN)} ms)`
      + ` ${checks.p99Ratio.target}`);
    console.log(`${mark(checks.rssRatio.pass)}  peak server RSS large/small ${Number.isNaN(rssRatio) ? 'n/a' : rssRatio.toFixed(2)}`
      + ` (${mb(peakRssMb.large)} / ${mb(peakRssMb.small)} MB) ${checks.rssRatio.target}: memory not growing with fleet size`);
  }
  console.log(`${mark(checks.failedResponses.pass)}  non-2xx, errors and timeouts ${nonOk} (warm-ups included) ${checks.failedResponses.target}`);
  console.log(pass ? '\nfleet targets met' : '\nfleet targets missed (a measurement, not a test: exit code stays 0)');
  return json;
}
