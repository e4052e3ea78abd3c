/**
 * Event triggers: what changed between two looks at a vehicle. A look is the handful of values the
 * triggers watch, taken from the same answers a batch would give.
 */
import type { Trigger } from './webhook-service.js';

export interface Look {
  chargeState: string | null;
  isPluggedIn: boolean | null;
  isLocked: boolean | null;
  soc: number | null;
  fuel: number | null;
}

export interface FiredEvent {
  trigger: Trigger;
  /** Smartcar's event names where it has them (CHARGING_STARTED…), ours in its style otherwise. */
  eventType: string;
}

const BATTERY_LOW = 0.2;
const FUEL_LOW = 0.15;

/** The paths a look reads. */
export const LOOK_PATHS = ['/charge', '/battery', '/security', '/fuel'];

export function lookFrom(data: { path: string; code: number; body: unknown }[]): Look {
  const body = (path: string) => data.find((d) => d.path === path && d.code === 200)?.body as Record<string, unknown> | undefined;
  const charge = body('/charge');
  return {
    chargeState: (charge?.state as string | undefined) ?? null,
    isPluggedIn: (charge?.isPluggedIn as boolean | undefined) ?? null,
    isLocked: (body('/security')?.isLocked as boolean | undefined) ?? null,
    soc: (body('/battery')?.percentRemaining as number | undefined) ?? null,
    fuel: (body('/fuel')?.percentRemaining as number | undefined) ?? null,
  };
}

/**
 * What is known of the vehicle after a look: each field as just read, or, where that read failed,
 * as last known, so a change made while reads failed still fires once they succeed.
 */
export function knownLook(before: Look | null, now: Look): Look {
  if (!before) return now;
  return {
    chargeState: now.chargeState ?? before.chargeState,
    isPluggedIn: now.isPluggedIn ?? before.isPluggedIn,
    isLocked: now.isLocked ?? before.isLocked,
    soc: now.soc ?? before.soc,
    fuel: now.fuel ?? before.fuel,
  };
}

function chargeEvent(before: string | null, after: string | null): string | null {
  if (before === after || after === null || before === null) return null;
  if (after === 'CHARGING') return 'CHARGING_STARTED';
  if (after === 'FULLY_CHARGED') return 'CHARGING_COMPLETED';
  return 'CHARGING_STOPPED';
}

const crossedBelow = (before: number | null, after: number | null, level: number) =>
  before !== null && after !== null && before >= level && after < level;

export function fired(triggers: readonly string[], before: Look, after: Look): FiredEvent[] {
  const events: FiredEvent[] = [];
  const on = (t: Trigger) => triggers.includes(t);
  const charge = chargeEvent(before.chargeState, after.chargeState);
  if (on('charge_state_changed') && charge) events.push({ trigger: 'charge_state_changed', eventType: charge });
  if (on('charge_limit_reached') && charge === 'CHARGING_COMPLETED') events.push({ trigger: 'charge_limit_reached', eventType: 'CHARGE_LIMIT_REACHED' });
  if (before.isPluggedIn !== null && after.isPluggedIn !== null && before.isPluggedIn !== after.isPluggedIn) {
    if (after.isPluggedIn && on('plugged_in')) events.push({ trigger: 'plugged_in', eventType: 'PLUGGED_IN' });
    if (!after.isPluggedIn && on('unplugged')) events.push({ trigger: 'unplugged', eventType: 'UNPLUGGED' });
  }
  if (on('lock_state_changed') && before.isLocked !== null && after.isLocked !== null && before.isLocked !== after.isLocked) {
    events.push({ trigger: 'lock_state_changed', eventType: after.isLocked ? 'LOCKED' : 'UNLOCKED' });
  }
  if (on('battery_low') && crossedBelow(before.soc, after.soc, BATTERY_LOW)) events.push({ trigger: 'battery_low', eventType: 'BATTERY_LOW' });
  if (on('fuel_low') && crossedBelow(before.fuel, after.fuel, FUEL_LOW)) events.push({ trigger: 'fuel_low', eventType: 'FUEL_LOW' });
  return events;
}
