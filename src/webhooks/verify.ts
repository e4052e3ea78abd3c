/**
 * The VERIFY handshake (spec §7.2): carport posts a random challenge; the receiver proves it holds
 * the management token by answering 200 with `{"challenge": HMAC-SHA256(token, challenge)}` — what
 * the SDKs' `hashChallenge` computes. Only then does the webhook receive data.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { postJson, type OutboundHttp } from './post.js';
import { signature } from './signing.js';

export { DELIVERY_TIMEOUT_MS, type OutboundHttp } from './post.js';

export interface VerifyResult {
  ok: boolean;
  /** Why not, for the developer. */
  reason?: string;
}

export interface VerifiedWebhook {
  id: string;
  name: string;
  url: string;
  version: '2.0' | '4.0';
}

/** The challenge in the webhook's payload format. */
function challengeBody(webhook: VerifiedWebhook, challenge: string, deliveryId: string, at: number): string {
  if (webhook.version === '4.0') {
    return JSON.stringify({
      eventId: randomUUID(), eventType: 'VERIFY', data: { challenge },
      meta: { version: '4.0', webhookId: webhook.id, webhookName: webhook.name, deliveryId, deliveredAt: at },
    });
  }
  return JSON.stringify({ version: '2.0', webhookId: webhook.id, eventName: 'verify', payload: { challenge } });
}

/**
 * Only the status and whether the hash matched reach the developer: the receiver's body is never
 * echoed back, so VERIFY cannot be used to read what an address serves.
 */
export async function verifyReceiver(
  outbound: OutboundHttp, webhook: VerifiedWebhook, managementToken: string, userAgent: string, now: number,
): Promise<VerifyResult> {
  const challenge = randomBytes(24).toString('hex');
  const deliveryId = randomUUID();
  const body = challengeBody(webhook, challenge, deliveryId, now);
  const headers = { 'user-agent': userAgent, 'sc-signature': signature(managementToken, body), 'sc-delivery-id': deliveryId };
  const answer = await postJson(outbound, webhook.url, headers, body, 10_000);
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
