/**
 * Reads a car's signals for a v3 answer: which of them the grant covers and the car can report,
 * then one `readSignals` for those (one look at the car, one spend of its request budget), and each
 * signal's resource. A failure of the whole read (car asleep, upstream down) becomes every read
 * signal's error; only a spent rate budget fails the request.
 */
import { DomainError, NotCapableError, RateLimitedError, type Permission } from '../../core/index.js';
import type { SignalOutcome, SignalReadings, SignalSupport, Support } from '../../providers/index.js';
import type { Vehicle } from '../../vehicles/index.js';
import { takeVehicleBudget } from '../vehicle-access.js';
import type { V3Deps, VehicleAccess } from './access.js';
import { errorSignal, successSignal, vehicleLink, type SignalEntry, type SignalResource } from './resources.js';
import { PERMISSION_ERROR, signalErrorOf } from './signal-errors.js';

const NO_PERMISSIONS: ReadonlySet<Permission> = new Set();

/** A provider that does not say falls back to the catalog: the powertrain decides what the car can have. */
function supportOf(support: SignalSupport, entry: SignalEntry, vehicle: Vehicle): Support {
  return support[entry.spec.code] ?? (entry.spec.powertrains.includes(vehicle.powertrain) ? 'SMARTCAR_NOT_CAPABLE' : 'VEHICLE_NOT_CAPABLE');
}

async function readTogether(deps: V3Deps, vehicle: Vehicle, codes: string[]): Promise<SignalReadings> {
  try {
    return await deps.vehicles.readSignals(vehicle, codes);
  } catch (error) {
    if (error instanceof RateLimitedError || !(error instanceof DomainError)) throw error;
    const failed: SignalOutcome = { status: 'ERROR', error };
    return new Map(codes.map((code) => [code, failed]));
  }
}

/**
 * The resources of the given signals: those with a value first, then those without, each in the
 * order given. `listing` leaves out the signals the car cannot have (its hardware lacks them); a
 * signal asked for by code is answered whatever its support.
 */
export async function signalResources(
  deps: V3Deps, { context, vehicle }: VehicleAccess, entries: readonly SignalEntry[], listing: boolean,
): Promise<SignalResource[]> {
  const support = deps.vehicles.signalSupport(vehicle);
  const granted = context.vehicles.get(vehicle.id) ?? NO_PERMISSIONS;
  const link = vehicleLink(vehicle);
  const nowMs = deps.clock.now().getTime();
  // Per answered signal: the resource of its refusal, or null when it is to be read.
  const plan: [SignalEntry, SignalResource | null][] = [];
  const toRead: string[] = [];
  let live = false;
  for (const entry of entries) {
    const supported = supportOf(support, entry, vehicle);
    if (listing && supported === 'VEHICLE_NOT_CAPABLE') continue;
    if (!granted.has(entry.spec.permission)) plan.push([entry, errorSignal(entry, link, PERMISSION_ERROR, nowMs)]);
    else if (supported !== 'supported') plan.push([entry, errorSignal(entry, link, signalErrorOf(new NotCapableError(supported)), nowMs)]);
    else {
      plan.push([entry, null]);
      toRead.push(entry.spec.code);
      live ||= !entry.spec.static;
    }
  }
  // Static attributes come from the platform's records, never from the car: they spend no budget.
  if (live) takeVehicleBudget(deps, vehicle.id);
  const readings: SignalReadings = toRead.length > 0 ? await readTogether(deps, vehicle, toRead) : new Map();
  const values: SignalResource[] = [];
  const errors: SignalResource[] = [];
  for (const [entry, refusal] of plan) {
    if (refusal) {
      errors.push(refusal);
      continue;
    }
    const outcome = readings.get(entry.spec.code);
    if (outcome?.status === 'SUCCESS') values.push(successSignal(entry, link, outcome.body, outcome.observedAt, outcome.fetchedAt));
    else errors.push(errorSignal(entry, link, signalErrorOf(outcome?.error ?? new NotCapableError('SMARTCAR_NOT_CAPABLE')), nowMs, outcome));
  }
  return errors.length === 0 ? values : values.concat(errors);
}
