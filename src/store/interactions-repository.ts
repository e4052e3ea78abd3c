/** Connect interactions: one owner's pass through the consent pages. */
import type { Db } from './database.js';

export interface InteractionRecord {
  id: string;
  appId: string;
  request: string;
  make: string | null;
  accountId: string | null;
  vehicleIds: string[] | null;
  signInFailures: number;
  createdAt: string;
  expiresAt: string;
  finishedAt: string | null;
}

export type InteractionUpdate = Partial<Pick<InteractionRecord, 'make' | 'accountId' | 'vehicleIds' | 'signInFailures'>>;

export function interactionsRepository(db: Db) {
  return {
    async insert(i: InteractionRecord): Promise<void> {
      await db.insertInto('interactions').values({
        id: i.id, app_id: i.appId, request: i.request, make: i.make, account_id: i.accountId,
        vehicle_ids: i.vehicleIds && JSON.stringify(i.vehicleIds), sign_in_failures: i.signInFailures,
        created_at: i.createdAt, expires_at: i.expiresAt, finished_at: i.finishedAt,
      }).execute();
    },
    async find(id: string): Promise<InteractionRecord | undefined> {
      const r = await db.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirst();
      return r && {
        id: r.id, appId: r.app_id, request: r.request, make: r.make, accountId: r.account_id,
        vehicleIds: r.vehicle_ids === null ? null : JSON.parse(r.vehicle_ids) as string[],
        signInFailures: Number(r.sign_in_failures), createdAt: r.created_at, expiresAt: r.expires_at, finishedAt: r.finished_at,
      };
    },
    async update(id: string, u: InteractionUpdate): Promise<void> {
      await db.updateTable('interactions').set({
        ...(u.make !== undefined && { make: u.make }),
        ...(u.accountId !== undefined && { account_id: u.accountId }),
        ...(u.vehicleIds !== undefined && { vehicle_ids: u.vehicleIds && JSON.stringify(u.vehicleIds) }),
        ...(u.signInFailures !== undefined && { sign_in_failures: u.signInFailures }),
      }).where('id', '=', id).execute();
    },
    /**
     * Takes one of the interaction's sign-in attempts if fewer than `cap` are taken: one statement, so
     * parallel submissions cannot share an attempt. Answers the attempt's number, or null when none is left.
     */
    async takeSignInAttempt(id: string, cap: number): Promise<number | null> {
      const row = await db.updateTable('interactions').set((eb) => ({ sign_in_failures: eb('sign_in_failures', '+', 1) }))
        .where('id', '=', id).where('sign_in_failures', '<', cap)
        .returning('sign_in_failures').executeTakeFirst();
      return row ? Number(row.sign_in_failures) : null;
    },
    /** Ends the interaction; true for the one caller that finished it (a double submit gets false). */
    async finish(id: string, at: string): Promise<boolean> {
      const r = await db.updateTable('interactions').set({ finished_at: at })
        .where('id', '=', id).where('finished_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type InteractionsRepository = ReturnType<typeof interactionsRepository>;
