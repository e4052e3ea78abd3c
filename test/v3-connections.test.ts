/**
 * GET /v3/connections (smartcar-v3.md §1.4, §3.6): an application token lists its app's live
 * connections, newest first, paged and filtered, with percent-encoded links.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CreatedApp } from '../src/oauth/index.js';
import { callApi } from './support/http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';
import { applicationToken, assertHybridError, type HybridError } from './support/v3.js';

interface Connection {
  id: string;
  type: string;
  attributes: { permissions: string[]; vehicle: Record<string, unknown>; user: { id: string } };
  relationships: { vehicle: { data: { id: string; type: string }; links: { related: string } }; user: { data: { id: string; type: string } } };
  meta: { createdAt: string; updatedAt: string };
  links: { self: string };
}

interface Listing {
  data: Connection[];
  meta: { page: number; pageNumber: number; pageSize: number; totalCount: number; orderBy: string; orderDirection: string };
  links: { self: string; first: string; last: string; next: string | null; prev: string | null };
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let tp: TestPlatform;
let app: CreatedApp;
let token: string;
/** Three owners: the first with two cars, newest grant last. */
const owners: { userId: string; vehicleIds: string[] }[] = [];

before(async () => {
  tp = await startPlatform();
  app = await tp.platform.services.apps.create({ name: 'Fleet app', redirectUris: ['https://fleet.example.com/cb'] });
  for (const vehicles of [2, 1, 1]) {
    const granted = await tp.token({ clientId: app.clientId, vehicles, scope: 'read_odometer read_vin' });
    owners.push({ userId: granted.userId, vehicleIds: granted.vehicleIds });
  }
  token = await applicationToken(tp.baseUrl, app.clientId, app.clientSecret);
});
after(() => tp.close());

const list = (query: string, headers: Record<string, string> = {}) =>
  callApi<Listing>(tp.baseUrl, `/v3/connections${query}`, { token, headers });

describe('GET /v3/connections', () => {
  test('lists live connections only unless another mode is asked for, as Smartcar does', async () => {
    const live = await list('');
    assert.equal(live.status, 200, live.text);
    assert.equal(live.body.meta.totalCount, 0);
    assert.deepEqual(live.body.data, []);
    const test_ = await list('?filter[vehicle.mode]=test');
    assert.equal(test_.body.meta.totalCount, 4);
  });

  test('each connection names the user, the vehicle, its permissions and ISO times', async () => {
    const res = await list('?filter[vehicle.mode]=test&page[size]=100');
    const [newest] = res.body.data;
    const owner = owners[2]!;
    assert.equal(newest!.type, 'connection');
    assert.equal(newest!.attributes.user.id, owner.userId);
    assert.equal(newest!.relationships.user.data.id, owner.userId);
    assert.deepEqual(newest!.relationships.vehicle.data, { id: owner.vehicleIds[0], type: 'vehicle' });
    assert.equal(newest!.relationships.vehicle.links.related, `/v3/vehicles/${owner.vehicleIds[0]}`);
    assert.deepEqual(newest!.attributes.permissions, ['read_odometer', 'read_vin']);
    assert.equal(newest!.attributes.vehicle.make, 'TESLA');
    assert.equal(newest!.attributes.vehicle.mode, 'test');
    assert.ok(Number.isInteger(newest!.attributes.vehicle.year));
    assert.equal(newest!.attributes.vehicle.powertrainType, 'BEV');
    assert.match(newest!.meta.createdAt, ISO_MS);
    assert.match(newest!.meta.updatedAt, ISO_MS);
    assert.notEqual(newest!.id, owner.vehicleIds[0]);
    assert.deepEqual(res.body.meta, { page: 1, pageNumber: 1, pageSize: 100, totalCount: 4, orderBy: 'createdAt', orderDirection: 'DESC' });
    const one = await callApi<Connection>(tp.baseUrl, newest!.links.self, { token });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.id, newest!.id);
  });

  test('pages by page[number] and page[size] (or page and pageSize), with percent-encoded links', async () => {
    const first = await list('?filter[vehicle.mode]=test&page[size]=3');
    assert.equal(first.body.data.length, 3);
    assert.equal(first.body.links.prev, null);
    assert.equal(first.body.links.next, '/v3/connections?page%5Bnumber%5D=2&page%5Bsize%5D=3&filter%5Bvehicle.mode%5D=test');
    assert.equal(first.body.links.last, first.body.links.next);
    const second = await callApi<Listing>(tp.baseUrl, first.body.links.next!, { token });
    assert.equal(second.body.data.length, 1);
    assert.equal(second.body.links.next, null);
    assert.equal(second.body.links.prev, first.body.links.self);
    const ids = [...first.body.data, ...second.body.data].map((c) => c.id);
    assert.equal(new Set(ids).size, 4);
    const aliased = await list('?filter%5Bvehicle.mode%5D=test&page=2&pageSize=3');
    assert.deepEqual(aliased.body.data.map((c) => c.id), second.body.data.map((c) => c.id));
    assert.equal((await list('?filter[vehicle.mode]=test')).body.meta.pageSize, 10);
  });

  test('filters by user (query or sc-user-id header) and by vehicle', async () => {
    const [two] = owners;
    const byUser = await list(`?filter[vehicle.mode]=test&filter[userId]=${two!.userId}`);
    assert.deepEqual(byUser.body.data.map((c) => c.relationships.vehicle.data.id).sort(), [...two!.vehicleIds].sort());
    assert.match(byUser.body.links.self, /filter%5BuserId%5D=/);
    const byHeader = await list('?filter[vehicle.mode]=test', { 'sc-user-id': two!.userId });
    assert.equal(byHeader.body.meta.totalCount, 2);
    const byVehicle = await list(`?filter[vehicle.mode]=test&filter[vehicleId]=${owners[1]!.vehicleIds[0]}`);
    assert.equal(byVehicle.body.meta.totalCount, 1);
    assert.equal(byVehicle.body.data[0]!.attributes.user.id, owners[1]!.userId);
    const both = await list(`?filter[vehicle.mode]=test&filter[userId]=${two!.userId}`, { 'sc-user-id': owners[1]!.userId });
    assert.equal(both.body.meta.totalCount, 0);
  });

  test('an ended grant is no connection any more', async () => {
    const granted = await tp.token({ clientId: app.clientId });
    const filter = `?filter[vehicle.mode]=test&filter[vehicleId]=${granted.vehicleIds[0]}`;
    assert.equal((await list(filter)).body.meta.totalCount, 1);
    await tp.platform.services.tokens.revokeVehicle(app.clientId, granted.userId, granted.vehicleIds[0]!, 'owner_revoked');
    assert.equal((await list(filter)).body.meta.totalCount, 0);
  });

  test('bad paging or filters are 400 VALIDATION; a v2 token or none is 401', async () => {
    for (const query of ['?page[size]=101', '?page[number]=0', '?filter[userId]=nope', '?filter[vehicle.mode]=fast']) {
      assertHybridError(await callApi<HybridError>(tp.baseUrl, `/v3/connections${query}`, { token }), 400, 'VALIDATION', null);
    }
    const { accessToken } = await tp.token({ clientId: app.clientId });
    assertHybridError(await callApi<HybridError>(tp.baseUrl, '/v3/connections', { token: accessToken }), 401, 'AUTHENTICATION', null);
    assertHybridError(await callApi<HybridError>(tp.baseUrl, '/v3/connections'), 401, 'AUTHENTICATION', null);
    assertHybridError(await callApi<HybridError>(tp.baseUrl, '/v3/connections/6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f', { token }), 404, 'RESOURCE_NOT_FOUND', 'CONNECTION_NOT_FOUND');
  });
});
