/**
 * Two `carport serve` nodes on one database behind nginx (Debian's package, started here with its
 * own configuration), read without pause by several clients while each node in turn gets SIGTERM
 * and is started again: no client sees a failed request. Needs an nginx binary (`NGINX_PATH`, or
 * /usr/sbin/nginx); `.ci/run` installs it, and without one the test says so and skips.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testDatabase, type TestDatabase } from './support/database.js';
import { NGINX, startNginx, type Nginx } from './support/nginx.js';
import { TEST_SECRET_KEY } from './support/platform.js';
import { until } from './support/until.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
const CLIENTS = 6;
/** How long a stopping node keeps answering with /readyz at 503: the balancer's time to notice. */
const DELAY_MS = 1500;
const START_BOUND_MS = 60_000;
const METRICS_TOKEN = 'rolling-restart-metrics';

/** How many odometer reads a node has answered since it started, from its own metrics. */
async function readsServed(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return text.split('\n')
    .filter((line) => line.startsWith('carport_http_request_duration_seconds_count{') && line.includes('route="/v2.0/vehicles/:id/odometer"'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

interface Node {
  port: number;
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

let db: TestDatabase;
let env: NodeJS.ProcessEnv;
let nginx: Nginx | undefined;
const nodes: Node[] = [];

async function startNode(port: number): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const node = { port, child, stdout: () => out, exited };
  await until(`the node on port ${port} to listen`, () => /listening on/.test(out), START_BOUND_MS, 50);
  return node;
}

before(async () => {
  if (!existsSync(NGINX)) return;
  db = await testDatabase({ shareable: true });
  env = {
    ...process.env, DATABASE_URL: db.url, SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: 'warn', RATE_LIMITS: 'off', SHUTDOWN_DELAY_MS: String(DELAY_MS),
    METRICS_TOKEN,
  };
});

after(async () => {
  for (const node of nodes) node.child.kill('SIGKILL');
  await nginx?.close();
  await db?.drop();
});

describe('Rolling restart behind nginx', { skip: !existsSync(NGINX) && `no nginx at ${NGINX} (set NGINX_PATH)` }, () => {
  test('each node in turn drains and restarts under load: no failed request', async () => {
    const ports = [await freePort(), await freePort()];
    // The first node creates the demo app on the empty database; the second finds it there.
    nodes.push(await startNode(ports[0]!));
    nodes.push(await startNode(ports[1]!));
    const clientId = /SMARTCAR_CLIENT_ID=(\S+)/.exec(nodes[0]!.stdout())?.[1];
    assert.ok(clientId, 'the first node printed the demo app');
    const created = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'tokens', 'create', '--client-id', clientId, '--scope', 'read_odometer', '--json'], {
      env, encoding: 'utf8',
    });
    assert.equal(created.status, 0, created.stderr);
    const { accessToken, vehicleIds } = JSON.parse(created.stdout) as { accessToken: string; vehicleIds: string[] };

    nginx = await startNginx(await freePort(), ports);
    const url = `${nginx.url}/v2.0/vehicles/${vehicleIds[0]}/odometer`;

    let running = true;
    let ok = 0;
    const failures: string[] = [];
    const client = async () => {
      while (running) {
        try {
          const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
          const body = await response.text();
          if (response.status === 200) ok += 1;
          else failures.push(`${new Date().toISOString()} ${response.status} ${body.slice(0, 100)}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    try {
      for (const [i, port] of ports.entries()) {
        const served = ok;
        await until('requests served before the restart', () => ok >= served + 200, START_BOUND_MS);
        const node = nodes[i]!;
        node.child.kill('SIGTERM');
        // The signal reaches the node a moment later: it tells the balancer within its delay.
        const draining = await until('the stopping node to answer /readyz 503', async () => {
          const answer = await fetch(`http://127.0.0.1:${port}/readyz`);
          return answer.status === 503 ? answer : undefined;
        }, DELAY_MS);
        assert.equal(((await draining.json()) as { status: string }).status, 'draining');
        assert.equal(await node.exited, 0, 'the node exits cleanly once what was in flight is done');
        nodes[i] = await startNode(port);
        await until('the restarted node to be ready', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, START_BOUND_MS);
        // nginx puts a node it saw fail back into rotation after its fail_timeout: the next node
        // may stop only once this one is taking requests again, as a rolling restart waits for.
        await until('nginx to send requests to the restarted node', async () => (await readsServed(port)) >= 50, START_BOUND_MS, 100);
      }
      const served = ok;
      await until('requests served after both restarts', () => ok >= served + 200, START_BOUND_MS);
    } finally {
      running = false;
      await Promise.all(clients);
    }
    assert.equal(failures.length, 0, `${failures.length} failed of ${ok + failures.length}, first: ${failures.slice(0, 3).join(' | ')}\nnginx: ${nginx.errors()}`);
  });
});
