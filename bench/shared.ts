/** What every benchmark step shares: where the built CLI is, rebuilding it when stale, and the environment carport runs in. */
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPTIONS } from '../src/config.js';
import { start } from './children.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** Progress goes to stderr so that --json leaves stdout parseable. */
export function note(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function newestMtime(dir: string, accept: (file: string) => boolean): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true })) {
    const file = join(dir, String(entry));
    if (accept(file)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

/** Benchmarks the built server, as production runs it; rebuilds first when src/ is newer. */
export async function ensureBuild(skipBuild: boolean): Promise<void> {
  let builtAt = 0;
  try {
    builtAt = statSync(CLI).mtimeMs;
  } catch {
    // Not built yet.
  }
  const sourceAt = newestMtime(join(ROOT, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  if (builtAt >= sourceAt || (skipBuild && builtAt > 0)) return;
  note(builtAt === 0 ? 'dist/ missing: building' : 'dist/ older than src/: rebuilding');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = start(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, captureStdout: true });
  const code = await build.exited;
  if (code === 0) return;
  // tsc still emits on type errors; a half-edited src/ elsewhere should not block a measurement.
  const output = `${build.stdout()}\n${build.stderrTail()}`.trim().split('\n').slice(0, 10).join('\n');
  if (statSync(CLI, { throwIfNoEntry: false }) === undefined) throw new Error(`build failed:\n${output}`);
  note(`build reported errors; benchmarking what it emitted:\n${output}`);
}

/** The environment carport children get: none of the caller's carport settings, production otherwise. */
export function carportEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const option of Object.values(OPTIONS)) delete env[option.env];
  // No load balancer to drain from: a stopped server exits at once (a delay past the stop's grace
  // would end it with SIGKILL, and lose a --cpu-prof profile).
  return { ...env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, HOST: '127.0.0.1', LOG_LEVEL: 'info', RATE_LIMITS: 'off', SHUTDOWN_DELAY_MS: '0' };
}

/** Fails loudly unless the endpoint answers 200 with a numeric distance: a fast 401 would be a fake win. */
export async function checkOdometer(url: string, token: string, name: string): Promise<number> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  let distance: unknown;
  try {
    distance = (JSON.parse(text) as { distance?: unknown }).distance;
  } catch {
    distance = undefined;
  }
  if (response.status !== 200 || typeof distance !== 'number') {
    throw new Error(`${name} ${url} answered ${response.status} ${text.slice(0, 300)}; expected 200 with a distance`);
  }
  return distance;
}

/** Runs a carport CLI command that prints JSON (`apps create --json`, `tokens create --json`) and parses its output. */
export async function cliJson<T>(env: NodeJS.ProcessEnv, cliArgs: string[]): Promise<T> {
  const run = start(process.execPath, [CLI, ...cliArgs], { cwd: ROOT, env, captureStdout: true });
  const code = await run.exited;
  if (code !== 0) throw new Error(`carport ${cliArgs.slice(0, 2).join(' ')} failed (${code}):\n${run.stderrTail()}`);
  return JSON.parse(run.stdout()) as T;
}
