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
import { sizeRefusal } from './body-limit.js';
import { evaluate, eventSubscription } from './evaluation.js';
import type { VehicleReader } from './reader.js';


export function readerKey(appId: string, vehicleId: string): string {
  return `${appId} ${vehicleId}`;
}

export interface ProductionDeps {
  webhooks: WebhooksRepository;
  outbox: OutboxRepository;
  /**
   * Reads each vehicle through its app's grant, keyed by `readerKey`; null when the app lost its
   * grant (or the vehicle is gone). A pass's vehicles and grants are read in a query or two, not one per pair.
   */
  readersOf(pairs: { appId: string; vehicleId: string }[]): Promise<ReadonlyMap<string, VehicleReader | null>>;
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
  const readers = await deps.readersOf(due.map((d) => ({ appId: d.app_id, vehicleId: d.vehicle_id })));
  const prepared = await Promise.all(due.map(async (d) => {
    const reader = readers.get(readerKey(d.app_id, d.vehicle_id)) ?? null;
    const data = reader && await reader.data(JSON.parse(d.data) as string[]);
    const next = new Date(Math.max(now.getTime(), Date.parse(d.next_due_at!)) + Number(d.interval_seconds) * 1000).toISOString();
    const eventId = randomUUID();
    const body = reader === null ? null : JSON.stringify({
      version: '2.0', webhookId: d.webhook_id, eventName: 'scheduled', eventId, mode: reader.mode,
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
        const refusal = sizeRefusal(body);
        if (refusal) deps.log.error({ webhookId: d.webhook_id, vehicleId: d.vehicle_id }, refusal);
        events.push({ id: timeOrderedUuid(), webhookId: d.webhook_id, vehicleId: d.vehicle_id, eventId, body, refusal });
      }
      await deps.outbox.enqueue(trx, events, at);
      return events.length;
    },
  };
}

/**
 * Event subscriptions due for a look: what changed since the last look fires the webhook's
 * triggers; the new look is written with the events it fired, unless a state write recorded a
 * newer look meanwhile (then this one is stale and the subscription is looked at again).
 */
export async function eventProduction(deps: ProductionDeps, now: Date, limit: number, everyMs: number): Promise<Production> {
  const due = await deps.webhooks.dueEvents(now.toISOString(), limit);
  const readers = await deps.readersOf(due.map((d) => ({ appId: d.app_id, vehicleId: d.vehicle_id })));
  const next = new Date(now.getTime() + everyMs).toISOString();
  const looked = await Promise.all(due.map(async (d) => {
    const reader = readers.get(readerKey(d.app_id, d.vehicle_id)) ?? null;
    const evaluation = reader ? await evaluate(eventSubscription(d), d.last_seen, reader, now) : { seen: d.last_seen, rows: [] };
    return { due: d, ...evaluation };
  }));
  return {
    due: due.length,
    async write(trx, at) {
      const moved = await deps.webhooks.advanceLooks(trx, looked.map(({ due: d, seen }) => ({
        webhookId: d.webhook_id, vehicleId: d.vehicle_id, expectedDue: d.next_due_at!, nextDue: next, expectedSeen: d.last_seen, seen,
      })));
      const events = looked.filter(({ due: d }) => moved.has(subscriptionKey(d.webhook_id, d.vehicle_id))).flatMap((l) => l.rows);
      await deps.outbox.enqueue(trx, events, at);
      return events.length;
    },
  };
}
