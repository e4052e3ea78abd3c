/** Webhook definitions (created pending, activated by the VERIFY handshake) and vehicle subscriptions. */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.js';
import type { OutboxRepository, WebhookRecord, WebhooksRepository } from '../store/index.js';
import { evaluate } from './evaluation.js';
import type { VehicleReader } from './reader.js';
import { verifyReceiver, type OutboundHttp, type VerifyResult } from './verify.js';

export interface NewWebhook {
  name: string;
  url: string;
  type: 'scheduled' | 'event';
  intervalSeconds?: number;
  /** Named triggers (v2.0 and v4.0) or trigger-capable signal codes (v4.0). */
  triggers?: string[];
  /** What each delivery carries: v2 data paths (canonical), or for v4.0 also catalog signal codes. */
  data: string[];
  /** The payload format: '2.0' (default) or '4.0' (event webhooks only). */
  version?: '2.0' | '4.0';
}

export class WebhookNotFoundError extends Error {}

export interface WebhookServiceDeps {
  repo: WebhooksRepository;
  outbox: OutboxRepository;
  clock: Clock;
  /** The app's management token in clear (null when it cannot sign). */
  managementTokenOf(appId: string): Promise<string | null>;
  userAgent: string;
  /** Where VERIFY may go (the outbound address policy's dispatcher). */
  outbound: OutboundHttp;
  /** Reads a vehicle through the app's grant (for the look taken at subscribing); null without a grant. */
  readerOf(appId: string, vehicleId: string): Promise<VehicleReader | null>;
}

export function webhookService(deps: WebhookServiceDeps) {
  const { repo, clock } = deps;

  async function verify(webhook: WebhookRecord): Promise<VerifyResult> {
    const token = await deps.managementTokenOf(webhook.appId);
    if (!token) return { ok: false, reason: 'this app predates sealed management tokens: create a new app' };
    const result = await verifyReceiver(deps.outbound, webhook, token, deps.userAgent, clock.now().getTime());
    await repo.setStatus(webhook.id, result.ok ? 'active' : 'pending');
    return result;
  }

  async function owned(appId: string, webhookId: string): Promise<WebhookRecord> {
    const webhook = await repo.find(webhookId);
    if (!webhook || webhook.appId !== appId) throw new WebhookNotFoundError(`no webhook ${webhookId}`);
    return webhook;
  }

  return {
    /** Creates the webhook and sends VERIFY; it is active only if the receiver answered right. */
    async create(appId: string, input: NewWebhook): Promise<{ webhook: WebhookRecord; verification: VerifyResult }> {
      const webhook: WebhookRecord = {
        id: randomUUID(), appId, name: input.name, url: input.url, type: input.type,
        intervalSeconds: input.type === 'scheduled' ? input.intervalSeconds ?? 3600 : null,
        triggers: input.type === 'event' ? input.triggers ?? [] : [], data: input.data, status: 'pending',
        createdAt: clock.now().toISOString(), version: input.version ?? '2.0',
      };
      await repo.insert(webhook);
      const verification = await verify(webhook);
      return { webhook: { ...webhook, status: verification.ok ? 'active' : 'pending' }, verification };
    },

    async reverify(appId: string, webhookId: string): Promise<VerifyResult> {
      return verify(await owned(appId, webhookId));
    },

    list: (appId: string) => repo.listByApp(appId),
    find: owned,

    /**
     * Subscribes a vehicle; the webhook must be the app's and active. An event webhook's first look
     * is taken now, so the first change after subscribing fires (and a v4.0 webhook's
     * FIRST_DELIVERY is written with the subscription).
     */
    async subscribe(appId: string, webhookId: string, vehicleId: string): Promise<void> {
      const webhook = await owned(appId, webhookId);
      if (webhook.status !== 'active') throw new WebhookNotFoundError(`webhook ${webhookId} is not verified`);
      const now = clock.now();
      const at = now.toISOString();
      if (webhook.type !== 'event') {
        await repo.subscribe(webhookId, vehicleId, at);
        return;
      }
      const reader = await deps.readerOf(appId, vehicleId);
      const first = reader && await evaluate({
        webhookId, vehicleId, name: webhook.name, version: webhook.version, triggers: webhook.triggers, data: webhook.data,
      }, null, reader, now);
      // Without a grant to read through, the periodic look takes the first look instead.
      await repo.subscribe(webhookId, vehicleId, at, first?.seen ?? null, first ? (trx) => deps.outbox.enqueue(trx, first.rows, at) : undefined);
    },

    async unsubscribe(appId: string, webhookId: string, vehicleId: string): Promise<void> {
      await owned(appId, webhookId);
      await repo.unsubscribe(webhookId, vehicleId);
    },

    /** The latest deliveries of a webhook, newest first, with their state. */
    async deliveries(appId: string, webhookId: string, limit: number) {
      await owned(appId, webhookId);
      return (await deps.outbox.deliveries(webhookId, limit)).map((r) => ({
        deliveryId: r.id, eventId: r.event_id, vehicleId: r.vehicle_id, status: r.status, attempts: Number(r.attempts),
        createdAt: r.created_at, deliveredAt: r.delivered_at, nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
        lastError: r.last_error,
      }));
    },

    /** One delivery with every attempt made. */
    async delivery(appId: string, webhookId: string, deliveryId: string) {
      await owned(appId, webhookId);
      const row = await deps.outbox.find(deliveryId);
      if (!row || row.webhook_id !== webhookId) throw new WebhookNotFoundError(`no delivery ${deliveryId}`);
      const attempts = (await deps.outbox.attemptsOf(row.id)).map((a) => ({
        startedAt: a.started_at, statusCode: a.status_code, latencyMs: a.latency_ms, error: a.error, response: a.response_snippet,
      }));
      return { deliveryId: row.id, eventId: row.event_id, status: row.status, body: JSON.parse(row.body) as unknown, attempts };
    },

    /** Sends a dead-lettered delivery again; false when it is not dead. */
    async redeliver(appId: string, webhookId: string, deliveryId: string): Promise<boolean> {
      await owned(appId, webhookId);
      const row = await deps.outbox.find(deliveryId);
      if (!row || row.webhook_id !== webhookId) throw new WebhookNotFoundError(`no delivery ${deliveryId}`);
      return deps.outbox.redeliver(deliveryId, clock.now().toISOString());
    },

    subscribedVehicles: async (appId: string, webhookId: string) => repo.subscribedVehicles((await owned(appId, webhookId)).id),
  };
}

export type WebhookService = ReturnType<typeof webhookService>;
