/**
 * Posts webhook bodies over kept-alive connections (undici's dispatcher): a receiver may get
 * thousands of deliveries a second, and a new connection or `fetch`'s per-call machinery for each
 * costs more than the delivery itself. Redirects are not followed: they count as failures (§7.1).
 *
 * The dispatcher is the outbound one, which refuses private and local addresses at connect time.
 * Every failure to get an answer reads the same to the developer — refused address, closed port,
 * unknown host, timeout — so the webhook URL cannot be used to map what carport can reach; what
 * really happened goes to the operator's log.
 */
import { request, type Dispatcher } from 'undici';

export const DELIVERY_TIMEOUT_MS = 15_000;

/** The one answer a developer gets when no HTTP answer came back. */
export const UNREACHABLE = 'could not reach the receiver, or it did not answer within 15 s';

export type Posted = { status: number; text: string } | { error: string };

export interface OutboundHttp {
  http: Dispatcher;
  log: { warn(details: Record<string, unknown>, message: string): void };
}

/** POSTs `body`; the answer's text is read up to `limitBytes` (receivers' bodies are kept only as a snippet). */
export async function postJson(
  outbound: OutboundHttp, url: string, headers: Record<string, string>, body: string, limitBytes: number,
): Promise<Posted> {
  const signal = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
  try {
    const res = await request(url, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal, dispatcher: outbound.http,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      // Leaving the loop early closes this connection: only a receiver that talks too much pays for it.
      if (size >= limitBytes) break;
    }
    return { status: res.statusCode, text: Buffer.concat(chunks).subarray(0, limitBytes).toString('utf8') };
  } catch (error) {
    const e = error as { code?: string; message?: string; cause?: { code?: string } };
    // The origin only: a receiver's path or query may carry its own secret.
    outbound.log.warn({ receiver: originOf(url), code: e.code ?? e.cause?.code, err: e.message, timedOut: signal.aborted }, 'webhook receiver not reached');
    return { error: UNREACHABLE };
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
}
