/** Server-rendered HTML for the Connect pages: escaping, one accessible layout, and the security headers. */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Marks already-escaped HTML so templates can nest. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolations are escaped unless they are Html (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const part = v instanceof Html ? v.value
      : Array.isArray(v) ? v.map((x) => (x instanceof Html ? x.value : esc(x))).join('')
        : v === null || v === undefined || v === false ? '' : esc(v);
    out += part + strings[i + 1]!;
  });
  return new Html(out);
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f6f8}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem 3rem}h1{font-size:1.4rem;line-height:1.3;margin:.5rem 0 1rem}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.app{color:#52606d;font-size:.9rem;margin:0}ul{padding-left:1.2rem}label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=email],input[type=password],input[type=search],input[type=text],input[type=url]{width:100%;padding:.7rem;border:1px solid #9aa5b1;border-radius:8px;font-size:1rem}
button,.button{display:block;width:100%;margin-top:1rem;padding:.8rem;border:0;border-radius:8px;background:#0b5cab;color:#fff;font-size:1rem;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
button.secondary{background:#e4e7eb;color:#1b1f24}.brands{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}.brands button{margin:0}
.choice{display:flex;gap:.6rem;align-items:flex-start;padding:.6rem 0;border-bottom:1px solid #e4e7eb}.choice label{margin:0;font-weight:400}
.choice input{margin-top:.3rem;width:1.2rem;height:1.2rem}.error{color:#a61b1b;font-weight:600}.note{color:#52606d;font-size:.9rem}
.required{font-size:.8rem;color:#52606d}fieldset{border:0;padding:0;margin:0}form[role=search]{margin-bottom:1rem}
`;

export interface PageOptions {
  title: string;
  appName?: string;
  status?: number;
}

export function sendPage(reply: FastifyReply, options: PageOptions, body: Html): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  setConnectHeaders(reply, nonce);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · carport Connect</title><style nonce="${nonce}">${new Html(STYLE)}</style></head>
<body><main>${options.appName ? html`<p class="app">${options.appName}</p>` : ''}<div class="card">${body}</div></main></body></html>`;
  return reply.code(options.status ?? 200).type('text/html; charset=utf-8').send(page.value);
}

/** RFC 9700 §4.16 (clickjacking), §4.2 (referrer), and no caching of pages that carry tokens. */
export function setConnectHeaders(reply: FastifyReply, nonce?: string): void {
  // RFC 6749 §3.1: TLS everywhere; once a browser has seen carport over HTTPS it must stay there.
  if (reply.request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
  reply.header('content-security-policy', [
    "default-src 'none'", nonce ? `style-src 'nonce-${nonce}'` : '', "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'",
  ].filter(Boolean).join('; '));
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
  reply.header('x-content-type-options', 'nosniff');
}
