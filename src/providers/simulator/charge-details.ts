/**
 * What a charging car's meters show, from the same curve that moves its state of charge
 * (physics/charging.ts): supply voltage and phases by region, current and power drawn, the time to
 * reach the active limit, and the plugs it takes. Wattage is volts × amps × phases of the reported
 * (rounded) figures, so the three always agree.
 */
import type { ModelSpec } from './catalog-types.js';
import { chargeState } from './derive.js';
import { powerAt, secondsToCharge } from './physics/charging.js';
import { chargeCurve, HOME_CHARGER } from './physics/timeline.js';
import type { SimSnapshot } from './state.js';

export interface ChargeDetails {
  voltage: number;
  amperage: number;
  amperageMax: number;
  amperageRequested: number;
  /** AC phases in use; 0 on DC or unplugged. */
  phases: number;
  wattage: number;
  timeToCompleteMinutes: number;
  /** Rated range gained per hour of charging. */
  rateKmh: number;
  energyAddedKwh: number;
  connectorType: string;
  isFastChargerPresent: boolean;
  portStatusColor: string;
}

export interface Plugs {
  ac: string;
  /** The fast-charging inlet; null on cars without DC charging. */
  dc: string | null;
}

/** Packs of the 800 V class; the rest here are 400 V. */
const EIGHT_HUNDRED_VOLT: ReadonlySet<string> = new Set(['Ioniq 5', 'EV6', 'Taycan']);
/** Above this an AC charge in Europe uses three phases (230 V × 32 A single phase is 7.4 kW). */
const SINGLE_PHASE_MAX_KW = 7.4;
/** North American Level 1 (120 V) tops out near 1.9 kW. */
const LEVEL_1_MAX_KW = 1.92;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The car's inlets by brand and market: Tesla NACS in North America and Type 2/CCS2 in Europe;
 * Nissan's Leaf CHAdeMO for DC; everyone else J1772/CCS1 in North America, Type 2/CCS2 in Europe.
 */
export function plugsOf(spec: ModelSpec, northAmerican: boolean): Plugs {
  if (!spec.dcChargeKw) return { ac: northAmerican ? 'J1772' : 'TYPE_2', dc: null };
  if (spec.make === 'TESLA') return northAmerican ? { ac: 'NACS', dc: 'NACS' } : { ac: 'TYPE_2', dc: 'CCS2' };
  if (spec.make === 'NISSAN' && spec.model === 'Leaf') return { ac: northAmerican ? 'J1772' : 'TYPE_2', dc: 'CHADEMO' };
  return northAmerican ? { ac: 'J1772', dc: 'CCS1' } : { ac: 'TYPE_2', dc: 'CCS2' };
}

/** Pack voltage under charge: rises with state of charge across the class's window. */
function packVoltage(spec: ModelSpec, soc: number): number {
  const nominal = EIGHT_HUNDRED_VOLT.has(spec.model) ? 800 : 400;
  return Math.round(nominal * (0.85 + 0.2 * soc));
}

export function chargeDetails(s: SimSnapshot, spec: ModelSpec, northAmerican: boolean): ChargeDetails {
  const plugs = plugsOf(spec, northAmerican);
  const state = chargeState(s);
  const session = s.chargeSession;
  const energyAddedKwh = session && s.soc !== null ? round(Math.max(0, (s.soc - session.startSoc) * (spec.batteryKwh ?? 0)), 2) : 0;
  const portStatusColor = !s.isPluggedIn ? 'OFF' : state === 'NOT_CHARGING' ? 'BLUE' : 'GREEN';
  if (!s.isPluggedIn || !spec.batteryKwh) {
    return {
      voltage: 0, amperage: 0, amperageMax: 0, amperageRequested: 0, phases: 0, wattage: 0, timeToCompleteMinutes: 0, rateKmh: 0,
      energyAddedKwh, connectorType: plugs.ac, isFastChargerPresent: false, portStatusColor,
    };
  }
  const charging = state === 'CHARGING';
  const soc = s.soc ?? 0;
  const charger = s.charger ?? HOME_CHARGER;
  const dc = charger.dc && plugs.dc !== null;
  const curve = chargeCurve(spec, dc === charger.dc ? charger : { powerKw: charger.powerKw, dc });
  const powerKw = charging ? powerAt(curve, soc) : 0;
  const meters = dc ? dcMeters(spec, soc, curve.peakKw, powerKw) : acMeters(northAmerican, curve.peakKw, powerKw, charging);
  return {
    voltage: meters.voltage, amperage: meters.amperage, amperageMax: meters.amperageMax, amperageRequested: meters.amperageRequested,
    phases: meters.phases, wattage: meters.wattage,
    timeToCompleteMinutes: charging ? Math.ceil(secondsToCharge(curve, soc, s.chargeLimit) / 60) : 0,
    rateKmh: charging ? round(((powerKw * curve.efficiency) / spec.batteryKwh) * (spec.electricRangeKm ?? 0), 1) : 0,
    energyAddedKwh,
    connectorType: dc ? (plugs.dc ?? plugs.ac) : plugs.ac,
    isFastChargerPresent: dc,
    portStatusColor,
  };
}

type Meters = Pick<ChargeDetails, 'voltage' | 'amperage' | 'amperageMax' | 'amperageRequested' | 'phases' | 'wattage'>;

function acMeters(northAmerican: boolean, peakKw: number, powerKw: number, charging: boolean): Meters {
  const voltage = northAmerican ? (peakKw <= LEVEL_1_MAX_KW ? 120 : 240) : 230;
  const phases = !northAmerican && peakKw > SINGLE_PHASE_MAX_KW ? 3 : 1;
  const amperageMax = round((peakKw * 1000) / (voltage * phases), 1);
  const amperage = round((powerKw * 1000) / (voltage * phases), 1);
  return { voltage, phases, amperage, amperageMax, amperageRequested: charging ? amperageMax : 0, wattage: Math.round(voltage * amperage * phases) };
}

function dcMeters(spec: ModelSpec, soc: number, peakKw: number, powerKw: number): Meters {
  const voltage = packVoltage(spec, soc);
  const amperage = round((powerKw * 1000) / voltage, 1);
  return {
    voltage, phases: 0, amperage, amperageMax: round((peakKw * 1000) / voltage, 1), amperageRequested: amperage,
    wattage: Math.round(voltage * amperage),
  };
}
