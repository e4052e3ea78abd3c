/**
 * The command catalog: each command the platform can send a car, the permission it needs, the
 * powertrains whose hardware can do it, its v3 path and `commandType`, and the signals that show
 * its outcome (commands never answer new state; a read of these confirms it).
 */
import type { Permission } from './permissions.js';
import type { Powertrain } from './signal-catalog.js';
import { COMMAND_NAMES, type CommandName } from './signals.js';

export interface CommandSpec {
  name: CommandName;
  permission: Permission;
  powertrains: readonly Powertrain[];
  /** Path under `/v3/vehicles/{id}/commands/`. */
  v3Path: string;
  /** The `command-execution` resource's `commandType`. */
  commandType: string;
  confirmedBy: readonly string[];
}

const ALL: readonly Powertrain[] = ['BEV', 'PHEV', 'HEV', 'ICE'];
const PLUG: readonly Powertrain[] = ['BEV', 'PHEV'];

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  lock: {
    name: 'lock', permission: 'control_security', powertrains: ALL, v3Path: 'security/lock', commandType: 'security-lock',
    confirmedBy: ['closure-islocked', 'closure-doors'],
  },
  unlock: {
    name: 'unlock', permission: 'control_security', powertrains: ALL, v3Path: 'security/unlock', commandType: 'security-unlock',
    confirmedBy: ['closure-islocked', 'closure-doors'],
  },
  startCharge: {
    name: 'startCharge', permission: 'control_charge', powertrains: PLUG, v3Path: 'charge/start', commandType: 'charge-start',
    confirmedBy: ['charge-ischarging', 'charge-detailedchargingstatus'],
  },
  stopCharge: {
    name: 'stopCharge', permission: 'control_charge', powertrains: PLUG, v3Path: 'charge/stop', commandType: 'charge-stop',
    confirmedBy: ['charge-ischarging', 'charge-detailedchargingstatus'],
  },
  setChargeLimit: {
    name: 'setChargeLimit', permission: 'control_charge', powertrains: PLUG, v3Path: 'charge/set-limit',
    commandType: 'charge-set-limit', confirmedBy: ['charge-chargelimits'],
  },
  sendDestination: {
    name: 'sendDestination', permission: 'control_navigation', powertrains: ALL, v3Path: 'navigation/set-destination',
    commandType: 'navigation-set-destination', confirmedBy: [],
  },
};

export const COMMAND_SPECS: readonly CommandSpec[] = COMMAND_NAMES.map((name) => COMMANDS[name]);
