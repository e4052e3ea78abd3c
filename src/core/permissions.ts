/** Permission (scope) names; which one each signal and command needs is in the catalogs. Names are API: append only. */
import { COMMAND_SPECS } from './command-catalog.js';
import { SIGNALS } from './signal-catalog.js';
import type { CommandName } from './signals.js';

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

/**
 * Permissions the platform's own record of a vehicle satisfies (make, model and year: v2.0's
 * vehicle info, v3's vehicle resource), whatever the car itself reports.
 */
export const RECORD_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['read_vehicle_info']);

/** The catalog signals (codes) and commands a permission unlocks (empty for permissions nothing reads yet). */
export function featuresOf(permission: Permission): { signals: string[]; commands: CommandName[] } {
  return {
    signals: SIGNALS.filter((s) => s.permission === permission).map((s) => s.code),
    commands: COMMAND_SPECS.filter((c) => c.permission === permission).map((c) => c.name),
  };
}
