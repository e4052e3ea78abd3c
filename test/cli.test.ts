/** The `carport` command: apps, tokens, config errors, and `serve` with its first-start demo app. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testDatabase, type TestDatabase } from './support/database.js';
import { startReceiver } from './support/receiver.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

let db: TestDatabase;
let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'carport-cli-'));
  db = process.env.DATABASE_URL?.startsWith('postgres') ? await testDatabase() : { url: `sqlite:${join(dir, 'carport.db')}`, drop: async () => {} };
  env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', SECRET_KEY_FILE: join(dir, 'secret.key') };
});
after(async () => {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** For commands that call back into this process (the webhook receiver): spawnSync would block it. */
function carportAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function carport(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('carport serve', () => {
  test('first start creates a demo app, prints its credentials, serves it, and shuts down on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], { env: { ...env, PORT: '0', SHUTDOWN_DELAY_MS: '0' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 30_000;
      while (!/listening on (\S+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const base = /listening on (\S+)/.exec(out)?.[1];
      assert.ok(base, `serve printed its address:\n${out}`);
      const clientId = /SMARTCAR_CLIENT_ID=(\S+)/.exec(out)?.[1];
      assert.match(clientId ?? '', /^[0-9a-f-]{36}$/);
      assert.match(out, /SMARTCAR_CLIENT_SECRET=\S{43}/);
      assert.match(out, /SMARTCAR_REDIRECT_URI=http:\/\/localhost:\d+\/demo\/callback/);
      assert.match(out, /SMARTCAR_API_ORIGIN=http:\/\/localhost:\d+\n\s+SMARTCAR_AUTH_ORIGIN=http:\/\/localhost:\d+\n\s+SMARTCAR_MANAGEMENT_API_ORIGIN=/);
      assert.match(out, /application management token: \S{43}/);
      assert.match(out, /belongs to the developer account demo@carport\.local, one-time password [\w-]{24}\n/);
      const apps = carport(['apps', 'list', '--json']);
      assert.equal(apps.code, 0, apps.stderr);
      assert.deepEqual((JSON.parse(apps.stdout) as { clientId: string; owner: string | null }[]).map((a) => [a.clientId, a.owner]),
        [[clientId, 'demo@carport.local']]);

      const token = carport(['tokens', 'create', '--client-id', clientId!, '--scope', 'read_odometer', '--json']);
      assert.equal(token.code, 0, token.stderr);
      const { accessToken, vehicleIds } = JSON.parse(token.stdout) as { accessToken: string; vehicleIds: string[] };
      const res = await fetch(`${base}/v2.0/vehicles/${vehicleIds[0]}/odometer`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(res.status, 200);
      assert.equal(typeof ((await res.json()) as { distance: unknown }).distance, 'number');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, 'a graceful shutdown exits 0');
  });

  test('a bad setting stops start-up with a message naming it', () => {
    const result = carport(['serve'], { PORT: 'eighty' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /PORT="eighty"/);
    const db2 = carport(['serve'], { DATABASE_URL: 'mysql://x' });
    assert.equal(db2.code, 2);
    assert.match(db2.stderr, /DATABASE_URL/);
  });
});

describe('carport apps and tokens', () => {
  test('apps create prints the credentials once; apps list shows no secret', () => {
    const created = carport(['apps', 'create', '--name', 'Fleet dashboard', '--redirect-uri', 'https://fleet.example.com/cb', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const app = JSON.parse(created.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(app).sort(), ['clientId', 'clientSecret', 'managementToken', 'name', 'publicClient', 'redirectUris']);
    const listed = carport(['apps', 'list', '--json']);
    assert.equal(listed.code, 0);
    assert.ok(listed.stdout.includes(app.clientId as string));
    assert.ok(!listed.stdout.includes(app.clientSecret as string) && !listed.stdout.includes(app.managementToken as string));
  });

  test('tokens create grants simulated vehicles of the make and prints the token pair', () => {
    const app = JSON.parse(carport(['apps', 'create', '--name', 'A', '--redirect-uri', 'https://a.example.com/cb', '--json']).stdout) as { clientId: string };
    const result = carport(['tokens', 'create', '--client-id', app.clientId, '--scope', 'read_odometer control_security', '--make', 'ford', '--vehicles', '2', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const token = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(token).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'userId', 'vehicleIds']);
    assert.equal(token.expiresIn, 7200);
    assert.equal((token.vehicleIds as string[]).length, 2);
  });

  test('apps rotate-secret prints a new secret and until when the previous one works', () => {
    const app = JSON.parse(carport(['apps', 'create', '--name', 'R', '--redirect-uri', 'https://r.example.com/cb', '--json']).stdout) as { clientId: string; clientSecret: string };
    const result = carport(['apps', 'rotate-secret', '--client-id', app.clientId, '--keep-previous', '2', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const rotated = JSON.parse(result.stdout) as { clientSecret: string; previousValidUntil: string };
    assert.match(rotated.clientSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(rotated.clientSecret, app.clientSecret);
    const hours = (Date.parse(rotated.previousValidUntil) - Date.now()) / 3_600_000;
    assert.ok(hours > 1.9 && hours <= 2, `previous secret valid for ${hours} h`);
  });

  test('sim create prints a simulated vehicle with its owner’s credentials; sim list shows it; tokens create --vehicle-id grants it', () => {
    const created = carport(['sim', 'create', '--make', 'tesla', '--model', 'Model 3', '--seed', '7', '--scenario', 'commute', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const car = JSON.parse(created.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(car).sort(), ['email', 'make', 'model', 'password', 'userId', 'vehicleId', 'vin', 'year']);
    assert.equal(car.model, 'Model 3');
    const shownCar = JSON.parse(carport(['sim', 'show', car.vehicleId!, '--json']).stdout) as { state: { scenario: { name: string } } };
    assert.equal(shownCar.state.scenario.name, 'commute');
    const listed = JSON.parse(carport(['sim', 'list', '--json']).stdout) as { vehicleId: string; mode: string }[];
    assert.ok(listed.some((v) => v.vehicleId === car.vehicleId && v.mode === 'simulated'));
    assert.ok(!carport(['sim', 'list', '--json']).stdout.includes(car.password!), 'the password is shown only once');
    const app = JSON.parse(carport(['apps', 'create', '--name', 'S', '--redirect-uri', 'https://s.example.com/cb', '--json']).stdout) as { clientId: string };
    const token = carport(['tokens', 'create', '--client-id', app.clientId, '--scope', 'read_vin', '--vehicle-id', car.vehicleId!, '--json']);
    assert.equal(token.code, 0, token.stderr);
    assert.deepEqual((JSON.parse(token.stdout) as { vehicleIds: string[] }).vehicleIds, [car.vehicleId]);
  });

  test('sim scenario and sim clock drive a simulated car; sim show tells its state', () => {
    const car = JSON.parse(carport(['sim', 'create', '--make', 'VOLKSWAGEN', '--model', 'ID.4', '--json']).stdout) as { vehicleId: string };
    const shown = JSON.parse(carport(['sim', 'show', car.vehicleId, '--json']).stdout) as { carTime: string; state: { odometerKm: number; location: { latitude: number; longitude: number } } };
    const to = { latitude: shown.state.location.latitude + 0.5, longitude: shown.state.location.longitude };
    const steps = JSON.stringify([{ kind: 'drive', to, speedKmh: 80 }]);
    assert.equal(carport(['sim', 'scenario', car.vehicleId, 'custom', '--steps', steps]).code, 0);
    const moved = JSON.parse(carport(['sim', 'clock', car.vehicleId, '--advance', '30m', '--json']).stdout) as typeof shown & { state: { activity: string } };
    // Half an hour at 80 km/h, plus the few real seconds between the two commands at the same speed.
    const driven = moved.state.odometerKm - shown.state.odometerKm;
    assert.ok(driven >= 39.99 && driven < 40.5, `drove ${driven} km`);
    assert.equal(moved.state.activity, 'driving');
    assert.ok(Date.parse(moved.carTime) - Date.parse(shown.carTime) >= 30 * 60_000);
    const bad = carport(['sim', 'scenario', car.vehicleId, 'custom', '--steps', '[{"kind":"fly"}]']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid steps/);
    assert.match(carport(['sim', 'clock', car.vehicleId, '--advance', 'soon']).stderr, /not a duration/);
  });

  test('webhooks create verifies the receiver and prints the webhook; webhooks list shows it', async () => {
    const app = JSON.parse(carport(['apps', 'create', '--name', 'W', '--redirect-uri', 'https://w.example.com/cb', '--json']).stdout) as { clientId: string; managementToken: string };
    const receiver = await startReceiver(() => app.managementToken);
    try {
      const created = await carportAsync(['webhooks', 'create', '--client-id', app.clientId, '--url', receiver.url, '--type', 'event', '--triggers', 'charge_state_changed,plugged_in', '--data', 'charge,battery', '--json']);
      assert.equal(created.code, 0, created.stderr);
      const webhook = JSON.parse(created.stdout) as { webhookId: string; status: string };
      assert.equal(webhook.status, 'active');
      assert.equal(receiver.deliveries[0]?.verified, true);
      const listed = JSON.parse(carport(['webhooks', 'list', '--client-id', app.clientId, '--json']).stdout) as { webhookId: string; data: string[] }[];
      assert.deepEqual(listed.map((w) => [w.webhookId, w.data]), [[webhook.webhookId, ['/charge', '/battery']]]);
      const shown = JSON.parse(carport(['webhooks', 'show', webhook.webhookId, '--client-id', app.clientId, '--json']).stdout) as Record<string, unknown>;
      assert.deepEqual([shown.webhookId, shown.status, shown.triggers, shown.version, shown.vehicles], [webhook.webhookId, 'active', ['charge_state_changed', 'plugged_in'], '2.0', []]);
      const unknown = carport(['webhooks', 'show', '00000000-0000-4000-8000-000000000000', '--client-id', app.clientId]);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no webhook/);
      assert.match(carport(['webhooks', 'create', '--client-id', app.clientId, '--url', receiver.url, '--type', 'event']).stderr, /needs --triggers/);
      const v4 = await carportAsync(['webhooks', 'create', '--client-id', app.clientId, '--url', receiver.url, '--type', 'event', '--triggers', 'lock_state_changed', '--data', 'security', '--payload-version', '4.0', '--json']);
      assert.equal(JSON.parse(v4.stdout).status, 'active', v4.stderr);
      assert.equal(receiver.deliveries.at(-1)?.body.eventType, 'VERIFY', 'verified in the v4.0 envelope');
      assert.match(carport(['webhooks', 'create', '--client-id', app.clientId, '--url', receiver.url, '--type', 'scheduled', '--data', 'odometer', '--payload-version', '4.0']).stderr, /v4\.0 format is for event webhooks/);
    } finally {
      await receiver.close();
    }
  });

  test('tokens create refuses an unknown app, permission, make or model', () => {
    const app = JSON.parse(carport(['apps', 'create', '--name', 'B', '--redirect-uri', 'https://b.example.com/cb', '--json']).stdout) as { clientId: string };
    const cases: [string[], RegExp][] = [
      [['--client-id', '00000000-0000-4000-8000-000000000000', '--scope', 'read_odometer'], /no application/],
      [['--client-id', app.clientId, '--scope', 'read_everything'], /unknown permission/],
      [['--client-id', app.clientId, '--scope', 'read_odometer', '--make', 'DELOREAN'], /unknown make/],
      [['--client-id', app.clientId, '--scope', 'read_odometer', '--make', 'TESLA', '--model', 'Cybertruck'], /unknown TESLA model/],
    ];
    for (const [args, message] of cases) {
      const result = carport(['tokens', 'create', ...args]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, message);
    }
  });
});

describe('carport users and app owners', () => {
  test('users create makes a developer account (email lower-cased) and refuses the same address again', () => {
    const created = carport(['users', 'create', '--email', ' Dev.One@Example.COM ', '--password', 'correct horse battery', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const user = JSON.parse(created.stdout) as { userId: string; email: string };
    assert.match(user.userId, /^[0-9a-f-]{36}$/);
    assert.equal(user.email, 'dev.one@example.com');
    assert.deepEqual(Object.keys(user).sort(), ['email', 'userId']);
    const again = carport(['users', 'create', '--email', 'DEV.ONE@example.com', '--password', 'another password']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /dev\.one@example\.com already has an account/);
  });

  test('users create refuses an address that is none, and a password too short', () => {
    for (const email of ['no-at-sign', '@example.com', 'a@', 'a@b@c', 'has space@example.com', `${'x'.repeat(250)}@example.com`]) {
      const result = carport(['users', 'create', '--email', email, '--password', 'long enough password']);
      assert.equal(result.code, 1, email);
      assert.match(result.stderr, /email address/, email);
    }
    const short = carport(['users', 'create', '--email', 'short@example.com', '--password', 'seven77']);
    assert.equal(short.code, 1);
    assert.match(short.stderr, /a password has 8 to 256 characters/);
  });

  test('apps create --owner and apps assign give an app to a developer; apps list shows the owner', () => {
    assert.equal(carport(['users', 'create', '--email', 'owner@example.com', '--password', 'owner password 1']).code, 0);
    const created = carport(['apps', 'create', '--name', 'Owned', '--redirect-uri', 'https://owned.example/cb', '--owner', 'OWNER@example.com', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const { clientId } = JSON.parse(created.stdout) as { clientId: string };
    const ownerOf = () => (JSON.parse(carport(['apps', 'list', '--json']).stdout) as { clientId: string; owner: string | null }[])
      .find((a) => a.clientId === clientId)?.owner;
    assert.equal(ownerOf(), 'owner@example.com');

    const none = carport(['apps', 'assign', '--client-id', clientId, '--no-owner']);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(ownerOf(), null);
    const back = carport(['apps', 'assign', '--client-id', clientId, '--owner', 'owner@example.com']);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(ownerOf(), 'owner@example.com');

    const unknownOwner = carport(['apps', 'create', '--name', 'X', '--redirect-uri', 'https://x.example/cb', '--owner', 'nobody@example.com']);
    assert.equal(unknownOwner.code, 1);
    assert.match(unknownOwner.stderr, /no developer account nobody@example\.com/);
    const unknownApp = carport(['apps', 'assign', '--client-id', '00000000-0000-4000-8000-000000000000', '--owner', 'owner@example.com']);
    assert.equal(unknownApp.code, 1);
    assert.match(unknownApp.stderr, /no application/);
    const neither = carport(['apps', 'assign', '--client-id', clientId]);
    assert.equal(neither.code, 1);
    assert.match(neither.stderr, /--owner EMAIL or --no-owner/);
  });
});
