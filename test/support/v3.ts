/** Helpers for the v3 face: application tokens over HTTP and the shapes tests read. */
import assert from 'node:assert/strict';
import { callApi, type Answer, type Envelope } from './http.js';

export interface V3Error {
  status: string;
  type: string;
  code: string | null;
  title: string;
  detail: string;
  meta: { debug: { requestId: string } };
}

/** The hybrid v3 error body: errors[] beside the v2 envelope's fields. */
export interface HybridError extends Envelope {
  errors: V3Error[];
}

export interface V3Signal {
  id: string;
  type: string;
  attributes: {
    code: string;
    name: string;
    group: string;
    status: { value: string; error?: { type: string; code: string | null; title: string; detail: string; resolution: { type: string | null } } };
    body?: Record<string, unknown>;
  };
  meta: { retrievedAt: number; oemUpdatedAt: number };
  links: { self: string };
}

/** An application token for the app, by the client-credentials grant with a form body. */
export async function applicationToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Asserts the hybrid error body of a v3 answer, its status, type and code, and returns it. */
export function assertHybridError(answer: Answer<HybridError>, status: number, type: string, code: string | null): HybridError {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  const requestId = answer.headers.get('sc-request-id');
  assert.ok(requestId);
  const { body } = answer;
  assert.equal(body.type, type);
  assert.equal(body.code, code);
  assert.equal(body.statusCode, status);
  assert.equal(body.requestId, requestId);
  assert.equal(typeof body.description, 'string');
  assert.equal(typeof body.docURL, 'string');
  assert.ok('type' in body.resolution);
  assert.equal(body.errors.length, 1);
  const [error] = body.errors;
  assert.equal(error!.status, String(status));
  assert.equal(error!.type, type);
  assert.equal(error!.code, code);
  assert.equal(typeof error!.title, 'string');
  assert.equal(typeof error!.detail, 'string');
  assert.equal(error!.meta.debug.requestId, requestId);
  return body;
}

export const getV3 = <T>(baseUrl: string, path: string, token?: string, headers: Record<string, string> = {}) =>
  callApi<T>(baseUrl, path, { token, headers });
