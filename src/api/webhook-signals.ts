/**
 * The v4.0 webhook payload (spec §7.3): a VEHICLE_STATE event carries every subscribed signal as
 * `{code, name, group, body, meta}` and the signals whose change triggered it. carport's data
 * points map onto the signal names the reference pins (Smartcar's V3 signal schema, standards §5.6);
 * a data point with no pinned signal cannot be part of a v4.0 webhook.
 */
import type { Vehicle } from '../vehicles/index.js';
import type { ItemAnswer } from './vehicle-batch.js';

export interface SignalRef {
  code: string;
  name: string;
  group: string;
}

export interface Signal extends SignalRef {
  body?: Record<string, unknown>;
  status: { value: 'SUCCESS' } | { value: 'ERROR'; error: { type: string; code: string | null } };
  meta?: { oemUpdatedAt: number; fetchedAt: number };
}

export interface VehicleState {
  user: { id: string };
  vehicle: { id: string; make: string; model: string; year: number };
  signals: Signal[];
}

interface SignalDefinition {
  group: string;
  name: string;
  body(b: Record<string, unknown>): Record<string, unknown>;
}

const percent = (fraction: unknown) => (typeof fraction === 'number' ? Math.round(fraction * 10_000) / 100 : null);

/** Data paths (answered in metric units) to the signals they carry. */
const SIGNALS: Record<string, SignalDefinition[]> = {
  '/odometer': [{ group: 'Odometer', name: 'TraveledDistance', body: (b) => ({ unit: 'kilometers', value: b.distance }) }],
  '/battery': [
    { group: 'TractionBattery', name: 'StateOfCharge', body: (b) => ({ unit: 'percent', value: percent(b.percentRemaining) }) },
    { group: 'TractionBattery', name: 'Range', body: (b) => ({ unit: 'kilometers', value: b.range }) },
  ],
  '/fuel': [{ group: 'InternalCombustionEngine', name: 'FuelLevel', body: (b) => ({ unit: 'percent', value: percent(b.percentRemaining) }) }],
  '/charge': [
    { group: 'Charge', name: 'IsCharging', body: (b) => ({ value: b.state === 'CHARGING' }) },
    { group: 'Charge', name: 'IsChargingCableConnected', body: (b) => ({ value: b.isPluggedIn }) },
  ],
  '/location': [{ group: 'Location', name: 'PreciseLocation', body: (b) => ({ latitude: b.latitude, longitude: b.longitude }) }],
  '/security': [{ group: 'Closure', name: 'IsLocked', body: (b) => ({ value: b.isLocked }) }],
};

const refOf = (d: Pick<SignalDefinition, 'group' | 'name'>): SignalRef => ({ code: `${d.group}-${d.name}`.toLowerCase(), name: d.name, group: d.group });

/** The data points that can be delivered in the v4.0 format. */
export const SIGNAL_PATHS: readonly string[] = Object.keys(SIGNALS);

/** The signal each event trigger watches, named as v4.0 `triggers[]` entries name it. */
const TRIGGER_SIGNALS: Readonly<Record<string, SignalRef>> = {
  charge_state_changed: refOf({ group: 'Charge', name: 'IsCharging' }),
  plugged_in: refOf({ group: 'Charge', name: 'IsChargingCableConnected' }),
  unplugged: refOf({ group: 'Charge', name: 'IsChargingCableConnected' }),
  lock_state_changed: refOf({ group: 'Closure', name: 'IsLocked' }),
  battery_low: refOf({ group: 'TractionBattery', name: 'StateOfCharge' }),
  charge_limit_reached: refOf({ group: 'TractionBattery', name: 'StateOfCharge' }),
  fuel_low: refOf({ group: 'InternalCombustionEngine', name: 'FuelLevel' }),
};

/** A VEHICLE_STATE's `triggers`: the signals the fired triggers watch (each once), or FIRST_DELIVERY. */
export function triggersOf(fired: readonly string[] | 'FIRST_DELIVERY'): (SignalRef | { code: 'FIRST_DELIVERY' })[] {
  if (fired === 'FIRST_DELIVERY') return [{ code: 'FIRST_DELIVERY' }];
  return [...new Map(fired.flatMap((t) => TRIGGER_SIGNALS[t] ?? []).map((r) => [r.code, r])).values()];
}

/** The webhook's data points, answered as a batch would answer them, as v4.0 signals. */
function signalsOf(answers: ItemAnswer[]): Signal[] {
  return answers.flatMap((answer) => (SIGNALS[answer.path] ?? []).map((definition): Signal => {
    const body = answer.body as Record<string, unknown>;
    if (answer.code !== 200) {
      return { ...refOf(definition), status: { value: 'ERROR', error: { type: String(body.type), code: (body.code as string | null) ?? null } } };
    }
    return {
      ...refOf(definition), body: definition.body(body), status: { value: 'SUCCESS' },
      meta: { oemUpdatedAt: Date.parse(answer.headers['sc-data-age']!), fetchedAt: Date.parse(answer.headers['sc-fetched-at']!) },
    };
  }));
}

/** A VEHICLE_ERROR entry: what the failing data points answered, with the signals it touches. */
export interface VehicleError {
  type: string;
  code: string | null;
  state: 'ERROR' | 'RESOLVED';
  description: string;
  suggestedUserMessage?: string;
  docURL: string;
  resolution: { type: string };
  signals: SignalRef[];
}

/** The errors the failing data points answered, one per type and code, in the order first met. */
export function errorsOf(answers: ItemAnswer[]): VehicleError[] {
  const errors = new Map<string, VehicleError>();
  for (const answer of answers) {
    if (answer.code === 200 || !(answer.path in SIGNALS)) continue;
    const body = answer.body as Record<string, unknown>;
    const key = `${String(body.type)}:${String(body.code)}`;
    const error = errors.get(key) ?? {
      type: String(body.type), code: (body.code as string | null) ?? null, state: 'ERROR' as const, description: String(body.description),
      ...(typeof body.suggestedUserMessage === 'string' && { suggestedUserMessage: body.suggestedUserMessage }),
      docURL: String(body.docURL), resolution: body.resolution as { type: string }, signals: [],
    };
    error.signals.push(...SIGNALS[answer.path]!.map(refOf));
    errors.set(key, error);
  }
  return [...errors.values()];
}

export function vehicleStateOf(vehicle: Vehicle, answers: ItemAnswer[]): VehicleState {
  return {
    user: { id: vehicle.accountId },
    vehicle: { id: vehicle.id, make: vehicle.make, model: vehicle.model, year: vehicle.year },
    signals: signalsOf(answers),
  };
}
