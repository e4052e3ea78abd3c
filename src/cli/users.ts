/** `carport users create`: developer accounts, who sign in to the console and own apps. */
import type { Command } from 'commander';
import { withServices } from './context.js';

export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('manage developer accounts (console sign-in, app owners)');

  users.command('create')
    .description('create a developer account; its password is stored as a scrypt hash')
    .requiredOption('--email <email>', 'the developer\'s email address (their sign-in name)')
    .requiredOption('--password <password>', 'at least 8 characters')
    .option('--json', 'print JSON')
    .action(async (opts: { email: string; password: string; json?: boolean }, command: Command) => {
      const user = await withServices(command, (s) => s.developers.create({ email: opts.email, password: opts.password }));
      if (opts.json) console.log(JSON.stringify(user, null, 2));
      else console.log(`Created developer ${user.email} (${user.userId})`);
    });
}
