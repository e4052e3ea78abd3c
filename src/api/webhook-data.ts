/**
 * What a webhook delivery carries for one vehicle: its data points answered exactly as a batch
 * would answer them (spec §7.3: `data[]` mirrors batch items), under the app's live grant.
 */
import { randomUUID } from 'node:crypto';
import { isPermission, type Permission } from '../core/index.js';
import type { AccessContext, Mode } from '../oauth/index.js';
import { answerItems, itemsFor, type ItemAnswer } from './vehicle-batch.js';
import type { Vehicle } from '../vehicles/index.js';
import type { ApiDeps } from './vehicle-access.js';
import { errorsOf, triggersOf, vehicleStateOf, type VehicleError } from './webhook-signals.js';

export interface VehicleData {
  vehicleId: string;
  requestId: string;
  data: ItemAnswer[];
}

/** One vehicle read through one app's grant, as webhooks read it. */
export interface WebhookReader {
  mode: string;
  data(paths: string[]): Promise<VehicleData>;
  read(lookPaths: string[], dataPaths: string[]): Promise<VehicleRead>;
  /** The same grant over the state a write is storing: the provider derives its reads from that state. */
  at(state: string, version: number): WebhookReader;
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

/** Null when the app no longer holds a grant on the vehicle (or the vehicle is gone): nothing is sent. */
export async function webhookReaderFor(deps: ApiDeps, appId: string, vehicleId: string): Promise<WebhookReader | null> {
  const vehicle = await deps.vehicles.find(vehicleId);
  if (!vehicle) return null;
  const scopes = await deps.tokens.scopesOf(appId, vehicle.accountId, vehicle.id);
  if (!scopes) return null;
  const context: AccessContext = {
    authorizationId: 'webhook', appId, accountId: vehicle.accountId, mode: vehicle.mode as Mode,
    vehicles: new Map([[vehicle.id, new Set(scopes.filter(isPermission) as Permission[])]]),
  };
  return readerOver(deps, context, vehicle);
}

function readerOver(deps: ApiDeps, context: AccessContext, vehicle: Vehicle): WebhookReader {
  const answered = async (paths: string[]) => {
    const requestId = randomUUID();
    return { requestId, data: await answerItems({ deps, context, vehicle, units: 'metric' }, itemsFor(paths), requestId, () => {}) };
  };
  return {
    mode: vehicle.mode,
    async data(paths) {
      const { requestId, data } = await answered(paths);
      return { vehicleId: vehicle.id, requestId, data };
    },
    async read(lookPaths, dataPaths) {
      const read = await answered([...new Set([...lookPaths, ...dataPaths])]);
      // In the webhook's order, whatever order the union was read in.
      const data = dataPaths.flatMap((path) => read.data.filter((a) => a.path === path));
      const { user, vehicle: car, signals } = vehicleStateOf(vehicle, data);
      return {
        answers: read.data,
        mode: vehicle.mode,
        errors: errorsOf(data),
        state: (fired) => ({ user, vehicle: car, triggers: triggersOf(fired), signals }),
        errorData: (errors) => ({ user, vehicle: car, errors }),
      };
    },
    at: (state, version) => readerOver(deps, context, { ...vehicle, providerState: state, providerStateVersion: version }),
  };
}
