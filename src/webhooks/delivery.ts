/**
 * One delivery attempt: POST the exact body with its `SC-Signature`, 15 s to answer; any 2xx is
 * delivered, 410 unsubscribes the receiver, anything else is retried with backoff until the
 * horizon, then dead-lettered (and can be redelivered). Every attempt is recorded.
 */
import { randomUUID } from 'node:crypto';
import type { ClaimedDelivery, OutboxRepository } from '../store/index.js';
import { retryDelayMs } from './backoff.js';
import { signature } from './signing.js';
import { DELIVERY_TIMEOUT_MS } from './verify.js';

export interface DeliveryPolicy {
  retryBaseMs: number;
  horizonMs: number;
  userAgent: string;
  worker: string;
}

export type Outcome = 'delivered' | 'retry' | 'dead' | 'gone';

export async function deliver(
  outbox: OutboxRepository, row: ClaimedDelivery, managementToken: string | null, policy: DeliveryPolicy,
  now: () => number, unsubscribe: (webhookId: string, vehicleId: string) => Promise<void>,
): Promise<Outcome> {
  const started = now();
  const deliveryId = randomUUID();
  let statusCode: number | null = null;
  let error: string | null = null;
  let snippet: string | null = null;
  if (!managementToken) error = 'the app has no sealed management token to sign with';
  else {
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json', 'user-agent': policy.userAgent,
          'sc-signature': signature(managementToken, row.body), 'sc-delivery-id': deliveryId,
        },
        body: row.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      statusCode = res.status;
      snippet = (await res.text()).slice(0, 500);
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'no answer within 15 s' : `could not reach the receiver: ${(e as Error).message}`;
    }
  }
  const finished = now();
  await outbox.recordAttempt({
    id: randomUUID(), outboxId: row.id, deliveryId, worker: policy.worker, startedAt: new Date(started).toISOString(),
    statusCode, latencyMs: finished - started, error, responseSnippet: snippet,
  });
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
    await outbox.markDelivered(row.id, new Date(finished).toISOString());
    return 'delivered';
  }
  const attempts = row.attempts + 1;
  const reason = error ?? `the receiver answered ${statusCode}`;
  if (statusCode === 410) {
    await outbox.markDead(row.id, attempts, 'the receiver answered 410 Gone: unsubscribed');
    if (row.vehicleId) await unsubscribe(row.webhookId, row.vehicleId);
    return 'gone';
  }
  const next = finished + retryDelayMs(attempts, policy.retryBaseMs);
  if (next - Date.parse(row.createdAt) > policy.horizonMs) {
    await outbox.markDead(row.id, attempts, reason);
    return 'dead';
  }
  await outbox.scheduleRetry(row.id, attempts, new Date(next).toISOString(), reason);
  return 'retry';
}
