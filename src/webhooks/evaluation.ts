/**
 * One event subscription's evaluation: what the vehicle shows now against what the subscription
 * last knew of it, and the events that fired, shaped in the webhook's payload version. The periodic
 * look, a state write and subscribing all evaluate through here.
 */
import { randomUUID } from 'node:crypto';
import { timeOrderedUuid } from '../core/index.js';
import type { OutboxEvent } from '../store/index.js';
import { sizeRefusal } from './body-limit.js';
import type { SignalRead, VehicleReader } from './reader.js';
import { fired, knownLook, storedLook, watchedCodes, type Look } from './triggers.js';
import { documentedTriggers, errorsOf, productionTriggers, signalItem, type VehicleError } from './v4-payload.js';

/** An event subscription as its evaluation needs it. */
export interface EventSubscription {
  webhookId: string;
  vehicleId: string;
  name: string;
  version: string;
  triggers: string[];
  data: string[];
}

/** A subscription row as the repository answers it. */
export function eventSubscription(row: {
  webhook_id: string; vehicle_id: string; name: string; version: string; triggers: string; data: string;
}): EventSubscription {
  return {
    webhookId: row.webhook_id, vehicleId: row.vehicle_id, name: row.name, version: row.version,
    triggers: JSON.parse(row.triggers) as string[], data: JSON.parse(row.data) as string[],
  };
}

/** What an evaluation comes to: the look to store (JSON) and the events to enqueue with it. */
export interface Evaluation {
  seen: string;
  rows: OutboxEvent[];
}

/** What a look stores: the watched signals' bodies and, for v4.0, the errors then open. */
type Seen = { signals: Look; errors?: VehicleError[] };

/**
 * Evaluates a subscription against what `reader` shows now. `lastSeen` is the stored look (JSON),
 * null before any: a v2.0 subscription then takes its baseline, a v4.0 one its FIRST_DELIVERY.
 */
export async function evaluate(s: EventSubscription, lastSeen: string | null, reader: VehicleReader, now: Date): Promise<Evaluation> {
  const before = storedLook<VehicleError>(lastSeen);
  return s.version === '4.0' ? evaluateV4(s, before, reader) : evaluateV2(s, before, reader, now);
}

/** The bodies of the signals that read successfully. */
function lookOf(readings: ReadonlyMap<string, SignalRead>): Look {
  return Object.fromEntries([...readings].flatMap(([code, read]) => (read.status === 'SUCCESS' ? [[code, read.body]] : [])));
}

function outboxRow(s: EventSubscription, eventId: string, payload: unknown): OutboxEvent {
  const body = JSON.stringify(payload);
  const refusal = sizeRefusal(body);
  return { id: timeOrderedUuid(), webhookId: s.webhookId, vehicleId: s.vehicleId, eventId, body, ...(refusal !== undefined && { refusal }) };
}

/** A v2.0 evaluation: the triggers' look from catalog signals; each event carries the data points as batch answers them. */
async function evaluateV2(s: EventSubscription, before: Seen | null, reader: VehicleReader, now: Date): Promise<Evaluation> {
  const codes = watchedCodes(s.triggers);
  const readings = await reader.signals(codes);
  const after = knownLook(before?.signals ?? null, lookOf(readings), codes);
  const seen = JSON.stringify({ signals: after } satisfies Seen);
  const events = before ? fired(s.triggers, before.signals, after) : [];
  if (events.length === 0) return { seen, rows: [] };
  const data = await reader.data(s.data);
  const observed = [...readings.values()].flatMap((r) => (r.status === 'SUCCESS' ? [r.oemUpdatedAt] : []));
  const eventTime = observed.length > 0 ? new Date(Math.max(...observed)).toISOString() : now.toISOString();
  const rows = events.map((e) => {
    const eventId = randomUUID();
    return outboxRow(s, eventId, {
      version: '2.0', webhookId: s.webhookId, eventName: 'eventBased', eventId, mode: reader.mode,
      payload: { eventId, vehicleId: s.vehicleId, eventType: e.eventType, eventTime, trigger: e.trigger, vehicles: [data] },
    });
  });
  return { seen, rows };
}

const errorKey = (e: VehicleError) => `${e.type}:${String(e.code)}`;

/**
 * A v4.0 evaluation: one read gives the trigger values, the signals and the errors. What changed
 * is one VEHICLE_STATE (the first look after subscribing is the FIRST_DELIVERY); errors that
 * appeared or went away since the last look are one VEHICLE_ERROR.
 */
async function evaluateV4(s: EventSubscription, before: Seen | null, reader: VehicleReader): Promise<Evaluation> {
  const dataCodes = [...new Set(reader.codesOf(s.data))];
  const lookCodes = watchedCodes(s.triggers);
  const readings = await reader.signals([...new Set([...lookCodes, ...dataCodes])]);
  // Errors touch every signal the subscription names: its data first, then what only its triggers watch.
  const errors = errorsOf([...new Set([...dataCodes, ...lookCodes])], readings);
  const after: Seen = { signals: knownLook(before?.signals ?? null, lookOf(readings), lookCodes), errors };
  const open = new Set((before?.errors ?? []).map(errorKey));
  const still = new Set(errors.map(errorKey));
  const changedErrors = [
    ...errors.filter((e) => !open.has(errorKey(e))),
    ...(before?.errors ?? []).filter((e) => !still.has(errorKey(e))).map((e) => ({ ...e, state: 'RESOLVED' as const })),
  ];
  const rows: OutboxEvent[] = [];
  const envelope = (eventType: string, data: unknown, extra: { triggers?: unknown; signalCount?: number } = {}) => {
    const eventId = randomUUID();
    rows.push(outboxRow(s, eventId, {
      eventId, eventType, vehicleId: s.vehicleId, data,
      ...(extra.triggers !== undefined && { triggers: extra.triggers }),
      // deliveryId and deliveredAt are each attempt's own: filled in as it is sent. Keys in production's order.
      meta: {
        deliveryId: null, deliveredAt: null, version: '4.0', webhookId: s.webhookId, webhookName: s.name, mode: reader.mode.toUpperCase(),
        ...(extra.signalCount !== undefined && { signalCount: extra.signalCount }),
      },
    }));
  };
  const events = before ? fired(s.triggers, before.signals, after.signals) : [];
  if (!before || events.length > 0) {
    const changed = before ? [...new Set(events.map((e) => e.code))] : 'FIRST_DELIVERY' as const;
    const signals = dataCodes.map((code) => signalItem(code, readings.get(code)!));
    const data = { ...reader.owner, triggers: documentedTriggers(changed), signals };
    envelope('VEHICLE_STATE', data, { triggers: productionTriggers(changed), signalCount: signals.length });
  }
  if (changedErrors.length > 0) envelope('VEHICLE_ERROR', { ...reader.owner, errors: changedErrors });
  return { seen: JSON.stringify(after), rows };
}
