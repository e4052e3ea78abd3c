/**
 * Reads a car's signals for a v3 answer: which of them the grant covers and the car can report,
 * then one `readSignals` for those (one look at the car, one spend of its request budget), and each
 * signal's resource. A failure of the whole read (car asleep, upstream down) becomes every read
 * signal's error; only a spent rate budget fails the request.
 */
import { DomainError, RateLimitedError, type Permission } from '../../core/index.js';
import type { SignalOutcome, SignalReadings, SignalSupport, Support } from '../../providers/index.js';
import type { Vehicle } from '../../vehicles/index.js';
import { takeVehicleBudget } from '../vehicle-access.js';
import type { V3Deps, VehicleAccess } from './access.js';
import { errorRow, signalResource, successRow, vehicleLink, type SignalEntry, type SignalResource, type SignalRow } from './resources.js';
import { NOT_CAPABLE_ERRORS, PERMISSION_ERROR, signalErrorOf, type SignalError } from './signal-errors.js';

const NO_PERMISSIONS: ReadonlySet<Permission> = new Set();

/** A provider that does not say falls back to the catalog: the powertrain decides what the car can have. */
function supportOf(support: SignalSupport, entry: SignalEntry, vehicle: Vehicle): Support {
  return support[entry.spec.code] ?? (entry.spec.powertrains.includes(vehicle.powertrain) ? 'SMARTCAR_NOT_CAPABLE' : 'VEHICLE_NOT_CAPABLE');
}

/** A whole read's failure as each code's outcome; a spent rate budget (or a bug) fails the request instead. */
async function readOrFail(deps: V3Deps, vehicle: Vehicle, codes: string[]): Promise<{ readings: SignalReadings; failed: boolean }> {
  try {
    return { readings: await deps.vehicles.readSignals(vehicle, codes), failed: false };
  } catch (error) {
    if (error instanceof RateLimitedError || !(error instanceof DomainError)) throw error;
    const outcome: SignalOutcome = { status: 'ERROR', error };
    return { readings: new Map<string, SignalOutcome>(codes.map((code) => [code, outcome])), failed: true };
  }
}

/**
 * One read of every code. When the car cannot be reached, its static attributes (VIN, colour) may
 * still be the provider's to give from its records, so each is asked for alone — on that path only.
 */
async function readTogether(deps: V3Deps, vehicle: Vehicle, codes: string[], staticCodes: string[]): Promise<SignalReadings> {
  const { readings, failed } = await readOrFail(deps, vehicle, codes);
  if (!failed || staticCodes.length === 0 || staticCodes.length === codes.length) return readings;
  const merged = new Map(readings);
  for (const single of await Promise.all(staticCodes.map((code) => readOrFail(deps, vehicle, [code])))) {
    for (const [code, outcome] of single.readings) merged.set(code, outcome);
  }
  return merged;
}

/** What a request's rows follow, fixed by the signals asked for, the car's support, the grant and whether it lists. */
interface Plan {
  /** Per answered signal, in order: its entry, and the error it is refused with (null: it is read). */
  steps: readonly { entry: SignalEntry; refusal: SignalError | null }[];
  toRead: string[];
  staticCodes: string[];
  /** Whether any signal to read comes from the car (and so spends its budget). */
  live: boolean;
}

function planOf(
  entries: readonly SignalEntry[], support: SignalSupport, granted: ReadonlySet<Permission>, vehicle: Vehicle, listing: boolean,
): Plan {
  const steps: Plan['steps'][number][] = [];
  const toRead: string[] = [];
  const staticCodes: string[] = [];
  let live = false;
  for (const entry of entries) {
    const supported = supportOf(support, entry, vehicle);
    if (listing && supported === 'VEHICLE_NOT_CAPABLE') continue;
    if (!granted.has(entry.spec.permission)) steps.push({ entry, refusal: PERMISSION_ERROR });
    else if (supported !== 'supported') steps.push({ entry, refusal: NOT_CAPABLE_ERRORS[supported] });
    else {
      steps.push({ entry, refusal: null });
      toRead.push(entry.spec.code);
      if (entry.spec.static) staticCodes.push(entry.spec.code);
      else live = true;
    }
  }
  return { steps, toRead: Object.freeze(toRead) as string[], staticCodes: Object.freeze(staticCodes) as string[], live };
}

/**
 * Plans by the objects they follow: the entries asked for (a constant list, or one entry's), the
 * car model's support (providers keep one per model) and the grant's permission set (one per cached
 * access context, so a change of grant is a new set); then by powertrain and listing. A plan is
 * made once per combination instead of looking up every signal's support and permission per request.
 */
const PLANS = new WeakMap<readonly SignalEntry[], WeakMap<SignalSupport, WeakMap<ReadonlySet<Permission>, Map<string, Plan>>>>();

function cachedPlan(
  entries: readonly SignalEntry[], support: SignalSupport, granted: ReadonlySet<Permission>, vehicle: Vehicle, listing: boolean,
): Plan {
  // A one-entry list is made per request (get-signal): not worth keeping.
  if (entries.length === 1) return planOf(entries, support, granted, vehicle, listing);
  let bySupport = PLANS.get(entries);
  if (!bySupport) PLANS.set(entries, bySupport = new WeakMap());
  let byGrant = bySupport.get(support);
  if (!byGrant) bySupport.set(support, byGrant = new WeakMap());
  let byKind = byGrant.get(granted);
  if (!byKind) byGrant.set(granted, byKind = new Map());
  const kind = listing ? `listing ${vehicle.powertrain}` : vehicle.powertrain;
  let plan = byKind.get(kind);
  if (!plan) byKind.set(kind, plan = planOf(entries, support, granted, vehicle, listing));
  return plan;
}

/**
 * The rows of the given signals: those with a value first, then those without, each in the order
 * given. `listing` leaves out the signals the car cannot have (its hardware lacks them); a signal
 * asked for by code is answered whatever its support.
 */
export async function signalRows(
  deps: V3Deps, { context, vehicle }: VehicleAccess, entries: readonly SignalEntry[], listing: boolean,
): Promise<SignalRow[]> {
  const granted = context.vehicles.get(vehicle.id) ?? NO_PERMISSIONS;
  const { steps, toRead, staticCodes, live } = cachedPlan(entries, deps.vehicles.signalSupport(vehicle), granted, vehicle, listing);
  const nowMs = deps.clock.now().getTime();
  // Static attributes come from the platform's records, never from the car: they spend no budget.
  const spending = live ? takeVehicleBudget(deps, vehicle.id) : undefined;
  if (spending) await spending;
  const readings: SignalReadings = toRead.length > 0 ? await readTogether(deps, vehicle, toRead, staticCodes) : new Map();
  const values: SignalRow[] = [];
  const errors: SignalRow[] = [];
  for (const { entry, refusal } of steps) {
    if (refusal !== null) {
      errors.push(errorRow(entry, refusal, nowMs));
      continue;
    }
    const outcome = readings.get(entry.spec.code);
    if (outcome?.status === 'SUCCESS') values.push(successRow(entry, outcome.body, outcome.observedAt, outcome.fetchedAt));
    else errors.push(errorRow(entry, outcome ? signalErrorOf(outcome.error) : NOT_CAPABLE_ERRORS.SMARTCAR_NOT_CAPABLE, nowMs, outcome));
  }
  return errors.length === 0 ? values : values.concat(errors);
}

/** The resources of the given signals, as `signalRows` orders them. */
export async function signalResources(
  deps: V3Deps, access: VehicleAccess, entries: readonly SignalEntry[], listing: boolean,
): Promise<SignalResource[]> {
  const link = vehicleLink(access.vehicle);
  return (await signalRows(deps, access, entries, listing)).map((row) => signalResource(row, link));
}
