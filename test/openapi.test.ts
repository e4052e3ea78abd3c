/**
 * The OpenAPI documents are true of the platform: each is valid OpenAPI 3.1 (checked by a
 * maintained validator), every documented operation is routed, every v2.0/v3 route is documented,
 * and what the official SDK is answered — successes and errors — validates against them.
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import smartcar from 'smartcar';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

type Document = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

const NAMES = ['v2', 'v3', 'management'] as const;
const METHODS = ['get', 'post', 'delete'];

interface Exchange {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

let tp: TestPlatform;
let proxy: Server;
const exchanges: Exchange[] = [];
const documents = new Map<string, Document>();

/** Passes every request to the platform and keeps each JSON answer, as the SDK received it. */
function recordingProxy(target: URL): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const forwarded = httpRequest({
      host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers,
    }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (/json/.test(String(answer.headers['content-type']))) {
          exchanges.push({
            method: incoming.method!.toLowerCase(), path: new URL(incoming.url!, target).pathname, status: answer.statusCode!, body: JSON.parse(text),
          });
        }
      });
      outgoing.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(forwarded);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  tp = await startPlatform();
  proxy = await recordingProxy(new URL(tp.baseUrl));
  const proxied = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  pointSdkAt(proxied);
  process.env.SMARTCAR_API_V3_ORIGIN = proxied;
  for (const name of NAMES) {
    const response = await fetch(`${tp.baseUrl}/openapi/${name}.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    documents.set(name, await response.json() as Document);
  }
});
after(async () => {
  delete process.env.SMARTCAR_API_V3_ORIGIN;
  await new Promise((resolve) => proxy.close(resolve));
  await tp.close();
});

/** `/v2.0/vehicles/{id}` → `/v2.0/vehicles/:id`, as the router knows it. */
const routerPath = (template: string) => template.replace(/\{(\w+)\}/g, ':$1');

/** Every method + path the platform routes, read from the router's own tree (`printRoutes`). */
function routedOperations(): Set<string> {
  const routed = new Set<string>();
  const stack: string[] = [];
  for (const line of tp.platform.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack.push(path);
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) routed.add(`${method.toLowerCase()} ${path}`);
  }
  return routed;
}

function documented(): Set<string> {
  return new Set([...documents.values()].flatMap((doc) => Object.entries(doc.paths).flatMap(([template, item]) =>
    Object.keys(item).filter((m) => METHODS.includes(m)).map((method) => `${method} ${routerPath(template)}`))));
}

describe('The OpenAPI documents', () => {
  test('each is a valid OpenAPI 3.1 document', async () => {
    for (const [name, doc] of documents) {
      const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
      assert.equal(result.valid, true, `${name}: ${JSON.stringify(result.errors)}`);
      assert.equal((doc as unknown as { openapi: string }).openapi, '3.1.0');
    }
  });

  test('every documented operation is routed', () => {
    for (const operation of documented()) {
      const [method, url] = operation.split(' ') as [string, string];
      assert.ok(tp.platform.app.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${operation} is documented but not routed`);
    }
  });

  test('every v2.0 and v3 route is documented, in the document of its face', () => {
    const described = documented();
    const routes = [...routedOperations()].filter((r) => /^(get|post|delete) \/(v2\.0|v3)\//.test(r));
    assert.ok(routes.length > 50, `the router lists the API (${routes.length} routes found)`);
    const missing = routes.filter((r) => !described.has(r.replace(/\/$/, '')));
    assert.deepEqual(missing, []);
    const management = Object.keys(documents.get('management')!.paths);
    assert.ok(management.every((p) => p.startsWith('/v2.0/management/')));
    assert.ok(Object.keys(documents.get('v3')!.paths).every((p) => p.startsWith('/v3/') || p === '/oauth2/token'));
  });

  test('is served as the same bytes each time', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => fetch(`${tp.baseUrl}/openapi/v3.json`).then((r) => r.text())));
    assert.equal(a, b);
  });
});

/** The document and its template that describe a request the SDK made. */
function operationFor(exchange: Exchange): { name: string; template: string } | undefined {
  for (const [name, doc] of documents) {
    for (const [template, item] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${template.replaceAll('.', '\\.').replace(/\{\w+\}/g, '[^/]+')}/?$`);
      if (pattern.test(exchange.path) && item[exchange.method]) return { name, template };
    }
  }
  return undefined;
}

describe('What the official SDK is answered validates against the documents', () => {
  let ajv: Ajv2020;
  before(() => {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    for (const [name, doc] of documents) ajv.addSchema(doc as object, `openapi-${name}`);
  });

  /** The validator of a documented answer's body. */
  function validatorFor(name: string, template: string, method: string, status: number) {
    const responses = documents.get(name)!.paths[template]![method]!.responses;
    assert.ok(responses[String(status)], `${method} ${template} documents status ${status}`);
    const pointer = `/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses/${status}/content/application~1json/schema`;
    const validate = ajv.getSchema(`openapi-${name}#${pointer}`);
    assert.ok(validate, `a schema for ${method} ${template} ${status}`);
    return validate;
  }

  function checkAll(expected: (e: Exchange) => boolean, count: number): void {
    const seen = exchanges.filter(expected);
    assert.ok(seen.length >= count, `${seen.length} answers recorded, expected ${count}`);
    for (const exchange of seen) {
      const found = operationFor(exchange);
      assert.ok(found, `${exchange.method} ${exchange.path} is documented`);
      const validate = validatorFor(found.name, found.template, exchange.method, exchange.status);
      assert.ok(validate(exchange.body), `${exchange.method} ${exchange.path} ${exchange.status}: ${JSON.stringify(validate.errors)}`);
    }
  }

  test('the schemas refuse what the wire format does not allow', () => {
    assert.equal(validatorFor('v2', '/v2.0/vehicles/{id}/odometer', 'get', 200)({ distance: 'far' }), false);
    assert.equal(validatorFor('v2', '/v2.0/vehicles/{id}/security', 'get', 200)({ isLocked: true }), false);
    assert.equal(validatorFor('v2', '/v2.0/vehicles/{id}/odometer', 'get', 403)({ type: 'PERMISSION' }), false);
    assert.equal(validatorFor('v3', '/v3/vehicles/{id}', 'get', 200)({ id: 'x', type: 'signal' }), false);
  });

  test('v2.0 reads, permissions, a command and a batch', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    const start = exchanges.length;
    await smartcar.getUser(accessToken);
    await smartcar.getVehicles(accessToken);
    await vehicle.attributes();
    await vehicle.odometer();
    await vehicle.location();
    await vehicle.lockStatus();
    await vehicle.permissions();
    await vehicle.lock();
    await vehicle.batch(['/odometer', '/location', '/battery']);
    checkAll((e) => exchanges.indexOf(e) >= start, 9);
  });

  test('v3 vehicle and signals, and a v3 command', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', model: 'Model 3' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    const start = exchanges.length;
    await smartcar.getVehicle(accessToken, vehicleIds[0]!);
    await vehicle.getSignals();
    await vehicle.getSignal('odometer-traveleddistance');
    // The SDK has no v3 commands: sent as any client would, through the same proxy.
    await fetch(`${process.env.SMARTCAR_API_V3_ORIGIN}/v3/vehicles/${vehicleIds[0]}/commands/security/lock`, {
      method: 'POST', headers: { authorization: `Bearer ${accessToken}` },
    });
    checkAll((e) => exchanges.indexOf(e) >= start, 4);
  });

  test('every v2.0 read, on a BEV and on a PHEV, answers as documented (success or error)', async () => {
    const v2 = documents.get('v2')!;
    const reads = Object.keys(v2.paths).filter((t) => t.startsWith('/v2.0/vehicles/{id}') && v2.paths[t]!.get);
    assert.ok(reads.length >= 17);
    const start = exchanges.length;
    for (const car of [{ make: 'TESLA', model: 'Model 3' }, { make: 'CHEVROLET', model: 'Volt' }]) {
      const { accessToken, vehicleIds } = await tp.token(car);
      for (const template of reads) {
        await fetch(`${process.env.SMARTCAR_API_ORIGIN}${template.replace('{id}', vehicleIds[0]!)}`, {
          headers: { authorization: `Bearer ${accessToken}`, 'sc-unit-system': 'imperial' },
        });
      }
    }
    checkAll((e) => exchanges.indexOf(e) >= start, reads.length * 2);
  });

  test('the token endpoints: a refresh through the SDK, a refused refresh, an application token', async () => {
    const { refreshToken } = await tp.token();
    // The SDK's typings leave out its AuthClient.
    const { AuthClient } = smartcar as unknown as {
      AuthClient: new (options: Record<string, string>) => { exchangeRefreshToken(token: string): Promise<unknown> };
    };
    const client = new AuthClient({
      clientId: tp.app.clientId, clientSecret: tp.app.clientSecret, redirectUri: 'https://app.example.com/callback',
    });
    const start = exchanges.length;
    await client.exchangeRefreshToken(refreshToken);
    await assert.rejects(client.exchangeRefreshToken('not-a-refresh-token'));
    const basic = Buffer.from(`${tp.app.clientId}:${tp.app.clientSecret}`).toString('base64');
    await fetch(`${process.env.SMARTCAR_API_ORIGIN}/oauth2/token`, {
      method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    assert.deepEqual(exchanges.slice(start).map((e) => e.status), [200, 400, 200]);
    checkAll((e) => exchanges.indexOf(e) >= start, 3);
  });

  test('the management API: simulated vehicles and webhooks', async () => {
    const basic = `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${process.env.SMARTCAR_API_ORIGIN}/v2.0/management${path}`, {
        method, headers: { authorization: basic, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return response.json() as Promise<Record<string, unknown>>;
    };
    const start = exchanges.length;
    const created = await call('POST', '/simulator/vehicles', { make: 'TESLA', scenario: 'parked' });
    const id = String(created.vehicleId);
    await call('GET', '/simulator/vehicles');
    await call('GET', `/simulator/vehicles/${id}`);
    await call('POST', `/simulator/vehicles/${id}/values`, { soc: 0.5, isLocked: false });
    await call('POST', `/simulator/vehicles/${id}/clock`, { advanceSeconds: 60 });
    await call('POST', `/simulator/vehicles/${id}/faults`, { kind: 'asleep' });
    await call('DELETE', `/simulator/vehicles/${id}/faults`);
    await call('POST', `/simulator/vehicles/${id}/scenario`, { name: 'parked' });
    await call('GET', '/webhooks');
    await call('GET', '/webhooks/no-such-webhook');
    await call('POST', '/simulator/vehicles', { make: 'NO-SUCH-MAKE' });
    const statuses = exchanges.slice(start).map((e) => e.status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 400]);
    checkAll((e) => exchanges.indexOf(e) >= start, 11);
  });

  test('the management API\'s connections', async () => {
    await tp.token({ make: 'TESLA' });
    const start = exchanges.length;
    // The SDK's typings leave out its management calls.
    const sdk = smartcar as unknown as { getConnections(amt: string): Promise<{ connections: unknown[] }> };
    const { connections } = await sdk.getConnections(tp.app.managementToken);
    assert.ok(connections.length > 0);
    checkAll((e) => exchanges.indexOf(e) >= start, 1);
  });

  test('errors: the v2 envelope and the v3 error body', async () => {
    const { accessToken, vehicleIds } = await tp.token({ make: 'TESLA', scope: 'read_vehicle_info' });
    const vehicle = new smartcar.Vehicle(vehicleIds[0]!, accessToken);
    const start = exchanges.length;
    await assert.rejects(vehicle.odometer(), (error: { type?: string }) => error.type === 'PERMISSION');
    await assert.rejects(new smartcar.Vehicle(vehicleIds[0]!, 'not-a-token').odometer(), (error: { type?: string }) => error.type === 'AUTHENTICATION');
    await assert.rejects(vehicle.getSignal('no-such-signal'), (error: { type?: string }) => error.type === 'RESOURCE_NOT_FOUND');
    const errors = exchanges.slice(start);
    assert.deepEqual(errors.map((e) => e.status), [403, 401, 404]);
    checkAll((e) => exchanges.indexOf(e) >= start, 3);
  });
});
