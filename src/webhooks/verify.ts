/**
 * The VERIFY handshake (spec §7.2): carport posts a random challenge; the receiver proves it holds
 * the management token by answering 200 with `{"challenge": HMAC-SHA256(token, challenge)}` — what
 * the SDKs' `hashChallenge` computes. Only then does the webhook receive data.
 */
import { randomBytes } from 'node:crypto';
import { postJson } from './post.js';
import { signature } from './signing.js';

export { DELIVERY_TIMEOUT_MS } from './post.js';

export interface VerifyResult {
  ok: boolean;
  /** Why not, for the developer. */
  reason?: string;
}

export async function verifyReceiver(url: string, webhookId: string, managementToken: string, userAgent: string): Promise<VerifyResult> {
  const challenge = randomBytes(24).toString('hex');
  const body = JSON.stringify({ version: '2.0', webhookId, eventName: 'verify', payload: { challenge } });
  const answer = await postJson(url, { 'user-agent': userAgent, 'sc-signature': signature(managementToken, body) }, body, 10_000);
  if ('error' in answer) return { ok: false, reason: answer.error };
  if (answer.status !== 200) return { ok: false, reason: `the receiver answered ${answer.status}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    return { ok: false, reason: 'the receiver did not answer JSON' };
  }
  const expected = signature(managementToken, challenge);
  return (parsed as { challenge?: unknown } | null)?.challenge === expected
    ? { ok: true }
    : { ok: false, reason: 'the receiver answered a wrong challenge hash' };
}
