/**
 * The car's state at any instant of its own clock, computed from the last snapshot by applying
 * the scenario's steps in closed form — nothing ticks, so a read costs the same for any fleet size
 * and any elapsed time short of crossing many steps.
 */
import { isoMs, isoString } from '../../../core/index.js';
import type { ModelSpec } from '../catalog-types.js';
import type { Charger, ScenarioStep, SimSnapshot } from '../state.js';
import { acCurve, chargeFor, dcCurve, secondsToCharge, type ChargeCurve } from './charging.js';
import { conditionsFactor, ratedKwhPerKm, ratedLitersPerKm } from './consumption.js';
import { passTime, isAtHome, type Phase } from './environment.js';
import { along, bearingDeg, distanceKm, finalBearingDeg } from './geo.js';

/** A conventional oil change interval: oil life falls by 1 over this many km. */
const OIL_LIFE_KM = 12_000;
export const HOME_CHARGER: Charger = { powerKw: 11, dc: false };
/** Minutes parked before a car sleeps when the caller does not say (Tesla's, the shortest common one). */
export const DEFAULT_SLEEP_AFTER_MINUTES = 15;
/** Charging sessions a car remembers. */
const MAX_CHARGE_RECORDS = 20;

/** The car's clock at a real instant. */
export function vehicleTime(s: SimSnapshot, realNowMs: number): number {
  const realAt = isoMs(s.realAt ?? s.at);
  return isoMs(s.at) + Math.max(0, realNowMs - realAt) * (s.timeScale ?? 1);
}

export function chargeCurve(spec: ModelSpec, charger: Charger): ChargeCurve {
  const capacity = spec.batteryKwh ?? 1;
  return charger.dc ? dcCurve(charger.powerKw, spec.dcChargeKw ?? spec.acChargeKw ?? 0, capacity)
    : acCurve(charger.powerKw, spec.acChargeKw ?? 0, capacity);
}

interface Clock {
  /** Car time reached so far, ms. */
  t: number;
  /** Car time to reach, ms. */
  until: number;
}

/** Drives toward the step's target; returns whether the step finished. */
function drive(s: SimSnapshot, spec: ModelSpec, step: Extract<ScenarioStep, { kind: 'drive' }>, clock: Clock): boolean {
  unplug(s, spec, clock.t);
  s.activity = 'driving';
  const from = s.location;
  const total = distanceKm(s.location, step.to);
  const factor = conditionsFactor(step.speedKmh, s.ambientC ?? 20);
  const kwhPerKm = ratedKwhPerKm(spec) * factor;
  const litersPerKm = ratedLitersPerKm(spec) * factor;
  const batteryKm = s.soc !== null && kwhPerKm > 0 ? (s.soc * (spec.batteryKwh ?? 0)) / kwhPerKm : 0;
  const fuelKm = s.fuelLevel !== null && litersPerKm > 0 ? (s.fuelLevel * (spec.tankLiters ?? 0)) / litersPerKm : 0;
  const timeKm = (step.speedKmh * (clock.until - clock.t)) / 3_600_000;
  const km = Math.max(0, Math.min(total, timeKm, batteryKm + fuelKm));
  // Plug-in hybrids drive on the battery first, then on fuel.
  const onBattery = Math.min(km, batteryKm);
  if (s.soc !== null && spec.batteryKwh) s.soc = Math.max(0, s.soc - (onBattery * kwhPerKm) / spec.batteryKwh);
  if (s.fuelLevel !== null && spec.tankLiters) s.fuelLevel = Math.max(0, s.fuelLevel - ((km - onBattery) * litersPerKm) / spec.tankLiters);
  if (s.oilLife !== null && km - onBattery > 0) s.oilLife = Math.max(0, s.oilLife - (km - onBattery) / OIL_LIFE_KM);
  s.location = total > 0 ? along(s.location, step.to, km / total) : { ...step.to };
  if (total > 0) s.heading = km >= total ? finalBearingDeg(from, step.to) : bearingDeg(s.location, step.to);
  s.odometerKm = Math.round((s.odometerKm + km) * 1000) / 1000;
  clock.t += (km / step.speedKmh) * 3_600_000;
  s.lastActiveAt = new Date(clock.t).toISOString();
  if (km >= total) {
    s.activity = 'parked';
    return true;
  }
  if (km >= batteryKm + fuelKm) {
    // Out of energy: the car stops where it is and the plan ends.
    s.activity = 'parked';
    s.scenario = s.scenario && { ...s.scenario, steps: [] };
    return false;
  }
  return false;
}

function charge(s: SimSnapshot, spec: ModelSpec, charger: Charger, clock: Clock): boolean {
  if (!s.isPluggedIn || !s.chargeSession) {
    s.chargeSession = s.soc === null ? null : { startSoc: s.soc, startedAt: new Date(clock.t).toISOString(), dc: charger.dc };
  }
  s.isPluggedIn = true;
  s.charger = charger;
  // A cable in the socket means the port door is open.
  if (s.chargingPort !== null) s.chargingPort = 'OPEN';
  if (s.soc === null || !spec.batteryKwh) {
    s.activity = 'parked';
    return true;
  }
  const curve = chargeCurve(spec, charger);
  const available = (clock.until - clock.t) / 1000;
  const needed = secondsToCharge(curve, s.soc, s.chargeLimit);
  if (available >= needed) {
    if (needed > 0 && s.chargeLimit >= 1) s.maxRangeCharges = (s.maxRangeCharges ?? 0) + 1;
    s.soc = Math.max(s.soc, s.chargeLimit);
    s.activity = 'parked';
    clock.t += needed * 1000;
    s.lastActiveAt = new Date(clock.t).toISOString();
    return true;
  }
  s.activity = 'charging';
  s.soc = chargeFor(curve, s.soc, available, s.chargeLimit);
  clock.t = clock.until;
  s.lastActiveAt = new Date(clock.t).toISOString();
  return false;
}

/** Applies one step; returns the rest of it when time ran out before it finished. */
function applyStep(s: SimSnapshot, spec: ModelSpec, step: ScenarioStep, clock: Clock): ScenarioStep | null {
  switch (step.kind) {
    case 'drive':
      // Done, or stopped for want of energy (the plan then ends): either way nothing of it is left.
      return drive(s, spec, step, clock) || s.activity !== 'driving' ? null : step;
    case 'park': {
      s.activity = 'parked';
      const end = step.until === undefined ? clock.t + step.minutes * 60_000 : Math.max(clock.t, Date.parse(step.until));
      if (end <= clock.until) {
        clock.t = end;
        return null;
      }
      const rest = { ...step, minutes: (end - clock.until) / 60_000 };
      clock.t = clock.until;
      return rest;
    }
    case 'charge':
      return charge(s, spec, { powerKw: step.powerKw, dc: step.dc }, clock) ? null : step;
    case 'refuel':
      if (s.fuelLevel !== null) s.fuelLevel = 1;
      return null;
    case 'unplug':
      unplug(s, spec, clock.t);
      if (s.activity === 'charging') s.activity = 'parked';
      return null;
  }
}

/** The cable comes out: the session, if it added anything, becomes a charge record (mutates `s`). */
export function unplug(s: SimSnapshot, spec: ModelSpec, atMs: number): void {
  const session = s.chargeSession;
  if (session && s.soc !== null && s.soc > session.startSoc) {
    const record = {
      startedAt: session.startedAt, endedAt: new Date(atMs).toISOString(), startSoc: session.startSoc, endSoc: s.soc,
      energyKwh: (s.soc - session.startSoc) * (spec.batteryKwh ?? 0), dc: session.dc, location: { ...s.location }, atHome: isAtHome(s),
    };
    s.chargeRecords = [...(s.chargeRecords ?? []), record].slice(-MAX_CHARGE_RECORDS);
  }
  if (s.chargeSession !== undefined) s.chargeSession = null;
  s.isPluggedIn = false;
  s.charger = null;
  if (s.chargingPort !== null) s.chargingPort = 'CLOSED';
}

const PHASE_OF: Readonly<Record<ScenarioStep['kind'], Phase>> = {
  drive: 'driving', park: 'parked', charge: 'charging', refuel: 'parked', unplug: 'parked',
};

/**
 * The snapshot as it is at car time `untilMs` (never earlier than its own time). `sleepAfterMinutes`
 * is the brand's: how long the parked car's modules stay awake, draining its 12 V battery faster.
 */
export function advance(
  snapshot: SimSnapshot, spec: ModelSpec, untilMs: number, sleepAfterMinutes = DEFAULT_SLEEP_AFTER_MINUTES,
): SimSnapshot {
  // Whole milliseconds, as the snapshot stores its time: simulating a fraction it cannot record would
  // run that fraction again on the next read, and two short reads would differ from one long one.
  const snapshotAt = isoMs(snapshot.at);
  const until = Math.max(Math.floor(untilMs), snapshotAt);
  // A car with no plan and no charging session holds still: nothing to compute (the common read).
  if (!snapshot.scenario?.steps.length && snapshot.activity !== 'charging') {
    const held = { ...snapshot, at: isoString(until) };
    // Only the cabin air and the 12 V battery move (two numbers: the copy stays shallow).
    passTime(held, snapshotAt, until, 'parked', sleepAfterMinutes);
    return held;
  }
  const s: SimSnapshot = structuredClone(snapshot);
  const clock: Clock = { t: Date.parse(s.at), until };
  while (clock.t < clock.until) {
    const from = clock.t;
    const step = s.scenario?.steps[0];
    if (!step) {
      // No plan: a charging session runs to the limit; anything else holds still.
      if (s.activity === 'charging') {
        charge(s, spec, s.charger ?? HOME_CHARGER, clock);
        passTime(s, from, clock.t, 'charging', sleepAfterMinutes);
      }
      break;
    }
    const rest = applyStep(s, spec, step, clock);
    passTime(s, from, clock.t, PHASE_OF[step.kind], sleepAfterMinutes);
    if (rest) {
      s.scenario!.steps[0] = rest;
      break;
    }
    s.scenario?.steps.shift();
  }
  passTime(s, clock.t, clock.until, 'parked', sleepAfterMinutes);
  s.at = new Date(clock.until).toISOString();
  return s;
}
