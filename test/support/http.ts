/** Raw HTTP against a test platform: one call, its status, headers, text and parsed JSON body. */

export interface Answer<T> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** The v2 error envelope as tests read it. */
export interface Envelope {
  type: string;
  code: string | null;
  description: string;
  docURL: string;
  statusCode: number;
  requestId: string;
  resolution: { type: string | null };
  detail?: { field?: string | string[]; message: string }[];
  suggestedUserMessage?: string;
}

export interface Call {
  method?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** The whole Authorization header, when a test needs a malformed or non-Bearer one. */
  authorization?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends a request; a body defaults to JSON; an unparseable body leaves `body` undefined. */
export async function callApi<T = Record<string, unknown>>(baseUrl: string, path: string, options: Call = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method: options.method ?? 'GET', headers, body: options.body });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: body as T };
}
