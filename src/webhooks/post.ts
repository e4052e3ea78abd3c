/**
 * Posts webhook bodies over kept-alive connections (undici's dispatcher): a receiver may get
 * thousands of deliveries a second, and a new connection or `fetch`'s per-call machinery for each
 * costs more than the delivery itself. Redirects are not followed: they count as failures (§7.1).
 */
import { Agent, request } from 'undici';

export const DELIVERY_TIMEOUT_MS = 15_000;

export type Posted = { status: number; text: string } | { error: string };

const dispatcher = new Agent({ connect: { timeout: DELIVERY_TIMEOUT_MS } });

/** POSTs `body`; the answer's text is read up to `limitBytes` (receivers' bodies are kept only as a snippet). */
export async function postJson(url: string, headers: Record<string, string>, body: string, limitBytes: number): Promise<Posted> {
  const signal = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
  try {
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal, dispatcher });
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
    if (signal.aborted) return { error: 'no answer within 15 s' };
    return { error: `could not reach the receiver: ${describe(error)}` };
  }
}

function describe(error: unknown): string {
  const e = error as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  const message = e.message || e.cause?.message || String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
