/**
 * Energy per kilometre as a function of speed and ambient temperature (simulator-realism §4.3):
 * aerodynamic drag grows with the square of speed; cold costs up to ~41 % with cabin heating
 * (AAA, −7 °C) and heat ~17 % with A/C (35 °C).
 */
import type { ModelSpec } from '../catalog-types.js';

/** Relative consumption at a speed, 1 at 90 km/h (rated figures are roughly highway-mixed). */
export function speedFactor(speedKmh: number): number {
  const v = Math.max(5, speedKmh);
  return 0.7 + 0.3 * (v / 90) ** 2;
}

/** Relative consumption at an ambient temperature, 1 between 20 and 25 °C. */
export function temperatureFactor(ambientC: number): number {
  if (ambientC < 20) return 1 + (20 - ambientC) * 0.015;
  if (ambientC > 25) return 1 + (ambientC - 25) * 0.017;
  return 1;
}

/** Rated traction-battery use, kWh per km (usable capacity over rated range). */
export function ratedKwhPerKm(spec: ModelSpec): number {
  if (!spec.batteryKwh || !spec.electricRangeKm) return 0;
  return spec.batteryKwh / spec.electricRangeKm;
}

/** Rated fuel use, litres per km. */
export function ratedLitersPerKm(spec: ModelSpec): number {
  return (spec.litersPer100Km ?? 0) / 100;
}

export function conditionsFactor(speedKmh: number, ambientC: number): number {
  return speedFactor(speedKmh) * temperatureFactor(ambientC);
}
