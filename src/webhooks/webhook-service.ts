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

/** How much of a receiver's answer a listing of many attempts shows (each attempt keeps up to 500 bytes). */
const LISTED_SNIPPET_CHARS = 200;

type AttemptRow = { started_at: string; status_code: number | null; latency_ms: number | null; error: string | null; response_snippet: string | null };

function attemptView(a: AttemptRow, snippetChars?: number) {
  const response = a.response_snippet === null || snippetChars === undefined ? a.response_snippet : a.response_snippet.slice(0, snippetChars);
  return {
    startedAt: a.started_at, statusCode: a.status_code === null ? null : Number(a.status_code),
    latencyMs: a.latency_ms === null ? null : Number(a.latency_ms), error: a.error, response,
  };
}

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

type OutboxRow = {
  id: string; event_id: string; vehicle_id: string | null; status: string; attempts: number; created_at: string;
  delivered_at: string | null; next_attempt_at: string; last_error: string | null;
};

function deliveryView(r: OutboxRow) {
  return {
    deliveryId: r.id, eventId: r.event_id, vehicleId: r.vehicle_id, status: r.status, attempts: Number(r.attempts),
    createdAt: r.created_at, deliveredAt: r.delivered_at, nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastError: r.last_error,
  };
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
    if (!webhook || webhook.appId !== appId || webhook.status === 'deleted') throw new WebhookNotFoundError(`no webhook ${webhookId}`);
    return webhook;
  }

  return {
    /** Creates the webhook and sends VERIFY; it is active only if the receiver answered right. */
    async create(appId: string, input: NewWebhook): Promise<{ webhook: WebhookRecord; verification: VerifyResult }> {
      const webhook: WebhookRecord = {
        id: randomUUID(), appId, name: input.name, url: input.url, type: input.type,
        intervalSeconds: input.type === 'scheduled' ? input.intervalSeconds ?? 3600 : null,
        triggers: input.type === 'event' ? input.triggers ?? [] : [], data: input.data, status: 'pending',
        createdAt: clock.now().toISOString(), version: input.version ?? '2.0', deadStreak: 0, paused: null,
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
      return (await deps.outbox.deliveries(webhookId, limit)).map(deliveryView);
    },

    /** A page of a webhook's deliveries, newest first, each with every attempt made (answers' snippets shortened). */
    async history(appId: string, webhookId: string, limit: number, offset: number) {
      await owned(appId, webhookId);
      const rows = await deps.outbox.deliveries(webhookId, limit, offset);
      const attempts = new Map<string, AttemptRow[]>();
      for (const a of await deps.outbox.attemptsOfMany(rows.map((r) => r.id))) {
        const of = attempts.get(a.outbox_id);
        if (of) of.push(a);
        else attempts.set(a.outbox_id, [a]);
      }
      return rows.map((r) => ({
        ...deliveryView(r), attempts: (attempts.get(r.id) ?? []).map((a) => attemptView(a, LISTED_SNIPPET_CHARS)),
      }));
    },

    /** A page of the vehicles subscribed to a webhook, with since when. */
    async subscriptions(appId: string, webhookId: string, limit: number, offset: number) {
      await owned(appId, webhookId);
      return repo.subscriptionsPage(webhookId, limit, offset);
    },

    /** Deletes a webhook: its subscriptions end, what waited to be sent is dead-lettered; it is found no more. */
    async remove(appId: string, webhookId: string): Promise<void> {
      await owned(appId, webhookId);
      await repo.remove(webhookId, clock.now().toISOString());
    },

    /** Resumes a paused webhook: the deliveries that waited go out now. False when it was not paused. */
    async resume(appId: string, webhookId: string): Promise<boolean> {
      await owned(appId, webhookId);
      return repo.resume(webhookId, clock.now().toISOString());
    },

    /** One delivery with every attempt made. */
    async delivery(appId: string, webhookId: string, deliveryId: string) {
      await owned(appId, webhookId);
      const row = await deps.outbox.find(deliveryId);
      if (!row || row.webhook_id !== webhookId) throw new WebhookNotFoundError(`no delivery ${deliveryId}`);
      const attempts = (await deps.outbox.attemptsOf(row.id)).map((a) => attemptView(a));
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
