/**
 * Charging as a closed form, so any instant is computed without stepping through time.
 * Power is flat up to a knee, then falls linearly to `MIN_FRACTION` of its peak at 100 %
 * (evcc's estimator shape; simulator-realism §4.2). AC chargers stay flat: the onboard charger,
 * not the pack, is the limit. Grid-to-battery efficiency is applied to every kWh.
 */

export interface ChargeCurve {
  /** Peak power at the battery's input, kW (the smaller of charger and car). */
  peakKw: number;
  /** State of charge where power starts to fall; 1 for a flat curve. */
  knee: number;
  /** Usable capacity, kWh. */
  capacityKwh: number;
  /** Grid-to-battery efficiency. */
  efficiency: number;
}

const MIN_FRACTION = 0.1;
export const AC_EFFICIENCY = 0.88;
export const DC_EFFICIENCY = 0.93;
/** DC power starts to taper above roughly half charge (ID.4 log: 128 kW to 30 %, 95 kW at 50 %, slow above 80 %). */
export const DC_KNEE = 0.55;

export function acCurve(chargerKw: number, carAcKw: number, capacityKwh: number): ChargeCurve {
  return { peakKw: Math.min(chargerKw, carAcKw), knee: 1, capacityKwh, efficiency: AC_EFFICIENCY };
}

export function dcCurve(chargerKw: number, carDcKw: number, capacityKwh: number): ChargeCurve {
  return { peakKw: Math.min(chargerKw, carDcKw), knee: DC_KNEE, capacityKwh, efficiency: DC_EFFICIENCY };
}

/** Power drawn at state of charge s, kW. */
export function powerAt(curve: ChargeCurve, s: number): number {
  if (s < curve.knee) return curve.peakKw;
  const min = curve.peakKw * MIN_FRACTION;
  return curve.peakKw - ((curve.peakKw - min) * (s - curve.knee)) / (1 - curve.knee);
}

/** ds/dt = k (c0 − c1 s) on the tapering part, with t in seconds. */
function taper(curve: ChargeCurve) {
  const k = curve.efficiency / (curve.capacityKwh * 3600);
  const min = curve.peakKw * MIN_FRACTION;
  const c1 = (curve.peakKw - min) / (1 - curve.knee);
  const c0 = curve.peakKw + c1 * curve.knee;
  return { k, c0, c1 };
}

/** Seconds to charge from s0 to s1 (s0 ≤ s1 ≤ 1). */
export function secondsToCharge(curve: ChargeCurve, s0: number, s1: number): number {
  if (s1 <= s0 || curve.peakKw <= 0) return s1 <= s0 ? 0 : Infinity;
  const k = curve.efficiency / (curve.capacityKwh * 3600);
  const flatEnd = Math.min(s1, Math.max(s0, curve.knee));
  let seconds = (flatEnd - s0) / (k * curve.peakKw);
  if (s1 > curve.knee) {
    const from = Math.max(s0, curve.knee);
    const t = taper(curve);
    seconds += Math.log((t.c0 / t.c1 - from) / (t.c0 / t.c1 - s1)) / (t.k * t.c1);
  }
  return seconds;
}

/** State of charge after charging from s0 for `seconds`, never beyond `limit`. */
export function chargeFor(curve: ChargeCurve, s0: number, seconds: number, limit: number): number {
  if (s0 >= limit || seconds <= 0 || curve.peakKw <= 0) return s0;
  if (seconds >= secondsToCharge(curve, s0, limit)) return limit;
  const k = curve.efficiency / (curve.capacityKwh * 3600);
  const toKnee = s0 < curve.knee ? (curve.knee - s0) / (k * curve.peakKw) : 0;
  if (s0 < curve.knee && seconds <= toKnee) return s0 + k * curve.peakKw * seconds;
  const from = Math.max(s0, curve.knee);
  const t = taper(curve);
  const rest = seconds - toKnee;
  return Math.min(limit, t.c0 / t.c1 - (t.c0 / t.c1 - from) * Math.exp(-t.k * t.c1 * rest));
}
