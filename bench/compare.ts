/**
 * One endpoint of carport against the same path on the bare Fastify server, loaded alternately by
 * autocannon from its own process, round after round; reports each side's best round and the ratio.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { start, stop } from './children.js';
import { note } from './shared.js';

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export interface CompareOptions {
  /** As printed, e.g. `GET /v2.0/vehicles/{id}/odometer`. */
  endpoint: string;
  carportUrl: string;
  bareUrl: string;
  /** The servers' process ids, to report each one's CPU time a request (Linux). */
  carportPid?: number;
  barePid?: number;
  token: string;
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  json: boolean;
  targetRatio: number;
  targetP99Ms: number;
  /**
   * A second carport loaded in the same rounds with one feature off (`--request-log-off`-style A/B):
   * reported as its own ratio and as what the feature costs of it.
   */
  without?: { name: string; url: string; pid?: number };
  /** Fails unless carport still answers as it should: run after the load, so a server that broke under it cannot pass. */
  checkAfter(): Promise<void>;
}

export interface Load {
  target: string;
  round: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /**
   * The server's CPU time (user + system, all its threads) over the run, per request answered, in
   * µs; null where /proc cannot tell. Other work on a shared machine moves it far less than req/s.
   */
  cpuUsPerRequest: number | null;
}

interface AutocannonJson {
  duration: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The upper bound a comparison takes, for the caller's watchdog. */
export function compareBudgetS(o: Pick<CompareOptions, 'rounds' | 'warmupS' | 'durationS'>): number {
  return o.rounds * 2 * (o.warmupS + o.durationS + 5);
}

const CLOCK_TICKS_PER_SECOND = 100;

/** A process's CPU time so far in µs (utime + stime from /proc, in clock ticks), or null. */
function cpuUs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** One autocannon run in its own process, so the load generator never shares an event loop with a server. */
export async function load(
  o: Pick<CompareOptions, 'connections' | 'token'>, target: string, round: number, url: string, seconds: number, pid?: number,
): Promise<Load> {
  const cpuBefore = cpuUs(pid);
  const run = start(process.execPath, [
    AUTOCANNON, '--json', '--no-progress', '-c', String(o.connections), '-d', String(seconds),
    '-H', `authorization=Bearer ${o.token}`, url,
  ], { captureStdout: true });
  const timer = setTimeout(() => void stop(run), (seconds + 20) * 1000);
  const code = await run.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`autocannon against ${target} failed (${code}):\n${run.stderrTail()}`);
  const cpuAfter = cpuUs(pid);
  const r = JSON.parse(run.stdout()) as AutocannonJson;
  return {
    // Completed requests over the measured wall time rather than autocannon's mean of per-second samples.
    target, round, reqPerSec: r.requests.total / r.duration, p50Ms: r.latency.p50, p99Ms: r.latency.p99, total: r.requests.total,
    non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    cpuUsPerRequest: cpuBefore !== null && cpuAfter !== null && r.requests.total > 0 ? (cpuAfter - cpuBefore) / r.requests.total : null,
  };
}

export const failures = (l: Load) => l.non2xx + l.errors + l.timeouts;

/** A target's lowest CPU time a request over its rounds (noise only adds to it), or null. */
function leastCpu(loads: Load[], target: string): number | null {
  const known = loads.filter((l) => l.target === target && l.cpuUsPerRequest !== null).map((l) => l.cpuUsPerRequest!);
  return known.length > 0 ? Math.min(...known) : null;
}

/** Noise on a shared machine only ever slows a run down, so each target's fastest run is its truest. */
function best(loads: Load[], target: string): Load {
  const mine = loads.filter((l) => l.target === target);
  const top = mine.reduce((a, b) => (b.reqPerSec > a.reqPerSec ? b : a));
  return { ...top, non2xx: mine.reduce((n, l) => n + l.non2xx, 0), errors: mine.reduce((n, l) => n + l.errors, 0),
    timeouts: mine.reduce((n, l) => n + l.timeouts, 0) };
}

function report(o: CompareOptions, loads: Load[], warmupFailures: number, loadBefore: number): Record<string, unknown> {
  const loadAfter = loadavg()[0] ?? 0;
  const bare = best(loads, 'bare');
  const carport = best(loads, 'carport');
  const ratio = carport.reqPerSec / bare.reqPerSec;
  const roundRatios = Array.from({ length: o.rounds }, (_, i) => {
    const b = loads.find((l) => l.target === 'bare' && l.round === i + 1);
    const c = loads.find((l) => l.target === 'carport' && l.round === i + 1);
    return b && c ? c.reqPerSec / b.reqPerSec : Number.NaN;
  });
  const nonOk = failures(carport) + failures(bare) + warmupFailures;
  const checks = {
    ratio: { value: ratio, target: `>= ${o.targetRatio}`, pass: ratio >= o.targetRatio },
    carportP99Ms: { value: carport.p99Ms, target: `<= ${o.targetP99Ms}`, pass: carport.p99Ms <= o.targetP99Ms },
    failedResponses: { value: nonOk, target: '= 0', pass: nonOk === 0 },
  };
  const pass = Object.values(checks).every((c) => c.pass);

  const without = o.without ? best(loads, o.without.name) : undefined;
  const withoutRatio = without ? without.reqPerSec / bare.reqPerSec : undefined;
  const json = {
    endpoint: o.endpoint, connections: o.connections, durationS: o.durationS, warmupS: o.warmupS, rounds: o.rounds,
    loadAverage: { before: loadBefore, after: loadAfter }, runs: loads, best: { bare, carport }, ratio, roundRatios, checks, pass,
    cpuUsPerRequest: { bare: leastCpu(loads, 'bare'), carport: leastCpu(loads, 'carport'), ...(o.without && { [o.without.name]: leastCpu(loads, o.without.name) }) },
    ...(without && o.without && { without: { name: o.without.name, best: without, ratio: withoutRatio, drop: 1 - ratio / withoutRatio! } }),
  };
  if (o.json) return json;
  const row = (cells: (string | number)[]) => cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](i === 0 ? 14 : 11)).join(' ');
  const ms = (v: number) => String(Math.round(v * 100) / 100);
  const cpu = (l: Load) => (l.cpuUsPerRequest === null ? '-' : l.cpuUsPerRequest.toFixed(1));
  const fmt = (l: Load, label: string) => row([label, Math.round(l.reqPerSec).toLocaleString('en-US'), ms(l.p50Ms),
    ms(l.p99Ms), l.total.toLocaleString('en-US'), failures(l), cpu(l)]);
  console.log(`\n${o.endpoint}, ${o.connections} connections, ${o.warmupS} s warm-up + ${o.durationS} s per run`);
  // Other work on this shared machine skews absolute figures; the ratio is the number to trust.
  console.log(`machine load (1-min average): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after; latency resolution 1 ms\n`);
  console.log(row(['run', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx/err', 'CPU µs/req']));
  for (const l of loads) console.log(fmt(l, `${l.target} #${l.round}`));
  console.log(`\nbest of ${o.rounds} (highest req/s):`);
  console.log(fmt(bare, 'bare fastify'));
  console.log(fmt(carport, 'carport'));
  if (without && o.without) console.log(fmt(without, o.without.name.slice(0, 14)));
  const cpus = [['bare', leastCpu(loads, 'bare')], ['carport', leastCpu(loads, 'carport')], ...(o.without ? [[o.without.name, leastCpu(loads, o.without.name)]] : [])]
    .filter(([, v]) => v !== null).map(([name, v]) => `${name} ${(v as number).toFixed(1)}`);
  if (cpus.length > 0) console.log(`\nserver CPU µs a request (lowest round): ${cpus.join(', ')}`);
  console.log(`\nratio carport/bare req/s: ${ratio.toFixed(2)} (per round: ${roundRatios.map((r) => r.toFixed(2)).join(', ')})`);
  if (without && o.without && withoutRatio !== undefined) {
    console.log(`ratio ${o.without.name}/bare req/s: ${withoutRatio.toFixed(2)}; what it costs: ${((1 - ratio / withoutRatio) * 100).toFixed(1)} % of that ratio`);
  }
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log(`${mark(checks.ratio.pass)}  ratio ${ratio.toFixed(2)} ${checks.ratio.target}`);
  console.log(`${mark(checks.carportP99Ms.pass)}  carport p99 ${ms(carport.p99Ms)} ms ${checks.carportP99Ms.target} ms`);
  console.log(`${mark(checks.failedResponses.pass)}  non-2xx, errors and timeouts ${nonOk} (warm-ups included) ${checks.failedResponses.target}`);
  console.log(pass ? '\nall targets met' : '\ntargets missed (a measurement, not a test: exit code stays 0)');
  return json;
}

export async function compare(o: CompareOptions): Promise<Record<string, unknown>> {
  const targets = [
    { name: 'bare', url: o.bareUrl, pid: o.barePid }, { name: 'carport', url: o.carportUrl, pid: o.carportPid }, ...(o.without ? [o.without] : []),
  ];
  const loadBefore = loadavg()[0] ?? 0;
  const loads: Load[] = [];
  let warmupFailures = 0;
  for (let round = 1; round <= o.rounds; round++) {
    for (const t of targets) {
      note(`${o.endpoint} round ${round}/${o.rounds}: ${t.name} (${o.warmupS} s warm-up, ${o.durationS} s measured)`);
      warmupFailures += failures(await load(o, t.name, round, t.url, o.warmupS));
      const measured = await load(o, t.name, round, t.url, o.durationS, t.pid);
      if (failures(measured) > 0) note(`${t.name}: ${failures(measured)} non-2xx/errors/timeouts`);
      loads.push(measured);
    }
  }
  await o.checkAfter();
  return report(o, loads, warmupFailures, loadBefore);
}
