/**
 * `npm run bench`: carport's GET /v2.0/vehicles/{id}/odometer against a bare Fastify route, each loaded in turn by
 * autocannon; then the v3 signal list of a Tesla Model 3 the same way (bench/signals.ts); then the odometer reads on
 * a 100-vehicle and a million-vehicle fleet (bench/fleet.ts); then signed webhook deliveries to a local receiver
 * (bench/webhooks.ts); then the console's pages on an app with 10,000 vehicles and 100,000 request-log rows
 * (bench/console.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, killAllNow, start, stop, waitUntilUp, type Child } from './children.js';
import { compare, compareBudgetS } from './compare.js';
import { removePartial } from './fleet-fill.js';
import { fleetBudgetS, runFleet } from './fleet.js';
import { consoleBudgetS, runConsole } from './console.js';
import { nodesBudgetS, runNodes } from './nodes.js';
import { carportEnv, checkOdometer, cliJson, CLI, ensureBuild, note, ROOT } from './shared.js';
import { runSignals, signalsBudgetS } from './signals.js';
import { dropWebhookDatabases, runWebhooks, webhooksBudgetS } from './webhooks.js';

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 10;

function usage(problem: string): never {
  console.error(`bench: ${problem}\nusage: npm run bench -- [--duration 10] [--warmup 3] [--rounds 2] [--connections 50] [--json] [--skip-build]
                       [--skip-odometer] [--skip-signals] [--skip-fleet] [--fleet-size 1000000]
                       [--skip-webhooks] [--webhook-events 10000] [--webhook-rate 1000] [--webhook-batch-size 100]
                       [--webhook-app-in-flight N] [--webhook-poll-ms 100] [--webhook-postgres off|postgres://user@127.0.0.1:5432] [--webhook-cpu-prof DIR]
                       [--skip-console] [--console-vehicles 10000] [--console-log-rows 100000] [--console-samples 30]
       npm run bench -- --nodes 3 [--nodes-postgres postgres://postgres@127.0.0.1:5432/postgres] [--nodes-redis off|redis://127.0.0.1:6379]
                       [--revocations 20] [--duration 10] [--warmup 3] [--rounds 2] [--connections 50] [--json] [--skip-build]`);
  process.exit(2);
}

const FLAGS = {
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '3' },
  rounds: { type: 'string', default: '2' },
  connections: { type: 'string', default: '50' },
  json: { type: 'boolean', default: false },
  'skip-build': { type: 'boolean', default: false },
  'skip-odometer': { type: 'boolean', default: false },
  'skip-signals': { type: 'boolean', default: false },
  'skip-fleet': { type: 'boolean', default: false },
  'fleet-size': { type: 'string', default: '1000000' },
  'skip-webhooks': { type: 'boolean', default: false },
  'webhook-events': { type: 'string', default: '10000' },
  'webhook-rate': { type: 'string', default: '1000' },
  'webhook-batch-size': { type: 'string', default: '100' },
  'webhook-poll-ms': { type: 'string', default: '100' },
  // Unset: carport's default share (a fifth of the batch), which holds the benchmark's one app to 20 of 100 slots.
  'webhook-app-in-flight': { type: 'string' },
  // Off by default: at today's PostgreSQL delivery rate its two phases alone take over a minute.
  'webhook-postgres': { type: 'string', default: 'off' },
  'webhook-cpu-prof': { type: 'string' },
  'skip-console': { type: 'boolean', default: false },
  'console-vehicles': { type: 'string', default: '10000' },
  'console-log-rows': { type: 'string', default: '100000' },
  'console-samples': { type: 'string', default: '30' },
  nodes: { type: 'string', default: '0' },
  'nodes-postgres': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  'nodes-redis': { type: 'string', default: 'off' },
  revocations: { type: 'string', default: '20' },
} as const;

const { values: args } = (() => {
  try {
    return parseArgs({ options: FLAGS });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
})();

function positiveInt(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) usage(`--${name} must be an integer from 1 to ${max}`);
  return n;
}

const durationS = positiveInt('duration', args.duration, 120);
const warmupS = positiveInt('warmup', args.warmup, 30);
const rounds = positiveInt('rounds', args.rounds, 10);
const connections = positiveInt('connections', args.connections, 1_000);
// At least the 1,000 vehicles the fleet step reads; ten million is already ~20 GB of SQLite.
const fleetSize = positiveInt('fleet-size', args['fleet-size'].replaceAll('_', '').replaceAll(',', ''), 10_000_000);
if (fleetSize < 1_000) usage('--fleet-size must be at least 1000');
const webhookEvents = positiveInt('webhook-events', args['webhook-events'].replaceAll('_', '').replaceAll(',', ''), 200_000);
if (webhookEvents < 100) usage('--webhook-events must be at least 100');
const webhookRate = positiveInt('webhook-rate', args['webhook-rate'], 100_000);
// The limits carport's own configuration accepts for WEBHOOK_BATCH_SIZE and WEBHOOK_POLL_MS.
const webhookBatchSize = positiveInt('webhook-batch-size', args['webhook-batch-size'], 1_000);
const webhookPollMs = positiveInt('webhook-poll-ms', args['webhook-poll-ms'], 60_000);
const webhookAppInFlight = args['webhook-app-in-flight'] === undefined ? null : positiveInt('webhook-app-in-flight', args['webhook-app-in-flight'], 1_000);
const consoleVehicles = positiveInt('console-vehicles', args['console-vehicles'].replaceAll('_', '').replaceAll(',', ''), 1_000_000);
const consoleLogRows = positiveInt('console-log-rows', args['console-log-rows'].replaceAll('_', '').replaceAll(',', ''), 10_000_000);
const consoleSamples = positiveInt('console-samples', args['console-samples'], 10_000);
// --nodes N is a run of its own: N nodes behind nginx against one, and revocations across them.
const nodes = args.nodes === '0' ? 0 : positiveInt('nodes', args.nodes, 16);
if (nodes === 1) usage('--nodes compares several nodes with one: give 2 or more');
const revocations = positiveInt('revocations', args.revocations, 1_000);
const nodesRedis = args['nodes-redis'] === 'off' ? null : args['nodes-redis'];
if (nodesRedis !== null && !/^rediss?:\/\//.test(nodesRedis)) usage('--nodes-redis takes a redis:// URL or off');
if (nodes > 0) {
  for (const step of ['skip-odometer', 'skip-signals', 'skip-fleet', 'skip-webhooks', 'skip-console'] as const) args[step] = true;
}
if (webhookPollMs < 10) usage('--webhook-poll-ms must be at least 10');
const webhookPostgres = args['webhook-postgres'] === 'off' ? null : args['webhook-postgres'];
if (webhookPostgres !== null && !/^postgres(ql)?:\/\//.test(webhookPostgres)) usage('--webhook-postgres takes a postgres:// URL or off');

const work = mkdtempSync(join(tmpdir(), 'carport-bench-'));
const servers: Child[] = [];
/** Fleet databases being filled: deleted unless the fill completes. */
const partials = new Set<string>();
let cleanedUp = false;

async function cleanUp(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  await Promise.all(servers.map((s) => stop(s)));
  await dropWebhookDatabases();
  rmSync(work, { recursive: true, force: true });
  for (const partial of partials) removePartial(partial);
}

process.once('exit', () => {
  killAllNow();
  rmSync(work, { recursive: true, force: true });
  for (const partial of partials) removePartial(partial);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    note(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// Every child has its own bound; this one catches a hang anywhere else.
const budgetS = 60 + (args['skip-odometer'] ? 0 : compareBudgetS({ rounds, warmupS, durationS }) * 1.5)
  + (args['skip-signals'] ? 0 : signalsBudgetS({ rounds, warmupS, durationS }))
  + (args['skip-fleet'] ? 0 : fleetBudgetS({ size: fleetSize, rounds, warmupS, durationS }))
  + (args['skip-webhooks'] ? 0 : webhooksBudgetS({ events: webhookEvents, rate: webhookRate, postgres: webhookPostgres }))
  + (args['skip-console'] ? 0 : consoleBudgetS({ vehicles: consoleVehicles, logRows: consoleLogRows, samples: consoleSamples }))
  + (nodes > 0 ? nodesBudgetS({ rounds, warmupS, durationS, revocations }) : 0);
const watchdog = setTimeout(() => {
  note(`gave up after ${budgetS} s`);
  void cleanUp().finally(() => process.exit(1));
}, budgetS * 1000);
watchdog.unref();

async function odometer(): Promise<Record<string, unknown>> {
  const env = carportEnv(`sqlite:${join(work, 'carport.db')}`);
  const app = await cliJson<{ clientId: string }>(env, ['apps', 'create', '--json', '--name', 'bench', '--redirect-uri', 'http://127.0.0.1/callback']);
  const grant = await cliJson<{ accessToken: string; vehicleIds: string[] }>(env, [
    'tokens', 'create', '--json', '--client-id', app.clientId, '--scope', 'read_odometer', '--make', 'TESLA',
  ]);
  const vehicleId = grant.vehicleIds[0];
  if (!vehicleId) throw new Error('tokens create returned no vehicle');

  const [carportPort, barePort, unloggedPort] = [await freePort(), await freePort(), await freePort()];
  const carport = start(process.execPath, [CLI, 'serve', '--port', String(carportPort)], { cwd: ROOT, env: { ...env, PORT: String(carportPort) } });
  servers.push(carport);
  // The same carport with the request log off, loaded in the same rounds: what recording costs.
  const unlogged = start(process.execPath, [CLI, 'serve', '--port', String(unloggedPort)], {
    cwd: ROOT, env: { ...env, PORT: String(unloggedPort), REQUEST_LOG_DAYS: '0' },
  });
  servers.push(unlogged);
  const bare = start(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'bare-server.ts')], {
    cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', PORT: String(barePort) },
  });
  servers.push(bare);
  await Promise.all([
    waitUntilUp(carport, `http://127.0.0.1:${carportPort}/healthz`, 'carport'),
    waitUntilUp(bare, `http://127.0.0.1:${barePort}/healthz`, 'bare server'),
    waitUntilUp(unlogged, `http://127.0.0.1:${unloggedPort}/healthz`, 'carport without the request log'),
  ]);

  const path = `/v2.0/vehicles/${vehicleId}/odometer`;
  const carportUrl = `http://127.0.0.1:${carportPort}${path}`;
  const bareUrl = `http://127.0.0.1:${barePort}${path}`;
  note(`bare answers 200, distance ${await checkOdometer(bareUrl, grant.accessToken, 'bare')}`);
  note(`carport answers 200, distance ${await checkOdometer(carportUrl, grant.accessToken, 'carport')}`);

  const result = await compare({
    endpoint: 'GET /v2.0/vehicles/{id}/odometer', carportUrl, bareUrl, token: grant.accessToken, carportPid: carport.process.pid, barePid: bare.process.pid,
    connections, durationS, warmupS, rounds, json: args.json, targetRatio: TARGET_RATIO, targetP99Ms: TARGET_P99_MS,
    without: { name: 'request log off', url: `http://127.0.0.1:${unloggedPort}${path}`, pid: unlogged.process.pid },
    checkAfter: async () => {
      await checkOdometer(carportUrl, grant.accessToken, 'carport');
    },
  });
  // The next steps measure alone: none of these servers may take a core from them.
  await Promise.all([stop(carport), stop(bare), stop(unlogged)]);
  return result;
}

async function main(): Promise<void> {
  await ensureBuild(args['skip-build']);
  const result = args['skip-odometer'] ? {} : await odometer();
  const signals = args['skip-signals'] ? undefined : await runSignals({
    work, servers, connections, warmupS, durationS, rounds, json: args.json,
  });
  const fleet = args['skip-fleet'] ? undefined : await runFleet({
    work, servers, partials, size: fleetSize, connections, warmupS, durationS, rounds, json: args.json,
  });
  const webhooks = args['skip-webhooks'] ? undefined : await runWebhooks({
    work, servers, events: webhookEvents, rate: webhookRate, batchSize: webhookBatchSize, pollMs: webhookPollMs, appInFlight: webhookAppInFlight,
    postgres: webhookPostgres, cpuProfDir: args['webhook-cpu-prof'] ? resolve(args['webhook-cpu-prof']) : null, json: args.json,
  });
  const consolePages = args['skip-console'] ? undefined : await runConsole({
    work, servers, vehicles: consoleVehicles, logRows: consoleLogRows, samples: consoleSamples, json: args.json,
  });
  const multiNode = nodes > 0 ? await runNodes({
    servers, nodes, postgres: args['nodes-postgres'], redis: nodesRedis, connections, durationS, warmupS, rounds, revocations, json: args.json,
  }) : undefined;
  // One JSON document: the odometer comparison's fields as before, the v3 step under `signals`, the fleet step under
  // `fleet`, webhooks under `webhooks`, the console's pages under `console`.
  if (args.json) {
    console.log(JSON.stringify({
      ...result, ...(signals && { signals }), ...(fleet && { fleet }), ...(webhooks && { webhooks }), ...(consolePages && { console: consolePages }),
      ...(multiNode && { nodes: multiNode }),
    }, null, 2));
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
  clearTimeout(watchdog);
}
