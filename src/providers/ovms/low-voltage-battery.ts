/**
 * The 12 V battery's charge and health from its voltage (`v.b.12v.voltage`), the only measure
 * OVMS standard metrics give of it. A lead-acid battery's resting (open-circuit) voltage tracks its
 * state of charge; the table is the usual one for a flooded 12 V battery at 25 °C (Trojan Battery's
 * open-circuit voltage table, as battery makers publish it): 12.73 V full, 0.11–0.15 V less per
 * tenth, 11.51 V at 10 %, and 0 % one more step down.
 *
 * Caveat: while the car is awake its DC/DC converter charges the battery at 13–14.5 V, which reads
 * as full; the value is exact only at rest (after the car has slept a while), as for every
 * voltage-based gauge.
 */

/** [volts, percent], ascending. */
const RESTING_VOLTAGE_TO_PERCENT: readonly (readonly [number, number])[] = [
  [11.36, 0], [11.51, 10], [11.66, 20], [11.81, 30], [11.96, 40], [12.1, 50],
  [12.24, 60], [12.37, 70], [12.5, 80], [12.62, 90], [12.73, 100],
];

/** State of charge, 0–100 %, interpolated linearly between the table's points. */
export function leadAcidStateOfCharge(volts: number): number {
  const table = RESTING_VOLTAGE_TO_PERCENT;
  const [lowVolts, lowPercent] = table[0]!;
  const [highVolts, highPercent] = table[table.length - 1]!;
  if (volts <= lowVolts) return lowPercent;
  if (volts >= highVolts) return highPercent;
  const upper = table.findIndex(([v]) => v >= volts);
  const [v0, p0] = table[upper - 1]!;
  const [v1, p1] = table[upper]!;
  return Math.round((p0 + ((volts - v0) / (v1 - v0)) * (p1 - p0)) * 10) / 10;
}

/**
 * GOOD at half charge or more; WARN below it, where a lead-acid battery starts to sulphate and
 * cold starts of the 12 V system get doubtful; BAD below 20 % (≈ 11.66 V), or whenever the
 * module raises its own under-voltage alert (`v.b.12v.voltage.alert`, the firmware's
 * `vehicle.alert.12v.low`, measured against the battery's calibrated reference voltage).
 */
export function lowVoltageStatus(percent: number, moduleAlert: boolean): 'GOOD' | 'WARN' | 'BAD' {
  if (moduleAlert || percent < 20) return 'BAD';
  return percent < 50 ? 'WARN' : 'GOOD';
}
