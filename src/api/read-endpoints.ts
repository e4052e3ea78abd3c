/**
 * Every v2.0 vehicle GET endpoint as one row: its path, permission, the catalog signals it shows,
 * and how their bodies become the v2.0 JSON in the caller's units. Routes, batch and the
 * compatibility API run the same rows; the values come from the catalog signals alone.
 */
import {
  distance, isoString, pressure, volume, type Permission, type SignalBody, type UnitSystem,
} from '../core/index.js';
import type { AccessContext } from '../oauth/index.js';
import type { SignalReadings } from '../providers/index.js';
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
  /** The compatibility matrix's name for it (null: not listed there). */
  name: string | null;
  /** Every catalog signal the endpoint shows. */
  signals: readonly string[];
  /** The signals it cannot answer without: all of these, or (`any`) at least one of `signals`. */
  required: readonly string[] | 'any';
  run(input: ReadInput): Promise<ReadResult>;
}

/** The bodies of the signals read for one endpoint; an optional signal that failed is absent. */
type Bodies = (code: string) => SignalBody | undefined;

interface SignalRow {
  path: string;
  name: string;
  permission: Permission;
  signals: readonly string[];
  required?: readonly string[] | 'any';
  /** Live rows touch the car, spend its request budget and carry freshness headers. */
  live?: boolean;
  shape(bodies: Bodies, units: UnitSystem, input: ReadInput): unknown;
}

function dataHeaders(readings: SignalReadings, units: UnitSystem): Record<string, string> {
  let observed = Infinity;
  let fetched = -Infinity;
  for (const outcome of readings.values()) {
    if (outcome.status !== 'SUCCESS') continue;
    observed = Math.min(observed, outcome.observedAt.getTime());
    fetched = Math.max(fetched, outcome.fetchedAt.getTime());
  }
  if (!Number.isFinite(observed)) return { 'sc-unit-system': units };
  return {
    'sc-data-age': isoString(observed),
    'sc-fetched-at': isoString(fetched),
    'sc-unit-system': units,
  };
}

/** The readings an endpoint answers with, or the error of the first required signal that failed. */
function bodiesOf(readings: SignalReadings, row: { signals: readonly string[]; required: readonly string[] | 'any' }): Bodies {
  const succeeded = (code: string) => readings.get(code)?.status === 'SUCCESS';
  if (row.required === 'any') {
    if (!row.signals.some(succeeded)) throw errorOf(readings, row.signals);
  } else {
    const failed = row.required.find((code) => !succeeded(code));
    if (failed !== undefined) throw errorOf(readings, [failed]);
  }
  return (code) => {
    const outcome = readings.get(code);
    return outcome?.status === 'SUCCESS' ? outcome.body : undefined;
  };
}

/**
 * The error to answer when none of `codes` could be read: a failure reaching the car wins over
 * a missing capability, and missing hardware is blamed only when every signal lacks it.
 */
function errorOf(readings: SignalReadings, codes: readonly string[]): Error {
  const errors = codes.map((code) => readings.get(code)).flatMap((o) => (o?.status === 'ERROR' ? [o.error] : []));
  const notCapable = errors.filter((e) => e.category === 'NotCapable');
  return errors.find((e) => e.category !== 'NotCapable')
    ?? notCapable.find((e) => e.code !== 'VEHICLE_NOT_CAPABLE')
    ?? notCapable[0]
    ?? new ApiError('COMPATIBILITY.SMARTCAR_NOT_CAPABLE');
}

function signalRead(row: SignalRow): ReadEndpoint {
  const required = row.required ?? row.signals;
  const live = row.live ?? true;
  return {
    path: row.path,
    permission: row.permission,
    name: row.name,
    signals: row.signals,
    required,
    async run(input) {
      const { deps, context, vehicle, units } = input;
      requirePermission(context, vehicle.id, row.permission);
      const spending = live ? takeVehicleBudget(deps, vehicle.id) : undefined;
      if (spending) await spending;
      const readings = await deps.vehicles.readSignals(vehicle, row.signals);
      const bodies = bodiesOf(readings, { signals: row.signals, required });
      return { body: row.shape(bodies, units, input), headers: live ? dataHeaders(readings, units) : {} };
    },
  };
}

const num = (body: SignalBody | undefined, key = 'value'): number | null =>
  (typeof body?.[key] === 'number' ? body[key] : null);
/** A v3 percentage (0–100) as v2.0's fraction (0–1). */
const fraction = (body: SignalBody | undefined): number | null => {
  const percent = num(body);
  return percent === null ? null : Math.round(percent * 100) / 10_000;
};
const orNull = (value: number | null, convert: (v: number) => number) => (value === null ? null : convert(value));

interface GridItem {
  row: number;
  column: number;
}

const POSITIONS = [['frontLeft', 'frontRight'], ['backLeft', 'backRight']] as const;
const positionOf = ({ row, column }: GridItem) => POSITIONS[row]?.[column] ?? `row${row}column${column}`;
const gridOf = <T extends GridItem>(body: SignalBody | undefined) => (body?.values ?? []) as T[];
const openState = (isOpen: unknown) => (isOpen === true ? 'OPEN' : isOpen === false ? 'CLOSED' : 'UNKNOWN');

/** v2.0's system ids, by the diagnostic signal that reports each (wire spec §4 and Smartcar's fixtures). */
export const SYSTEM_IDS: Readonly<Record<string, string>> = {
  'diagnostics-abs': 'SYSTEM_ABS',
  'diagnostics-activesafety': 'SYSTEM_ACTIVE_SAFETY',
  'diagnostics-airbag': 'SYSTEM_AIRBAG',
  'diagnostics-brakefluid': 'SYSTEM_BRAKE_FLUID',
  'diagnostics-driverassistance': 'SYSTEM_DRIVER_ASSISTANCE',
  'diagnostics-emissions': 'SYSTEM_EMISSIONS',
  'diagnostics-evbatteryconditioning': 'SYSTEM_EV_BATTERY_CONDITIONING',
  'diagnostics-evcharging': 'SYSTEM_EV_CHARGING',
  'diagnostics-evdriveunit': 'SYSTEM_EV_DRIVE_UNIT',
  'diagnostics-evhvbattery': 'SYSTEM_EV_HV_BATTERY',
  'diagnostics-lighting': 'SYSTEM_LIGHTING',
  'diagnostics-mil': 'SYSTEM_MIL',
  'diagnostics-oillife': 'SYSTEM_OIL_LIFE',
  'diagnostics-oilpressure': 'SYSTEM_OIL_PRESSURE',
  'diagnostics-oiltemperature': 'SYSTEM_ENGINE',
  'diagnostics-telematics': 'SYSTEM_TELEMATICS',
  'diagnostics-tirepressure': 'SYSTEM_TIRE_PRESSURE',
  'diagnostics-tirepressuremonitoring': 'SYSTEM_TPMS',
  'diagnostics-transmission': 'SYSTEM_TRANSMISSION',
  'diagnostics-washerfluid': 'SYSTEM_WASHER_FLUID',
  'diagnostics-waterinfuel': 'SYSTEM_WATER_IN_FUEL',
};

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

function dateParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!DATE.test(value) || Number.isNaN(ms)) {
    throw new ApiError('VALIDATION', { detail: [{ field: name, message: 'must be a date, YYYY-MM-DD' }] });
  }
  return ms;
}

interface ServiceRecordBody {
  id: string;
  cost: { amount: number | null; currency: string | null };
  time: string;
  tasks: { id: string; description: string | null }[];
  details: { id: string; description: string | null }[];
  odometer: number | null;
}

const idNumber = (id: string) => (id === '' || Number.isNaN(Number(id)) ? null : Number(id));

function serviceHistory(bodies: Bodies, units: UnitSystem, { query }: ReadInput) {
  // Node, Java and Ruby send start_date/end_date; Python sends startDate/endDate.
  const from = dateParam(query('start_date', 'startDate'), 'start_date');
  const toDay = dateParam(query('end_date', 'endDate'), 'end_date');
  const to = toDay === undefined ? undefined : toDay + 86_400_000;
  return (bodies('service-records')?.values as ServiceRecordBody[])
    .filter((r) => {
      const at = Date.parse(r.time);
      return (from === undefined || at >= from) && (to === undefined || at < to);
    })
    .map((r) => ({
      serviceId: idNumber(r.id),
      serviceDate: r.time,
      odometerDistance: orNull(r.odometer, (km) => distance(km, units)),
      serviceTasks: r.tasks.map((t) => ({ taskId: idNumber(t.id), taskDescription: t.description })),
      serviceDetails: r.details.map((d) => ({ type: d.id, value: d.description })),
      serviceCost: r.cost.amount === null && r.cost.currency === null ? null : { totalCost: r.cost.amount, currency: r.cost.currency },
    }));
}

const SECURITY = [
  'closure-islocked', 'closure-doors', 'closure-windows', 'closure-sunroof', 'closure-fronttrunk', 'closure-enginecover',
  'closure-reartrunk', 'charge-ischargingportflapopen',
];

function security(bodies: Bodies) {
  const front = bodies('closure-fronttrunk') ?? bodies('closure-enginecover');
  const rear = bodies('closure-reartrunk');
  const sunroof = bodies('closure-sunroof');
  const port = bodies('charge-ischargingportflapopen');
  return {
    isLocked: bodies('closure-islocked')?.value,
    doors: gridOf<GridItem & { isOpen: boolean }>(bodies('closure-doors')).map((d) => ({ type: positionOf(d), status: openState(d.isOpen) })),
    windows: gridOf<GridItem & { isOpen: boolean }>(bodies('closure-windows')).map((w) => ({ type: positionOf(w), status: openState(w.isOpen) })),
    sunroof: sunroof ? [{ type: 'sunroof', status: openState(sunroof.isOpen) }] : [],
    storage: [
      ...(front ? [{ type: 'front', status: openState(front.isOpen) }] : []),
      ...(rear ? [{ type: 'rear', status: openState(rear.isOpen) }] : []),
    ],
    chargingPort: port ? [{ type: 'chargingPort', status: openState(port.value) }] : [],
  };
}

const DIAGNOSTICS = Object.keys(SYSTEM_IDS);

const ROWS: readonly SignalRow[] = [
  {
    path: '/vin', name: 'VIN', permission: 'read_vin', signals: ['vehicleidentification-vin'], live: false,
    shape: (b) => ({ vin: b('vehicleidentification-vin')?.value }),
  },
  {
    path: '/odometer', name: 'Odometer', permission: 'read_odometer', signals: ['odometer-traveleddistance'],
    shape: (b, u) => ({ distance: distance(num(b('odometer-traveleddistance'))!, u) }),
  },
  {
    path: '/location', name: 'Location', permission: 'read_location', signals: ['location-preciselocation'],
    shape: (b) => {
      const at = b('location-preciselocation')!;
      return { latitude: at.latitude, longitude: at.longitude };
    },
  },
  {
    path: '/fuel', name: 'Fuel tank', permission: 'read_fuel',
    signals: ['internalcombustionengine-fuellevel', 'internalcombustionengine-range', 'internalcombustionengine-amountremaining'],
    required: ['internalcombustionengine-fuellevel'],
    shape: (b, u) => ({
      range: orNull(num(b('internalcombustionengine-range')), (km) => distance(km, u)),
      percentRemaining: fraction(b('internalcombustionengine-fuellevel')),
      amountRemaining: orNull(num(b('internalcombustionengine-amountremaining')), (l) => volume(l, u)),
    }),
  },
  {
    path: '/battery', name: 'EV battery', permission: 'read_battery',
    signals: ['tractionbattery-stateofcharge', 'tractionbattery-range'], required: ['tractionbattery-stateofcharge'],
    shape: (b, u) => ({
      range: orNull(num(b('tractionbattery-range')), (km) => distance(km, u)),
      percentRemaining: fraction(b('tractionbattery-stateofcharge')),
    }),
  },
  {
    path: '/battery/capacity', name: 'EV battery capacity', permission: 'read_battery', signals: ['tractionbattery-usablecapacity'],
    shape: (b) => ({ capacity: num(b('tractionbattery-usablecapacity')) }),
  },
  {
    path: '/battery/nominal_capacity', name: 'EV battery capacity', permission: 'read_battery',
    signals: ['tractionbattery-nominalcapacity'],
    shape: (b) => {
      const body = b('tractionbattery-nominalcapacity')!;
      return {
        availableCapacities: body.availableCapacities,
        capacity: { nominal: body.capacity, source: body.source },
        url: null,
      };
    },
  },
  {
    path: '/charge', name: 'EV charging status', permission: 'read_charge',
    signals: ['charge-ischargingcableconnected', 'charge-detailedchargingstatus'],
    shape: (b) => ({ isPluggedIn: b('charge-ischargingcableconnected')?.value, state: b('charge-detailedchargingstatus')?.value }),
  },
  {
    path: '/charge/limit', name: 'EV charge limit', permission: 'read_charge', signals: ['charge-chargelimits'],
    shape: (b) => ({ limit: fraction({ value: b('charge-chargelimits')?.activeLimit }) }),
  },
  {
    path: '/tires/pressure', name: 'Tire pressure', permission: 'read_tires', signals: ['wheel-tires'],
    shape: (b, u) => {
      const kpa = Object.fromEntries(gridOf<GridItem & { tirePressure: number }>(b('wheel-tires')).map((t) => [positionOf(t), t.tirePressure]));
      const at = (position: string) => orNull(kpa[position] ?? null, (v) => pressure(v, u));
      return { frontLeft: at('frontLeft'), frontRight: at('frontRight'), backLeft: at('backLeft'), backRight: at('backRight') };
    },
  },
  {
    path: '/engine/oil', name: 'Engine oil life', permission: 'read_engine_oil', signals: ['internalcombustionengine-oillife'],
    shape: (b) => ({ lifeRemaining: fraction(b('internalcombustionengine-oillife')) }),
  },
  {
    path: '/security', name: 'Lock status', permission: 'read_security', signals: SECURITY, required: ['closure-islocked'],
    shape: (b) => security(b),
  },
  {
    path: '/diagnostics/system_status', name: 'Diagnostic system status', permission: 'read_diagnostics', signals: DIAGNOSTICS,
    required: 'any',
    shape: (b) => ({
      systems: DIAGNOSTICS.flatMap((code) => {
        const body = b(code);
        return body ? [{ systemId: SYSTEM_IDS[code], status: body.status, description: body.description }] : [];
      }),
    }),
  },
  {
    path: '/diagnostics/dtcs', name: 'Diagnostic trouble codes', permission: 'read_diagnostics', signals: ['diagnostics-dtclist'],
    shape: (b) => ({ activeCodes: b('diagnostics-dtclist')?.values }),
  },
  {
    path: '/service/history', name: 'Service history', permission: 'read_service_history', signals: ['service-records'],
    shape: serviceHistory,
  },
];

const attributes: ReadEndpoint = {
  path: '/',
  permission: 'read_vehicle_info',
  name: 'Vehicle info',
  signals: [],
  required: [],
  async run({ context, vehicle }) {
    requirePermission(context, vehicle.id, 'read_vehicle_info');
    return { body: { id: vehicle.id, make: vehicle.make, model: vehicle.model, year: vehicle.year }, headers: {} };
  },
};

const permissions: ReadEndpoint = {
  path: '/permissions',
  permission: null,
  name: null,
  signals: [],
  required: [],
  async run({ context, vehicle, query }) {
    const granted = [...(context.vehicles.get(vehicle.id) ?? [])];
    const { limit, offset } = paging(query, 25, 100);
    return { body: { permissions: granted.slice(offset, offset + limit), paging: { count: granted.length, offset } }, headers: {} };
  },
};

export const READ_ENDPOINTS: readonly ReadEndpoint[] = [attributes, ROWS[0]!, permissions, ...ROWS.slice(1)].map((row) =>
  ('run' in row ? row : signalRead(row)));

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
