/** Child processes of the benchmark: started here, always stopped here, even on error or Ctrl-C. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

const live = new Set<ChildProcess>();
const STDERR_KEEP = 8_192;

export interface Child {
  process: ChildProcess;
  /** The last few KB the child wrote to stderr, to explain a failure. */
  stderrTail(): string;
  exited: Promise<number | null>;
}

/** Spawns a tracked child; stdout is ignored (i.e. /dev/null) unless `captureStdout` is set. */
export function start(command: string, args: string[], options: SpawnOptions & { captureStdout?: boolean } = {}): Child & { stdout(): string } {
  const child = spawn(command, args, { ...options, stdio: ['ignore', options.captureStdout ? 'pipe' : 'ignore', 'pipe'] });
  live.add(child);
  let err = '';
  let out = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err = (err + chunk).slice(-STDERR_KEEP);
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      err += `\n${error.message}`;
      live.delete(child);
      resolve(null);
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? (signal ? 128 : null));
    });
  });
  return { process: child, exited, stderrTail: () => err.trim(), stdout: () => out };
}

/** Stops one child: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stop(child: Child, graceMs = 3_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Last resort from an exit handler, where nothing asynchronous runs any more. */
export function killAllNow(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** A port nobody on 127.0.0.1 is using right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Polls `url` until it answers 200; fails early if the child dies first. */
export async function waitUntilUp(child: Child, url: string, name: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void child.exited.then(() => {
    dead = true;
  });
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${name} exited before it was ready:\n${child.stderrTail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs} ms:\n${child.stderrTail()}`);
}
