/**
 * Every vehicle GET endpoint as one row: its path, permission, and how a reading becomes the
 * Smartcar body in the caller's units. Routes and batch run the same rows.
 */
import {
  distance, nullable, pressure, volume, type Permission, type Reading, type ServiceRecord, type SignalName,
  type SignalValues, type UnitSystem,
} from '../core/index.js';
import { SIGNAL_PERMISSION } from '../core/index.js';
import type { AccessContext } from '../oauth/index.js';
import type { Vehicle } from '../vehicles/index.js';
import { ApiError } from './errors/index.js';
import { paging } from './request.js';
import { takeVehicleBudget, requirePermission, type ApiDeps } from './vehicle-access.js';

export interface ReadInput {
  deps: ApiDeps;
  context: AccessContext;
  vehicle: Vehicle;
  units: UnitSystem;
  /** Query parameters as name → first value. */
  query: (...names: string[]) => string | undefined;
}

export interface ReadResult {
  body: unknown;
  /** Response headers, lower-case names (as batch items carry them). */
  headers: Record<string, string>;
}

export interface ReadEndpoint {
  /** Vehicle-relative path with a leading slash, as batch echoes it. */
  path: string;
  permission: Permission | null;
  run(input: ReadInput): Promise<ReadResult>;
}

function dataHeaders(reading: Reading<unknown>, units: UnitSystem): Record<string, string> {
  return {
    'sc-data-age': reading.observedAt.toISOString(),
    'sc-fetched-at': reading.fetchedAt.toISOString(),
    'sc-unit-system': units,
  };
}

/** A row that reads one signal; `live` rows touch the car and spend its request budget. */
function signalRead<S extends SignalName>(
  path: string,
  signal: S,
  shape: (value: SignalValues[S], units: UnitSystem, vehicle: Vehicle) => unknown,
  live = true,
): ReadEndpoint {
  return {
    path,
    permission: SIGNAL_PERMISSION[signal],
    async run({ deps, context, vehicle, units }) {
      requirePermission(context, vehicle.id, SIGNAL_PERMISSION[signal]);
      if (live) takeVehicleBudget(deps, vehicle.id);
      const reading = await deps.vehicles.read(vehicle, signal);
      return { body: shape(reading.value, units, vehicle), headers: live ? dataHeaders(reading, units) : {} };
    },
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

function dateParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!DATE.test(value) || Number.isNaN(ms)) {
    throw new ApiError('VALIDATION', { detail: [{ field: name, message: 'must be a date, YYYY-MM-DD' }] });
  }
  return ms;
}

function serviceRecord(r: ServiceRecord, units: UnitSystem) {
  return {
    serviceId: r.serviceId,
    serviceDate: r.serviceDate,
    odometerDistance: nullable(r.odometerKm, (km) => distance(km, units)),
    serviceTasks: r.tasks,
    serviceDetails: r.type === null ? [] : [{ type: r.type, value: null }],
    serviceCost: r.cost,
  };
}

const serviceHistory: ReadEndpoint = {
  path: '/service/history',
  permission: SIGNAL_PERMISSION.serviceHistory,
  async run(input) {
    const { deps, context, vehicle, units, query } = input;
    requirePermission(context, vehicle.id, this.permission);
    // Node, Java and Ruby send start_date/end_date; Python sends startDate/endDate.
    const from = dateParam(query('start_date', 'startDate'), 'start_date');
    const toDay = dateParam(query('end_date', 'endDate'), 'end_date');
    const to = toDay === undefined ? undefined : toDay + 86_400_000;
    takeVehicleBudget(deps, vehicle.id);
    const reading = await deps.vehicles.read(vehicle, 'serviceHistory');
    const records = reading.value.records.filter((r) => {
      const at = Date.parse(r.serviceDate);
      return (from === undefined || at >= from) && (to === undefined || at < to);
    });
    return { body: records.map((r) => serviceRecord(r, units)), headers: dataHeaders(reading, units) };
  },
};

const permissions: ReadEndpoint = {
  path: '/permissions',
  permission: null,
  async run({ context, vehicle, query }) {
    const granted = [...(context.vehicles.get(vehicle.id) ?? [])];
    const { limit, offset } = paging(query, 25, 100);
    return { body: { permissions: granted.slice(offset, offset + limit), paging: { count: granted.length, offset } }, headers: {} };
  },
};

export const READ_ENDPOINTS: readonly ReadEndpoint[] = [
  signalRead('/', 'attributes', (v, _u, vehicle) => ({ id: vehicle.id, make: v.make, model: v.model, year: v.year }), false),
  signalRead('/vin', 'vin', (v) => ({ vin: v.vin }), false),
  permissions,
  signalRead('/odometer', 'odometer', (v, u) => ({ distance: distance(v.distanceKm, u) })),
  signalRead('/location', 'location', (v) => ({ latitude: v.latitude, longitude: v.longitude })),
  signalRead('/fuel', 'fuel', (v, u) => ({
    range: nullable(v.rangeKm, (km) => distance(km, u)),
    percentRemaining: v.percentRemaining,
    amountRemaining: nullable(v.amountLiters, (l) => volume(l, u)),
  })),
  signalRead('/battery', 'battery', (v, u) => ({
    range: nullable(v.rangeKm, (km) => distance(km, u)),
    percentRemaining: v.percentRemaining,
  })),
  signalRead('/battery/capacity', 'batteryCapacity', (v) => ({ capacity: v.capacityKwh })),
  signalRead('/battery/nominal_capacity', 'nominalCapacity', (v) => ({
    availableCapacities: v.available.map((c) => ({ capacity: c.capacityKwh, description: c.description })),
    capacity: v.nominal && { nominal: v.nominal.capacityKwh, source: v.nominal.source },
    url: null,
  })),
  signalRead('/charge', 'charge', (v) => ({ isPluggedIn: v.isPluggedIn, state: v.state })),
  signalRead('/charge/limit', 'chargeLimit', (v) => ({ limit: v.limit })),
  signalRead('/tires/pressure', 'tirePressure', (v, u) => ({
    frontLeft: pressure(v.frontLeftKpa, u),
    frontRight: pressure(v.frontRightKpa, u),
    backLeft: pressure(v.backLeftKpa, u),
    backRight: pressure(v.backRightKpa, u),
  })),
  signalRead('/engine/oil', 'engineOil', (v) => ({ lifeRemaining: v.lifeRemaining })),
  signalRead('/security', 'lockStatus', (v) => v),
  signalRead('/diagnostics/system_status', 'diagnosticSystemStatus', (v) => ({ systems: v.systems })),
  signalRead('/diagnostics/dtcs', 'diagnosticTroubleCodes', (v) => ({ activeCodes: v.activeCodes })),
  serviceHistory,
];

const BY_PATH = new Map(READ_ENDPOINTS.map((e) => [e.path, e]));

/** Longer than any endpoint's path with its slashes: not worth trimming. */
const MAX_PATH_LENGTH = 200;

/** The text between leading and trailing runs of `/`, found by scanning (a regex would rescan the run). */
function withoutEdgeSlashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '/') start += 1;
  while (end > start && text[end - 1] === '/') end -= 1;
  return text.slice(start, end);
}

/** The row for a vehicle-relative path in any of the forms SDKs send (`tires/pressure`, `/security/`). */
export function readEndpointFor(path: string): ReadEndpoint | undefined {
  if (path.length > MAX_PATH_LENGTH) return undefined;
  return BY_PATH.get(`/${withoutEdgeSlashes(path.trim())}`);
}
