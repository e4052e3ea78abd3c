/**
 * Credentials never reach a log line (STYLE §5, config LOG_LEVEL doc): not the access or refresh
 * token, the client secret or the management token, in headers, query strings or bodies.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { until } from './support/until.js';

let tp: TestPlatform;
/** Every credential that crossed the wire in this file: none may appear in a log line. */
const secrets: { name: string; value: string }[] = [];
const QUERY_MARKER = 'qsmarker7f3a';

async function send(
  path: string, init: { method?: string; authorization?: string; json?: unknown; form?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (init.authorization) headers.authorization = init.authorization;
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(`${tp.baseUrl}${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: only the status matters here.
  }
  return { status: res.status, body: parsed };
}

before(async () => {
  tp = await startPlatform();
  const t = await tp.token({ make: 'TESLA', vehicles: 1 });
  const { clientId, clientSecret, managementToken } = tp.app;
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  const management = Buffer.from(`default:${managementToken}`).toString('base64');
  secrets.push(
    { name: 'access token', value: t.accessToken }, { name: 'refresh token', value: t.refreshToken },
    { name: 'client secret', value: clientSecret }, { name: 'Basic client credentials', value: basic },
    { name: 'management token', value: managementToken }, { name: 'Basic management credentials', value: management },
  );
  const bearer = `Bearer ${t.accessToken}`;
  const vehicle = `/v2.0/vehicles/${t.vehicleIds[0]}`;
  const status = async (...args: Parameters<typeof send>) => (await send(...args)).status;

  // Token use: reads, a command, a batch, with credentials everywhere a careless client might put them.
  assert.equal(await status(`${vehicle}/odometer`, { authorization: bearer }), 200);
  assert.equal(await status(`${vehicle}/odometer?${QUERY_MARKER}=1&access_token=${t.accessToken}`, { authorization: bearer }), 200);
  assert.equal(await status(`${vehicle}/security`, { method: 'POST', authorization: bearer, json: { action: 'LOCK' } }), 200);
  assert.equal(await status(`${vehicle}/batch`, {
    method: 'POST', authorization: bearer,
    json: { requests: [{ path: '/odometer' }, { path: '/fuel' }, { path: `/vin?token=${t.accessToken}` }] },
  }), 200);
  assert.equal(await status(`/v2.0/vehicles?refresh_token=${t.refreshToken}&client_secret=${clientSecret}`, { authorization: bearer }), 200);

  // Errors: a bad body carrying secrets, an unsupported read, and wrong credentials of every kind.
  assert.equal(await status(`${vehicle}/security`, {
    method: 'POST', authorization: bearer, json: { action: t.refreshToken, token: t.accessToken, client_secret: clientSecret },
  }), 400);
  assert.equal(await status(`${vehicle}/fuel`, { authorization: bearer }), 501);
  assert.equal(await status(`${vehicle}/odometer`, { authorization: `Bearer ${t.refreshToken}` }), 401);
  assert.equal(await status(`${vehicle}/odometer`, { authorization: `Bearer ${managementToken}` }), 401);
  assert.equal(await status(`${vehicle}/odometer`, { authorization: `Basic ${basic}` }), 401);
  assert.equal(await status(`/v2.0/nowhere?${QUERY_MARKER}=2&code=${managementToken}&access_token=${t.accessToken}`), 404);

  // The token endpoint: a refresh with Basic credentials, one with body credentials (Ruby), and refusals.
  const rotated = await send(`/oauth/token?flags=${QUERY_MARKER}`, {
    method: 'POST', authorization: `Basic ${basic}`, form: { grant_type: 'refresh_token', refresh_token: t.refreshToken },
  });
  assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
  const second = await send('/oauth/token', {
    method: 'POST',
    form: { grant_type: 'refresh_token', refresh_token: String(rotated.body.refresh_token), client_id: clientId, client_secret: clientSecret },
  });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  for (const answer of [rotated, second]) {
    secrets.push({ name: 'rotated access token', value: String(answer.body.access_token) });
    secrets.push({ name: 'rotated refresh token', value: String(answer.body.refresh_token) });
  }
  const bogusRefresh = `bogus-${t.refreshToken.slice(0, 10)}-refresh`;
  secrets.push({ name: 'a presented unknown refresh token', value: bogusRefresh });
  assert.equal((await send('/oauth/token', {
    method: 'POST', authorization: `Basic ${basic}`, form: { grant_type: 'refresh_token', refresh_token: bogusRefresh },
  })).status, 400);
  const wrongSecret = `${clientSecret.slice(0, -4)}XXXX`;
  secrets.push({ name: 'a presented wrong client secret', value: wrongSecret });
  assert.equal((await send('/oauth/token', {
    method: 'POST', form: { grant_type: 'refresh_token', refresh_token: String(second.body.refresh_token), client_id: clientId, client_secret: wrongSecret },
  })).status, 401);

  // The management API with its token, and with a wrong one.
  assert.equal(await status('/v2.0/management/connections', { authorization: `Basic ${management}` }), 200);
  assert.equal(await status('/v2.0/management/connections', {
    authorization: `Basic ${Buffer.from(`default:${wrongSecret}`).toString('base64')}`,
  }), 401);

  // "request completed" lines are written when the response finishes, possibly after the client has read it.
  await until('the last request\'s log line', () => tp.logs.some((line) => line.includes('"path":"/v2.0/management/connections"')
    && line.includes('"statusCode":401')));
});
after(() => tp.close());

describe('Log lines', () => {
  test('were written for the requests (the checks below are not vacuous)', () => {
    assert.ok(tp.logs.length >= 20, `log lines: ${tp.logs.length}`);
    assert.ok(tp.logs.some((line) => line.includes('/odometer')), 'request paths are logged');
    assert.ok(tp.logs.some((line) => line.includes('/oauth/token')), 'token requests are logged');
  });

  const kinds: [string, RegExp][] = [
    ['an access token', /access token/],
    ['a refresh token', /refresh token/],
    ['the client secret, raw or inside Basic credentials', /client (secret|credentials)/],
    ['the management token, raw or inside Basic credentials', /management (token|credentials)/],
  ];
  for (const [what, kind] of kinds) {
    test(`never contain ${what}`, () => {
      const mine = secrets.filter((s) => kind.test(s.name));
      assert.ok(mine.length > 0, 'such a secret was used');
      for (const line of tp.logs) {
        for (const secret of mine) assert.ok(!line.includes(secret.value), `${secret.name} in ${line}`);
      }
    });
  }

  test('a completed request\'s line carries what pino\'s would: level, time, pid, host, request id, method, path, status, time taken', () => {
    const parsed = tp.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = parsed.filter((l) => l.msg === 'request completed');
    const ok = completed.find((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 200
      && String((l.req as { path?: string }).path).endsWith('/odometer'));
    assert.ok(ok, 'a 200 odometer read was logged');
    assert.deepEqual(Object.keys(ok), ['level', 'time', 'pid', 'hostname', 'reqId', 'req', 'res', 'responseTime', 'msg']);
    assert.equal(ok.level, 30);
    assert.equal(ok.pid, process.pid);
    assert.ok(typeof ok.time === 'number' && typeof ok.responseTime === 'number' && typeof ok.hostname === 'string');
    const req = ok.req as Record<string, unknown>;
    assert.deepEqual(Object.keys(req), ['method', 'path', 'reqId']);
    assert.equal(req.method, 'GET');
    assert.equal(req.reqId, ok.reqId);
    assert.match(String(ok.reqId), /^[0-9a-f-]{36}$/);
    // The line pino writes for the same request id carries the same bindings, in the same order.
    const other = parsed.find((l) => l.reqId !== undefined && l.msg !== 'request completed');
    if (other) assert.deepEqual(Object.keys(other).slice(0, 5), ['level', 'time', 'pid', 'hostname', 'reqId']);
  });

  test('never contain query strings', () => {
    for (const line of tp.logs) {
      assert.ok(!line.includes(QUERY_MARKER), line);
      assert.doesNotMatch(line, /\/(v2\.0|oauth)\/[^"\s]*\?/, line);
    }
  });
});

const ROOT = join(import.meta.dirname, '..');

/**
 * Runs a child process of this checkout (stopped with SIGTERM after `whileRunning`, if given);
 * resolves with its output once it has exited.
 */
function run(args: string[], env: NodeJS.ProcessEnv, whileRunning?: (out: () => string) => Promise<void>): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return (async () => {
    if (whileRunning) {
      try {
        await whileRunning(() => stdout);
      } finally {
        child.kill('SIGTERM');
      }
    }
    return { ...(await exited), stdout, stderr };
  })();
}

describe('Log lines on standard output (production)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'carport-logging-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('carport serve writes every request\'s line, all of them before it exits on SIGTERM', async () => {
    const markers = Array.from({ length: 30 }, (_, i) => `/v2.0/nowhere-${i}`);
    const result = await run(['src/cli/main.ts', 'serve'], {
      PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0', DATABASE_URL: `sqlite:${join(dir, 'serve.db')}`, SECRET_KEY_FILE: join(dir, 'secret.key'),
    }, async (out) => {
      const base = await until('serve to print its address', () => /listening on (\S+)/.exec(out())?.[1], 30_000);
      for (const path of markers) assert.equal((await fetch(`${base.replace('localhost', '127.0.0.1')}${path}`)).status, 404);
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('{'));
    for (const path of markers) {
      assert.ok(lines.some((line) => line.includes(`"path":"${path}"`) && line.includes('"statusCode":404')), `line for ${path}`);
    }
    assert.ok(lines.at(-1)?.includes('"msg":"shutting down"'), `the last line is the shutdown: ${lines.at(-1)}`);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
  });

  const script = (end: string) => `
    import { pino } from 'pino';
    import { loggerOptions, stdoutLogDestination } from './src/logger.ts';
    const log = pino(loggerOptions('info'), stdoutLogDestination());
    for (let i = 0; i < 100; i++) log.info({ i }, 'line');
    ${end}`;

  test('a fatal line writes it and every line before it at once: a process killed right after loses none', async () => {
    const result = await run(['--input-type=module', '-e', script("log.fatal('dying'); process.kill(process.pid, 'SIGKILL');")], {});
    assert.equal(result.signal, 'SIGKILL');
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; i?: number; level: number });
    assert.deepEqual(lines.map((l) => l.i ?? l.msg), [...Array.from({ length: 100 }, (_, i) => i), 'dying']);
    assert.equal(lines.at(-1)?.level, 60);
  });

  test('a standard output that stalls costs bounded memory: lines past the bound are dropped and counted, none silently', async () => {
    const LINES = 20_000;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      import { pino } from 'pino';
      import { loggerOptions, stdoutLogDestination } from './src/logger.ts';
      const destination = stdoutLogDestination(100_000);
      const log = pino(loggerOptions('info'), destination);
      for (let i = 0; i < ${LINES}; i++) {
        log.info({ i, pad: 'x'.repeat(80) }, 'line');
        if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      process.stderr.write('written\\n');
      await destination.flush();
      log.info('after');
      await destination.flush();
      process.exit(0);
    `], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.pause();
    child.stdout.on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // Standard output starts moving only once every line has been logged against a stalled pipe.
      if (stderr.includes('written')) child.stdout.resume();
    });
    const [code] = await once(child, 'close') as [number | null];
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; droppedLines?: number; level: number });
    const written = lines.filter((l) => l.msg === 'line').length;
    const dropped = lines.filter((l) => l.droppedLines !== undefined).reduce((sum, l) => sum + l.droppedLines!, 0);
    assert.ok(dropped > 0, 'lines past the bound were dropped');
    assert.ok(written < LINES, `written ${written}`);
    assert.equal(written + dropped, LINES, 'every line is written or counted as dropped');
    assert.equal(lines.find((l) => l.droppedLines !== undefined)?.level, 40);
    assert.equal(lines.at(-1)?.msg, 'after');
  });

  test('lines still waiting for their batch are written when the process exits', async () => {
    const result = await run(['--input-type=module', '-e', script('process.exit(3);')], {});
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 100);
  });
});
