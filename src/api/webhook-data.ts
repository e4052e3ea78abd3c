/**
 * What a webhook delivery carries for one vehicle: its data points answered exactly as a batch
 * would answer them (spec §7.3: `data[]` mirrors batch items), under the app's live grant.
 */
import { randomUUID } from 'node:crypto';
import { isPermission, type Permission } from '../core/index.js';
import type { AccessContext, Mode } from '../oauth/index.js';
import { answerItems, itemsFor, type ItemAnswer } from './vehicle-batch.js';
import type { ApiDeps } from './vehicle-access.js';
import { TRIGGER_SIGNALS, vehicleStateOf, type VehicleState } from './webhook-signals.js';

export interface VehicleData {
  vehicleId: string;
  requestId: string;
  data: ItemAnswer[];
}

/** Null when the app no longer holds a grant on the vehicle: nothing is sent. */
export async function vehicleDataFor(deps: ApiDeps, appId: string, vehicleId: string, paths: string[]): Promise<VehicleData | null> {
  const read = await answered(deps, appId, vehicleId, paths);
  return read && { vehicleId: read.vehicle.id, requestId: read.requestId, data: read.data };
}

/**
 * The v4.0 `data` of a VEHICLE_STATE event for one vehicle: every subscribed signal, and as
 * `triggers` the signals the fired triggers watch, or FIRST_DELIVERY for the first one after
 * subscribing. Null without a grant.
 */
export async function vehicleStateFor(
  deps: ApiDeps, appId: string, vehicleId: string, paths: string[], fired: readonly string[] | 'FIRST_DELIVERY',
): Promise<{ data: VehicleState & { triggers: unknown[] }; mode: string } | null> {
  const read = await answered(deps, appId, vehicleId, paths);
  if (!read) return null;
  const { user, vehicle, signals } = vehicleStateOf(read.vehicle, read.data);
  const triggers = fired === 'FIRST_DELIVERY'
    ? [{ code: 'FIRST_DELIVERY' }]
    : [...new Map(fired.map((t) => TRIGGER_SIGNALS[t]).filter((r) => r !== undefined).map((r) => [r.code, r])).values()];
  return { data: { user, vehicle, triggers, signals }, mode: read.vehicle.mode };
}

async function answered(deps: ApiDeps, appId: string, vehicleId: string, paths: string[]) {
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
  return { vehicle, requestId, data };
}
