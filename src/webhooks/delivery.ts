/**
 * One delivery attempt: POST the exact body with its `SC-Signature`, 15 s to answer; any 2xx is
 * delivered, 410 unsubscribes the receiver, anything else is retried with backoff until the
 * horizon, then dead-lettered (and can be redelivered). The attempt only decides; the worker
 * records a pass's attempts and outcomes together.
 */
import { randomUUID } from 'node:crypto';
import { timeOrderedUuid } from '../core/index.js';
import type { AttemptRecord, ClaimedDelivery, Settlement } from '../store/index.js';
import { retryDelayMs } from './backoff.js';
import { postJson, type OutboundHttp } from './post.js';
import { signature } from './signing.js';

export interface DeliveryPolicy {
  retryBaseMs: number;
  horizonMs: number;
  userAgent: string;
  worker: string;
  /** Where deliveries may go (the outbound address policy's dispatcher). */
  outbound: OutboundHttp;
}

const SNIPPET_BYTES = 500;

/** A v4.0 body carries its attempt's own `meta.deliveryId` and `meta.deliveredAt` (epoch ms). */
function stamped(body: string, deliveryId: string, at: number): string {
  const event = JSON.parse(body) as { meta: Record<string, unknown> };
  event.meta.deliveryId = deliveryId;
  event.meta.deliveredAt = at;
  return JSON.stringify(event);
}

export async function attemptDelivery(
  row: ClaimedDelivery, managementToken: string | null, policy: DeliveryPolicy, now: () => number,
): Promise<Settlement> {
  const started = now();
  const deliveryId = randomUUID();
  const body = row.version === '4.0' ? stamped(row.body, deliveryId, started) : row.body;
  const answer = managementToken
    ? await postJson(policy.outbound, row.url, {
      'user-agent': policy.userAgent, 'sc-signature': signature(managementToken, body), 'sc-delivery-id': deliveryId,
    }, body, SNIPPET_BYTES)
    : { error: 'the app has no sealed management token to sign with' };
  const finished = now();
  const statusCode = 'status' in answer ? answer.status : null;
  const attempt: AttemptRecord = {
    id: timeOrderedUuid(), outboxId: row.id, deliveryId, worker: policy.worker, startedAt: new Date(started).toISOString(),
    statusCode, latencyMs: finished - started, error: 'error' in answer ? answer.error : null,
    responseSnippet: 'text' in answer ? answer.text : null,
  };
  const at = new Date(finished).toISOString();
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { row, attempt, outcome: 'delivered', at };
  const attempts = row.attempts + 1;
  if (statusCode === 410) {
    return { row, attempt, outcome: 'gone', at, attempts, reason: 'the receiver answered 410 Gone: unsubscribed' };
  }
  const reason = 'error' in answer ? answer.error : `the receiver answered ${statusCode}`;
  const next = finished + retryDelayMs(attempts, policy.retryBaseMs);
  if (next - Date.parse(row.createdAt) > policy.horizonMs) return { row, attempt, outcome: 'dead', at, attempts, reason };
  return { row, attempt, outcome: 'retry', at, attempts, reason, nextAt: new Date(next).toISOString() };
}
