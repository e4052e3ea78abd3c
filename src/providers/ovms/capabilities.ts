/** The commands an OVMS-connected car takes through carport: charge start and stop (lock needs the module's PIN). */
import { COMMAND_NAMES, type CommandName } from '../../core/index.js';
import type { Support } from '../provider.js';

const COMMANDS: ReadonlySet<CommandName> = new Set(['startCharge', 'stopCharge']);

export const OVMS_COMMANDS: Readonly<Record<CommandName, Support>> = Object.freeze(Object.fromEntries(
  COMMAND_NAMES.map((c): [CommandName, Support] => [c, COMMANDS.has(c) ? 'supported' : 'SMARTCAR_NOT_CAPABLE']),
) as Record<CommandName, Support>);
