/**
 * Drives Connect over plain HTTP, the way a browser would (cookie jar, CSRF field, 303s), for the
 * security tests that need many fast runs. The real-browser flow is in test/connect-browser.test.ts.
 */
export interface HttpConnectOptions {
  make?: string;
  email?: string;
  password?: string;
  /** A live provider's sign-in fields, posted instead of email and password. */
  fields?: Record<string, string>;
  /** Which vehicles to tick: every one, or the first. */
  vehicles?: 'all' | 'first';
  decision?: 'allow' | 'deny';
  /** Called with each page before it is submitted (to tamper with forms). */
  onPage?: (path: string, html: string) => void;
}

export class Browserless {
  private cookies = new Map<string, string>();

  constructor(readonly origin: string) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(new URL(url, this.origin), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  }

  post(path: string, fields: [string, string][]): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF field on the page');
  return token;
}

/** Runs the whole flow from an authorize URL; returns the URL Connect finally redirects to. */
export async function connectOverHttp(authUrl: string, options: HttpConnectOptions = {}): Promise<URL> {
  const origin = new URL(authUrl).origin;
  const client = new Browserless(origin);
  let res = await client.request(authUrl);
  for (let hops = 0; hops < 20; hops++) {
    if (res.status === 303 || res.status === 302) {
      const location = new URL(res.headers.get('location')!, origin);
      if (location.origin !== origin || !location.pathname.startsWith('/connect/')) return location;
      res = await client.request(location.toString());
      continue;
    }
    if (res.status !== 200) throw new Error(`Connect answered ${res.status}: ${await res.text()}`);
    const path = new URL(res.url || origin).pathname;
    const html = await res.text();
    options.onPage?.(path, html);
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) {
      const next = /<a class="button" href="([^"]+)"/.exec(html)?.[1];
      if (!next) throw new Error(`no way forward on page:\n${html}`);
      res = await client.request(next);
      continue;
    }
    const csrf: [string, string] = ['_csrf', csrfOf(html)];
    if (action.endsWith('/brand')) {
      res = await client.post(action, [csrf, ['make', options.make ?? 'TESLA']]);
    } else if (action.endsWith('/sign-in')) {
      const signIn: [string, string][] = options.fields
        ? Object.entries(options.fields)
        : [['email', options.email ?? `${crypto.randomUUID()}@example.com`], ['password', options.password ?? 'password']];
      res = await client.post(action, [csrf, ...signIn]);
    } else if (action.endsWith('/vehicles')) {
      const ids = [...html.matchAll(/name="vehicle" value="([^"]+)"/g)].map((m) => m[1]!);
      const chosen = options.vehicles === 'first' ? ids.slice(0, 1) : ids;
      res = await client.post(action, [csrf, ...chosen.map((id): [string, string] => ['vehicle', id])]);
    } else if (action.endsWith('/grant')) {
      const permissions = [...html.matchAll(/name="permission" value="([^"]+)"/g)].map((m): [string, string] => ['permission', m[1]!]);
      res = await client.post(action, [csrf, ['action', options.decision ?? 'allow'], ...permissions]);
    } else {
      throw new Error(`unexpected form ${action}`);
    }
  }
  throw new Error('Connect did not finish within 20 steps');
}
