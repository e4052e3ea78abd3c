/**
 * Leases on periodic jobs: which node may run one until when. Taking and renewing are single
 * compare-and-set statements (INSERT … ON CONFLICT DO UPDATE … WHERE, the same SQL on SQLite and
 * PostgreSQL), so of nodes racing for a lease exactly one gets it.
 */
import type { Db } from './database.js';

export function leasesRepository(db: Db) {
  return {
    /** True when `holder` now holds `name` until `until`: it was free, lapsed, or already this holder's. */
    async take(name: string, holder: string, now: string, until: string): Promise<boolean> {
      const row = await db.insertInto('maintenance_leases').values({ name, holder, expires_at: until })
        .onConflict((oc) => oc.column('name').doUpdateSet({ holder, expires_at: until })
          .where((eb) => eb.or([eb('maintenance_leases.expires_at', '<=', now), eb('maintenance_leases.holder', '=', holder)])))
        .returning('holder')
        .executeTakeFirst();
      return row?.holder === holder;
    },

    /** Extends a lease this holder still has; false when it lapsed and another took it. */
    async renew(name: string, holder: string, until: string): Promise<boolean> {
      const result = await db.updateTable('maintenance_leases').set({ expires_at: until })
        .where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Lets the lease go at once, if this holder still has it (by removing it: no clock of this node's is written). */
    async release(name: string, holder: string): Promise<void> {
      await db.deleteFrom('maintenance_leases').where('name', '=', name).where('holder', '=', holder).execute();
    },
  };
}

export type LeasesRepository = ReturnType<typeof leasesRepository>;
