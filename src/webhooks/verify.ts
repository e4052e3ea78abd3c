/**
 * The VERIFY handshake (spec §7.2): carport posts a random challenge; the receiver proves it holds
 * the management token by answering 200 with `{"challenge": HMAC-SHA256(token, challenge)}` — what
 * the SDKs' `hashChallenge` computes. Only then does the webhook receive data.
 */
import { randomBytes } from 'node:crypto';
import { signature } from './signing.js';

export const DELIVERY_TIMEOUT_MS = 15_000;

export interface VerifyResult {
  ok: boolean;
  /** Why not, for the developer. */
  reason?: string;
}

export async function verifyReceiver(url: string, webhookId: string, managementToken: string, userAgent: string): Promise<VerifyResult> {
  const challenge = randomBytes(24).toString('hex');
  const body = JSON.stringify({ version: '2.0', webhookId, eventName: 'verify', payload: { challenge } });
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent, 'sc-signature': signature(managementToken, body) },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    const text = (await res.text()).slice(0, 10_000);
    if (res.status !== 200) return { ok: false, reason: `the receiver answered ${res.status}` };
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'the receiver did not answer JSON' };
    }
    const expected = signature(managementToken, challenge);
    return (answer as { challenge?: unknown }).challenge === expected
      ? { ok: true }
      : { ok: false, reason: 'the receiver answered a wrong challenge hash' };
  } catch (error) {
    return { ok: false, reason: `the receiver could not be reached: ${(error as Error).message}` };
  }
}
