/** Readiness of the database: it answers, and it carries every migration this code expects. */
import { sql } from 'kysely';
import { pendingMigrations, type Db } from '../store/index.js';
import { ReadinessFailure, type ReadinessCheck } from './readiness.js';

export function databaseChecks(db: Db): ReadinessCheck[] {
  return [
    {
      name: 'database',
      async check() {
        try {
          await sql`select 1`.execute(db);
        } catch {
          throw new ReadinessFailure('unreachable');
        }
      },
    },
    {
      name: 'migrations',
      async check() {
        const pending = await pendingMigrations(db);
        if (pending.length > 0) throw new ReadinessFailure(`${pending.length} not applied`);
      },
    },
  ];
}
