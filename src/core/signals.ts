/** The normalized vehicle model: every data point a provider can report, in canonical metric units. */

import type { Powertrain } from './signal-catalog.js';

export type { Powertrain };
export type OpenState = 'OPEN' | 'CLOSED' | 'UNKNOWN';
export type ChargeState = 'CHARGING' | 'FULLY_CHARGED' | 'NOT_CHARGING';
export type DoorPosition = 'frontLeft' | 'frontRight' | 'backLeft' | 'backRight';

export interface Opening<T extends string = string> {
  type: T;
  status: OpenState;
}

export interface ServiceRecord {
  serviceId: number | null;
  serviceDate: string;
  odometerKm: number | null;
  tasks: { taskId: number | null; taskDescription: string | null }[];
  type: string | null;
  cost: { totalCost: number | null; currency: string | null } | null;
}

/** Values by signal name. Distances in km, volumes in litres, pressures in kPa, energy in kWh, ratios 0–1. */
export interface SignalValues {
  attributes: { make: string; model: string; year: number };
  vin: { vin: string };
  odometer: { distanceKm: number };
  location: { latitude: number; longitude: number };
  fuel: { rangeKm: number | null; percentRemaining: number | null; amountLiters: number | null };
  battery: { rangeKm: number | null; percentRemaining: number };
  batteryCapacity: { capacityKwh: number };
  nominalCapacity: {
    available: { capacityKwh: number; description: string | null }[];
    nominal: { capacityKwh: number; source: 'SMARTCAR' | 'USER_SELECTED' } | null;
  };
  charge: { isPluggedIn: boolean; state: ChargeState };
  chargeLimit: { limit: number };
  tirePressure: { frontLeftKpa: number; frontRightKpa: number; backLeftKpa: number; backRightKpa: number };
  engineOil: { lifeRemaining: number };
  lockStatus: {
    isLocked: boolean;
    doors: Opening<DoorPosition>[];
    windows: Opening<DoorPosition>[];
    sunroof: Opening<'sunroof'>[];
    storage: Opening<'front' | 'rear'>[];
    chargingPort: Opening<'chargingPort'>[];
  };
  diagnosticSystemStatus: { systems: { systemId: string; status: 'OK' | 'ALERT'; description: string | null }[] };
  diagnosticTroubleCodes: { activeCodes: { code: string; timestamp: string | null }[] };
  serviceHistory: { records: ServiceRecord[] };
}

export type SignalName = keyof SignalValues;

export const SIGNAL_NAMES = [
  'attributes', 'vin', 'odometer', 'location', 'fuel', 'battery', 'batteryCapacity', 'nominalCapacity',
  'charge', 'chargeLimit', 'tirePressure', 'engineOil', 'lockStatus', 'diagnosticSystemStatus',
  'diagnosticTroubleCodes', 'serviceHistory',
] as const satisfies readonly SignalName[];

/** Arguments by command name. */
export interface CommandArgs {
  lock: Record<string, never>;
  unlock: Record<string, never>;
  startCharge: Record<string, never>;
  stopCharge: Record<string, never>;
  setChargeLimit: { limit: number };
  sendDestination: { latitude: number; longitude: number };
}

export type CommandName = keyof CommandArgs;

export const COMMAND_NAMES = [
  'lock', 'unlock', 'startCharge', 'stopCharge', 'setChargeLimit', 'sendDestination',
] as const satisfies readonly CommandName[];

/**
 * One value as a provider saw it: `observedAt` is when the car measured it, `fetchedAt` when the
 * platform obtained it. Their difference is the freshness every response reports.
 */
export interface Reading<T> {
  value: T;
  observedAt: Date;
  fetchedAt: Date;
}
