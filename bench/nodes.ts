/**
 * `npm run bench -- --nodes 3`: the odometer read through nginx in front of N carport nodes on one
 * PostgreSQL database against the same nginx in front of one of them, loaded alternately in the same
 * run; then how long a token revoked through one node takes to be refused by each of the others.
 */
import { loadavg } from 'node:os';
import { testDatabase } from '../test/support/database.js';
import { startNginx, type Nginx } from '../test/support/nginx.js';
import { freePort, start, stop, waitUntilUp, type Child } from './children.js';
import { failures, load, type Load } from './compare.js';
import { carportEnv, checkOdometer, cliJson, CLI, note, ROOT } from './shared.js';

export interface NodesBenchOptions {
  servers: Child[];
  nodes: number;
  postgres: string;
  /** RATE_LIMIT_STORE for the nodes (a redis:// URL shares the limits), or null for none. */
  redis: string | null;
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  revocations: number;
  json: boolean;
}

/** Limits at their highest, far above the load: taken (in Redis when given) on every request, never reached. */
const UNREACHED = { RATE_LIMIT_APP_PER_MINUTE: '10000000', RATE_LIMIT_VEHICLE_PER_MINUTE: '1000000', RATE_LIMIT_TOKEN_PER_MINUTE: '1000000' };

export function nodesBudgetS(o: Pick<NodesBenchOptions, 'rounds' | 'warmupS' | 'durationS' | 'revocations'>): number {
  return 120 + o.rounds * 2 * (o.warmupS + o.durationS + 5) + o.revocations * 15;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Revokes a fresh token through the first node and times until every other node refuses it. */
async function revocationTimes(o: NodesBenchOptions, env: NodeJS.ProcessEnv, clientId: string, clientSecret: string, ports: number[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < o.revocations; i++) {
    const grant = await cliJson<{ accessToken: string; vehicleIds: string[] }>(env, [
      'tokens', 'create', '--json', '--client-id', clientId, '--scope', 'read_odometer', '--make', 'TESLA',
    ]);
    const read = (port: number) => fetch(`http://127.0.0.1:${port}/v2.0/vehicles/${grant.vehicleIds[0]}/odometer`, {
      headers: { authorization: `Bearer ${grant.accessToken}` },
    });
    // Every node has the token cached before it is revoked: only the notification can refuse it in time.
    for (const port of ports) await checkOdometer(`http://127.0.0.1:${port}/v2.0/vehicles/${grant.vehicleIds[0]}/odometer`, grant.accessToken, `node ${port}`);
    const revoked = await fetch(`http://127.0.0.1:${ports[0]}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: grant.accessToken }),
    });
    if (revoked.status !== 200) throw new Error(`revoke answered ${revoked.status}: ${await revoked.text()}`);
    const began = performance.now();
    await Promise.all(ports.slice(1).map(async (port) => {
      for (;;) {
        if ((await read(port)).status === 401) {
          times.push(performance.now() - began);
          return;
        }
        if (performance.now() - began > 10_000) throw new Error(`node on ${port} still accepted the revoked token after 10 s`);
      }
    }));
  }
  return times;
}

export async function runNodes(o: NodesBenchOptions): Promise<Record<string, unknown>> {
  const db = await testDatabase({ base: o.postgres });
  let front: Nginx | undefined;
  let single: Nginx | undefined;
  try {
    const env = {
      ...carportEnv(db.url), RATE_LIMITS: 'on', ...UNREACHED, SHUTDOWN_DELAY_MS: '0', ...(o.redis && { RATE_LIMIT_STORE: o.redis }),
    };
    const app = await cliJson<{ clientId: string; clientSecret: string }>(env, ['apps', 'create', '--json', '--name', 'bench nodes', '--redirect-uri', 'http://127.0.0.1/callback']);
    const grant = await cliJson<{ accessToken: string; vehicleIds: string[] }>(env, [
      'tokens', 'create', '--json', '--client-id', app.clientId, '--scope', 'read_odometer', '--make', 'TESLA',
    ]);
    const ports: number[] = [];
    for (let i = 0; i < o.nodes; i++) {
      const port = await freePort();
      const node = start(process.execPath, [CLI, 'serve', '--port', String(port)], { cwd: ROOT, env: { ...env, PORT: String(port) } });
      o.servers.push(node);
      await waitUntilUp(node, `http://127.0.0.1:${port}/readyz`, `node ${i + 1}`);
      ports.push(port);
    }
    front = await startNginx(await freePort(), ports, { keepalive: 64 });
    single = await startNginx(await freePort(), ports.slice(0, 1), { keepalive: 64 });
    const path = `/v2.0/vehicles/${grant.vehicleIds[0]}/odometer`;
    const targets = [{ name: 'one node', url: `${single.url}${path}` }, { name: `${o.nodes} nodes`, url: `${front.url}${path}` }];
    for (const t of targets) note(`${t.name} answers 200, distance ${await checkOdometer(t.url, grant.accessToken, t.name)}`);

    const loadBefore = loadavg()[0] ?? 0;
    const loads: Load[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      for (const t of targets) {
        note(`nodes round ${round}/${o.rounds}: ${t.name} behind nginx (${o.warmupS} s warm-up, ${o.durationS} s measured)`);
        await load({ connections: o.connections, token: grant.accessToken }, t.name, round, t.url, o.warmupS);
        loads.push(await load({ connections: o.connections, token: grant.accessToken }, t.name, round, t.url, o.durationS));
      }
    }
    const best = (name: string) => loads.filter((l) => l.target === name).reduce((a, b) => (b.reqPerSec > a.reqPerSec ? b : a));
    const one = best(targets[0]!.name);
    const many = best(targets[1]!.name);
    const failed = loads.reduce((n, l) => n + failures(l), 0);

    note(`revoking ${o.revocations} tokens through node 1, timing until nodes 2–${o.nodes} refuse each`);
    const revocations = await revocationTimes(o, env, app.clientId, app.clientSecret, ports);
    const result = {
      nodes: o.nodes, redis: o.redis !== null, loadBefore, loadAfter: loadavg()[0] ?? 0,
      oneNode: { reqPerSec: one.reqPerSec, p50Ms: one.p50Ms, p99Ms: one.p99Ms },
      manyNodes: { reqPerSec: many.reqPerSec, p50Ms: many.p50Ms, p99Ms: many.p99Ms },
      ratio: many.reqPerSec / one.reqPerSec, failedResponses: failed,
      revocationMs: { median: median(revocations), max: Math.max(...revocations), samples: revocations.length },
    };
    if (!o.json) {
      console.log(`\nGET /v2.0/vehicles/{id}/odometer behind nginx, PostgreSQL${o.redis ? ', limits in Redis' : ''} (1-min load ${result.loadBefore.toFixed(2)} → ${result.loadAfter.toFixed(2)}):`);
      console.log('| behind nginx | req/s | p50 | p99 |');
      console.log('|---|---|---|---|');
      for (const [name, l] of [['one node', one], [`${o.nodes} nodes`, many]] as const) {
        console.log(`| ${name} | ${Math.round(l.reqPerSec).toLocaleString('en-US')} | ${l.p50Ms} ms | ${l.p99Ms} ms |`);
      }
      console.log(`${o.nodes} nodes / one node: ${result.ratio.toFixed(2)}; non-2xx, errors and timeouts: ${failed}`);
      console.log(`a token revoked through node 1 is refused by the other nodes after: median ${result.revocationMs.median.toFixed(1)} ms, worst ${result.revocationMs.max.toFixed(1)} ms (${revocations.length} refusals timed)`);
    }
    return result;
  } finally {
    await front?.close();
    await single?.close();
    await Promise.all(o.servers.splice(0).map((s) => stop(s)));
    await db.drop().catch((error: unknown) => note(`nodes: could not drop the database: ${(error as Error).message}`));
  }
}

