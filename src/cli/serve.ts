/** `carport serve`: run the platform; on first start with an empty database, create a demo app and the developer who owns it. */
import type { Command } from 'commander';
import { publicUrlOf, withoutTrailingSlashes, type Config } from '../config.js';
import { envSnippet } from '../oauth/index.js';
import { createPlatform, type Platform } from '../server.js';
import { configFrom } from './context.js';

/** The developer account made with the demo app on a new database. */
export const FIRST_DEVELOPER_EMAIL = 'demo@carport.local';

async function createDemoApp(platform: Platform, config: Config, port: number): Promise<void> {
  if ((await platform.services.apps.count()) > 0) return;
  const { developers } = platform.services;
  const owner = (await developers.count()) === 0 ? await developers.createWithGeneratedPassword(FIRST_DEVELOPER_EMAIL) : null;
  const base = publicUrlOf(config, port);
  const redirectUri = config.demoRedirectUri ?? `${base}/demo/callback`;
  const connect = config.connectUrl ? withoutTrailingSlashes(config.connectUrl) : base;
  const demo = await platform.services.apps.create({ name: 'Demo app', redirectUris: [redirectUri], ownerUserId: owner?.userId ?? null });
  // Printed once to the terminal, never logged: carport keeps only hashes of these.
  console.log(`
carport created a demo app on this new database. Keep these; they are shown only once.

${envSnippet({ clientId: demo.clientId, clientSecret: demo.clientSecret, redirectUri, origin: base }).replace(/^/gm, '  ')}
  application management token: ${demo.managementToken}
${owner ? `
It belongs to the developer account ${owner.email}, one-time password ${owner.password}
(marked temporary: to be replaced at the first sign-in).
` : ''}
Connect a test-mode owner in your browser (any email and password work):
  ${connect}/oauth/authorize?response_type=code&client_id=${demo.clientId}&mode=test&scope=read_vehicle_info%20read_odometer%20read_location%20control_security
Get a test token with simulated vehicles without the browser:
  npx carport tokens create --client-id ${demo.clientId} --scope "read_vehicle_info read_odometer read_battery read_charge control_security" --make TESLA
`);
}

export function registerServeCommand(program: Command): void {
  program.command('serve')
    .description('run the platform')
    .option('--port <port>', 'TCP port (overrides PORT)')
    .option('--host <host>', 'interface to bind (overrides HOST)')
    .action(async (opts: { port?: string; host?: string }, command: Command) => {
      const config = configFrom(command, { port: opts.port, host: opts.host });
      const platform = await createPlatform(config);
      let closing = false;
      // SIGTERM comes from an orchestrator with a load balancer to tell; SIGINT from a person at a terminal.
      const shutdown = async (signal: 'SIGINT' | 'SIGTERM') => {
        if (closing) return;
        closing = true;
        const delayMs = signal === 'SIGTERM' ? config.shutdownDelayMs : 0;
        platform.app.log.info({ signal, delayMs }, 'shutting down');
        await platform.drainAndClose(delayMs);
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      await platform.app.listen({ port: config.port, host: config.host });
      const address = platform.app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      await createDemoApp(platform, config, port);
      console.log(`carport listening on ${publicUrlOf(config, port)}`);
    });
}
