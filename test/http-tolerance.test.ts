/**
 * The URL, query, header and body shapes the official SDKs send for the same resource (spec §0.3,
 * §3.11, §3.17, §4, §12 items 2 and 7), exercised as raw HTTP against a real carport.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callApi, type Answer, type Call, type Envelope } from './support/http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const JSON_TYPE = /^application\/json(;|$)/;

const KM_PER_MILE = 1.609344;
const LITERS_PER_GALLON = 3.785411784;
const KPA_PER_PSI = 6.894757293168361;

let tp: TestPlatform;
/** A Tesla (BEV) with every scope; a second vehicle of the same owner for paging. */
let tesla: { token: string; id: string };
/** A Chevrolet with a fuel tank, and one with at least two service records. */
let fuelCar: { token: string; id: string };
let historyCar: { token: string; id: string };

const call = <T = Record<string, unknown>>(path: string, options: Call = {}): Promise<Answer<T>> => callApi<T>(tp.baseUrl, path, options);

function assertError(answer: Answer<unknown>, status: number, type: string, code: string | null): Envelope {
  const body = answer.body as Envelope;
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', JSON_TYPE);
  assert.equal(body.type, type);
  assert.equal(body.code, code);
  assert.equal(body.statusCode, status);
  assert.equal(body.requestId, answer.headers.get('sc-request-id'));
  return body;
}

/** The same answer twice, apart from the per-request id. */
function assertSameAnswer(a: Answer<unknown>, b: Answer<unknown>): void {
  assert.equal(a.status, b.status);
  assert.deepEqual(a.body, b.body);
}

before(async () => {
  tp = await startPlatform();
  const t = await tp.token({ make: 'TESLA', vehicles: 3, email: 'tolerance@tesla.example' });
  tesla = { token: t.accessToken, id: t.vehicleIds[0]! };

  // Which Chevrolets have a tank or a service history depends on the seeded fleet, so look.
  const chevy = await tp.token({ make: 'CHEVROLET', vehicles: 12, email: 'tolerance@chevrolet.example' });
  let fuelId: string | undefined;
  let historyId: string | undefined;
  for (const id of chevy.vehicleIds) {
    const fuel = await call<{ amountRemaining: number | null }>(`/v2.0/vehicles/${id}/fuel`, { token: chevy.accessToken });
    if (!fuelId && fuel.status === 200 && fuel.body.amountRemaining !== null) fuelId = id;
    const history = await call<unknown[]>(`/v2.0/vehicles/${id}/service/history`, { token: chevy.accessToken });
    if (!historyId && history.status === 200 && history.body.length >= 2) historyId = id;
  }
  assert.ok(fuelId, 'the seeded Chevrolet fleet has a car with a fuel tank');
  assert.ok(historyId, 'the seeded Chevrolet fleet has a car with two or more service records');
  fuelCar = { token: chevy.accessToken, id: fuelId };
  historyCar = { token: chevy.accessToken, id: historyId };
});
after(() => tp.close());

describe('Spec §0.3 trailing slashes', () => {
  test('GET /v2.0/vehicles/ answers like GET /v2.0/vehicles', async () => {
    const plain = await call('/v2.0/vehicles', { token: tesla.token });
    assert.equal(plain.status, 200);
    assertSameAnswer(await call('/v2.0/vehicles/', { token: tesla.token }), plain);
  });

  test('GET /v2.0/user/ answers like GET /v2.0/user', async () => {
    const plain = await call('/v2.0/user', { token: tesla.token });
    assert.equal(plain.status, 200);
    assertSameAnswer(await call('/v2.0/user/', { token: tesla.token }), plain);
  });

  test('GET /v2.0/vehicles/{id}/ answers like GET /v2.0/vehicles/{id}', async () => {
    const plain = await call(`/v2.0/vehicles/${tesla.id}`, { token: tesla.token });
    assert.equal(plain.status, 200);
    assert.equal(plain.body.id, tesla.id);
    assertSameAnswer(await call(`/v2.0/vehicles/${tesla.id}/`, { token: tesla.token }), plain);
  });

  test('GET /v2.0/vehicles/{id}/odometer/ answers like GET /v2.0/vehicles/{id}/odometer', async () => {
    const plain = await call(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    assert.equal(plain.status, 200);
    const slashed = await call(`/v2.0/vehicles/${tesla.id}/odometer/`, { token: tesla.token });
    assertSameAnswer(slashed, plain);
    assert.match(slashed.headers.get('sc-data-age') ?? '', TIMESTAMP);
  });
});

describe('Spec §0.3 query strings', () => {
  test('flags with spaces encoded as + (Go) and as %20 (others) are both accepted', async () => {
    const plain = await call(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    const plus = await call(`/v2.0/vehicles/${tesla.id}/odometer?flags=country:DE+color:00819D`, { token: tesla.token });
    const percent = await call(`/v2.0/vehicles/${tesla.id}/odometer?flags=country:DE%20color:00819D`, { token: tesla.token });
    assertSameAnswer(plus, plain);
    assertSameAnswer(percent, plain);
  });

  test('a repeated parameter is accepted and its first value counts (limit=1&limit=2)', async () => {
    const answer = await call<{ vehicles: string[]; paging: { count: number; offset: number } }>(
      '/v2.0/vehicles?limit=1&limit=2', { token: tesla.token },
    );
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.vehicles.length, 1);
    assert.deepEqual(answer.body.paging, { count: 3, offset: 0 });
  });

  test('flags are accepted and ignored on vehicle reads, commands, batch, /vehicles and /user', async () => {
    const flags = 'flags=country:US%20test:true';
    const read = await call(`/v2.0/vehicles/${tesla.id}?${flags}`, { token: tesla.token });
    assertSameAnswer(read, await call(`/v2.0/vehicles/${tesla.id}`, { token: tesla.token }));
    const command = await call(`/v2.0/vehicles/${tesla.id}/security?${flags}`, {
      method: 'POST', token: tesla.token, body: JSON.stringify({ action: 'UNLOCK' }),
    });
    assert.equal(command.status, 200, command.text);
    assert.equal(command.body.status, 'success');
    const batch = await call<{ responses: { path: string; code: number }[] }>(`/v2.0/vehicles/${tesla.id}/batch?${flags}`, {
      method: 'POST', token: tesla.token, body: JSON.stringify({ requests: [{ path: '/odometer' }] }),
    });
    assert.equal(batch.status, 200, batch.text);
    assert.deepEqual(batch.body.responses.map((r) => [r.path, r.code]), [['/odometer', 200]]);
    assert.equal((await call(`/v2.0/vehicles?${flags}`, { token: tesla.token })).status, 200);
    assert.equal((await call(`/v2.0/user?${flags}`, { token: tesla.token })).status, 200);
  });
});

describe('GET /v2.0/vehicles/:id/service/history date filters', () => {
  interface ServiceRecord { serviceDate: string }
  let all: ServiceRecord[];
  /** A day strictly after the first record and up to the last, so a filter visibly drops records. */
  let splitDay: string;

  before(async () => {
    const answer = await call<ServiceRecord[]>(`/v2.0/vehicles/${historyCar.id}/service/history`, { token: historyCar.token });
    assert.equal(answer.status, 200, answer.text);
    all = answer.body;
    const days = all.map((r) => r.serviceDate.slice(0, 10)).sort();
    const last = days[days.length - 1]!;
    assert.notEqual(days[0], last, 'records on different days');
    splitDay = last;
  });

  test('start_date (Node, Java, Ruby) and startDate (Python) filter the same way', async () => {
    const snake = await call<ServiceRecord[]>(
      `/v2.0/vehicles/${historyCar.id}/service/history?start_date=${splitDay}`, { token: historyCar.token },
    );
    const camel = await call<ServiceRecord[]>(
      `/v2.0/vehicles/${historyCar.id}/service/history?startDate=${splitDay}`, { token: historyCar.token },
    );
    assert.equal(snake.status, 200, snake.text);
    assertSameAnswer(camel, snake);
    assert.ok(snake.body.length >= 1 && snake.body.length < all.length, 'the filter drops earlier records');
    for (const record of snake.body) assert.ok(record.serviceDate.slice(0, 10) >= splitDay);
  });

  test('end_date and endDate filter the same way', async () => {
    const snake = await call<ServiceRecord[]>(
      `/v2.0/vehicles/${historyCar.id}/service/history?end_date=${splitDay}`, { token: historyCar.token },
    );
    const camel = await call<ServiceRecord[]>(
      `/v2.0/vehicles/${historyCar.id}/service/history?endDate=${splitDay}`, { token: historyCar.token },
    );
    assert.equal(snake.status, 200, snake.text);
    assertSameAnswer(camel, snake);
    assert.equal(snake.body.length, all.length, 'the end day itself is included');
  });

  test("the Node SDK's literal start_date=undefined&end_date=undefined is treated as absent", async () => {
    const answer = await call<ServiceRecord[]>(
      `/v2.0/vehicles/${historyCar.id}/service/history?start_date=undefined&end_date=undefined`, { token: historyCar.token },
    );
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body, all);
  });

  test('a malformed date is 400 VALIDATION', async () => {
    const answer = await call(`/v2.0/vehicles/${historyCar.id}/service/history?start_date=yesterday`, { token: historyCar.token });
    assertError(answer, 400, 'VALIDATION', null);
  });
});

describe('POST /v2.0/vehicles/:id/charge/limit body', () => {
  test('limit as a string ("0.6", Node SDK) is accepted and applied', async () => {
    const answer = await call(`/v2.0/vehicles/${tesla.id}/charge/limit`, {
      method: 'POST', token: tesla.token, body: '{"limit":"0.6"}',
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body, { status: 'success', message: answer.body.message });
    assert.equal(typeof answer.body.message, 'string');
    const read = await call(`/v2.0/vehicles/${tesla.id}/charge/limit`, { token: tesla.token });
    assert.deepEqual(read.body, { limit: 0.6 });
  });

  test('limit as a number (0.7, Python/Java/Ruby) is accepted and applied', async () => {
    const answer = await call(`/v2.0/vehicles/${tesla.id}/charge/limit`, {
      method: 'POST', token: tesla.token, body: '{"limit":0.7}',
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.status, 'success');
    const read = await call(`/v2.0/vehicles/${tesla.id}/charge/limit`, { token: tesla.token });
    assert.deepEqual(read.body, { limit: 0.7 });
  });
});

describe('Spec §5.2 API versions', () => {
  test('a well-formed unknown version (/v99999999.99/vehicles) is served as the current one', async () => {
    const current = await call('/v2.0/vehicles', { token: tesla.token });
    const future = await call('/v99999999.99/vehicles', { token: tesla.token });
    assertSameAnswer(future, current);
    const odometer = await call(`/v99999999.99/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    assert.equal(odometer.status, 200, odometer.text);
  });

  test('the sunset /v1.0/… is 404 RESOURCE_NOT_FOUND VERSION', async () => {
    const answer = await call(`/v1.0/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    const body = assertError(answer, 404, 'RESOURCE_NOT_FOUND', 'VERSION');
    assert.equal(body.description, 'The requested resource does not exist. Please check your specified version number and try again.');
    assertError(await call('/v1.0/vehicles', { token: tesla.token }), 404, 'RESOURCE_NOT_FOUND', 'VERSION');
  });

  test('a malformed version (/vJohnny%20Appleseed/…) is 404 RESOURCE_NOT_FOUND VERSION', async () => {
    const answer = await call(`/vJohnny%20Appleseed/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    assertError(answer, 404, 'RESOURCE_NOT_FOUND', 'VERSION');
  });

  test('an unknown path is 404 RESOURCE_NOT_FOUND PATH', async () => {
    const body = assertError(await call('/v2.0/nothing-here', { token: tesla.token }), 404, 'RESOURCE_NOT_FOUND', 'PATH');
    assert.equal(body.description, 'The requested resource does not exist. Please check the URL and try again.');
    assertError(await call(`/v2.0/vehicles/${tesla.id}/odometerr`, { token: tesla.token }), 404, 'RESOURCE_NOT_FOUND', 'PATH');
  });

  test('an unknown method on a known path (PUT …/odometer) is a 4xx envelope', async () => {
    const answer = await call<Envelope>(`/v2.0/vehicles/${tesla.id}/odometer`, { method: 'PUT', token: tesla.token, body: '{}' });
    assert.ok(answer.status >= 400 && answer.status < 500, `4xx, got ${answer.status}`);
    assert.match(answer.headers.get('content-type') ?? '', JSON_TYPE);
    assert.equal(answer.body.statusCode, answer.status);
    assert.equal(typeof answer.body.type, 'string');
    assert.ok('code' in answer.body);
    assert.equal(answer.body.requestId, answer.headers.get('sc-request-id'));
  });
});

describe('SC-Unit-System request header (spec §3.21)', () => {
  test('imperial odometer is exactly the metric km / 1.609344', async () => {
    const metric = await call<{ distance: number }>(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    const imperial = await call<{ distance: number }>(`/v2.0/vehicles/${tesla.id}/odometer`, {
      token: tesla.token, headers: { 'sc-unit-system': 'imperial' },
    });
    assert.equal(imperial.status, 200, imperial.text);
    assert.equal(metric.headers.get('sc-unit-system'), 'metric');
    assert.equal(imperial.headers.get('sc-unit-system'), 'imperial');
    assert.equal(imperial.body.distance, metric.body.distance / KM_PER_MILE);
  });

  test('imperial tire pressures are exactly the metric kPa / 6.894757293168361', async () => {
    type Tires = Record<'frontLeft' | 'frontRight' | 'backLeft' | 'backRight', number>;
    const metric = await call<Tires>(`/v2.0/vehicles/${tesla.id}/tires/pressure`, { token: tesla.token });
    const imperial = await call<Tires>(`/v2.0/vehicles/${tesla.id}/tires/pressure`, {
      token: tesla.token, headers: { 'sc-unit-system': 'imperial' },
    });
    assert.equal(imperial.status, 200, imperial.text);
    for (const tire of ['frontLeft', 'frontRight', 'backLeft', 'backRight'] as const) {
      assert.equal(imperial.body[tire], metric.body[tire] / KPA_PER_PSI, tire);
    }
  });

  test('imperial fuel is US gallons (litres / 3.785411784) and miles; the fraction is unchanged', async () => {
    type Fuel = { amountRemaining: number; range: number | null; percentRemaining: number };
    const metric = await call<Fuel>(`/v2.0/vehicles/${fuelCar.id}/fuel`, { token: fuelCar.token });
    const imperial = await call<Fuel>(`/v2.0/vehicles/${fuelCar.id}/fuel`, {
      token: fuelCar.token, headers: { 'sc-unit-system': 'imperial' },
    });
    assert.equal(imperial.status, 200, imperial.text);
    assert.equal(imperial.body.amountRemaining, metric.body.amountRemaining / LITERS_PER_GALLON);
    assert.equal(imperial.body.range, metric.body.range === null ? null : metric.body.range / KM_PER_MILE);
    assert.equal(imperial.body.percentRemaining, metric.body.percentRemaining);
  });

  test('imperial battery range is in miles; the fraction is unchanged', async () => {
    type Battery = { range: number; percentRemaining: number };
    const metric = await call<Battery>(`/v2.0/vehicles/${tesla.id}/battery`, { token: tesla.token });
    const imperial = await call<Battery>(`/v2.0/vehicles/${tesla.id}/battery`, {
      token: tesla.token, headers: { 'sc-unit-system': 'imperial' },
    });
    assert.equal(imperial.body.range, metric.body.range / KM_PER_MILE);
    assert.equal(imperial.body.percentRemaining, metric.body.percentRemaining);
  });

  test('the header name is case-insensitive (SC-Unit-System as Go sends it)', async () => {
    const metric = await call<{ distance: number }>(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    for (const name of ['SC-Unit-System', 'SC-UNIT-SYSTEM', 'Sc-Unit-System']) {
      const answer = await call<{ distance: number }>(`/v2.0/vehicles/${tesla.id}/odometer`, {
        token: tesla.token, headers: { [name]: 'imperial' },
      });
      assert.equal(answer.headers.get('sc-unit-system'), 'imperial', name);
      assert.equal(answer.body.distance, metric.body.distance / KM_PER_MILE, name);
    }
  });

  test('metric given explicitly answers like no header', async () => {
    const plain = await call(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    const metric = await call(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token, headers: { 'sc-unit-system': 'metric' } });
    assertSameAnswer(metric, plain);
  });

  test('the outer imperial header applies to every batch item (spec §6)', async () => {
    const metric = await call<{ distance: number }>(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    const batch = await call<{ responses: { path: string; body: { distance: number }; headers: Record<string, string> }[] }>(
      `/v2.0/vehicles/${tesla.id}/batch`,
      { method: 'POST', token: tesla.token, headers: { 'sc-unit-system': 'imperial' }, body: JSON.stringify({ requests: [{ path: '/odometer' }] }) },
    );
    assert.equal(batch.status, 200, batch.text);
    const [item] = batch.body.responses;
    assert.equal(item?.body.distance, metric.body.distance / KM_PER_MILE);
    assert.equal(item?.headers['sc-unit-system'], 'imperial');
  });

  test('an unknown unit system is 400 VALIDATION', async () => {
    const answer = await call(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token, headers: { 'sc-unit-system': 'furlongs' } });
    assertError(answer, 400, 'VALIDATION', null);
  });
});

describe('Spec §4.2 response headers', () => {
  test('every success response carries sc-request-id as a fresh UUID', async () => {
    const ids = new Set<string>();
    for (const path of ['/v2.0/user', '/v2.0/vehicles', `/v2.0/vehicles/${tesla.id}`, `/v2.0/vehicles/${tesla.id}/permissions`]) {
      const answer = await call(path, { token: tesla.token });
      assert.equal(answer.status, 200, path);
      const id = answer.headers.get('sc-request-id') ?? '';
      assert.match(id, UUID, path);
      ids.add(id);
    }
    assert.equal(ids.size, 4, 'one id per request');
  });

  test('every error response carries sc-request-id as a UUID equal to body.requestId', async () => {
    const answers = [
      await call('/v2.0/vehicles'),
      await call('/v2.0/vehicles', { token: 'not-a-token' }),
      await call('/v2.0/vehicles/bad_id/odometer', { token: tesla.token }),
      await call('/v2.0/nowhere', { token: tesla.token }),
      await call('/v1.0/vehicles', { token: tesla.token }),
      await call(`/v2.0/vehicles/${tesla.id}/security`, { method: 'POST', token: tesla.token, body: '{"action":' }),
      await call(`/v2.0/vehicles/${tesla.id}/fuel`, { token: tesla.token }),
    ];
    for (const answer of answers) {
      assert.ok(answer.status >= 400, answer.text);
      const id = answer.headers.get('sc-request-id') ?? '';
      assert.match(id, UUID, answer.text);
      assert.equal((answer.body as unknown as Envelope).requestId, id, answer.text);
    }
  });

  test('vehicle data endpoints carry sc-data-age and sc-fetched-at with milliseconds and Z, and sc-unit-system', async () => {
    const paths = ['/odometer', '/location', '/battery', '/battery/capacity', '/battery/nominal_capacity', '/charge',
      '/charge/limit', '/tires/pressure', '/security'];
    for (const path of paths) {
      const answer = await call(`/v2.0/vehicles/${tesla.id}${path}`, { token: tesla.token });
      assert.equal(answer.status, 200, `${path}: ${answer.text}`);
      assert.match(answer.headers.get('sc-data-age') ?? '', TIMESTAMP, path);
      assert.match(answer.headers.get('sc-fetched-at') ?? '', TIMESTAMP, path);
      assert.equal(answer.headers.get('sc-unit-system'), 'metric', path);
    }
    const fuel = await call(`/v2.0/vehicles/${fuelCar.id}/fuel`, { token: fuelCar.token });
    assert.match(fuel.headers.get('sc-data-age') ?? '', TIMESTAMP);
    assert.match(fuel.headers.get('sc-fetched-at') ?? '', TIMESTAMP);
    assert.equal(fuel.headers.get('sc-unit-system'), 'metric');
  });

  test('sc-data-age is not later than sc-fetched-at', async () => {
    const answer = await call(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token });
    const age = Date.parse(answer.headers.get('sc-data-age') ?? '');
    const fetched = Date.parse(answer.headers.get('sc-fetched-at') ?? '');
    assert.ok(age <= fetched, `${age} <= ${fetched}`);
  });

  test('content-type is application/json on success and on error', async () => {
    const answers = [
      await call('/v2.0/vehicles', { token: tesla.token }),
      await call(`/v2.0/vehicles/${tesla.id}/odometer`, { token: tesla.token }),
      await call(`/v2.0/vehicles/${tesla.id}/security`, { method: 'POST', token: tesla.token, body: '{"action":"LOCK"}' }),
      await call('/v2.0/vehicles'),
      await call('/v2.0/nowhere'),
      await call(`/v2.0/vehicles/${tesla.id}/fuel`, { token: tesla.token }),
    ];
    for (const answer of answers) assert.match(answer.headers.get('content-type') ?? '', JSON_TYPE, answer.text);
  });
});

describe('CORS on the Vehicle API', () => {
  test('a preflight from an arbitrary Origin is allowed without credentials', async () => {
    const res = await fetch(`${tp.baseUrl}/v2.0/vehicles/${tesla.id}/odometer`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://random-dashboard.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,sc-unit-system',
      },
    });
    await res.arrayBuffer();
    assert.ok(res.status >= 200 && res.status < 300, `2xx, got ${res.status}`);
    const allowOrigin = res.headers.get('access-control-allow-origin');
    assert.ok(allowOrigin === '*' || allowOrigin === 'https://random-dashboard.example', `allow-origin ${allowOrigin}`);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    const allowHeaders = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    assert.match(allowHeaders, /authorization/);
    assert.match(allowHeaders, /sc-unit-system/);
    assert.match(allowHeaders, /sc-user-id/);
  });

  test('a cross-origin GET exposes the sc-* headers and sends no credentials header', async () => {
    const answer = await call(`/v2.0/vehicles/${tesla.id}/odometer`, {
      token: tesla.token, headers: { origin: 'https://random-dashboard.example' },
    });
    assert.equal(answer.status, 200);
    assert.ok(answer.headers.get('access-control-allow-origin'));
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
    const exposed = (answer.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const header of ['sc-request-id', 'sc-data-age', 'sc-fetched-at', 'sc-unit-system', 'retry-after']) {
      assert.ok(exposed.includes(header), header);
    }
  });
});
