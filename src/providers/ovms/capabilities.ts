/**
 * What an OVMS-connected car offers through carport: the standard metrics read so far and charge
 * start/stop. An OVMS car is electric, so fuel is the vehicle's lack; the rest is carport's (not yet built).
 */
import { COMMAND_NAMES, SIGNAL_NAMES, type CommandName, type SignalName } from '../../core/index.js';
import type { CapabilityMatrix, Support } from '../provider.js';

const READ: ReadonlySet<SignalName> = new Set(['attributes', 'vin', 'odometer', 'battery', 'charge', 'location', 'lockStatus']);
const VEHICLE_LACKS: ReadonlySet<SignalName> = new Set(['fuel', 'engineOil']);
const COMMANDS: ReadonlySet<CommandName> = new Set(['startCharge', 'stopCharge']);

export const OVMS_CAPABILITIES: CapabilityMatrix = Object.freeze({
  signals: Object.freeze(Object.fromEntries(SIGNAL_NAMES.map((s): [SignalName, Support] => [
    s, READ.has(s) ? 'supported' : VEHICLE_LACKS.has(s) ? 'VEHICLE_NOT_CAPABLE' : 'SMARTCAR_NOT_CAPABLE',
  ])) as Record<SignalName, Support>),
  commands: Object.freeze(Object.fromEntries(COMMAND_NAMES.map((c): [CommandName, Support] => [c, COMMANDS.has(c) ? 'supported' : 'SMARTCAR_NOT_CAPABLE'])) as Record<CommandName, Support>),
});
