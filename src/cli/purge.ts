/** `carport purge`: one purge pass now (serve and worker run one every hour by themselves), e.g. from cron. */
import type { Command } from 'commander';
import { systemClock } from '../core/index.js';
import { purgeOnce } from '../maintenance/index.js';
import { databaseKind, migrate, openDatabase } from '../store/index.js';
import { configFrom } from './context.js';

export function registerPurgeCommand(program: Command): void {
  program.command('purge')
    .description('remove expired sessions, codes and tokens, and webhook deliveries finished more than RETENTION_DAYS ago')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const db = openDatabase(config.databaseUrl);
      try {
        await migrate(db);
        const result = await purgeOnce({ db, kind: databaseKind(config.databaseUrl), clock: systemClock, retentionDays: config.retentionDays, requestLogDays: config.requestLogDays });
        if (opts.json) console.log(JSON.stringify(result, null, 2));
        else if (!result.ran) console.log('another node is purging now; nothing done');
        else console.log(Object.entries(result.deleted).map(([what, n]) => `${what}: ${n} removed`).join('\n'));
      } finally {
        await db.destroy();
      }
    });
}
