/**
 * Commands and the simulator's stored vocabulary (openings, charge states, service records). What a
 * car reports is the signal catalog (signal-catalog.ts).
 */

import type { Powertrain } from './signal-catalog.js';

export type { Powertrain };
export type OpenState = 'OPEN' | 'CLOSED' | 'UNKNOWN';
export type ChargeState = 'CHARGING' | 'FULLY_CHARGED' | 'NOT_CHARGING';
export type DoorPosition = 'frontLeft' | 'frontRight' | 'backLeft' | 'backRight';

export interface ServiceRecord {
  serviceId: number | null;
  serviceDate: string;
  odometerKm: number | null;
  tasks: { taskId: number | null; taskDescription: string | null }[];
  type: string | null;
  cost: { totalCost: number | null; currency: string | null } | null;
}

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
