/** Application tokens by hash: issued, looked up while live, and swept per app when it asks for another. */
import type { Db } from './database.js';

export interface ApplicationTokenRecord {
  hash: string;
  appId: string;
  createdAt: string;
  expiresAt: string;
}

/** An app asking again and again still leaves at most this many expired rows to each sweep. */
const SWEEP_BATCH = 100;

export function applicationTokensRepository(db: Db) {
  return {
    async insert(token: ApplicationTokenRecord): Promise<void> {
      await db.insertInto('application_tokens').values({
        hash: token.hash, app_id: token.appId, created_at: token.createdAt, expires_at: token.expiresAt,
      }).execute();
    },

    /** The live token with this hash, or undefined when unknown or expired at `now`. */
    async findLive(hash: string, now: string): Promise<ApplicationTokenRecord | undefined> {
      const row = await db.selectFrom('application_tokens').selectAll()
        .where('hash', '=', hash).where('expires_at', '>', now).executeTakeFirst();
      return row && { hash: row.hash, appId: row.app_id, createdAt: row.created_at, expiresAt: row.expires_at };
    },

    /** Deletes a bounded batch of the app's tokens that expired before `now`; returns how many. */
    async sweepExpired(appId: string, now: string): Promise<number> {
      const r = await db.deleteFrom('application_tokens').where('hash', 'in', (eb) => eb.selectFrom('application_tokens')
        .select('hash').where('app_id', '=', appId).where('expires_at', '<=', now).limit(SWEEP_BATCH)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type ApplicationTokensRepository = ReturnType<typeof applicationTokensRepository>;
