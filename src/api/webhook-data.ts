/**
 * What a webhook delivery carries for one vehicle: its data points answered exactly as a batch
 * would answer them (spec §7.3: `data[]` mirrors batch items), under the app's live grant.
 */
import { randomUUID } from 'node:crypto';
import { isPermission, type Permission } from '../core/index.js';
import type { AccessContext, Mode } from '../oauth/index.js';
import { answerItems, itemsFor, type ItemAnswer } from './vehicle-batch.js';
import type { ApiDeps } from './vehicle-access.js';
import { errorsOf, triggersOf, vehicleStateOf, type VehicleError } from './webhook-signals.js';

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

/** One read of a vehicle for a v4.0 event webhook: its look, its signals and its errors, from the same answers. */
export interface VehicleRead {
  /** Every answer: the paths the triggers watch and the webhook's data points. */
  answers: ItemAnswer[];
  mode: string;
  /** What the webhook's failing data points answered, one entry per error type and code. */
  errors: VehicleError[];
  /** The `data` of a VEHICLE_STATE event: the fired triggers' signals (or FIRST_DELIVERY) and every subscribed signal. */
  state(fired: readonly string[] | 'FIRST_DELIVERY'): { signals: unknown[] };
  /** The `data` of a VEHICLE_ERROR event. */
  errorData(errors: VehicleError[]): unknown;
}

/** Null without a grant. */
export async function vehicleReadFor(
  deps: ApiDeps, appId: string, vehicleId: string, lookPaths: string[], dataPaths: string[],
): Promise<VehicleRead | null> {
  const read = await answered(deps, appId, vehicleId, [...new Set([...lookPaths, ...dataPaths])]);
  if (!read) return null;
  // In the webhook's order, whatever order the union was read in.
  const data = dataPaths.flatMap((path) => read.data.filter((a) => a.path === path));
  const { user, vehicle, signals } = vehicleStateOf(read.vehicle, data);
  return {
    answers: read.data,
    mode: read.vehicle.mode,
    errors: errorsOf(data),
    state: (fired) => ({ user, vehicle, triggers: triggersOf(fired), signals }),
    errorData: (errors) => ({ user, vehicle, errors }),
  };
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
