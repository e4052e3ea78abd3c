/**
 * Turning due subscriptions into outbox events. Vehicles are read first, outside any transaction;
 * the events are then written in the worker's pass transaction together with the subscription's
 * move on — a compare-and-set on its due time, so two workers never produce the same delivery and a
 * crash neither loses an event nor produces it twice.
 */
import { randomUUID } from 'node:crypto';
import { timeOrderedUuid } from '../core/index.js';
import type { Transaction } from 'kysely';
import { subscriptionKey, type Database, type OutboxEvent, type OutboxRepository, type WebhooksRepository } from '../store/index.js';
import { fired, LOOK_PATHS, lookFrom, type Look } from './triggers.js';

export const MAX_BODY_BYTES = 50 * 1024;

export interface ProductionDeps {
  webhooks: WebhooksRepository;
  outbox: OutboxRepository;
  /** The `payload.vehicles[]` entry for one vehicle, or null when the app lost its grant. */
  vehicleData(appId: string, vehicleId: string, paths: string[]): Promise<unknown | null>;
  /** One read for a v4.0 event webhook (the look and the webhook's data points), or null when the app lost its grant. */
  vehicleRead(appId: string, vehicleId: string, lookPaths: string[], dataPaths: string[]): Promise<VehicleRead | null>;
  modeOf(vehicleId: string): Promise<string>;
  /** Reads these vehicles in one go ahead of reading their data one by one. */
  warm(vehicleIds: string[]): Promise<void>;
  log: { error(obj: object, msg: string): void };
}

/** Events read and shaped, waiting for the pass transaction. `write` answers how many it enqueued. */
export interface Production {
  /** How many subscriptions were due (a full batch means more may be waiting). */
  due: number;
  write(trx: Transaction<Database>, at: string): Promise<number>;
}

/** Scheduled subscriptions due at `now`: one delivery each with the webhook's data. */
export async function scheduledProduction(deps: ProductionDeps, now: Date, limit: number): Promise<Production> {
  const due = await deps.webhooks.dueScheduled(now.toISOString(), limit);
  await deps.warm(due.map((d) => d.vehicle_id));
  const prepared = await Promise.all(due.map(async (d) => {
    const data = await deps.vehicleData(d.app_id, d.vehicle_id, JSON.parse(d.data) as string[]);
    const next = new Date(Math.max(now.getTime(), Date.parse(d.next_due_at!)) + Number(d.interval_seconds) * 1000).toISOString();
    const eventId = randomUUID();
    const body = data === null ? null : JSON.stringify({
      version: '2.0', webhookId: d.webhook_id, eventName: 'scheduled', eventId, mode: await deps.modeOf(d.vehicle_id),
      payload: { vehicles: [data] },
    });
    return { due: d, next, eventId, body };
  }));
  return {
    due: due.length,
    async write(trx, at) {
      const moved = await deps.webhooks.advance(trx, prepared.map(({ due: d, next }) => ({
        webhookId: d.webhook_id, vehicleId: d.vehicle_id, expectedDue: d.next_due_at!, nextDue: next,
      })));
      const events: OutboxEvent[] = [];
      for (const { due: d, eventId, body } of prepared) {
        if (!moved.has(subscriptionKey(d.webhook_id, d.vehicle_id)) || body === null) continue;
        // Smartcar's limit is 50 KB; a larger body is kept, dead-lettered with the reason, never dropped silently.
        const refusal = Buffer.byteLength(body) > MAX_BODY_BYTES ? `the payload is ${Buffer.byteLength(body)} bytes, over the 50 KB limit` : undefined;
        if (refusal) deps.log.error({ webhookId: d.webhook_id, vehicleId: d.vehicle_id }, refusal);
        events.push({ id: timeOrderedUuid(), webhookId: d.webhook_id, vehicleId: d.vehicle_id, eventId, body, refusal });
      }
      await deps.outbox.enqueue(trx, events, at);
      return events.length;
    },
  };
}

/** An error a v4.0 webhook reports: raised when first seen, RESOLVED when it is gone. */
interface VehicleErrorShape {
  type: string;
  code: string | null;
  state: 'ERROR' | 'RESOLVED';
}

export interface VehicleRead {
  answers: { path: string; code: number; body: unknown }[];
  mode: string;
  errors: VehicleErrorShape[];
  state(fired: readonly string[] | 'FIRST_DELIVERY'): { signals: unknown[] };
  errorData(errors: VehicleErrorShape[]): unknown;
}

/** What a v4.0 subscription's last look stored: the trigger values and the errors then open. */
type SeenV4 = Look & { errors?: VehicleErrorShape[] };

const errorKey = (e: VehicleErrorShape) => `${e.type}:${e.code}`;

interface VehicleDataShape {
  data: { path: string; code: number; body: unknown; headers?: Record<string, string> }[];
}

/**
 * Event subscriptions due for a look: what changed since the last look fires the webhook's
 * triggers; the new look is written with the events it fired.
 */
export async function eventProduction(deps: ProductionDeps, now: Date, limit: number, everyMs: number): Promise<Production> {
  const due = await deps.webhooks.dueEvents(now.toISOString(), limit);
  await deps.warm(due.map((d) => d.vehicle_id));
  const next = new Date(now.getTime() + everyMs).toISOString();
  const looked = await Promise.all(due.map(async (d) => {
    if (d.version === '4.0') return { due: d, ...await lookV4(deps, d) };
    const look = await deps.vehicleData(d.app_id, d.vehicle_id, LOOK_PATHS) as VehicleDataShape | null;
    const after = look ? lookFrom(look.data) : null;
    const before = d.last_seen ? JSON.parse(d.last_seen) as Look : null;
    const seen = JSON.stringify(after ?? before);
    const events = before && after ? fired(JSON.parse(d.triggers) as string[], before, after) : [];
    if (events.length === 0) return { due: d, seen, rows: [] };
    const data = await deps.vehicleData(d.app_id, d.vehicle_id, JSON.parse(d.data) as string[]);
    const eventTime = look?.data.map((x) => x.headers?.['sc-data-age']).filter(Boolean).sort().pop() ?? now.toISOString();
    const mode = await deps.modeOf(d.vehicle_id);
    const rows: OutboxEvent[] = events.map((e) => {
      const eventId = randomUUID();
      const body = JSON.stringify({
        version: '2.0', webhookId: d.webhook_id, eventName: 'eventBased', eventId, mode,
        payload: { eventId, vehicleId: d.vehicle_id, eventType: e.eventType, eventTime, trigger: e.trigger, vehicles: data ? [data] : [] },
      });
      return { id: timeOrderedUuid(), webhookId: d.webhook_id, vehicleId: d.vehicle_id, eventId, body };
    });
    return { due: d, seen, rows };
  }));
  return {
    due: due.length,
    async write(trx, at) {
      const moved = await deps.webhooks.advance(trx, looked.map(({ due: d, seen }) => ({
        webhookId: d.webhook_id, vehicleId: d.vehicle_id, expectedDue: d.next_due_at!, nextDue: next, seen,
      })));
      const events = looked.filter(({ due: d }) => moved.has(subscriptionKey(d.webhook_id, d.vehicle_id))).flatMap((l) => l.rows);
      await deps.outbox.enqueue(trx, events, at);
      return events.length;
    },
  };
}

type DueEvent = Awaited<ReturnType<WebhooksRepository['dueEvents']>>[number];

/**
 * A v4.0 subscription's look: one read gives the trigger values, the signals and the errors. What
 * changed is one VEHICLE_STATE (the first look after subscribing is the FIRST_DELIVERY); errors
 * that appeared or went away since the last look are one VEHICLE_ERROR.
 */
async function lookV4(deps: ProductionDeps, d: DueEvent): Promise<{ seen: string; rows: OutboxEvent[] }> {
  const before = d.last_seen ? JSON.parse(d.last_seen) as SeenV4 | null : null;
  const read = await deps.vehicleRead(d.app_id, d.vehicle_id, LOOK_PATHS, JSON.parse(d.data) as string[]);
  if (!read) return { seen: JSON.stringify(before), rows: [] };
  const after: SeenV4 = { ...lookFrom(read.answers), errors: read.errors };
  const open = new Set((before?.errors ?? []).map(errorKey));
  const now = new Set(read.errors.map(errorKey));
  const changedErrors = [
    ...read.errors.filter((e) => !open.has(errorKey(e))),
    ...(before?.errors ?? []).filter((e) => !now.has(errorKey(e))).map((e) => ({ ...e, state: 'RESOLVED' as const })),
  ];
  const events = before ? fired(JSON.parse(d.triggers) as string[], before, after) : [];
  const rows: OutboxEvent[] = [];
  const envelope = (eventType: string, data: unknown, signalCount?: number) => {
    const eventId = randomUUID();
    const body = JSON.stringify({
      eventId, eventType, vehicleId: d.vehicle_id, data,
      // deliveryId and deliveredAt are each attempt's own: filled in as it is sent.
      meta: {
        version: '4.0', webhookId: d.webhook_id, webhookName: d.name, deliveryId: null, deliveredAt: null, mode: read.mode.toUpperCase(),
        ...(signalCount !== undefined && { signalCount }),
      },
    });
    rows.push({ id: timeOrderedUuid(), webhookId: d.webhook_id, vehicleId: d.vehicle_id, eventId, body });
  };
  if (!before || events.length > 0) {
    const state = read.state(before ? events.map((e) => e.trigger) : 'FIRST_DELIVERY');
    envelope('VEHICLE_STATE', state, state.signals.length);
  }
  if (changedErrors.length > 0) envelope('VEHICLE_ERROR', read.errorData(changedErrors));
  return { seen: JSON.stringify(after), rows };
}
