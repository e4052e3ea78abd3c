/**
 * Events of a state write — a command carport runs, a simulator control — produced in the write's
 * own transaction: the vehicle's event subscriptions are evaluated against the state being written,
 * and their events and new looks commit with it or not at all. They go out on the worker's next
 * delivery pass, whatever the periodic look's interval; the periodic look remains for what changes
 * inside the car on its own (a charge completing, a drive ending).
 */
import type { Transaction } from 'kysely';
import type { Clock } from '../core/index.js';
import type { Database, OutboxRepository, WebhooksRepository } from '../store/index.js';
import { evaluate, eventSubscription, type Evaluation } from './evaluation.js';
import type { VehicleReader } from './reader.js';

export interface StateEventsDeps {
  webhooks: WebhooksRepository;
  outbox: OutboxRepository;
  clock: Clock;
  readerOf(appId: string, vehicleId: string): Promise<VehicleReader | null>;
}

/**
 * The hook a vehicle's state write asks before writing. The subscriptions and the apps' grants are
 * read first, outside the transaction; inside, the stored looks are held, compared with the new
 * state (derived in memory), and the events enqueued.
 */
export function stateWriteEvents(deps: StateEventsDeps) {
  return async (vehicleId: string) => {
    const subscriptions = (await deps.webhooks.eventSubscriptionsOf(vehicleId)).map((row) => ({ ...eventSubscription(row), appId: row.app_id }));
    if (subscriptions.length === 0) return null;
    const apps = [...new Set(subscriptions.map((s) => s.appId))];
    const readers = new Map(await Promise.all(apps.map(async (app) => [app, await deps.readerOf(app, vehicleId)] as const)));
    return async (trx: Transaction<Database>, state: string, version: number): Promise<void> => {
      const now = deps.clock.now();
      const looks = await deps.webhooks.holdLooks(trx, vehicleId, subscriptions.map((s) => s.webhookId));
      const evaluated: (Evaluation & { webhookId: string })[] = [];
      for (const s of subscriptions) {
        const reader = readers.get(s.appId);
        // No grant left, or unsubscribed since: nothing to compare.
        if (!reader || !looks.has(s.webhookId)) continue;
        evaluated.push({ webhookId: s.webhookId, ...await evaluate(s, looks.get(s.webhookId) ?? null, reader.at(state, version), now) });
      }
      await deps.webhooks.recordLooks(trx, vehicleId, evaluated.map(({ webhookId, seen }) => ({ webhookId, seen })));
      await deps.outbox.enqueue(trx, evaluated.flatMap((e) => e.rows), now.toISOString());
    };
  };
}
