/**
 * Outbound connections made on someone's behalf — webhook VERIFY and deliveries for developers,
 * OVMS brokers for owners — cannot be aimed at carport's own machine or the network behind it. A
 * carport listening on all interfaces refuses loopback, private, link-local and CGNAT addresses in
 * every spelling, checks the address it actually dials (so a name that later resolves to loopback
 * is refused too), never contacts a refused address, and answers a refused address, a closed port
 * and an unknown host alike. The OVMS sign-in also bounds what a hostile broker can make it hold.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { outboundFrom } from '../../src/outbound/index.js';
import { fetchModuleMetrics } from '../../src/providers/ovms/sign-in.js';
import type { MqttConnector } from '../../src/outbound/index.js';
import { Browserless, csrfOf } from '../support/connect-http.js';
import { testDatabase, type TestDatabase } from '../support/database.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { until } from '../support/until.js';

const UNREACHABLE = 'could not reach the receiver, or it did not answer within 15 s';

/** A port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

interface LocalBroker {
  port: number;
  /** TCP connections it accepted. */
  connections: number;
  /** A client that publishes retained metrics as an OVMS module would. */
  publishMetrics(user: string, vehicleId: string, metrics: [string, string | Buffer][]): Promise<void>;
  close(): Promise<void>;
}

/** An in-process MQTT broker on loopback, counting who connects to it. */
async function startLocalBroker(): Promise<LocalBroker> {
  const aedes = await Aedes.createBroker();
  const broker: LocalBroker = { port: 0, connections: 0, publishMetrics: async () => {}, close: async () => {} };
  const server: Server = createServer((socket) => {
    broker.connections += 1;
    aedes.handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  broker.port = typeof address === 'object' && address ? address.port : 0;
  broker.publishMetrics = async (user, vehicleId, metrics) => {
    const module = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { reconnectPeriod: 0 });
    const topic = (name: string) => `ovms/${user}/${vehicleId}/metric/${name.replaceAll('.', '/')}`;
    for (const [name, value] of metrics.slice(0, -1)) module.publish(topic(name), value, { retain: true });
    // The last at QoS 1: its acknowledgement comes after everything sent before it.
    const [name, value] = metrics.at(-1)!;
    await module.publishAsync(topic(name), value, { retain: true, qos: 1 });
    await module.endAsync();
    broker.connections -= 1;
  };
  broker.close = async () => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise((resolve) => server.close(resolve));
  };
  return broker;
}

function managementOf(tp: TestPlatform, token = tp.app.managementToken) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${tp.baseUrl}/v2.0/management/webhooks${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`default:${token}`).toString('base64')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, text: await res.text() };
  };
}

/** A webhook's creation answer without what differs by construction (id, URL, creation time), to compare answers byte for byte. */
function withoutId(text: string): string {
  const body = JSON.parse(text) as Record<string, unknown>;
  delete body.webhookId;
  delete body.url;
  delete body.createdAt;
  return JSON.stringify(body);
}

describe('webhooks on a carport listening on every interface', () => {
  let tp: TestPlatform;
  let receiver: Receiver;
  let port: number;

  before(async () => {
    tp = await startPlatform({ host: '0.0.0.0' });
    receiver = await startReceiver(() => tp.app.managementToken);
    port = Number(new URL(receiver.url).port);
  });
  after(async () => {
    await receiver?.close();
    await tp?.close();
  });

  test('loopback, private, link-local and CGNAT receivers in any spelling are refused, never contacted, never active', async () => {
    const management = managementOf(tp);
    const hosts = [
      '127.0.0.1', 'localhost', '[::1]', '0x7f000001', '2130706433', '127.1.2.3', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]',
      '0177.0.0.1', '127.1', 'localhost.', '10.1.2.3', '169.254.169.254', '100.64.0.1', '192.168.0.1', '[fd00::1]', '[::ffff:a9fe:a9fe]',
    ];
    for (const host of hosts) {
      const created = await management('POST', '', { url: `http://${host}:${port}/hooks`, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] });
      assert.equal(created.status, 200, created.text);
      const body = JSON.parse(created.text) as { webhookId: string; status: string; verification: string };
      assert.deepEqual([body.status, body.verification], ['pending', UNREACHABLE], host);
      const again = await management('POST', `/${body.webhookId}/verify`);
      assert.deepEqual(JSON.parse(again.text), { status: 'pending', verification: UNREACHABLE }, host);
    }
    assert.equal(receiver.deliveries.length, 0, 'the receiver never heard from carport');
  });

  test('an open port and a closed port get byte-identical answers', async () => {
    const management = managementOf(tp);
    const closed = await closedPort();
    const open = await management('POST', '', { name: 'hook', url: `http://127.0.0.1:${port}/hooks`, type: 'event', triggers: ['plugged_in'], data: ['/charge'] });
    const shut = await management('POST', '', { name: 'hook', url: `http://127.0.0.1:${closed}/hooks`, type: 'event', triggers: ['plugged_in'], data: ['/charge'] });
    assert.equal(withoutId(open.text), withoutId(shut.text));
    assert.ok(!open.text.includes('ECONNREFUSED') && !shut.text.includes('ECONNREFUSED'));
    assert.equal(receiver.deliveries.length, 0);
  });
});

describe('webhooks where the operator allows loopback', () => {
  let tp: TestPlatform;
  let receiver: Receiver;

  before(async () => {
    tp = await startPlatform({ host: '0.0.0.0', outboundAllowCidrs: '127.0.0.0/8' });
    receiver = await startReceiver(() => tp.app.managementToken);
  });
  after(async () => {
    await receiver?.close();
    await tp?.close();
  });

  test('OUTBOUND_ALLOW_CIDRS lets the local receiver verify', async () => {
    const created = await managementOf(tp)('POST', '', { url: receiver.url, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] });
    assert.equal((JSON.parse(created.text) as { status: string }).status, 'active', created.text);
    assert.equal(receiver.deliveries.length, 1);
  });

  test('a closed port, an unknown host and a refused address read the same', async () => {
    const management = managementOf(tp);
    const urls = [`http://127.0.0.1:${await closedPort()}/hooks`, 'http://no-such-receiver.invalid/hooks', 'http://10.0.0.1/hooks'];
    const answers = await Promise.all(urls.map((url) => management('POST', '', { url, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] })));
    assert.deepEqual(new Set(answers.map((a) => withoutId(a.text))).size, 1, answers.map((a) => a.text).join('\n'));
    assert.equal((JSON.parse(answers[0]!.text) as { verification: string }).verification, UNREACHABLE);
  });
});

describe('deliveries are checked when they are sent, not when the webhook was made', () => {
  let db: TestDatabase;
  let allowing: TestPlatform;
  let refusing: TestPlatform;
  let receiver: Receiver;

  before(async () => {
    db = await testDatabase({ shareable: true });
    allowing = await startPlatform({ webhookWorker: 'off', databaseUrl: db.url });
    refusing = await startPlatform({ host: '0.0.0.0', databaseUrl: db.url, webhookPollMs: 20 });
    receiver = await startReceiver(() => allowing.app.managementToken);
  });
  after(async () => {
    await receiver?.close();
    await refusing?.close();
    await allowing?.close();
    await db?.drop();
  });

  test('a receiver verified while loopback was allowed gets nothing once it is not, and the attempt says no more than that', async () => {
    const management = managementOf(allowing);
    const created = JSON.parse((await management('POST', '', { url: receiver.url, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] })).text) as { webhookId: string; status: string };
    assert.equal(created.status, 'active');
    const { accessToken, vehicleIds } = await allowing.token();
    const subscribed = await fetch(`${allowing.baseUrl}/v2.0/vehicles/${vehicleIds[0]!}/webhooks/${created.webhookId}`, {
      method: 'POST', headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(subscribed.status, 200);
    const attempted = await until('a refused delivery attempt', async () => {
      const list = JSON.parse((await management('GET', `/${created.webhookId}/deliveries`)).text) as { deliveries: { deliveryId: string; attempts: number; lastError: string | null }[] };
      return list.deliveries.find((d) => d.attempts > 0);
    }, 20_000);
    assert.equal(attempted.lastError, UNREACHABLE);
    const detail = JSON.parse((await management('GET', `/${created.webhookId}/deliveries/${attempted.deliveryId}`)).text) as { attempts: { error: string; response: string | null; statusCode: number | null }[] };
    assert.deepEqual(detail.attempts[0], { ...detail.attempts[0], error: UNREACHABLE, response: null, statusCode: null });
    assert.equal(receiver.deliveries.length, 1, 'only the VERIFY made while loopback was allowed');
  });
});

/** Opens Connect in live mode for OVMS and submits its sign-in form; answers the form's error, or null when it moved on. */
async function ovmsSignIn(tp: TestPlatform, fields: { server: string; username?: string; vehicleId?: string }): Promise<string | null> {
  const client = new Browserless(tp.baseUrl);
  const query = new URLSearchParams({
    response_type: 'code', client_id: tp.app.clientId, redirect_uri: 'https://app.example.com/callback', scope: 'read_odometer', mode: 'live', make: 'OVMS',
  });
  let res = await client.request(`/oauth/authorize?${query}`);
  for (let hops = 0; hops < 10; hops++) {
    if (res.status === 302 || res.status === 303) {
      res = await client.request(res.headers.get('location')!);
      continue;
    }
    const html = await res.text();
    assert.equal(res.status, 200, html);
    const action = /<form method="post" action="([^"]+\/sign-in)"/.exec(html)?.[1];
    if (!action) {
      const next = /<a class="button" href="([^"]+)"/.exec(html)?.[1];
      assert.ok(next, `no way to the OVMS sign-in on:\n${html}`);
      res = await client.request(next);
      continue;
    }
    const answer = await client.post(action, [
      ['_csrf', csrfOf(html)], ['server', fields.server], ['username', fields.username ?? 'owner'], ['password', 'secret'], ['vehicleId', fields.vehicleId ?? 'EV1'],
    ]);
    if (answer.status === 303) return null;
    const page = await answer.text();
    return /role="alert">([^<]*)</.exec(page)?.[1] ?? `no alert on a ${answer.status} page`;
  }
  throw new Error('never reached the OVMS sign-in form');
}

describe('OVMS sign-in on a carport listening on every interface', () => {
  let tp: TestPlatform;
  let broker: LocalBroker;

  before(async () => {
    broker = await startLocalBroker();
    await broker.publishMetrics('owner', 'EV1', [['v.vin', '1N4AZ0CP5FC300001'], ['v.type', 'NL']]);
    tp = await startPlatform({ host: '0.0.0.0' });
  });
  after(async () => {
    await tp?.close();
    await broker?.close();
  });

  test('a broker on loopback answers like a closed port, and is never contacted', async () => {
    const closed = await closedPort();
    const open = await ovmsSignIn(tp, { server: `mqtt://127.0.0.1:${broker.port}` });
    const openUnknownCar = await ovmsSignIn(tp, { server: `mqtt://127.0.0.1:${broker.port}`, vehicleId: 'NOSUCHCAR' });
    const shut = await ovmsSignIn(tp, { server: `mqtt://127.0.0.1:${closed}` });
    assert.equal(open, `Cannot reach the MQTT server at mqtt://127.0.0.1:${broker.port}.`);
    assert.equal(openUnknownCar, open);
    assert.equal(shut?.replace(String(closed), 'PORT'), open?.replace(String(broker.port), 'PORT'));
    for (const server of [`mqtt://localhost:${broker.port}`, `mqtt://2130706433:${broker.port}`, `mqtt://[::ffff:127.0.0.1]:${broker.port}`, `mqtts://127.0.0.1:${broker.port}`, `mqtt://127.1:${broker.port}`]) {
      assert.match((await ovmsSignIn(tp, { server })) ?? '', /^Cannot reach the MQTT server at /, server);
    }
    assert.equal(broker.connections, 0, 'the broker never saw carport');
  });
});

describe('OVMS_BROKERS and a hostile broker (loopback allowed)', () => {
  let broker: LocalBroker;
  let listedElsewhere: TestPlatform;
  let listedHere: TestPlatform;

  before(async () => {
    broker = await startLocalBroker();
    await broker.publishMetrics('owner', 'EV1', [['v.vin', '1N4AZ0CP5FC300001'], ['v.type', 'NL']]);
    listedElsewhere = await startPlatform({ ovmsBrokers: 'broker.example.com,mqtt.example.org:8883' });
    listedHere = await startPlatform({ ovmsBrokers: `BROKER.example.com, 127.0.0.1:${broker.port}` });
  });
  after(async () => {
    await listedHere?.close();
    await listedElsewhere?.close();
    await broker?.close();
  });

  test('a broker not listed is refused before connecting; a listed one signs in', async () => {
    const refused = await ovmsSignIn(listedElsewhere, { server: `mqtt://127.0.0.1:${broker.port}` });
    assert.equal(refused, 'This carport does not connect to that MQTT server: use one its operator allows.');
    assert.equal(broker.connections, 0);
    assert.equal(await ovmsSignIn(listedHere, { server: `mqtt://127.0.0.1:${broker.port}` }), null);
  });

  test('thousands of metrics and oversized ones do not grow the sign-in beyond its bound', async () => {
    const flood: [string, string | Buffer][] = [];
    for (let i = 0; i < 3000; i++) flood.push([`x.flood.${i}`, String(i)]);
    for (let i = 0; i < 50; i++) flood.push([`x.big.${i}`, Buffer.alloc(8 * 1024, 'b')]);
    await broker.publishMetrics('flooder', 'EV9', [['v.vin', '1N4AZ0CP5FC300009'], ...flood]);
    const outbound = outboundFrom({ host: '127.0.0.1' }, { warn() {} });
    // The broker may answer the sign-in's closing round trip before its retained flood is out: hold
    // that round trip until the whole flood has reached the client, so all of it meets the buffer.
    const whole = flood.length + 1;
    const heldBack: MqttConnector = (server, options) => {
      const client = outbound.mqtt(server, options);
      let seen = 0;
      client.on('message', () => { seen += 1; });
      const unsubscribe = client.unsubscribeAsync.bind(client);
      client.unsubscribeAsync = (async (topic: string) => {
        await until('the whole flood', () => seen >= whole, 30_000);
        return unsubscribe(topic);
      }) as typeof client.unsubscribeAsync;
      return client;
    };
    const metrics = await fetchModuleMetrics({ server: `mqtt://127.0.0.1:${broker.port}`, username: 'flooder', password: '', vehicleId: 'EV9' }, {
      timings: { timeoutMs: 60_000, firstMetricMs: 5_000 }, mqtt: heldBack, log: { warn() {} },
    });
    assert.ok(metrics.size <= 512, `${metrics.size} metrics kept`);
    assert.ok([...metrics.values()].every((v) => Buffer.byteLength(v) <= 1024), 'no metric over 1 KiB');
    assert.equal(metrics.get('v.vin'), '1N4AZ0CP5FC300009', 'what arrived first is what is kept');
    await outbound.http.close();
  });

  test('a broker sending a packet over the limit is dropped, and the owner is told', async () => {
    // Only the giant: the sign-in then waits for a first metric, and that is the one it gets.
    await broker.publishMetrics('giant', 'EV7', [['v.notes', Buffer.alloc(1024 * 1024, 'g')]]);
    const answer = await ovmsSignIn(listedHere, { server: `mqtt://127.0.0.1:${broker.port}`, username: 'giant', vehicleId: 'EV7' });
    assert.equal(answer, `The MQTT server at mqtt://127.0.0.1:${broker.port} sent more than carport accepts.`);
    assert.equal((await fetch(`${listedHere.baseUrl}/healthz`)).status, 200);
  });
});
