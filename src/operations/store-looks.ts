/** What the metrics read from the database at a scrape: the outbox's waiting deliveries and the pool. */
import { sql } from 'kysely';
import type { Clock } from '../core/index.js';
import { poolOf, type Db } from '../store/index.js';
import type { OutboxLook, PoolLook } from './metrics.js';

export function outboxLook(db: Db, clock: Clock): OutboxLook {
  return {
    async pending() {
      const row = await db.selectFrom('webhook_outbox')
        .select([sql<number | string>`count(*)`.as('depth'), sql<string | null>`min(created_at)`.as('oldest')])
        .where('status', '=', 'pending')
        .executeTakeFirst();
      const oldest = row?.oldest ? Date.parse(row.oldest) : NaN;
      return {
        depth: Number(row?.depth ?? 0),
        oldestAgeSeconds: Number.isNaN(oldest) ? 0 : Math.max(0, (clock.now().getTime() - oldest) / 1000),
      };
    },
  };
}

export function poolLook(db: Db): PoolLook {
  return {
    pool() {
      const pool = poolOf(db);
      return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
    },
  };
}
