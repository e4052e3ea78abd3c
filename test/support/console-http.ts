/** The console's JSON API over HTTP as its pages call it: a signed-in developer's cookie and CSRF token. */
import assert from 'node:assert/strict';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

export async function consoleCall(
  base: string, path: string, init: { method?: string; session?: ConsoleSession; json?: unknown; csrf?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.session) {
    headers.cookie = init.session.cookie;
    if (init.csrf !== false) headers['x-csrf-token'] = init.session.csrf;
  }
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/console/api${path}`, {
    method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
}

export async function consoleSignIn(base: string, email: string, password: string): Promise<ConsoleSession> {
  const res = await fetch(`${base}/console/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const body = await res.json() as { csrfToken: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: body.csrfToken };
}
