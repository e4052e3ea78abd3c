#!/usr/bin/env node
/** The `carport` command. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { registerAppsCommands } from './apps.js';
import { registerConfigCommand } from './config-command.js';
import { capInputs } from './input-limits.js';
import { registerPurgeCommand } from './purge.js';
import { registerServeCommand } from './serve.js';
import { registerSimCommands } from './sim.js';
import { registerTokensCommands } from './tokens.js';
import { registerUsersCommands } from './users.js';
import { registerWebhooksCommands } from './webhooks.js';
import { registerWorkerCommand } from './worker.js';

const program = new Command()
  .name('carport')
  .description('Self-hostable connected-car API platform (Smartcar v2.0 wire-compatible)')
  .option('--database-url <url>', 'database (overrides DATABASE_URL)')
  .showHelpAfterError()
  .exitOverride();
capInputs(program);

registerServeCommand(program);
registerAppsCommands(program);
registerUsersCommands(program);
registerTokensCommands(program);
registerSimCommands(program);
registerWebhooksCommands(program);
registerWorkerCommand(program);
registerPurgeCommand(program);
registerConfigCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(`carport: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
