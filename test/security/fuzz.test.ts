/**
 * A seeded fuzz of malformed requests over every face: the Vehicle and management API, the OAuth
 * token and revocation endpoints, and Connect (its authorize link and pages). Bad percent-encoding,
 * over-long path segments and queries, huge and garbled bodies, wrong content types, odd methods and
 * headers. No answer is a 5xx, and every 4xx is in its face's own format: the v2 envelope, an
 * RFC 6749 error, or a Connect page with its alert. Requests are written to the socket byte for byte
 * (fetch would normalise the URL and refuse odd headers).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startPlatform, type TestPlatform } from '../support/platform.js';

const SEED = 20_261_201;
const RUNS = 2000;
/** Requests in flight at once. */
const PARALLEL = 6;
/** Only a request the platform never answers waits this long. */
const ANSWER_BOUND_MS = 60_000;

type Face = 'api' | 'oauth' | 'connect' | 'http';

interface RawRequest {
  method: string;
  target: string;
  headers: [string, string][];
  body: Buffer;
  /** Malformed at the HTTP level: answered before any path is known. */
  broken: boolean;
}

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

let tp: TestPlatform;
let port: number;
let known: { vehicleId: string; accessToken: string; interaction: string; cookie: string; csrf: string };

before(async () => {
  tp = await startPlatform();
  port = Number(new URL(tp.baseUrl).port);
  const token = await tp.token({ make: 'TESLA', vehicles: 1 });
  const query = new URLSearchParams({
    client_id: tp.app.clientId, redirect_uri: tp.app.redirectUris[0]!, response_type: 'code', scope: 'read_odometer', mode: 'test', make: 'TESLA',
  });
  const start = await fetch(`${tp.baseUrl}/oauth/authorize?${query}`, { redirect: 'manual' });
  const cookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
  const interaction = start.headers.get('location')!.split('/')[2]!;
  const page = await (await fetch(`${tp.baseUrl}/connect/${interaction}/sign-in`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  known = { vehicleId: token.vehicleIds[0]!, accessToken: token.accessToken, interaction, cookie, csrf };
});
after(() => tp.close());

/** Writes one request as given and reads the answer until the server closes the connection. */
function send(request: RawRequest): Promise<RawAnswer | string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(ANSWER_BOUND_MS, () => {
      socket.destroy();
      resolve(`no answer within ${ANSWER_BOUND_MS} ms`);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may answer (413, 415) and close before it has read the whole body.
    socket.on('error', () => {});
    socket.on('close', () => resolve(parse(Buffer.concat(chunks))));
    const head = [`${request.method} ${request.target} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close',
      ...request.headers.map(([name, value]) => `${name}: ${value}`)];
    if (!request.headers.some(([name]) => name.toLowerCase() === 'content-length')) head.push(`content-length: ${request.body.length}`);
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), request.body]));
  });
}

function parse(raw: Buffer): RawAnswer | string {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return raw.length === 0 ? 'connection closed without an answer' : `unparseable answer: ${raw.toString('latin1', 0, 200)}`;
  const [statusLine = '', ...lines] = raw.toString('latin1', 0, end).split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = new Map(lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
  }));
  let body = raw.subarray(end + 4);
  if (headers.get('transfer-encoding') === 'chunked') {
    const parts: Buffer[] = [];
    for (let at = 0; ;) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = parseInt(body.toString('latin1', at, lineEnd), 16);
      if (!(size > 0)) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers.has('content-length')) {
    body = body.subarray(0, Number(headers.get('content-length')));
  }
  return { status, headers, body: body.toString('utf8') };
}

/** The face a target belongs to, by its routed path: no query, single slashes, no trailing slash. */
function faceOf(target: string): Face {
  const path = `${target.split(/[?#]/)[0]!.replaceAll(/\/{2,}/g, '/').replace(/(.)\/$/, '$1')}`;
  if (path === '/oauth/token' || path === '/oauth/revoke') return 'oauth';
  if (['/oauth/authorize', '/oauth/reauthenticate', '/connect', '/demo/callback'].includes(path) || path.startsWith('/connect/')) return 'connect';
  return 'api';
}

const ENVELOPE_KEYS = ['type', 'code', 'description', 'docURL', 'statusCode', 'requestId', 'resolution'];

/** Why an answer is not in its face's format, or null. */
function formatProblem(face: Face, answer: RawAnswer): string | null {
  const type = answer.headers.get('content-type') ?? '';
  if (face === 'connect') {
    if (!type.startsWith('text/html')) return `content-type ${type}, not a Connect page`;
    if (!answer.body.includes('carport Connect</title>') || !answer.body.includes('role="alert"')) return 'not a Connect page with an alert';
    return null;
  }
  if (!type.startsWith('application/json')) return `content-type ${type}, not JSON`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  if (face === 'oauth') return typeof body.error === 'string' ? null : 'no OAuth error field';
  const missing = ENVELOPE_KEYS.filter((key) => !(key in body));
  if (missing.length > 0) return `envelope lacks ${missing.join(', ')}`;
  if ('error' in body) return 'envelope has an error key';
  if (body.statusCode !== answer.status) return `statusCode ${String(body.statusCode)} is not ${answer.status}`;
  if (body.requestId !== answer.headers.get('sc-request-id')) return 'requestId is not the sc-request-id header';
  const resolution = body.resolution as Record<string, unknown> | null;
  if (!resolution || typeof resolution !== 'object' || !('type' in resolution)) return 'resolution has no type';
  return null;
}

// ---- the generators ----

const V = () => known.vehicleId;
const I = () => known.interaction;
const CLIENT = () => tp.app.clientId;

const BASES: (() => string)[] = [
  () => '/v2.0/vehicles', () => `/v2.0/vehicles/${V()}`, () => `/v2.0/vehicles/${V()}/odometer`, () => `/v2.0/vehicles/${V()}/charge/limit`,
  () => `/v2.0/vehicles/${V()}/security`, () => `/v2.0/vehicles/${V()}/batch`, () => `/v2.0/vehicles/${V()}/service/history?start_date=2020-01-01`,
  () => `/v2.0/vehicles/${randomUUID()}/application`, () => `/v2.0/vehicles/${V()}/webhooks/${randomUUID()}`, () => '/v2.0/user',
  () => `/v2.0/vehicles/${V()}/navigation/destination`, () => '/v2.0/management/webhooks', () => '/v2.0/management/connections?limit=5',
  () => '/v2.0/management/simulator/vehicles', () => `/v2.0/management/webhooks/${randomUUID()}/deliveries`,
  () => '/v2.0/compatibility?vin=5YJ3E1EA1KF000001&scope=read_odometer&country=US', () => '/v1.0/vehicles', () => '/v99.1/vehicles',
  () => '/vJohnny/vehicles', () => '/', () => '/healthz',
  () => '/oauth/token', () => '/oauth/revoke',
  () => `/oauth/authorize?client_id=${CLIENT()}&redirect_uri=${encodeURIComponent(tp.app.redirectUris[0]!)}&response_type=code&scope=read_odometer&mode=test`,
  () => '/oauth/authorize', () => `/oauth/reauthenticate?client_id=${CLIENT()}&response_type=vehicle_id&vehicle_id=${V()}`,
  () => `/connect/${I()}`, () => `/connect/${I()}/brands?q=tes`, () => `/connect/${I()}/brand`, () => `/connect/${I()}/sign-in`,
  () => `/connect/${I()}/vehicles`, () => `/connect/${I()}/grant`, () => '/connect/nope/sign-in', () => '/demo/callback?code=x&state=y',
];

const badEscape = fc.constantFrom('%zz', '%', '%e0%a', '%00', '%c3%28', '%%', '%u0041', '%ff%fe', '%2');
const longText = fc.integer({ min: 101, max: 6000 }).map((n) => 'a'.repeat(n));
const oddText = fc.string({ maxLength: 40, unit: 'binary' }).map((s) => encodeURIComponent(s));

/** A target: a face's path, mutated. */
const target = fc.record({
  base: fc.integer({ min: 0, max: BASES.length - 1 }),
  mutation: fc.constantFrom('none', 'badEscapeInPath', 'badEscapeInQuery', 'longSegment', 'longQuery', 'slashes', 'trailing', 'junkQuery', 'rawBytes'),
  escape: badEscape,
  long: longText,
  odd: oddText,
}).map(({ base, mutation, escape, long, odd }) => {
  const path = BASES[base]!();
  const [pathPart = '', query] = path.split('?', 2);
  const segments = pathPart.split('/');
  const at = Math.max(1, segments.length - 1);
  const withQuery = (p: string, q: string | undefined) => (q === undefined ? p : `${p}?${q}`);
  switch (mutation) {
    case 'badEscapeInPath': segments[at] = `${segments[at]}${escape}`; return withQuery(segments.join('/'), query);
    case 'badEscapeInQuery': return withQuery(pathPart, `${query ?? 'x=1'}&${escape}=${escape}`);
    case 'longSegment': segments[at] = long; return withQuery(segments.join('/'), query);
    case 'longQuery': return withQuery(pathPart, `${query ?? 'x=1'}&state=${long}&q=${long}`);
    case 'slashes': return withQuery(`/${pathPart.replaceAll('/', '//')}`, query);
    case 'trailing': return withQuery(`${pathPart}/`, query);
    case 'junkQuery': return withQuery(pathPart, `${odd}=${odd}&${odd}&limit=${odd}&limit=2&=&&`);
    case 'rawBytes': return withQuery(`${pathPart}/\u00e9\u00ff`, query);
    default: return path;
  }
});

const JSON_TEMPLATES = [
  { action: 'LOCK' }, { action: 'OPEN' }, { limit: '0.8' }, { limit: 0.7 }, { latitude: 37.7, longitude: -122.4 },
  { requests: [{ path: '/odometer' }, { path: '/nope' }] }, { make: 'TESLA' },
  { name: 'w', url: 'http://127.0.0.1:9/hook', type: 'event', triggers: ['lock_state_changed'] },
];

/** A body and the content type it is sent with. */
const body = fc.oneof(
  fc.record({ template: fc.constantFrom(...JSON_TEMPLATES), field: fc.string({ maxLength: 10 }), value: fc.jsonValue({ maxDepth: 3 }) })
    .map(({ template, field, value }) => ({ type: 'application/json', bytes: Buffer.from(JSON.stringify({ ...template, [field]: value })) })),
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ type: 'application/json', bytes: Buffer.from(JSON.stringify(value) ?? 'null') })),
  fc.string({ maxLength: 60 }).map((text) => ({ type: 'application/json', bytes: Buffer.from(`{"action":${text}`) })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ type: 'application/json', bytes: Buffer.from(bytes) })),
  fc.record({ email: fc.string({ maxLength: 80, unit: 'binary' }), escape: badEscape, csrf: fc.boolean() }).map(({ email, escape, csrf }) => ({
    type: 'application/x-www-form-urlencoded',
    bytes: Buffer.from(`${csrf ? `_csrf=${known.csrf}&` : ''}email=${encodeURIComponent(email)}&password=x${escape}&make=TESLA&vehicle=${V()}&action=allow&permission=read_odometer`),
  })),
  fc.constantFrom(
    { type: 'application/x-www-form-urlencoded', bytes: Buffer.from(`email=${'a'.repeat(70_000)}`) },
    { type: 'application/json', bytes: Buffer.from(JSON.stringify({ action: 'LOCK', padding: 'x'.repeat(1_100_000) })) },
    { type: 'application/json', bytes: Buffer.from('['.repeat(50_000)) },
    { type: 'application/json', bytes: Buffer.from(`${'['.repeat(5_000)}${']'.repeat(5_000)}`) },
    { type: 'application/json', bytes: Buffer.alloc(0) },
  ),
);

const contentType = fc.constantFrom(
  null, null, null, null, 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16',
  'application/x-www-form-urlencoded; charset=latin1', 'garbage', '', 'application/json, text/plain', `application/${'j'.repeat(300)}`,
);

const HEADER_CHOICES: (() => [string, string])[] = [
  () => ['authorization', `Bearer ${known.accessToken}`],
  () => ['authorization', `Basic ${Buffer.from(`default:${tp.app.managementToken}`).toString('base64')}`],
  () => ['authorization', `Basic ${Buffer.from(`${tp.app.clientId}:nope`).toString('base64')}`],
  () => ['authorization', 'Bearer'], () => ['authorization', `Bearer ${'a'.repeat(8000)}`], () => ['authorization', 'Basic %%%'],
  () => ['cookie', known.cookie], () => ['cookie', 'carport_connect=s%3Anope.nope'], () => ['cookie', `${'c'.repeat(3000)}=1`],
  () => ['sc-unit-system', 'martian'], () => ['sc-unit-system', 'imperial'], () => ['accept', '*/*;q=abc'],
  () => ['x-forwarded-for', '1.2.3.4, ::1, garbage'], () => ['x-forwarded-proto', 'gopher'], () => ['content-encoding', 'gzip'],
  () => ['origin', 'https://evil.example'], () => ['accept-version', '1.x'], () => ['expect', '100-continue'],
  () => ['x-note', 'caf\u00e9'], () => ['range', 'bytes=0-1'],
];

const request = fc.record({
  target,
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH', 'TRACE'),
  body,
  contentType,
  headers: fc.uniqueArray(fc.integer({ min: 0, max: HEADER_CHOICES.length - 1 }), { maxLength: 4 }),
  broken: fc.constantFrom(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
    'lowercaseMethod', 'badHeaderName', 'headerOverflow', 'badContentLength', 'spaceInTarget'),
}).map(({ target: t, method, body: b, contentType: type, headers, broken }): RawRequest => {
  const list: [string, string][] = headers.map((i) => HEADER_CHOICES[i]!());
  list.push(['content-type', type ?? b.type]);
  const raw: RawRequest = { method, target: t, headers: list, body: b.bytes, broken: broken !== null };
  if (broken === 'lowercaseMethod') raw.method = method.toLowerCase();
  if (broken === 'badHeaderName') list.push(['bad header', 'x']);
  if (broken === 'headerOverflow') list.push(['x-padding', 'p'.repeat(20_000)]);
  if (broken === 'badContentLength') list.push(['content-length', 'twelve']);
  if (broken === 'spaceInTarget') raw.target = `${t} x`;
  // HTTP allows only visible ASCII in a request target; raw bytes are refused before routing.
  if (/[^\x21-\x7e]/.test(raw.target)) raw.broken = true;
  return raw;
});

describe('Seeded fuzz of malformed requests over every face', () => {
  test(`${RUNS} malformed requests: no 5xx, every 4xx in its face's format`, async () => {
    const requests = fc.sample(request, { seed: SEED, numRuns: RUNS });
    const failures: string[] = [];
    const faces = new Map<Face, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const req = requests[next++]!;
        const answer = await send(req);
        // Headers over Node's limit (431) are refused before the request line is routed.
        const face: Face = req.broken || (typeof answer !== 'string' && answer.status === 431) ? 'http' : faceOf(req.target);
        faces.set(face, (faces.get(face) ?? 0) + 1);
        const label = `${req.method} ${req.target.slice(0, 100)}${req.target.length > 100 ? '…' : ''} [${face}]`;
        if (typeof answer === 'string') {
          failures.push(`${label}: ${answer}`);
          continue;
        }
        if (answer.status >= 500) failures.push(`${label}: ${answer.status} ${answer.body.slice(0, 200)}`);
        else if (answer.status >= 400 && req.method !== 'HEAD') {
          const problem = formatProblem(face === 'http' ? 'api' : face, answer);
          if (problem) failures.push(`${label}: ${answer.status} ${problem}: ${answer.body.slice(0, 160)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    for (const face of ['api', 'oauth', 'connect', 'http'] as Face[]) assert.ok((faces.get(face) ?? 0) >= 50, `the fuzz reached the ${face} face`);
    assert.deepEqual(failures.slice(0, 25), [], `${failures.length} of ${RUNS} answers were wrong`);
    // The platform still serves after all of it.
    assert.equal((await fetch(`${tp.baseUrl}/healthz`)).status, 200);
  });
});

describe("Fastify's own errors, in each face's format", () => {
  const raw = (method: string, target: string, headers: [string, string][] = [], body = ''): Promise<RawAnswer | string> => (
    send({ method, target, headers, body: Buffer.from(body), broken: false })
  );
  const answered = async (pending: Promise<RawAnswer | string>, status: number, face: Face): Promise<RawAnswer> => {
    const answer = await pending;
    assert.ok(typeof answer !== 'string', String(answer));
    assert.equal(answer.status, status, answer.body.slice(0, 300));
    assert.equal(formatProblem(face, answer), null, answer.body.slice(0, 300));
    return answer;
  };

  test('bad percent-encoding (FST_ERR_BAD_URL) is 400: the envelope on the API, the error page on Connect', async () => {
    const api = await answered(raw('GET', `/v2.0/vehicles/${known.vehicleId}%zz/odometer`), 400, 'api');
    assert.equal((JSON.parse(api.body) as { type: string }).type, 'VALIDATION');
    await answered(raw('GET', '/connect/%zz/sign-in'), 400, 'connect');
  });

  test('a path segment over the router limit (FST_ERR_MAX_PARAM_LENGTH) is 414: the envelope on the API, the error page on Connect', async () => {
    await answered(raw('GET', `/v2.0/vehicles/${'a'.repeat(200)}/odometer`), 414, 'api');
    await answered(raw('GET', `/connect/${'a'.repeat(200)}/sign-in`), 414, 'connect');
  });

  test('the token and revocation endpoints answer a wrong method or body as RFC 6749 errors', async () => {
    const wrongMethod = await answered(raw('GET', '/oauth/token'), 405, 'oauth');
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
    await answered(raw('PUT', '/oauth/revoke'), 405, 'oauth');
    await answered(raw('POST', '/oauth/token', [['content-type', 'application/json']], '{'), 400, 'oauth');
  });

  test('an unknown Connect page is a 404 Connect error page; an unknown API path the 404 envelope', async () => {
    await answered(raw('GET', `/connect/${known.interaction}/nowhere`), 404, 'connect');
    await answered(raw('GET', '/v2.0/nowhere'), 404, 'api');
  });

  test('headers over the HTTP limit are 431 with the envelope (no path is known yet)', async () => {
    await answered(raw('GET', '/v2.0/vehicles', [['x-padding', 'p'.repeat(20_000)]]), 431, 'api');
  });
});
