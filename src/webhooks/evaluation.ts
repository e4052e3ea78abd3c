/**
 * One event subscription's evaluation: what the vehicle shows now against what the subscription
 * last knew of it, and the events that fired, shaped in the webhook's payload version. The periodic
 * look, a state write and subscribing all evaluate through here.
 */
import { randomUUID } from 'node:crypto';
import { timeOrderedUuid } from '../core/index.js';
import type { OutboxEvent } from '../store/index.js';
import { fired, knownLook, LOOK_PATHS, lookFrom, type Look } from './triggers.js';

interface Answer {
  path: string;
  code: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The `payload.vehicles[]` entry for one vehicle: its data points answered as a batch answers them. */
export interface VehicleData {
  data: Answer[];
}

/** An error a v4.0 webhook reports: raised when first seen, RESOLVED when it is gone. */
interface VehicleErrorShape {
  type: string;
  code: string | null;
  state: 'ERROR' | 'RESOLVED';
}

export interface VehicleRead {
  answers: Answer[];
  mode: string;
  errors: VehicleErrorShape[];
  state(fired: readonly string[] | 'FIRST_DELIVERY'): { signals: unknown[] };
  errorData(errors: VehicleErrorShape[]): unknown;
}

/**
 * One vehicle read through one app's grant, shaped as the Vehicle API answers (the composition
 * root injects it: webhooks/ knows no Smartcar JSON).
 */
export interface VehicleReader {
  mode: string;
  data(paths: string[]): Promise<VehicleData>;
  /** One read for a v4.0 event webhook: the look and the webhook's data points. */
  read(lookPaths: string[], dataPaths: string[]): Promise<VehicleRead>;
  /** The same grant over the state a write is storing: its reads derive from that state alone. */
  at(state: string, version: number): VehicleReader;
}

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

/**
 * Evaluates a subscription against what `reader` shows now. `lastSeen` is the stored look (JSON),
 * null before any: a v2.0 subscription then takes its baseline, a v4.0 one its FIRST_DELIVERY.
 */
export async function evaluate(s: EventSubscription, lastSeen: string | null, reader: VehicleReader, now: Date): Promise<Evaluation> {
  const before = lastSeen ? JSON.parse(lastSeen) as SeenV4 | null : null;
  return s.version === '4.0' ? evaluateV4(s, before, reader) : evaluateV2(s, before, reader, now);
}

async function evaluateV2(s: EventSubscription, before: Look | null, reader: VehicleReader, now: Date): Promise<Evaluation> {
  const look = await reader.data(LOOK_PATHS);
  const after = knownLook(before, lookFrom(look.data));
  const seen = JSON.stringify(after);
  const events = before ? fired(s.triggers, before, after) : [];
  if (events.length === 0) return { seen, rows: [] };
  const data = await reader.data(s.data);
  const eventTime = look.data.map((x) => x.headers?.['sc-data-age']).filter(Boolean).sort().pop() ?? now.toISOString();
  const rows: OutboxEvent[] = events.map((e) => {
    const eventId = randomUUID();
    const body = JSON.stringify({
      version: '2.0', webhookId: s.webhookId, eventName: 'eventBased', eventId, mode: reader.mode,
      payload: { eventId, vehicleId: s.vehicleId, eventType: e.eventType, eventTime, trigger: e.trigger, vehicles: [data] },
    });
    return { id: timeOrderedUuid(), webhookId: s.webhookId, vehicleId: s.vehicleId, eventId, body };
  });
  return { seen, rows };
}

/** What a v4.0 subscription's look stores: the trigger values and the errors then open. */
type SeenV4 = Look & { errors?: VehicleErrorShape[] };

const errorKey = (e: VehicleErrorShape) => `${e.type}:${e.code}`;

/**
 * A v4.0 evaluation: one read gives the trigger values, the signals and the errors. What changed
 * is one VEHICLE_STATE (the first look after subscribing is the FIRST_DELIVERY); errors that
 * appeared or went away since the last look are one VEHICLE_ERROR.
 */
async function evaluateV4(s: EventSubscription, before: SeenV4 | null, reader: VehicleReader): Promise<Evaluation> {
  const read = await reader.read(LOOK_PATHS, s.data);
  const after: SeenV4 = { ...knownLook(before, lookFrom(read.answers)), errors: read.errors };
  const open = new Set((before?.errors ?? []).map(errorKey));
  const now = new Set(read.errors.map(errorKey));
  const changedErrors = [
    ...read.errors.filter((e) => !open.has(errorKey(e))),
    ...(before?.errors ?? []).filter((e) => !now.has(errorKey(e))).map((e) => ({ ...e, state: 'RESOLVED' as const })),
  ];
  const events = before ? fired(s.triggers, before, after) : [];
  const rows: OutboxEvent[] = [];
  const envelope = (eventType: string, data: unknown, signalCount?: number) => {
    const eventId = randomUUID();
    const body = JSON.stringify({
      eventId, eventType, vehicleId: s.vehicleId, data,
      // deliveryId and deliveredAt are each attempt's own: filled in as it is sent.
      meta: {
        version: '4.0', webhookId: s.webhookId, webhookName: s.name, deliveryId: null, deliveredAt: null, mode: read.mode.toUpperCase(),
        ...(signalCount !== undefined && { signalCount }),
      },
    });
    rows.push({ id: timeOrderedUuid(), webhookId: s.webhookId, vehicleId: s.vehicleId, eventId, body });
  };
  if (!before || events.length > 0) {
    const state = read.state(before ? events.map((e) => e.trigger) : 'FIRST_DELIVERY');
    envelope('VEHICLE_STATE', state, state.signals.length);
  }
  if (changedErrors.length > 0) envelope('VEHICLE_ERROR', read.errorData(changedErrors));
  return { seen: JSON.stringify(after), rows };
}
