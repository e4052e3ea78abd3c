/**
 * What an OVMS-connected car offers through carport: the catalog signals its standard metrics map
 * to and charge start/stop. An OVMS car is electric, so engine signals are the vehicle's lack.
 */
import { COMMAND_NAMES, SIGNALS, type CommandName } from '../../core/index.js';
import type { CapabilityMatrix, Support } from '../provider.js';
import { OVMS_SIGNALS } from './signals.js';

const COMMANDS: ReadonlySet<CommandName> = new Set(['startCharge', 'stopCharge']);

export const OVMS_CAPABILITIES: CapabilityMatrix = Object.freeze({
  signals: Object.freeze(Object.fromEntries(SIGNALS.map((s): [string, Support] => [
    s.code, s.code in OVMS_SIGNALS || s.code === 'vehicleidentification-vin' ? 'supported' : s.powertrains.includes('BEV') ? 'SMARTCAR_NOT_CAPABLE' : 'VEHICLE_NOT_CAPABLE',
  ]))),
  commands: Object.freeze(Object.fromEntries(COMMAND_NAMES.map((c): [CommandName, Support] => [c, COMMANDS.has(c) ? 'supported' : 'SMARTCAR_NOT_CAPABLE'])) as Record<CommandName, Support>),
});
