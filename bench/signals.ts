/**
 * The v3 step of `npm run bench`: GET /v3/vehicles/{id}/signals of a simulated Tesla Model 3, whose
 * grant covers every signal, against bare Fastify answering the very same body without logging.
 * Skipped, with a message, on a build without the v3 face.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNALS } from '../src/core/signal-catalog.js';
import { freePort, start, stop, waitUntilUp, type Child } from './children.js';
import { compare, compareBudgetS } from './compare.js';
import { carportEnv, cliJson, CLI, note, ROOT } from './shared.js';

const ENDPOINT = 'GET /v3/vehicles/{id}/signals';
const TARGET_RATIO = 0.25;
const TARGET_P99_MS = 20;
/** Every permission some signal needs: no signal of the car is listed as a PERMISSION error. */
const EVERY_SIGNAL_SCOPE = [...new Set(SIGNALS.map((s) => s.permission))].sort().join(' ');

export interface SignalsOptions {
  /** The run's scratch directory, deleted by the caller. */
  work: string;
  /** Servers are added here so the caller stops them on any exit. */
  servers: Child[];
  connections: number;
  warmupS: number;
  durationS: number;
  rounds: number;
  json: boolean;
}

/** The upper bound the caller's watchdog allows this step. */
export function signalsBudgetS(o: Pick<SignalsOptions, 'rounds' | 'warmupS' | 'durationS'>): number {
  return 60 + compareBudgetS(o);
}

interface SignalList {
  text: string;
  signals: number;
  byStatus: Record<string, number>;
}

/** Fails loudly unless the list answers 200 with signals in it: a fast error would be a fake win. */
async function fetchSignals(url: string, token: string, name: string): Promise<SignalList> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    data = undefined;
  }
  if (response.status !== 200 || !Array.isArray(data) || data.length === 0) {
    throw new Error(`${name} ${url} answered ${response.status} ${text.slice(0, 300)}; expected 200 with a list of signals`);
  }
  const byStatus: Record<string, number> = {};
  for (const signal of data as { attributes?: { status?: { value?: string } } }[]) {
    const status = signal.attributes?.status?.value ?? 'none';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  return { text, signals: data.length, byStatus };
}

/** Whether carport has no v3 signal list at all: its 404 for a version it does not serve. */
async function v3Missing(url: string, token: string): Promise<boolean> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  return response.status === 404 && /"code"\s*:\s*"VERSION"/.test(body.slice(0, 2_000));
}

export async function runSignals(o: SignalsOptions): Promise<Record<string, unknown>> {
  const env = carportEnv(`sqlite:${join(o.work, 'signals.db')}`);
  const app = await cliJson<{ clientId: string }>(env, ['apps', 'create', '--json', '--name', 'bench v3', '--redirect-uri', 'http://127.0.0.1/callback']);
  const grant = await cliJson<{ accessToken: string; vehicleIds: string[] }>(env, [
    'tokens', 'create', '--json', '--client-id', app.clientId, '--scope', EVERY_SIGNAL_SCOPE, '--make', 'TESLA', '--model', 'Model 3',
  ]);
  const vehicleId = grant.vehicleIds[0];
  if (!vehicleId) throw new Error('tokens create returned no vehicle');

  const carportPort = await freePort();
  const carport = start(process.execPath, [CLI, 'serve', '--port', String(carportPort)], { cwd: ROOT, env: { ...env, PORT: String(carportPort) } });
  o.servers.push(carport);
  let bare: Child | undefined;
  try {
    await waitUntilUp(carport, `http://127.0.0.1:${carportPort}/healthz`, 'carport');
    const path = `/v3/vehicles/${vehicleId}/signals`;
    const carportUrl = `http://127.0.0.1:${carportPort}${path}`;
    if (await v3Missing(carportUrl, grant.accessToken)) {
      const reason = `carport answers 404 RESOURCE_NOT_FOUND/VERSION to ${ENDPOINT}: this build has no v3 face`;
      note(`skipping the v3 signals step: ${reason}`);
      if (!o.json) console.log(`\n${ENDPOINT}: skipped (${reason})`);
      return { endpoint: ENDPOINT, skipped: reason };
    }
    const list = await fetchSignals(carportUrl, grant.accessToken, 'carport');
    const statuses = Object.entries(list.byStatus).map(([s, n]) => `${n} ${s}`).join(', ');
    note(`carport answers 200: ${list.signals} signals (${statuses}), ${Buffer.byteLength(list.text).toLocaleString('en-US')} bytes`);

    const bodyFile = join(o.work, 'signals-body.json');
    writeFileSync(bodyFile, list.text);
    const barePort = await freePort();
    bare = start(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'bare-server.ts')], {
      cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', PORT: String(barePort), SIGNALS_BODY_FILE: bodyFile },
    });
    o.servers.push(bare);
    await waitUntilUp(bare, `http://127.0.0.1:${barePort}/healthz`, 'bare server');
    const bareUrl = `http://127.0.0.1:${barePort}${path}`;
    const bareList = await fetchSignals(bareUrl, grant.accessToken, 'bare server');
    note(`bare server answers 200: the same ${bareList.signals} signals, ${Buffer.byteLength(bareList.text).toLocaleString('en-US')} bytes`);

    const result = await compare({
      endpoint: `${ENDPOINT} (Tesla Model 3, ${list.signals} signals)`, carportUrl, bareUrl, token: grant.accessToken,
      carportPid: carport.process.pid, barePid: bare.process.pid,
      connections: o.connections, durationS: o.durationS, warmupS: o.warmupS, rounds: o.rounds, json: o.json,
      targetRatio: TARGET_RATIO, targetP99Ms: TARGET_P99_MS,
      checkAfter: async () => {
        await fetchSignals(carportUrl, grant.accessToken, 'carport');
      },
    });
    return { ...result, signals: list.signals, byStatus: list.byStatus, bodyBytes: Buffer.byteLength(list.text) };
  } finally {
    // The next step measures alone: neither server may take a core from it.
    await Promise.all([stop(carport), ...(bare ? [stop(bare)] : [])]);
  }
}
