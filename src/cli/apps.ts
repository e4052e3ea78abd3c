/** `carport apps create|list|assign|rotate-secret|rotate-management-token`: register applications, see them, give them owners, rotate their credentials. */
import type { Command } from 'commander';
import { DeveloperUserError, normalizedEmail } from '../developers/index.js';
import { MAX_KEEP_PREVIOUS_HOURS } from '../oauth/index.js';
import type { Services } from '../server.js';
import { withServices } from './context.js';

/** The developer account of an email given on the command line. */
async function ownerId(services: Services, email: string): Promise<string> {
  const user = await services.developers.findByEmail(email);
  if (!user) throw new DeveloperUserError(`no developer account ${normalizedEmail(email)}: create it with carport users create`);
  return user.id;
}

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
    .option('--owner <email>', 'the developer account that owns it (the console shows an app to its owner only)')
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; redirectUri: string[]; public?: boolean; owner?: string; json?: boolean }, command: Command) => {
      const created = await withServices(command, async (s) => s.apps.create({
        name: opts.name, redirectUris: opts.redirectUri, publicClient: opts.public ?? false,
        ownerUserId: opts.owner === undefined ? null : await ownerId(s, opts.owner),
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

  apps.command('assign')
    .description('give an application to a developer account, or with --no-owner to no one')
    .requiredOption('--client-id <id>', 'the application')
    .option('--owner <email>', 'the developer account that owns it from now on')
    .option('--no-owner', 'leave it without an owner (shown to no one in the console)')
    .action(async (opts: { clientId: string; owner?: string | false }, command: Command) => {
      if (opts.owner === undefined) throw new DeveloperUserError('say --owner EMAIL or --no-owner');
      const owner = opts.owner;
      await withServices(command, async (s) => {
        const userId = owner === false ? null : await ownerId(s, owner);
        if (!(await s.apps.assignOwner(opts.clientId, userId))) throw new DeveloperUserError(`no application ${opts.clientId}`);
      });
      console.log(owner === false ? `${opts.clientId} has no owner now` : `${opts.clientId} belongs to ${normalizedEmail(owner)} now`);
    });

  apps.command('list')
    .description('list applications')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const rows = await withServices(command, async (s) => {
        const list = await s.apps.list();
        const owners = new Map<string, string>();
        for (const { ownerUserId } of list) {
          if (ownerUserId !== null && !owners.has(ownerUserId)) owners.set(ownerUserId, (await s.developers.find(ownerUserId))?.email ?? '');
        }
        return list.map((a) => ({
          clientId: a.id, name: a.name, redirectUris: a.redirectUris, createdAt: a.createdAt,
          owner: a.ownerUserId === null ? null : owners.get(a.ownerUserId) ?? null,
        }));
      });
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else for (const r of rows) console.log(`${r.clientId}  ${r.name}  ${r.redirectUris.join(' ')}${r.owner ? `  owner ${r.owner}` : ''}`);
    });
}
