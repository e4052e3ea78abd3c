/**
 * How webhooks read a vehicle through one app's live grant. A v2.0 delivery's `data[]` mirrors
 * batch items (spec §7.3), so it is answered by the v2 endpoints themselves; everything else — v4.0
 * signals and every trigger's look — reads catalog signals through the vehicle service.
 */
import { randomUUID } from 'node:crypto';
import { isPermission, isSignalCode, signalSpec, type Permission } from '../core/index.js';
import { grantKey, type AccessContext, type Mode } from '../oauth/index.js';
import type { Vehicle, VehicleService } from '../vehicles/index.js';
import type { SignalError, SignalRead, VehicleReader } from '../webhooks/index.js';
import { ApiError, envelope } from './errors/index.js';
import { toApiError } from './error-handling.js';
import type { ApiDeps } from './vehicle-access.js';
import { answerItems, itemsFor } from './vehicle-batch.js';

/**
 * The v2 data paths a webhook may carry, each with the catalog signals it stands for in a v4.0
 * webhook (v2 wire knowledge: what its body shows). The paths v4.0 carried before the catalog keep
 * exactly the signals they carried; for more, a webhook names codes. `/` (make, model, year) shows
 * no signal: those are the event's `data.vehicle`.
 */
export const PATH_SIGNALS: Readonly<Record<string, readonly string[]>> = {
  '/': [],
  '/odometer': ['odometer-traveleddistance'],
  '/battery': ['tractionbattery-stateofcharge', 'tractionbattery-range'],
  '/fuel': ['internalcombustionengine-fuellevel'],
  '/charge': ['charge-ischarging', 'charge-ischargingcableconnected'],
  '/location': ['location-preciselocation'],
  '/security': ['closure-islocked'],
  '/vin': ['vehicleidentification-vin'],
  '/battery/capacity': ['tractionbattery-nominalcapacity'],
  '/battery/nominal_capacity': ['tractionbattery-nominalcapacity'],
  '/charge/limit': ['charge-chargelimits'],
  '/tires/pressure': ['wheel-tires'],
  '/engine/oil': ['internalcombustionengine-oillife'],
  '/diagnostics/system_status': [
    'diagnostics-abs', 'diagnostics-activesafety', 'diagnostics-airbag', 'diagnostics-brakefluid', 'diagnostics-driverassistance',
    'diagnostics-emissions', 'diagnostics-evbatteryconditioning', 'diagnostics-evcharging', 'diagnostics-evdriveunit',
    'diagnostics-evhvbattery', 'diagnostics-lighting', 'diagnostics-mil', 'diagnostics-oillife', 'diagnostics-oilpressure',
    'diagnostics-oiltemperature', 'diagnostics-telematics', 'diagnostics-tirepressure', 'diagnostics-tirepressuremonitoring',
    'diagnostics-transmission', 'diagnostics-washerfluid', 'diagnostics-waterinfuel',
  ],
  '/diagnostics/dtcs': ['diagnostics-dtclist', 'diagnostics-dtccount'],
  '/service/history': ['service-records'],
};

/** The signals a canonical data path stands for; undefined when it is no webhook data path. */
export function signalsOfPath(path: string): readonly string[] | undefined {
  return Object.hasOwn(PATH_SIGNALS, path) ? PATH_SIGNALS[path] : undefined;
}

/** The catalog codes a webhook's data entries name (canonical paths or codes), in their order. */
export function codesOfData(entries: readonly string[]): string[] {
  return entries.flatMap((entry) => (isSignalCode(entry) ? [entry] : signalsOfPath(entry) ?? []));
}

/** Null when the app no longer holds a grant on the vehicle (or the vehicle is gone): nothing is sent. */
export async function webhookReaderFor(deps: ApiDeps, appId: string, vehicleId: string): Promise<VehicleReader | null> {
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

/**
 * Readers for a pass's (app, vehicle) pairs, keyed by `${appId} ${vehicleId}`: the vehicles in one
 * query and every grant in another, rather than a grant lookup per pair.
 */
export async function webhookReadersFor(
  deps: ApiDeps, pairs: { appId: string; vehicleId: string }[],
): Promise<Map<string, VehicleReader | null>> {
  const readers = new Map<string, VehicleReader | null>();
  if (pairs.length === 0) return readers;
  const [, grants] = await Promise.all([deps.vehicles.warm([...new Set(pairs.map((p) => p.vehicleId))]), deps.tokens.scopesOfMany(pairs)]);
  for (const { appId, vehicleId } of pairs) {
    const key = `${appId} ${vehicleId}`;
    if (readers.has(key)) continue;
    const vehicle = await deps.vehicles.find(vehicleId);
    const scopes = vehicle && grants.get(grantKey(appId, vehicle.accountId, vehicle.id));
    if (!vehicle || !scopes) {
      readers.set(key, null);
      continue;
    }
    readers.set(key, readerOver(deps, {
      authorizationId: 'webhook', appId, accountId: vehicle.accountId, mode: vehicle.mode as Mode,
      vehicles: new Map([[vehicle.id, new Set(scopes.filter(isPermission) as Permission[])]]),
    }, vehicle));
  }
  return readers;
}

/** A domain (or any) error as the catalog entry a request would have answered. */
function signalError(error: unknown): SignalError {
  const body = envelope(toApiError(error), '') as unknown as SignalError;
  return {
    type: body.type, code: body.code, description: body.description, docURL: body.docURL, resolution: body.resolution,
    ...(body.suggestedUserMessage !== undefined && { suggestedUserMessage: body.suggestedUserMessage }),
  };
}

const PERMISSION: SignalRead = { status: 'ERROR', error: signalError(new ApiError('PERMISSION')) };

/** A signal's outcome as the vehicle service answers it (undefined: not answered). */
type Outcome = ReturnType<Awaited<ReturnType<VehicleService['readSignals']>>['get']>;

function readOf(outcome: Outcome): SignalRead {
  if (!outcome) return { status: 'ERROR', error: signalError(new ApiError('COMPATIBILITY.SMARTCAR_NOT_CAPABLE')) };
  if (outcome.status === 'ERROR') return { status: 'ERROR', error: signalError(outcome.error) };
  return { status: 'SUCCESS', body: outcome.body, oemUpdatedAt: outcome.observedAt.getTime(), retrievedAt: outcome.fetchedAt.getTime() };
}

function readerOver(deps: ApiDeps, context: AccessContext, vehicle: Vehicle): VehicleReader {
  const granted = context.vehicles.get(vehicle.id) ?? new Set<Permission>();
  const covered = (code: string) => {
    const spec = signalSpec(code);
    return spec !== undefined && granted.has(spec.permission);
  };
  return {
    mode: vehicle.mode,
    owner: { user: { id: vehicle.accountId }, vehicle: { id: vehicle.id, make: vehicle.make, model: vehicle.model, year: vehicle.year } },
    async data(paths) {
      const requestId = randomUUID();
      const data = await answerItems({ deps, context, vehicle, units: 'metric' }, itemsFor(paths), requestId, () => {});
      return { vehicleId: vehicle.id, requestId, data };
    },
    async signals(codes) {
      const readable = codes.filter(covered);
      let outcomes: Awaited<ReturnType<VehicleService['readSignals']>> = new Map();
      let failure: SignalRead | null = null;
      try {
        if (readable.length > 0) outcomes = await deps.vehicles.readSignals(vehicle, readable);
      } catch (error) {
        // The car could not be reached at all: every signal read answers why.
        failure = { status: 'ERROR', error: signalError(error) };
      }
      return new Map(codes.map((code) => [code, !covered(code) ? PERMISSION : failure ?? readOf(outcomes.get(code))]));
    },
    codesOf: codesOfData,
    at: (state, version) => readerOver(deps, context, { ...vehicle, providerState: state, providerStateVersion: version }),
  };
}
