/**
 * What changes around the car as time passes, whatever its plan: the cabin air relaxes toward the
 * climate system's target or the outside air, and the 12 V battery is recharged while the car
 * drives or charges and drained by its modules while parked (slowly once asleep). Both are exact
 * over any split of time (exponential and linear pieces), so reading lazily stays exact.
 */
import { isoMs } from '../../../core/index.js';
import { nearestHomeCity } from '../cities.js';
import type { Hvac, SimSnapshot } from '../state.js';
import { distanceKm, type Point } from './geo.js';

export type Phase = 'driving' | 'charging' | 'parked';

export const DEFAULT_HVAC: Readonly<Hvac> = Object.freeze({
  isActive: false, targetC: 21, frontDefroster: false, rearDefroster: false, steeringHeater: false,
});
/** A healthy 12 V battery in a car that is used. */
export const DEFAULT_LV_SOC = 0.9;
/** Reference air temperature when none was set, °C. */
const DEFAULT_AMBIENT_C = 20;
/** Cabin time constants, minutes: the HVAC reaches its target within a quarter hour; a closed car follows the weather in hours. */
const HVAC_TAU_MIN = 5;
const PASSIVE_TAU_MIN = 45;
/** 12 V battery, fraction per hour: DC-DC converter or alternator; modules awake; sleeping (~40 mA on 60 Ah). */
const LV_RECHARGE_PER_HOUR = 0.25;
const LV_AWAKE_DRAIN_PER_HOUR = 0.002;
const LV_ASLEEP_DRAIN_PER_HOUR = 0.0006;
/** A car parked within this of home is at home (a seeded car parks within ~280 m of its city's centre). */
const HOME_RADIUS_KM = 0.35;

export const ambientOf = (s: SimSnapshot): number => s.ambientC ?? DEFAULT_AMBIENT_C;
export const hvacOf = (s: SimSnapshot): Readonly<Hvac> => s.hvac ?? DEFAULT_HVAC;
export const cabinOf = (s: SimSnapshot): number => s.cabinC ?? ambientOf(s);
export const lvSocOf = (s: SimSnapshot): number => s.lvSoc ?? DEFAULT_LV_SOC;

/** Where the car lives; a snapshot from before homes were kept lives at the home city it is nearest. */
export function homeOf(s: SimSnapshot): Point {
  if (s.home) return s.home;
  const city = nearestHomeCity(s.location);
  return { latitude: city.latitude, longitude: city.longitude };
}

export function isAtHome(s: SimSnapshot): boolean {
  return distanceKm(s.location, homeOf(s)) <= HOME_RADIUS_KM;
}

/** The climate system runs when the driver left it on, and always while driving. */
export function isHvacRunning(s: SimSnapshot): boolean {
  return s.activity === 'driving' || hvacOf(s).isActive;
}

/** Car time the car falls asleep after its last activity; never while Sentry Mode watches. */
export function sleepsAt(s: SimSnapshot, sleepAfterMinutes: number, fallbackActiveAt: string = s.at): number {
  if (s.sentry) return Infinity;
  return isoMs(s.lastActiveAt ?? fallbackActiveAt) + sleepAfterMinutes * 60_000;
}

/** Moves cabin temperature and 12 V charge over [from, to] spent in `phase` (mutates `s`). */
export function passTime(s: SimSnapshot, from: number, to: number, phase: Phase, sleepAfterMinutes: number): void {
  if (!(to > from)) return;
  const hvac = hvacOf(s);
  const conditioned = phase === 'driving' || hvac.isActive;
  const target = conditioned ? hvac.targetC : ambientOf(s);
  const tauMs = (conditioned ? HVAC_TAU_MIN : PASSIVE_TAU_MIN) * 60_000;
  s.cabinC = target + (cabinOf(s) - target) * Math.exp(-(to - from) / tauMs);

  const hours = (to - from) / 3_600_000;
  const lv = lvSocOf(s);
  if (phase !== 'parked') {
    s.lvSoc = Math.min(1, lv + LV_RECHARGE_PER_HOUR * hours);
    return;
  }
  const awakeHours = Math.max(0, Math.min(to, sleepsAt(s, sleepAfterMinutes)) - from) / 3_600_000;
  const asleepHours = hours - awakeHours;
  s.lvSoc = Math.max(0, lv - LV_AWAKE_DRAIN_PER_HOUR * awakeHours - LV_ASLEEP_DRAIN_PER_HOUR * asleepHours);
}
