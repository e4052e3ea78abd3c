/**
 * What a webhook delivery carries for one vehicle: its data points answered exactly as a batch
 * would answer them (spec §7.3: `data[]` mirrors batch items), under the app's live grant.
 */
import { randomUUID } from 'node:crypto';
import { isPermission, type Permission } from '../core/index.js';
import type { AccessContext, Mode } from '../oauth/index.js';
import { answerItems, itemsFor, type ItemAnswer } from './vehicle-batch.js';
import type { ApiDeps } from './vehicle-access.js';

export interface VehicleData {
  vehicleId: string;
  requestId: string;
  data: ItemAnswer[];
}

/** Null when the app no longer holds a grant on the vehicle: nothing is sent. */
export async function vehicleDataFor(deps: ApiDeps, appId: string, vehicleId: string, paths: string[]): Promise<VehicleData | null> {
  const vehicle = await deps.vehicles.find(vehicleId);
  if (!vehicle) return null;
  const scopes = await deps.tokens.scopesOf(appId, vehicle.accountId, vehicle.id);
  if (!scopes) return null;
  const context: AccessContext = {
    authorizationId: 'webhook', appId, accountId: vehicle.accountId, mode: vehicle.mode as Mode,
    vehicles: new Map([[vehicle.id, new Set(scopes.filter(isPermission) as Permission[])]]),
  };
  const requestId = randomUUID();
  const data = await answerItems({ deps, context, vehicle, units: 'metric' }, itemsFor(paths), requestId, () => {});
  return { vehicleId: vehicle.id, requestId, data };
}
