/** Smartcar data points from OVMS standard metrics (metrics_standard.h), in canonical metric units. */
import type { ChargeState, SignalValues } from '../../core/index.js';
import { booleanOf, numberOf, required, type MetricValue, type Metrics } from './metrics.js';

export interface Derived<T> {
  value: T;
  /** The metrics it was made of: the oldest of them dates it. */
  from: MetricValue[];
}

export function odometer(m: Metrics): Derived<SignalValues['odometer']> {
  const km = required(m, 'v.p.odometer');
  return { value: { distanceKm: numberOf(km, 'v.p.odometer') }, from: [km] };
}

export function battery(m: Metrics): Derived<SignalValues['battery']> {
  const soc = required(m, 'v.b.soc');
  const range = m.get('v.b.range.est');
  const rangeKm = range && range.text !== '' ? numberOf(range, 'v.b.range.est') : null;
  return { value: { percentRemaining: numberOf(soc, 'v.b.soc') / 100, rangeKm }, from: range ? [soc, range] : [soc] };
}

/** `v.c.state` values that mean energy is flowing into the pack (topoff: the slow final phase). */
const CHARGING_STATES = new Set(['charging', 'topoff', 'heating']);

export function charge(m: Metrics): Derived<SignalValues['charge']> {
  const pilot = required(m, 'v.c.pilot');
  const state = m.get('v.c.state');
  const charging = m.get('v.c.charging');
  const text = state?.text.trim().toLowerCase() ?? '';
  let chargeState: ChargeState = 'NOT_CHARGING';
  if (CHARGING_STATES.has(text) || (charging && booleanOf(charging, 'v.c.charging'))) chargeState = 'CHARGING';
  else if (text === 'done') chargeState = 'FULLY_CHARGED';
  return {
    value: { isPluggedIn: booleanOf(pilot, 'v.c.pilot'), state: chargeState },
    from: [pilot, ...(state ? [state] : []), ...(charging ? [charging] : [])],
  };
}

export function location(m: Metrics): Derived<SignalValues['location']> {
  const latitude = required(m, 'v.p.latitude');
  const longitude = required(m, 'v.p.longitude');
  return {
    value: { latitude: numberOf(latitude, 'v.p.latitude'), longitude: numberOf(longitude, 'v.p.longitude') },
    from: [latitude, longitude],
  };
}

/** OVMS reports the car's lock as one value; doors, windows and openings are not in the standard metrics. */
export function lockStatus(m: Metrics): Derived<SignalValues['lockStatus']> {
  const locked = required(m, 'v.e.locked');
  return {
    value: { isLocked: booleanOf(locked, 'v.e.locked'), doors: [], windows: [], sunroof: [], storage: [], chargingPort: [] },
    from: [locked],
  };
}
