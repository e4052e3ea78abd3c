/** Owner accounts and their vehicles, with the provider's state snapshot and its version for compare-and-set. */
import type { Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

export interface AccountRecord {
  id: string;
  accountKey: string;
  mode: string;
  make: string;
  createdAt: string;
  passwordHash: string | null;
  developerAppId: string | null;
}

export interface VehicleRecord {
  id: string;
  accountId: string;
  provider: string;
  mode: string;
  make: string;
  model: string;
  year: number;
  vin: string;
  powertrain: string;
  state: string;
  stateVersion: number;
  createdAt: string;
}

type VehicleRow = {
  id: string; account_id: string; provider: string; mode: string; make: string; model: string; year: number;
  vin: string; powertrain: string; state: string; state_version: number; created_at: string;
};

type AccountRow = {
  id: string; account_key: string; mode: string; make: string; created_at: string; password_hash: string | null;
  developer_app_id: string | null;
};

function toAccount(row: AccountRow): AccountRecord {
  return {
    id: row.id, accountKey: row.account_key, mode: row.mode, make: row.make, createdAt: row.created_at,
    passwordHash: row.password_hash, developerAppId: row.developer_app_id,
  };
}

function toVehicle(row: VehicleRow): VehicleRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    provider: row.provider,
    mode: row.mode,
    make: row.make,
    model: row.model,
    year: Number(row.year),
    vin: row.vin,
    powertrain: row.powertrain,
    state: row.state,
    stateVersion: Number(row.state_version),
    createdAt: row.created_at,
  };
}

export function vehiclesRepository(db: Db) {
  // The hottest query of the API (every vehicle request): compiled once, run with a new id.
  const findById = db.selectFrom('vehicles').selectAll().where('id', '=', '').compile();
  return {
    async findAccountById(id: string): Promise<AccountRecord | undefined> {
      const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toAccount(row);
    },
    async findAccount(mode: string, accountKey: string): Promise<AccountRecord | undefined> {
      const row = await db.selectFrom('accounts').selectAll()
        .where('mode', '=', mode).where('account_key', '=', accountKey).executeTakeFirst();
      return row && toAccount(row);
    },
    /** Creates an account and its vehicles in one transaction. */
    async insertAccountWithVehicles(account: AccountRecord, vehicles: VehicleRecord[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('accounts').values({
          id: account.id, account_key: account.accountKey, mode: account.mode, make: account.make, created_at: account.createdAt,
          password_hash: account.passwordHash, developer_app_id: account.developerAppId,
        }).execute();
        for (const v of vehicles) {
          await trx.insertInto('vehicles').values({
            id: v.id, account_id: v.accountId, provider: v.provider, mode: v.mode, make: v.make, model: v.model,
            year: v.year, vin: v.vin, powertrain: v.powertrain, state: v.state, state_version: v.stateVersion,
            created_at: v.createdAt,
          }).execute();
        }
      });
    },
    /** Adds vehicles to an existing account. */
    async insertVehicles(vehicles: VehicleRecord[]): Promise<void> {
      if (vehicles.length === 0) return;
      await db.insertInto('vehicles').values(vehicles.map((v) => ({
        id: v.id, account_id: v.accountId, provider: v.provider, mode: v.mode, make: v.make, model: v.model,
        year: v.year, vin: v.vin, powertrain: v.powertrain, state: v.state, state_version: v.stateVersion,
        created_at: v.createdAt,
      }))).execute();
    },
    /** A fresh provider state from a new sign-in (new credentials), whatever was written before. */
    async replaceState(id: string, state: string): Promise<void> {
      await db.updateTable('vehicles').set((eb) => ({ state, state_version: eb('state_version', '+', 1) })).where('id', '=', id).execute();
    },
    async find(id: string): Promise<VehicleRecord | undefined> {
      const { rows } = await db.executeQuery<VehicleRow>({ ...findById, parameters: [id] });
      return rows[0] && toVehicle(rows[0]);
    },
    async findMany(ids: string[]): Promise<VehicleRecord[]> {
      const rows: VehicleRecord[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        rows.push(...(await db.selectFrom('vehicles').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute()).map(toVehicle));
      }
      return rows;
    },
    async listByMode(mode: string): Promise<VehicleRecord[]> {
      const rows = await db.selectFrom('vehicles').selectAll().where('mode', '=', mode).orderBy('created_at').orderBy('id').execute();
      return rows.map(toVehicle);
    },
    /** Vehicles of accounts an app created (its own simulated fleet). */
    async listByDeveloper(appId: string): Promise<VehicleRecord[]> {
      const rows = await db.selectFrom('vehicles').innerJoin('accounts', 'accounts.id', 'vehicles.account_id')
        .selectAll('vehicles').where('accounts.developer_app_id', '=', appId)
        .orderBy('vehicles.created_at').orderBy('vehicles.id').execute();
      return rows.map(toVehicle);
    },
    async listByAccount(accountId: string): Promise<VehicleRecord[]> {
      const rows = await db.selectFrom('vehicles').selectAll().where('account_id', '=', accountId)
        .orderBy('created_at').orderBy('id').execute();
      return rows.map(toVehicle);
    },
    /**
     * Writes a new state only if nobody else wrote since `expectedVersion` was read. `alongside` runs
     * in the same transaction once the write has won: what it writes commits with the state or not at all.
     */
    async compareAndSetState(
      id: string, expectedVersion: number, state: string, alongside?: (trx: Transaction<Database>) => Promise<void>,
    ): Promise<boolean> {
      const write = async (executor: Db | Transaction<Database>) => {
        const result = await executor.updateTable('vehicles')
          .set({ state, state_version: expectedVersion + 1 })
          .where('id', '=', id).where('state_version', '=', expectedVersion)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      };
      if (!alongside) return write(db);
      return db.transaction().execute(async (trx) => {
        const won = await write(trx);
        if (won) await alongside(trx);
        return won;
      });
    },
    /**
     * Moves a vehicle's state version past one that a rolled-back write had used, so nothing keyed by
     * (vehicle, version) ever sees that version with another state; the state itself stays.
     */
    async skipStateVersion(id: string, rolledBack: number): Promise<void> {
      await db.updateTable('vehicles').set({ state_version: rolledBack + 1 })
        .where('id', '=', id).where('state_version', '=', rolledBack - 1).execute();
    },
  };
}

export type VehiclesRepository = ReturnType<typeof vehiclesRepository>;
