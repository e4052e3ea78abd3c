/**
 * The delivery worker: turns due scheduled subscriptions and fired triggers into outbox events, then claims and
 * delivers what the outbox holds. `carport serve` runs one in-process; `carport worker` runs one
 * alone. Several may share a PostgreSQL outbox; on SQLite run one.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.js';
import type { Db, OutboxRepository, WebhooksRepository } from '../store/index.js';
import { deliver, type DeliveryPolicy } from './delivery.js';
import { fired, LOOK_PATHS, lookFrom, type Look } from './triggers.js';

export const MAX_BODY_BYTES = 50 * 1024;

export interface WorkerDeps {
  db: Db;
  webhooks: WebhooksRepository;
  outbox: OutboxRepository;
  clock: Clock;
  managementTokenOf(appId: string): Promise<string | null>;
  /** The `payload.vehicles[]` entry for one vehicle, or null when the app lost its grant. */
  vehicleData(appId: string, vehicleId: string, paths: string[]): Promise<unknown | null>;
  modeOf(vehicleId: string): Promise<string>;
  log: { error(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export interface WorkerOptions extends Omit<DeliveryPolicy, 'worker'> {
  pollMs: number;
  batchSize: number;
  /** How long a claim holds; a crashed worker's rows are claimed again after it. */
  leaseMs: number;
  /** How often each event subscription's vehicle is looked at for triggers. */
  eventPollMs: number;
}

/** Due scheduled deliveries become outbox events, in the transaction that moves the schedule on. */
export async function produceScheduled(deps: WorkerDeps, limit: number): Promise<number> {
  const now = deps.clock.now();
  let produced = 0;
  for (const due of await deps.webhooks.dueScheduled(now.toISOString(), limit)) {
    const data = await deps.vehicleData(due.app_id, due.vehicle_id, JSON.parse(due.data) as string[]);
    const next = new Date(Math.max(now.getTime(), Date.parse(due.next_due_at!)) + Number(due.interval_seconds) * 1000).toISOString();
    const eventId = randomUUID();
    const body = data === null ? null : JSON.stringify({
      version: '2.0', webhookId: due.webhook_id, eventName: 'scheduled', eventId, mode: await deps.modeOf(due.vehicle_id),
      payload: { vehicles: [data] },
    });
    await deps.db.transaction().execute(async (trx) => {
      if (!(await deps.webhooks.advanceDue(trx, due.webhook_id, due.vehicle_id, due.next_due_at!, next))) return;
      if (body === null) return;
      // Smartcar's limit is 50 KB; a larger body is kept, dead-lettered with the reason, never dropped silently.
      const refusal = Buffer.byteLength(body) > MAX_BODY_BYTES ? `the payload is ${Buffer.byteLength(body)} bytes, over the 50 KB limit` : undefined;
      if (refusal) deps.log.error({ webhookId: due.webhook_id, vehicleId: due.vehicle_id }, refusal);
      await deps.outbox.enqueue(trx, [{ id: randomUUID(), webhookId: due.webhook_id, vehicleId: due.vehicle_id, eventId, body, refusal }], now.toISOString());
      produced += 1;
    });
  }
  return produced;
}

interface VehicleDataShape {
  data: { path: string; code: number; body: unknown; headers?: Record<string, string> }[];
}

/**
 * Event subscriptions are looked at every `everyMs`: what changed since the last look fires the
 * webhook's triggers. The new look and the events it fired are written in one transaction, so a
 * crash neither loses an event nor fires it twice.
 */
export async function produceEvents(deps: WorkerDeps, limit: number, everyMs: number): Promise<number> {
  const now = deps.clock.now();
  let produced = 0;
  for (const due of await deps.webhooks.dueEvents(now.toISOString(), limit)) {
    const look = await deps.vehicleData(due.app_id, due.vehicle_id, LOOK_PATHS) as VehicleDataShape | null;
    const next = new Date(now.getTime() + everyMs).toISOString();
    const after = look ? lookFrom(look.data) : null;
    const before = due.last_seen ? JSON.parse(due.last_seen) as Look : null;
    const events = before && after ? fired(JSON.parse(due.triggers) as string[], before, after) : [];
    const data = events.length > 0 ? await deps.vehicleData(due.app_id, due.vehicle_id, JSON.parse(due.data) as string[]) : null;
    const eventTime = look?.data.map((d) => d.headers?.['sc-data-age']).filter(Boolean).sort().pop() ?? now.toISOString();
    const mode = events.length > 0 ? await deps.modeOf(due.vehicle_id) : 'test';
    await deps.db.transaction().execute(async (trx) => {
      const seen = JSON.stringify(after ?? before);
      if (!(await deps.webhooks.advanceSeen(trx, due.webhook_id, due.vehicle_id, due.next_due_at!, seen, next))) return;
      const rows = events.map((e) => {
        const eventId = randomUUID();
        const body = JSON.stringify({
          version: '2.0', webhookId: due.webhook_id, eventName: 'eventBased', eventId, mode,
          payload: { eventId, vehicleId: due.vehicle_id, eventType: e.eventType, eventTime, trigger: e.trigger, vehicles: data ? [data] : [] },
        });
        return { id: randomUUID(), webhookId: due.webhook_id, vehicleId: due.vehicle_id, eventId, body };
      });
      await deps.outbox.enqueue(trx, rows, now.toISOString());
      produced += rows.length;
    });
  }
  return produced;
}

export function startWorker(deps: WorkerDeps, options: WorkerOptions): { stop(): Promise<void> } {
  const worker = `worker-${randomUUID().slice(0, 8)}`;
  let stopping = false;
  let wake: (() => void) | null = null;

  async function once(): Promise<number> {
    await produceScheduled(deps, options.batchSize);
    await produceEvents(deps, options.batchSize, options.eventPollMs);
    const now = deps.clock.now().getTime();
    // The lease outlives the 15 s delivery timeout, so a crashed worker's rows come back, a live one's don't.
    const rows = await deps.outbox.claim(new Date(now).toISOString(), new Date(now + options.leaseMs).toISOString(), options.batchSize);
    await Promise.all(rows.map(async (row) => {
      const outcome = await deliver(deps.outbox, row, await deps.managementTokenOf(row.appId), { ...options, worker },
        () => deps.clock.now().getTime(), (webhookId, vehicleId) => deps.webhooks.unsubscribe(webhookId, vehicleId).then(() => {}));
      if (outcome !== 'delivered') deps.log.info({ outbox: row.id, outcome }, 'webhook delivery not done');
    }));
    return rows.length;
  }

  const loop = (async () => {
    while (!stopping) {
      let busy = 0;
      try {
        busy = await once();
      } catch (error) {
        deps.log.error({ err: error }, 'webhook worker pass failed');
      }
      if (busy === 0 && !stopping) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, options.pollMs);
        });
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
