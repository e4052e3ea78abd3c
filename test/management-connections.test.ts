/**
 * GET and DELETE /v2.0/management/connections (spec §8.1), through the official Node SDK's
 * getConnections/deleteConnections and as raw HTTP. Each test uses an app of its own, so each sees
 * only the connections it made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import smartcar from 'smartcar';
import { createTestToken } from '../src/cli/tokens.js';
import type { CreatedApp } from '../src/oauth/index.js';
import { createSimulatedVehicle } from '../src/vehicles/index.js';
import { connectOverHttp } from './support/connect-http.js';
import { ALL_SCOPES, pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

const REDIRECT = 'https://app.example.com/callback';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Connection {
  connectedAt: string;
  vehicleId: string;
  userId: string;
  mode: string;
}

interface Listing {
  connections: Connection[];
  paging: { cursor: string | null };
}

interface Deleted {
  connections: { userId: string; vehicleId: string }[];
}

const sdk = smartcar as unknown as {
  getConnections(amt: string, filter?: { userId?: string; vehicleId?: string }, paging?: { limit?: number; cursor?: string }): Promise<Listing>;
  deleteConnections(amt: string, filter: { userId?: string; vehicleId?: string }): Promise<Deleted>;
};
type SdkError = InstanceType<typeof smartcar.SmartcarError>;

interface Owner {
  userId: string;
  accessToken: string;
  refreshToken: string;
  vehicleIds: string[];
}

let tp: TestPlatform;

before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
});
after(() => tp.close());

let appCount = 0;
function newApp(): Promise<CreatedApp> {
  appCount += 1;
  return tp.platform.services.apps.create({ name: `Fleet app ${appCount}`, redirectUris: [REDIRECT] });
}

/** A test-mode owner who connected `vehicles` vehicles to the app. */
async function connectOwner(app: CreatedApp, vehicles = 1): Promise<Owner> {
  const t = await createTestToken(tp.platform.services, { clientId: app.clientId, scope: ALL_SCOPES, make: 'TESLA', vehicles });
  return { userId: t.userId, accessToken: t.accessToken, refreshToken: t.refreshToken, vehicleIds: t.vehicleIds };
}

/** Owners connected one after another, so that their connection times differ. */
async function connectOwners(app: CreatedApp, vehicleCounts: number[]): Promise<Owner[]> {
  const owners: Owner[] = [];
  for (const count of vehicleCounts) {
    owners.push(await connectOwner(app, count));
    await delay(3);
  }
  return owners;
}

function management(app: CreatedApp | string): string {
  const token = typeof app === 'string' ? app : app.managementToken;
  return `Basic ${Buffer.from(`default:${token}`).toString('base64')}`;
}

async function call(method: string, path: string, authorization?: string) {
  const res = await fetch(`${tp.baseUrl}${path}`, { method, headers: authorization ? { authorization } : {} });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function vehicleStatus(token: string, vehicleId: string): Promise<number> {
  const res = await fetch(`${tp.baseUrl}/v2.0/vehicles/${vehicleId}`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** The connections newest first: later owners first, one owner's vehicles in id order. */
function expectedOrder(owners: Owner[]): { userId: string; vehicleId: string }[] {
  return [...owners].reverse().flatMap((o) => [...o.vehicleIds].sort().map((vehicleId) => ({ userId: o.userId, vehicleId })));
}

const pairs = (connections: { userId: string; vehicleId: string }[]) => connections.map(({ userId, vehicleId }) => ({ userId, vehicleId }));

function isApiError(type: string, statusCode: number) {
  return (error: SdkError) => {
    assert.ok(error instanceof smartcar.SmartcarError, `a SmartcarError, got ${String(error)}`);
    assert.equal(error.type, type);
    assert.equal(error.statusCode, statusCode);
    return true;
  };
}

describe('GET /v2.0/management/connections', () => {
  test('lists the app’s connections newest first as {connectedAt, vehicleId, userId, mode}', async () => {
    const app = await newApp();
    const owners = await connectOwners(app, [1, 2, 1]);
    const listing = await sdk.getConnections(app.managementToken);
    assert.deepEqual(pairs(listing.connections), expectedOrder(owners));
    for (const c of listing.connections) {
      assert.deepEqual(Object.keys(c).sort(), ['connectedAt', 'mode', 'userId', 'vehicleId']);
      assert.match(c.connectedAt, TIMESTAMP);
      assert.equal(c.mode, 'test');
    }
    const times = listing.connections.map((c) => c.connectedAt);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.equal(listing.paging.cursor, null);
    // userId is the id GET /v2.0/user gives the app for that owner.
    assert.equal((await smartcar.getUser(owners[0]!.accessToken)).id, owners[0]!.userId);
  });

  test('filters by user_id and by vehicle_id', async () => {
    const app = await newApp();
    const [first, second] = await connectOwners(app, [2, 1]) as [Owner, Owner];
    const byUser = await sdk.getConnections(app.managementToken, { userId: first.userId });
    assert.deepEqual(pairs(byUser.connections), expectedOrder([first]));
    const byVehicle = await sdk.getConnections(app.managementToken, { vehicleId: second.vehicleIds[0]! });
    assert.deepEqual(pairs(byVehicle.connections), [{ userId: second.userId, vehicleId: second.vehicleIds[0]! }]);
    const both = await call('GET', `/v2.0/management/connections?user_id=${first.userId}&vehicle_id=${second.vehicleIds[0]}`, management(app));
    assert.deepEqual(both.body.connections, []);
  });

  test('pages with limit and cursor; the last page’s cursor is null', async () => {
    const app = await newApp();
    const owners = await connectOwners(app, [1, 1, 1, 1, 1]);
    const seen: Listing['connections'] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const listing = await sdk.getConnections(app.managementToken, {}, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...listing.connections);
      sizes.push(listing.connections.length);
      if (listing.paging.cursor === null) break;
      assert.equal(typeof listing.paging.cursor, 'string');
      cursor = listing.paging.cursor;
    }
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(pairs(seen), expectedOrder(owners));
    const exact = await sdk.getConnections(app.managementToken, {}, { limit: 5 });
    assert.equal(exact.connections.length, 5);
    assert.equal(exact.paging.cursor, null);
  });

  test('a Connect run in simulated mode shows as mode simulated, and mode filters', async () => {
    const app = await newApp();
    const testOwner = await connectOwner(app);
    const query = new URLSearchParams({
      response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT, scope: 'read_vehicle_info', mode: 'simulated', make: 'TESLA',
    });
    const car = await createSimulatedVehicle(tp.platform.services.vehicles, { make: 'TESLA' });
    const code = (await connectOverHttp(`${tp.baseUrl}/oauth/authorize?${query}`, { email: car.email, password: car.password })).searchParams.get('code')!;
    const res = await fetch(`${tp.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).toString(),
    });
    assert.equal(res.status, 200);
    const all = (await call('GET', '/v2.0/management/connections', management(app))).body as unknown as Listing;
    assert.deepEqual(all.connections.map((c) => c.mode).sort(), ['simulated', 'test']);
    const simulated = (await call('GET', '/v2.0/management/connections?mode=simulated', management(app))).body as unknown as Listing;
    assert.equal(simulated.connections.length, 1);
    assert.equal(simulated.connections[0]!.mode, 'simulated');
    const testOnly = (await call('GET', '/v2.0/management/connections?mode=test', management(app))).body as unknown as Listing;
    assert.deepEqual(pairs(testOnly.connections), expectedOrder([testOwner]));
  });

  test('the trailing-slash path (Python SDK) lists the same', async () => {
    const app = await newApp();
    const owner = await connectOwner(app);
    const answer = await call('GET', '/v2.0/management/connections/', management(app));
    assert.equal(answer.status, 200);
    assert.deepEqual(pairs((answer.body as unknown as Listing).connections), expectedOrder([owner]));
  });

  test('a wrong or missing management token is 401 AUTHENTICATION in the v2 envelope', async () => {
    const app = await newApp();
    await connectOwner(app);
    for (const authorization of [
      management('wrong'), management(app.clientSecret), `Bearer ${app.managementToken}`, undefined,
      `Basic ${Buffer.from(app.managementToken).toString('base64')}`,
    ]) {
      const answer = await call('GET', '/v2.0/management/connections', authorization);
      assert.equal(answer.status, 401, String(authorization));
      assert.equal(answer.body.type, 'AUTHENTICATION');
      assert.equal(answer.body.statusCode, 401);
      assert.equal(typeof answer.body.requestId, 'string');
      assert.equal(answer.headers.get('sc-request-id'), answer.body.requestId);
      assert.equal(answer.body.connections, undefined);
    }
    await assert.rejects(sdk.getConnections('wrong'), isApiError('AUTHENTICATION', 401));
  });

  test('another app’s management token does not see this app’s connections', async () => {
    const [mine, theirs] = await Promise.all([newApp(), newApp()]);
    const owner = await connectOwner(mine);
    const otherOwner = await connectOwner(theirs);
    assert.deepEqual(pairs((await sdk.getConnections(theirs.managementToken)).connections), expectedOrder([otherOwner]));
    assert.deepEqual((await sdk.getConnections(theirs.managementToken, { vehicleId: owner.vehicleIds[0]! })).connections, []);
    assert.deepEqual((await sdk.getConnections(theirs.managementToken, { userId: owner.userId })).connections, []);
  });

  test('malformed filters and paging are 400 VALIDATION', async () => {
    const app = await newApp();
    for (const query of ['user_id=not-a-uuid', 'vehicle_id=123', 'mode=bogus', 'cursor=not-a-cursor', 'limit=0', 'limit=101', 'limit=two']) {
      const answer = await call('GET', `/v2.0/management/connections?${query}`, management(app));
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.type, 'VALIDATION', query);
    }
  });
});

describe('DELETE /v2.0/management/connections', () => {
  test('by vehicle_id: answers {connections: [{userId, vehicleId}]} and the tokens stop reaching that vehicle at once', async () => {
    const app = await newApp();
    const owner = await connectOwner(app, 2);
    const [gone, kept] = owner.vehicleIds as [string, string];
    assert.equal(await vehicleStatus(owner.accessToken, gone), 200);
    const deleted = await sdk.deleteConnections(app.managementToken, { vehicleId: gone });
    assert.deepEqual(deleted.connections, [{ userId: owner.userId, vehicleId: gone }]);
    assert.deepEqual(Object.keys(deleted.connections[0]!).sort(), ['userId', 'vehicleId']);
    assert.equal(await vehicleStatus(owner.accessToken, gone), 404);
    assert.equal(await vehicleStatus(owner.accessToken, kept), 200);
    assert.deepEqual(pairs((await sdk.getConnections(app.managementToken)).connections), [{ userId: owner.userId, vehicleId: kept }]);
  });

  test('by user_id: ends every connection of that owner and only those', async () => {
    const app = await newApp();
    const [owner, bystander] = await connectOwners(app, [2, 1]) as [Owner, Owner];
    const deleted = await sdk.deleteConnections(app.managementToken, { userId: owner.userId });
    assert.deepEqual(
      [...deleted.connections].sort((a, b) => a.vehicleId.localeCompare(b.vehicleId)),
      [...owner.vehicleIds].sort().map((vehicleId) => ({ userId: owner.userId, vehicleId })),
    );
    for (const id of owner.vehicleIds) assert.equal(await vehicleStatus(owner.accessToken, id), 404);
    assert.equal(await vehicleStatus(bystander.accessToken, bystander.vehicleIds[0]!), 200);
    assert.deepEqual(pairs((await sdk.getConnections(app.managementToken)).connections), expectedOrder([bystander]));
  });

  test('a deleted connection does not come back with a refreshed token', async () => {
    const app = await newApp();
    const owner = await connectOwner(app);
    const vehicleId = owner.vehicleIds[0]!;
    await sdk.deleteConnections(app.managementToken, { vehicleId });
    const res = await fetch(`${tp.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: owner.refreshToken }).toString(),
    });
    const body = (await res.json()) as { access_token?: string };
    if (res.status === 200) assert.equal(await vehicleStatus(body.access_token!, vehicleId), 404);
    else assert.equal(res.status, 400);
  });

  test('with neither user_id nor vehicle_id is 400 VALIDATION and deletes nothing', async () => {
    const app = await newApp();
    const owner = await connectOwner(app);
    const answer = await call('DELETE', '/v2.0/management/connections', management(app));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.type, 'VALIDATION');
    await assert.rejects(sdk.deleteConnections(app.managementToken, {}), isApiError('VALIDATION', 400));
    assert.equal(await vehicleStatus(owner.accessToken, owner.vehicleIds[0]!), 200);
  });

  test('another app’s management token deletes nothing of this app', async () => {
    const [mine, theirs] = await Promise.all([newApp(), newApp()]);
    const owner = await connectOwner(mine);
    assert.deepEqual((await sdk.deleteConnections(theirs.managementToken, { vehicleId: owner.vehicleIds[0]! })).connections, []);
    assert.deepEqual((await sdk.deleteConnections(theirs.managementToken, { userId: owner.userId })).connections, []);
    assert.equal(await vehicleStatus(owner.accessToken, owner.vehicleIds[0]!), 200);
  });

  test('a wrong management token is 401 AUTHENTICATION and deletes nothing', async () => {
    const app = await newApp();
    const owner = await connectOwner(app);
    const answer = await call('DELETE', `/v2.0/management/connections?vehicle_id=${owner.vehicleIds[0]}`, management('wrong'));
    assert.equal(answer.status, 401);
    assert.equal(answer.body.type, 'AUTHENTICATION');
    assert.equal(await vehicleStatus(owner.accessToken, owner.vehicleIds[0]!), 200);
  });
});
