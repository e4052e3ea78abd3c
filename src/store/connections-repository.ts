/**
 * An app's connections as v3 lists them: each live grant with its vehicle, newest first. A grant's
 * id is the connection's id: it stays while the grant lives and changes when an ended grant is given anew.
 */
import type { Db } from './database.js';
import type { ConnectionFilter } from './grants-repository.js';

export interface ConnectionDetail {
  id: string;
  accountId: string;
  vehicleId: string;
  scopes: string[];
  createdAt: string;
  vehicle: { make: string; model: string; year: number; mode: string; powertrain: string };
}

/** Which connections: by user, vehicle and mode, or the one with this id. */
export interface ConnectionQuery extends ConnectionFilter {
  id?: string;
}

export function connectionsRepository(db: Db) {
  function matching(appId: string, filter: ConnectionQuery) {
    let query = db.selectFrom('grants').innerJoin('vehicles', 'vehicles.id', 'grants.vehicle_id')
      .where('grants.app_id', '=', appId).where('grants.revoked_at', 'is', null);
    if (filter.id) query = query.where('grants.id', '=', filter.id);
    if (filter.accountId) query = query.where('grants.account_id', '=', filter.accountId);
    if (filter.vehicleId) query = query.where('grants.vehicle_id', '=', filter.vehicleId);
    if (filter.mode) query = query.where('vehicles.mode', '=', filter.mode);
    return query;
  }

  return {
    /** One page of the app's live connections matching the filter, newest first. */
    async list(appId: string, filter: ConnectionQuery, limit: number, offset: number): Promise<ConnectionDetail[]> {
      const rows = await matching(appId, filter)
        .select([
          'grants.id', 'grants.account_id', 'grants.vehicle_id', 'grants.scopes', 'grants.created_at',
          'vehicles.make', 'vehicles.model', 'vehicles.year', 'vehicles.mode', 'vehicles.powertrain',
        ])
        .orderBy('grants.created_at', 'desc').orderBy('grants.id').limit(limit).offset(offset).execute();
      return rows.map((r) => ({
        id: r.id, accountId: r.account_id, vehicleId: r.vehicle_id, scopes: JSON.parse(r.scopes) as string[], createdAt: r.created_at,
        vehicle: { make: r.make, model: r.model, year: Number(r.year), mode: r.mode, powertrain: r.powertrain },
      }));
    },

    async count(appId: string, filter: ConnectionQuery): Promise<number> {
      const row = await matching(appId, filter).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type ConnectionsRepository = ReturnType<typeof connectionsRepository>;
