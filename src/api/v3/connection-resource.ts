/** The v3 connection resource (smartcar-v3.md §3.6): one app's live grant on one vehicle. */
import type { ConnectionDetail } from '../../store/index.js';

export interface ConnectionResource {
  id: string;
  type: 'connection';
  attributes: {
    permissions: string[];
    vehicle: { make: string; model: string; year: number; mode: string; powertrainType: string };
    user: { id: string };
  };
  relationships: {
    vehicle: { data: { id: string; type: 'vehicle' }; links: { related: string } };
    user: { data: { id: string; type: 'user' } };
  };
  meta: { createdAt: string; updatedAt: string };
  links: { self: string };
}

export function connectionResource(c: ConnectionDetail): ConnectionResource {
  const { vehicle } = c;
  return {
    id: c.id,
    type: 'connection',
    attributes: {
      permissions: c.scopes,
      vehicle: { make: vehicle.make, model: vehicle.model, year: vehicle.year, mode: vehicle.mode, powertrainType: vehicle.powertrain },
      user: { id: c.accountId },
    },
    relationships: {
      vehicle: { data: { id: c.vehicleId, type: 'vehicle' }, links: { related: `/v3/vehicles/${c.vehicleId}` } },
      user: { data: { id: c.accountId, type: 'user' } },
    },
    // A grant given anew is a new connection, so it was last updated when it was created.
    meta: { createdAt: c.createdAt, updatedAt: c.createdAt },
    links: { self: `/v3/connections/${c.id}` },
  };
}
