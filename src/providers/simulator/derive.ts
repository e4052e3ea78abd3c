/** Pure functions from a snapshot and a model's specification to the normalized signal values. */
import type { ChargeState, DoorPosition } from '../../core/index.js';
import type { ModelSpec } from './catalog-types.js';
import type { SimSnapshot } from './state.js';

/** Fuel tank figures, with nulls for a car without a tank. */
export interface Fuel {
  rangeKm: number | null;
  percentRemaining: number | null;
  amountLiters: number | null;
}

export interface NominalCapacity {
  available: { capacityKwh: number; description: string | null }[];
  nominal: { capacityKwh: number; source: 'SMARTCAR' | 'USER_SELECTED' } | null;
}

export type TirePressures = Record<`${DoorPosition}Kpa`, number>;

export function chargeState(s: SimSnapshot): ChargeState {
  const full = s.soc !== null && s.soc >= s.chargeLimit;
  if (s.activity === 'charging') return full ? 'FULLY_CHARGED' : 'CHARGING';
  return s.isPluggedIn && full ? 'FULLY_CHARGED' : 'NOT_CHARGING';
}

export function fuel(s: SimSnapshot, spec: ModelSpec): Fuel {
  if (s.fuelLevel === null || !spec.tankLiters) return { rangeKm: null, percentRemaining: null, amountLiters: null };
  const amountLiters = s.fuelLevel * spec.tankLiters;
  const rangeKm = spec.litersPer100Km ? (amountLiters / spec.litersPer100Km) * 100 : null;
  return { rangeKm: round(rangeKm, 1), percentRemaining: round(s.fuelLevel, 2), amountLiters: round(amountLiters, 1) };
}

export function battery(s: SimSnapshot, spec: ModelSpec): { rangeKm: number | null; percentRemaining: number } {
  const soc = s.soc ?? 0;
  return { percentRemaining: round(soc, 2) ?? 0, rangeKm: spec.electricRangeKm ? round(soc * spec.electricRangeKm, 1) : null };
}

/** The packs the model was sold with; this car's is the smallest whose nominal size covers its usable energy. */
export function nominalCapacity(spec: ModelSpec): NominalCapacity {
  const usable = spec.batteryKwh ?? 0;
  const packs = spec.batteryOptionsKwh?.length ? [...spec.batteryOptionsKwh].sort((a, b) => a - b) : [usable];
  const nominal = packs.find((p) => p >= usable) ?? packs[packs.length - 1] ?? usable;
  return {
    available: packs.map((capacityKwh) => ({
      capacityKwh,
      description: capacityKwh === nominal ? null : `${spec.powertrain}:${capacityKwh} kWh pack`,
    })),
    nominal: { capacityKwh: nominal, source: 'SMARTCAR' },
  };
}

/** Reference temperature of the stored (cold, placard-style) tyre pressures. */
const REFERENCE_C = 20;
const ATMOSPHERE_KPA = 101.325;
/** Driving warms tyres by about this much over ambient (simulator-realism §4.5: similar order to a 10 °C swing). */
const DRIVING_WARMUP_C = 15;

/**
 * Tyre pressure as a gauge reads it: the stored cold pressure moved by the ideal-gas law to the
 * tyre's temperature (absolute pressure ∝ absolute temperature; ~13 kPa per 10 °C at 290 kPa), less
 * any slow leak since it started.
 */
export function tirePressure(s: SimSnapshot, carNowMs = Date.parse(s.at)): TirePressures {
  const tyreC = (s.ambientC ?? REFERENCE_C) + (s.activity === 'driving' ? DRIVING_WARMUP_C : 0);
  const ratio = (tyreC + 273.15) / (REFERENCE_C + 273.15);
  const gauge = (position: DoorPosition) => {
    const leak = s.slowLeak?.tire === position
      ? (s.slowLeak.kpaPerDay * Math.max(0, carNowMs - Date.parse(s.slowLeak.since))) / 86_400_000 : 0;
    const cold = Math.max(0, s.tiresKpa[position] - leak);
    return Math.round(Math.max(0, (cold + ATMOSPHERE_KPA) * ratio - ATMOSPHERE_KPA) * 10) / 10;
  };
  return {
    frontLeftKpa: gauge('frontLeft'),
    frontRightKpa: gauge('frontRight'),
    backLeftKpa: gauge('backLeft'),
    backRightKpa: gauge('backRight'),
  };
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
