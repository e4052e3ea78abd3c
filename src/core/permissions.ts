/** Permission (scope) names and which one each signal and command needs. Names are API: append only. */
import type { CommandName, SignalName } from './signals.js';

export const PERMISSIONS = [
  'read_alerts', 'read_battery', 'read_charge', 'read_charge_locations', 'read_charge_records',
  'read_charge_events', 'read_climate', 'read_compass', 'read_diagnostics', 'read_engine_oil',
  'read_extended_vehicle_info', 'read_fuel', 'read_location', 'read_odometer', 'read_security',
  'read_service_history', 'read_speedometer', 'read_thermometer', 'read_tires', 'read_user_profile',
  'read_vehicle_info', 'read_vin',
  'control_charge', 'control_climate', 'control_navigation', 'control_security', 'control_pin',
  'control_trunk',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const KNOWN = new Set<string>(PERMISSIONS);

export function isPermission(name: string): name is Permission {
  return KNOWN.has(name);
}

export const SIGNAL_PERMISSION: Readonly<Record<SignalName, Permission>> = {
  attributes: 'read_vehicle_info',
  vin: 'read_vin',
  odometer: 'read_odometer',
  location: 'read_location',
  fuel: 'read_fuel',
  battery: 'read_battery',
  batteryCapacity: 'read_battery',
  nominalCapacity: 'read_battery',
  charge: 'read_charge',
  chargeLimit: 'read_charge',
  tirePressure: 'read_tires',
  engineOil: 'read_engine_oil',
  lockStatus: 'read_security',
  diagnosticSystemStatus: 'read_diagnostics',
  diagnosticTroubleCodes: 'read_diagnostics',
  serviceHistory: 'read_service_history',
};

export const COMMAND_PERMISSION: Readonly<Record<CommandName, Permission>> = {
  lock: 'control_security',
  unlock: 'control_security',
  startCharge: 'control_charge',
  stopCharge: 'control_charge',
  setChargeLimit: 'control_charge',
  sendDestination: 'control_navigation',
};

/**
 * Parses a space-separated scope string. The `required:` prefix only changes how Connect shows a
 * permission; the granted name is the bare one.
 */
export function parseScope(scope: string): { permissions: Permission[]; required: Permission[]; unknown: string[] } {
  const permissions: Permission[] = [];
  const required: Permission[] = [];
  const unknown: string[] = [];
  for (const word of scope.split(/[\s+]+/).filter(Boolean)) {
    const isRequired = word.startsWith('required:');
    const name = isRequired ? word.slice('required:'.length) : word;
    if (!isPermission(name)) {
      unknown.push(word);
      continue;
    }
    if (!permissions.includes(name)) permissions.push(name);
    if (isRequired && !required.includes(name)) required.push(name);
  }
  return { permissions, required, unknown };
}

/** The signals and commands a permission unlocks (empty for permissions no provider serves yet). */
export function featuresOf(permission: Permission): { signals: SignalName[]; commands: CommandName[] } {
  return {
    signals: (Object.keys(SIGNAL_PERMISSION) as SignalName[]).filter((s) => SIGNAL_PERMISSION[s] === permission),
    commands: (Object.keys(COMMAND_PERMISSION) as CommandName[]).filter((c) => COMMAND_PERMISSION[c] === permission),
  };
}
