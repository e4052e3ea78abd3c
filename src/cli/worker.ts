/** `carport worker`: a webhook delivery worker on its own, beside `serve` processes with WEBHOOK_WORKER=off. */
import type { Command } from 'commander';
import { pino } from 'pino';
import { loggerOptions } from '../logger.js';
import { createServices, listenForCacheEvictions, startDeliveryWorker } from '../server.js';
import { systemClock } from '../core/index.js';
import { configFrom } from './context.js';

export function registerWorkerCommand(program: Command): void {
  program.command('worker')
    .description('deliver webhooks (several may share a PostgreSQL database; on SQLite run one)')
    .action(async (_opts: unknown, command: Command) => {
      const config = configFrom(command);
      const log = pino(loggerOptions(config.logLevel));
      const { db, services } = await createServices(config, systemClock, log);
      const evictions = await listenForCacheEvictions(config, services, log);
      const worker = startDeliveryWorker(config, db, services, systemClock, log);
      log.info({}, 'webhook worker started');
      const shutdown = async (signal: string) => {
        log.info({ signal }, 'webhook worker stopping');
        await worker.stop();
        await evictions.close();
        await db.destroy();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
