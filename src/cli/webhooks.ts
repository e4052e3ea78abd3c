/** `carport webhooks create|list|show|deliveries|redeliver`: an app's webhooks, from the command line. */
import type { Command } from 'commander';
import { commaList } from '../core/index.js';
import { checkedDefinition, describeWebhook, WEBHOOK_LIMITS, WebhookDefinitionError } from '../management/index.js';
import { TRIGGERS } from '../webhooks/index.js';
import { withServices } from './context.js';
import { parseDuration } from './duration.js';


export function registerWebhooksCommands(program: Command): void {
  const webhooks = program.command('webhooks').description('webhooks: signed deliveries of vehicle data and events');

  webhooks.command('create')
    .description('define a webhook; carport sends the VERIFY challenge and prints whether it is active')
    .requiredOption('--client-id <id>', 'the application')
    .requiredOption('--url <url>', 'the receiver')
    .requiredOption('--type <type>', 'event or scheduled')
    .option('--triggers <list>', `event triggers, comma-separated: ${TRIGGERS.join(', ')}; for 4.0 also trigger-capable signal codes`, commaList)
    .option('--interval <duration>', 'scheduled: how often, e.g. 5m, 1h', '1h')
    .option('--data <list>', 'data points each delivery carries, e.g. odometer,battery,charge; for 4.0 also signal codes', commaList, [])
    .option('--name <name>', 'a name for people', 'Webhook')
    .option('--payload-version <version>', 'payload format: 2.0, or 4.0 (event webhooks)', '2.0')
    .option('--json', 'print JSON')
    .action(async (opts: {
      clientId: string; url: string; type: string; triggers?: string[]; interval: string; data: string[]; name: string; payloadVersion: string; json?: boolean;
    }, command: Command) => {
      if (opts.type !== 'event' && opts.type !== 'scheduled') throw new Error('--type is event or scheduled');
      if (opts.url.length > WEBHOOK_LIMITS.urlLength) throw new Error(`--url is longer than ${WEBHOOK_LIMITS.urlLength} characters`);
      if (opts.name.length > WEBHOOK_LIMITS.nameLength) throw new Error(`--name is longer than ${WEBHOOK_LIMITS.nameLength} characters`);
      if ((opts.triggers ?? []).length > WEBHOOK_LIMITS.triggers) throw new Error(`--triggers takes at most ${WEBHOOK_LIMITS.triggers}`);
      if (opts.data.length > WEBHOOK_LIMITS.dataSignals) throw new Error(`--data takes at most ${WEBHOOK_LIMITS.dataSignals} entries`);
      if (opts.type === 'event' && !opts.triggers?.length) throw new Error('an event webhook needs --triggers');
      try {
        new URL(opts.url);
      } catch {
        throw new Error(`--url is not a URL: ${opts.url}`);
      }
      if (opts.payloadVersion !== '2.0' && opts.payloadVersion !== '4.0') throw new Error('--payload-version is 2.0 or 4.0');
      let data: string[];
      try {
        ({ data } = checkedDefinition({ version: opts.payloadVersion, type: opts.type, data: opts.data, triggers: opts.triggers }));
      } catch (error) {
        if (error instanceof WebhookDefinitionError) throw new Error(`--${error.field === 'version' ? 'payload-version' : error.field}: ${error.message}`, { cause: error });
        throw error;
      }
      const intervalSeconds = Math.round(parseDuration(opts.interval) / 1000);
      const result = await withServices(command, async (s) => {
        if (!(await s.apps.find(opts.clientId))) throw new Error(`no application with client id ${opts.clientId}`);
        return s.webhooks.create(opts.clientId, {
          name: opts.name, url: opts.url, type: opts.type as 'event' | 'scheduled', intervalSeconds,
          triggers: opts.triggers, data, version: opts.payloadVersion as '2.0' | '4.0',
        });
      });
      const out = { webhookId: result.webhook.id, status: result.webhook.status, ...(result.verification.reason && { verification: result.verification.reason }) };
      console.log(opts.json ? JSON.stringify(out, null, 2) : `${out.webhookId}: ${out.status}${out.verification ? ` (${out.verification})` : ''}`);
    });

  webhooks.command('deliveries')
    .description('a webhook\'s latest deliveries and their state')
    .argument('<webhook-id>')
    .requiredOption('--client-id <id>', 'the application')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .option('--json', 'print JSON')
    .action(async (webhookId: string, opts: { clientId: string; limit: number; json?: boolean }, command: Command) => {
      const rows = await withServices(command, (s) => s.webhooks.deliveries(opts.clientId, webhookId, Math.max(1, Math.min(500, opts.limit))));
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else for (const d of rows) console.log(`${d.deliveryId}  ${d.status}  attempts ${d.attempts}  ${d.lastError ?? ''}`);
    });

  webhooks.command('redeliver')
    .description('send a dead-lettered delivery again')
    .argument('<webhook-id>')
    .argument('<delivery-id>')
    .requiredOption('--client-id <id>', 'the application')
    .action(async (webhookId: string, deliveryId: string, opts: { clientId: string }, command: Command) => {
      const queued = await withServices(command, (s) => s.webhooks.redeliver(opts.clientId, webhookId, deliveryId));
      if (!queued) throw new Error('only a dead-lettered delivery can be redelivered');
      console.log(`${deliveryId}: queued again`);
    });

  webhooks.command('show')
    .description('one webhook: its definition, state and subscribed vehicles')
    .argument('<webhook-id>')
    .requiredOption('--client-id <id>', 'the application')
    .option('--json', 'print JSON')
    .action(async (webhookId: string, opts: { clientId: string; json?: boolean }, command: Command) => {
      const shown = await withServices(command, async (s) => ({
        ...describeWebhook(await s.webhooks.find(opts.clientId, webhookId)),
        vehicles: await s.webhooks.subscribedVehicles(opts.clientId, webhookId),
      }));
      if (opts.json) console.log(JSON.stringify(shown, null, 2));
      else {
        console.log(`${shown.webhookId}  ${shown.status}  ${shown.type}  v${shown.version}  ${shown.url}`);
        console.log(`data: ${shown.data.join(', ') || '-'}${shown.type === 'event' ? `  triggers: ${shown.triggers.join(', ')}` : `  every ${shown.intervalSeconds} s`}`);
        console.log(`vehicles: ${shown.vehicles.join(', ') || '-'}`);
      }
    });

  webhooks.command('list')
    .description('list an app\'s webhooks')
    .requiredOption('--client-id <id>', 'the application')
    .option('--json', 'print JSON')
    .action(async (opts: { clientId: string; json?: boolean }, command: Command) => {
      const rows = (await withServices(command, (s) => s.webhooks.list(opts.clientId))).map(describeWebhook);
      if (opts.json) console.log(JSON.stringify(rows, null, 2));
      else for (const w of rows) console.log(`${w.webhookId}  ${w.status}  ${w.type}  ${w.url}`);
    });
}
