/** `carport apps create|list|rotate-secret|rotate-management-token`: register applications, see them, rotate their credentials. */
import type { Command } from 'commander';
import { MAX_KEEP_PREVIOUS_HOURS } from '../oauth/index.js';
import { withServices } from './context.js';

function keepPreviousHours(hours: number): number {
  if (!Number.isFinite(hours) || hours < 0 || hours > MAX_KEEP_PREVIOUS_HOURS) {
    throw new Error(`--keep-previous must be a number of hours from 0 to ${MAX_KEEP_PREVIOUS_HOURS}`);
  }
  return hours;
}

export function registerAppsCommands(program: Command): void {
  const apps = program.command('apps').description('manage applications (OAuth clients)');

  apps.command('create')
    .description('register an application; prints its client secret and management token once')
    .requiredOption('--name <name>', 'application name shown to vehicle owners')
    .requiredOption('--redirect-uri <uri...>', 'allowed redirect URI (repeat for several; the first is the default)')
    .option('--public', 'a public client (mobile app, SPA): no secret at the token endpoint, PKCE required')
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; redirectUri: string[]; public?: boolean; json?: boolean }, command: Command) => {
      const created = await withServices(command, (s) => s.apps.create({
        name: opts.name, redirectUris: opts.redirectUri, publicClient: opts.public ?? false,
      }));
      if (opts.json) {
        console.log(JSON.stringify(created, null, 2));
        return;
      }
      console.log(`Created ${created.name}
  client id:                  ${created.clientId}
  client secret:              ${created.clientSecret}
  application management token: ${created.managementToken}
  redirect URIs:              ${created.redirectUris.join(' ')}
The secret and the management token are shown only now; carport keeps only their hashes.`);
    });

  apps.command('rotate-secret')
    .description('issue a new client secret; the old one keeps working for a while so deployments can switch')
    .requiredOption('--client-id <id>', 'the application')
    .option('--keep-previous <hours>', 'hours the previous secret stays valid', (v) => Number(v), 24)
    .option('--json', 'print JSON')
    .action(async (opts: { clientId: string; keepPrevious: number; json?: boolean }, command: Command) => {
      const hours = keepPreviousHours(opts.keepPrevious);
      const rotated = await withServices(command, (s) => s.apps.rotateSecret(opts.clientId, hours * 3600));
      if (opts.json) console.log(JSON.stringify(rotated, null, 2));
      else console.log(`client secret: ${rotated.clientSecret}\nthe previous secret works until ${rotated.previousValidUntil}`);
    });

  apps.command('rotate-management-token')
    .description('issue a new management token; webhook deliveries are signed with it at once, the old one keeps authenticating for a while')
    .requiredOption('--client-id <id>', 'the application')
    .option('--keep-previous <hours>', 'hours the previous token keeps authenticating (0: none)', (v) => Number(v), 24)
    .option('--json', 'print JSON')
    .action(async (opts: { clientId: string; keepPrevious: number; json?: boolean }, command: Command) => {
      const hours = keepPreviousHours(opts.keepPrevious);
      const rotated = await withServices(command, (s) => s.apps.rotateManagementToken(opts.clientId, hours));
      if (opts.json) {
        console.log(JSON.stringify(rotated, null, 2));
        return;
      }
      console.log(`application management token: ${rotated.managementToken}
${rotated.previousValidUntil ? `the previous token authenticates until ${rotated.previousValidUntil}` : 'the previous token no longer authenticates'}
Webhook deliveries are signed with the new token from now on: give it to your receivers.`);
    });

  apps.command('list')
    .description('list applications')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const list = await withServices(command, (s) => s.apps.list());
      const rows = list.map((a) => ({ clientId: a.id, name: a.name, redirectUris: a.redirectUris, createdAt: a.createdAt }));
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else for (const r of rows) console.log(`${r.clientId}  ${r.name}  ${r.redirectUris.join(' ')}`);
    });
}
