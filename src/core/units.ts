/** Unit systems of the API and exact conversions from the canonical metric units. */

export type UnitSystem = 'metric' | 'imperial';

export const UNIT_SYSTEMS: readonly UnitSystem[] = ['metric', 'imperial'];

/** International mile, exactly (NIST). */
const KM_PER_MILE = 1.609344;
/** US liquid gallon, exactly. */
const LITERS_PER_US_GALLON = 3.785411784;
/** Pound-force per square inch, exactly (0.45359237 kg × 9.80665 m/s² / 0.0254² m²). */
const KPA_PER_PSI = 6.894757293168361;

export function distance(km: number, units: UnitSystem): number {
  return units === 'metric' ? km : km / KM_PER_MILE;
}

export function volume(liters: number, units: UnitSystem): number {
  return units === 'metric' ? liters : liters / LITERS_PER_US_GALLON;
}

export function pressure(kpa: number, units: UnitSystem): number {
  return units === 'metric' ? kpa : kpa / KPA_PER_PSI;
}

export function nullable<T>(value: T | null, convert: (v: T) => number): number | null {
  return value === null ? null : convert(value);
}
