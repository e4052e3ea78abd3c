/**
 * Team members on an app through the console's JSON API: an owner invites an address with an
 * account and one without (the invitation holds once that account is made), members see the app
 * with their role, each role may do what it should and no more, the owning user stays owner, and
 * a removed member no longer sees the app at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestToken } from '../src/cli/tokens.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

let tp: TestPlatform;

interface Session { cookie: string; csrf: string }

async function call(path: string, init: { method?: string; cookie?: string; csrf?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${tp.baseUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function signIn(email: string, password: string): Promise<Session> {
  const res = await fetch(`${tp.baseUrl}/console/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200);
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: String((await res.json() as { csrfToken: string }).csrfToken) };
}

interface Member { email: string; role: string; userId: string | null; appOwner: boolean; since: string }

before(async () => {
  tp = await startPlatform();
});
after(() => tp.close());

describe('Console team members', () => {
  test('invite, roles, the owning user, and removal', async () => {
    const { services } = tp.platform;
    const owner = await services.developers.create({ email: 'frances@example.com', password: 'compiler optimisation' });
    const viewer = await services.developers.create({ email: 'vera@example.com', password: 'viewer password' });
    const app = await services.apps.create({ name: 'Team app', redirectUris: ['https://team.example/cb'], ownerUserId: owner.userId });
    const members = `/console/api/apps/${app.clientId}/members`;
    const boss = await signIn('frances@example.com', 'compiler optimisation');

    // An address with an account and one without.
    const invited = await call(members, { method: 'POST', ...boss, json: { email: 'Vera@Example.com', role: 'viewer' } });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const pending = await call(members, { method: 'POST', ...boss, json: { email: 'dan@example.com', role: 'developer' } });
    assert.equal(pending.status, 201);
    const listed = (await call(members, { cookie: boss.cookie })).body.members as Member[];
    assert.deepEqual(listed.map((m) => [m.email, m.role, m.userId, m.appOwner]), [
      ['frances@example.com', 'owner', owner.userId, true],
      ['vera@example.com', 'viewer', viewer.userId, false],
      ['dan@example.com', 'developer', null, false],
    ]);

    // The waiting invitation holds once an account with that address is made.
    const dan = await services.developers.create({ email: 'dan@example.com', password: 'developer password' });
    const bound = (await call(members, { cookie: boss.cookie })).body.members as Member[];
    assert.equal(bound.find((m) => m.email === 'dan@example.com')?.userId, dan.userId);
    const developer = await signIn('dan@example.com', 'developer password');
    const seer = await signIn('vera@example.com', 'viewer password');
    const listOf = async (s: Session) => ((await call('/console/api/apps', { cookie: s.cookie })).body.apps as { clientId: string; role: string }[])
      .map((a) => [a.clientId, a.role]);
    assert.deepEqual(await listOf(developer), [[app.clientId, 'developer']]);
    assert.deepEqual(await listOf(seer), [[app.clientId, 'viewer']]);
    assert.deepEqual(await listOf(boss), [[app.clientId, 'owner']]);

    // What each role may do.
    const grant = await createTestToken(services, { clientId: app.clientId, scope: 'read_odometer', make: 'TESLA', vehicles: 2 });
    const [first, second] = grant.vehicleIds as [string, string];
    const vehicles = `/console/api/apps/${app.clientId}/vehicles`;
    const secret = `/console/api/apps/${app.clientId}/secret`;
    assert.equal((await call(vehicles, { cookie: seer.cookie })).status, 200, 'a viewer reads the vehicles');
    assert.equal((await call(members, { cookie: seer.cookie })).status, 200, 'and the team');
    for (const [path, method] of [[secret, 'POST'], [`${vehicles}/${first}`, 'DELETE'], [members, 'POST']] as const) {
      const answer = await call(path, { method, ...seer, json: method === 'POST' ? { email: 'x@example.com', role: 'viewer' } : undefined });
      assert.equal(answer.status, 403, `viewer ${method} ${path}`);
      assert.equal(answer.body.error, 'forbidden');
    }
    assert.equal((await call(`${vehicles}/${first}`, { method: 'DELETE', ...developer })).status, 200, 'a developer disconnects');
    assert.equal((await call(secret, { method: 'POST', ...developer })).status, 403, 'but does not rotate the secret');
    assert.equal((await call(`/console/api/apps/${app.clientId}/management-token`, { method: 'POST', ...developer })).status, 403);
    assert.equal((await call(`/console/api/apps/${app.clientId}/redirect-uris`, { method: 'PUT', ...developer, json: { redirectUris: ['https://x.example/cb'] } })).status, 403);
    assert.equal((await call(members, { method: 'POST', ...developer, json: { email: 'x@example.com', role: 'owner' } })).status, 403);

    // The owner changes roles; an invited owner may rotate the secret.
    const promoted = await call(`${members}/${encodeURIComponent('dan@example.com')}`, { method: 'PUT', ...boss, json: { role: 'owner' } });
    assert.equal(promoted.status, 200);
    assert.equal((await call(secret, { method: 'POST', ...developer })).status, 200, 'now an owner');
    const demoted = await call(`${members}/dan@example.com`, { method: 'PUT', ...boss, json: { role: 'viewer' } });
    assert.equal(demoted.status, 200);
    assert.equal((await call(`${vehicles}/${second}`, { method: 'DELETE', ...developer })).status, 403, 'a viewer again');

    // The owning user stays owner, and the rest is refused as it should be.
    const ownerPath = `${members}/frances@example.com`;
    assert.equal((await call(ownerPath, { method: 'PUT', ...boss, json: { role: 'viewer' } })).body.error, 'app_owner');
    assert.equal((await call(ownerPath, { method: 'DELETE', ...boss })).status, 400);
    assert.equal((await call(members, { method: 'POST', ...boss, json: { email: 'frances@example.com', role: 'viewer' } })).status, 400);
    assert.equal((await call(members, { method: 'POST', ...boss, json: { email: 'vera@example.com', role: 'owner' } })).status, 409);
    for (const json of [{ email: 'not an address', role: 'viewer' }, { email: 'x@example.com', role: 'admin' }, { email: 'x'.repeat(400), role: 'viewer' }]) {
      const answer = await call(members, { method: 'POST', ...boss, json });
      assert.equal(answer.status, 400, JSON.stringify(json));
      assert.deepEqual(Object.keys(answer.body).sort(), ['error', 'message']);
    }
    assert.equal((await call(`${members}/nobody@example.com`, { method: 'DELETE', ...boss })).status, 404);
    assert.equal((await call(members, { method: 'POST', cookie: boss.cookie, json: { email: 'y@example.com', role: 'viewer' } })).status, 403, 'CSRF');

    // A removed member no longer sees the app at all.
    const removed = await call(`${members}/vera@example.com`, { method: 'DELETE', ...boss });
    assert.equal(removed.status, 200);
    assert.deepEqual((removed.body.members as Member[]).map((m) => m.email), ['frances@example.com', 'dan@example.com']);
    for (const path of [`/console/api/apps/${app.clientId}`, vehicles, members]) {
      const answer = await call(path, { cookie: seer.cookie });
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body.error, 'not_found');
    }
    assert.deepEqual(await listOf(seer), []);
  });

  test('an invitation waiting for an address holds for the account the console\'s sign-up makes', async () => {
    const open = await startPlatform({ consoleSignup: 'on' });
    try {
      const { services } = open.platform;
      const owner = await services.developers.create({ email: 'lin@example.com', password: 'owner password' });
      const app = await services.apps.create({ name: 'Signed-up team', redirectUris: ['https://signup.example/cb'], ownerUserId: owner.userId });
      const post = (path: string, json: unknown, extra: Record<string, string> = {}) => fetch(`${open.baseUrl}${path}`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(json),
      });
      const signedIn = await post('/console/api/session', { email: 'lin@example.com', password: 'owner password' });
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const csrf = String((await signedIn.json() as { csrfToken: string }).csrfToken);
      const invited = await post(`/console/api/apps/${app.clientId}/members`, { email: 'newcomer@example.com', role: 'viewer' }, { cookie, 'x-csrf-token': csrf });
      assert.equal(invited.status, 201);
      await invited.arrayBuffer();

      const made = await post('/console/api/signup', { email: 'Newcomer@example.com', password: 'newcomer password' });
      assert.equal(made.status, 201);
      await made.arrayBuffer();
      const theirs = await fetch(`${open.baseUrl}/console/api/apps`, { headers: { cookie: (made.headers.get('set-cookie') ?? '').split(';')[0]! } });
      const apps = (await theirs.json() as { apps: { clientId: string; role: string }[] }).apps;
      assert.deepEqual(apps.map((a) => [a.clientId, a.role]), [[app.clientId, 'viewer']]);
    } finally {
      await open.close();
    }
  });
});
