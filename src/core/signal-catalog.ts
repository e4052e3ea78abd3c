/**
 * The signal catalog: every data point a car can report, as Smartcar's v3 signal schema names it
 * (smartcar-v3.md §4). Each entry says its name, group, body shape and unit, the permission that
 * reads it, the powertrains that can have it, and whether a change of it can trigger an event.
 * The v2.0 endpoints, the v3 signals, v4 webhook signals and triggers and the compatibility API are
 * all derived from here: adding a data point is one entry plus the providers that can read it.
 *
 * Bodies are in metric units with the unit strings real payloads carry (`km`, `km/h`, `kWh`,
 * `percent`, `ampere`, `volts`, `watts`); percentages are 0–100. Tyre pressures are kPa, named so.
 */
import { z } from 'zod';
import type { Permission } from './permissions.js';

export type Powertrain = 'BEV' | 'PHEV' | 'HEV' | 'ICE';

export const GROUPS = [
  'Charge', 'Climate', 'Closure', 'ConnectivitySoftware', 'ConnectivityStatus', 'Diagnostics', 'HVAC',
  'InternalCombustionEngine', 'Location', 'LowVoltageBattery', 'Motion', 'Odometer', 'Service', 'Surveillance',
  'TractionBattery', 'Transmission', 'VehicleIdentification', 'VehicleUserAccount', 'Wheel',
] as const;
export type SignalGroup = (typeof GROUPS)[number];

/** A signal's body: always a JSON object (SDKs map it to an object type), never a bare scalar. */
export type SignalBody = Readonly<Record<string, unknown>>;

export interface SignalSpec {
  /** `<group>-<name>` lower-cased: the signal's id in v3 and v4. */
  code: string;
  name: string;
  group: SignalGroup;
  /** The body's shape; strict, so a test can tell a well-formed body from any other object. */
  body: z.ZodType<SignalBody>;
  /** The unit string the body carries, where it has one. */
  unit?: string;
  permission: Permission;
  /** The powertrains whose hardware can have it. */
  powertrains: readonly Powertrain[];
  /** Whether a change of its value can trigger a v4 event. */
  trigger: boolean;
  /** A fixed attribute of the car (VIN, colour): it never changes, so its `oemUpdatedAt` is 0. */
  static: boolean;
  /**
   * False for carport's own data points that only feed a v2.0 endpoint Smartcar still serves but
   * its v3 schema has no code for; those are never listed on v3 nor delivered by v4 webhooks.
   */
  v3: boolean;
}

const ALL: readonly Powertrain[] = ['BEV', 'PHEV', 'HEV', 'ICE'];
const PLUG: readonly Powertrain[] = ['BEV', 'PHEV'];
const ENGINE: readonly Powertrain[] = ['ICE', 'PHEV', 'HEV'];
const BEV: readonly Powertrain[] = ['BEV'];

// Body schemas.
const value = <T extends z.ZodType>(v: T) => z.strictObject({ value: v });
const measure = (unit: string, min = -Infinity, max = Infinity) =>
  z.strictObject({ value: z.number().min(min).max(max), unit: z.literal(unit) });
const flag = value(z.boolean());
const text = value(z.string());
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => value(z.enum(values));
const list = <T extends z.ZodType>(item: T) => z.strictObject({ values: z.array(item) });
const openable = z.strictObject({ isOpen: z.boolean().nullable() });
const lockable = z.strictObject({ isOpen: z.boolean().nullable(), isLocked: z.boolean().nullable() });
const grid = <T extends z.ZodType>(item: T) =>
  z.strictObject({ values: z.array(item), rowCount: z.number().int().min(0), columnCount: z.number().int().min(0) });
const place = z.strictObject({
  name: z.string().nullable(), address: z.string().nullable(), latitude: z.number(), longitude: z.number(),
  connectorType: z.string().nullable(),
});
const systemStatus = z.strictObject({ status: z.enum(['OK', 'ALERT']), description: z.string().nullable() });
const DAYS = z.enum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']);
const LIMIT_TYPE = z.enum(['GLOBAL', 'LOCATION', 'CONNECTOR']);
const CLOCK_TIME = z.string().max(8);

interface Row {
  name: string;
  body: z.ZodType<SignalBody>;
  unit?: string;
  permission: Permission;
  powertrains?: readonly Powertrain[];
  trigger?: boolean;
  static?: boolean;
  v3?: boolean;
}

function group(name: SignalGroup, rows: readonly Row[]): SignalSpec[] {
  return rows.map((row) => ({
    code: `${name}-${row.name}`.toLowerCase(),
    name: row.name,
    group: name,
    body: row.body,
    ...(row.unit !== undefined && { unit: row.unit }),
    permission: row.permission,
    powertrains: row.powertrains ?? ALL,
    trigger: row.trigger ?? !row.static,
    static: row.static ?? false,
    v3: row.v3 ?? true,
  }));
}

const charge = (name: string, body: z.ZodType<SignalBody>, extra: Partial<Row> = {}): Row =>
  ({ name, body, permission: 'read_charge', powertrains: PLUG, ...extra });
const diagnostic = (name: string, powertrains: readonly Powertrain[] = ALL): Row =>
  ({ name, body: systemStatus, permission: 'read_diagnostics', powertrains });

export const SIGNALS: readonly SignalSpec[] = [
  ...group('Charge', [
    charge('Amperage', measure('ampere', 0), { unit: 'ampere', trigger: false }),
    charge('AmperageMax', measure('ampere', 0), { unit: 'ampere' }),
    charge('AmperageRequested', measure('ampere', 0), { unit: 'ampere' }),
    charge('ChargeLimits', z.strictObject({
      values: z.array(z.strictObject({ type: LIMIT_TYPE, limit: z.number().min(0).max(100), condition: place.nullable() })),
      activeLimit: z.number().min(0).max(100).nullable(),
      unit: z.literal('percent'),
    }), { unit: 'percent' }),
    charge('ChargePortStatusColor', text),
    charge('ChargeRate', measure('km/h', 0), { unit: 'km/h', trigger: false }),
    charge('ChargeRecords', list(z.strictObject({
      id: z.string(),
      cost: z.strictObject({ currency: z.string().nullable(), energyAmount: z.number().nullable(), otherAmount: z.number().nullable() }),
      startTime: z.string(), endTime: z.string(), location: place.omit({ connectorType: true }).nullable(),
      energyAdded: z.number().min(0), connectorType: z.string().nullable(), isPublicCharger: z.boolean(),
      startStateOfCharge: z.number().min(0).max(100), endStateOfCharge: z.number().min(0).max(100),
    })), { permission: 'read_charge_records', trigger: false }),
    charge('ChargeTimers', list(z.strictObject({
      type: LIMIT_TYPE,
      condition: place.nullable(),
      schedules: z.array(z.strictObject({ start: CLOCK_TIME, end: CLOCK_TIME, days: z.array(DAYS) })),
      departureTimers: z.array(z.strictObject({ days: z.array(DAYS), time: CLOCK_TIME })),
      isOEMOptimizationEnabled: z.boolean(),
    }))),
    charge('ChargerPhases', measure('count', 0, 3), { unit: 'count' }),
    charge('ChargingConnectorType', text),
    charge('DetailedChargingStatus', oneOf(['CHARGING', 'NOT_CHARGING', 'FULLY_CHARGED'])),
    charge('EnergyAdded', measure('kWh', 0), { unit: 'kWh', trigger: false }),
    charge('FastChargerType', text),
    charge('IsCharging', flag),
    charge('IsChargingCableConnected', flag),
    charge('IsChargingCableLatched', flag),
    charge('IsChargingPortFlapOpen', flag),
    charge('IsFastChargerPresent', flag),
    charge('TimeToComplete', measure('minutes', 0), { unit: 'minutes', trigger: false }),
    charge('Voltage', measure('volts', 0), { unit: 'volts', trigger: false }),
    charge('Wattage', measure('watts', 0), { unit: 'watts', trigger: false }),
    // Superseded by ChargeLimits.activeLimit; one SDK's example still reads it.
    charge('ActiveLimit', measure('percent', 0, 100), { unit: 'percent' }),
  ]),
  ...group('Climate', [
    { name: 'ExternalTemperature', body: measure('celsius'), unit: 'celsius', permission: 'read_thermometer', trigger: false },
    { name: 'InternalTemperature', body: measure('celsius'), unit: 'celsius', permission: 'read_thermometer', trigger: false },
  ]),
  ...group('Closure', [
    {
      name: 'Doors', permission: 'read_security',
      body: grid(z.strictObject({ row: z.number().int(), column: z.number().int(), isOpen: z.boolean(), isLocked: z.boolean() })),
    },
    { name: 'EngineCover', body: openable, permission: 'read_security', powertrains: ENGINE },
    { name: 'FrontTrunk', body: lockable, permission: 'read_security', powertrains: BEV },
    { name: 'IsLocked', body: flag, permission: 'read_security' },
    { name: 'RearTrunk', body: lockable, permission: 'read_security' },
    { name: 'Sunroof', body: openable, permission: 'read_security' },
    { name: 'Tailgate', body: lockable, permission: 'read_security' },
    {
      name: 'Windows', permission: 'read_security',
      body: grid(z.strictObject({ row: z.number().int(), column: z.number().int(), isOpen: z.boolean() })),
    },
  ]),
  ...group('ConnectivitySoftware', [
    { name: 'CurrentFirmwareVersion', body: text, permission: 'read_extended_vehicle_info' },
  ]),
  ...group('ConnectivityStatus', [
    { name: 'IsAsleep', body: flag, permission: 'read_vehicle_info' },
    { name: 'IsDigitalKeyPaired', body: flag, permission: 'read_vehicle_info' },
    { name: 'IsOnline', body: flag, permission: 'read_vehicle_info' },
  ]),
  ...group('Diagnostics', [
    diagnostic('ABS'),
    diagnostic('ActiveSafety'),
    diagnostic('Airbag'),
    diagnostic('BrakeFluid'),
    diagnostic('DriverAssistance'),
    { name: 'DTCCount', body: measure('count', 0), unit: 'count', permission: 'read_diagnostics' },
    { name: 'DTCList', body: list(z.strictObject({ code: z.string(), timestamp: z.string().nullable() })), permission: 'read_diagnostics' },
    diagnostic('Emissions', ENGINE),
    diagnostic('EVBatteryConditioning', PLUG),
    diagnostic('EVCharging', PLUG),
    diagnostic('EVDriveUnit', PLUG),
    diagnostic('EVHVBattery', PLUG),
    diagnostic('Lighting'),
    diagnostic('MIL', ENGINE),
    diagnostic('OilLife', ENGINE),
    diagnostic('OilPressure', ENGINE),
    diagnostic('OilTemperature', ENGINE),
    diagnostic('Telematics'),
    diagnostic('TirePressure'),
    diagnostic('TirePressureMonitoring'),
    diagnostic('Transmission'),
    diagnostic('WasherFluid'),
    diagnostic('WaterInFuel', ENGINE),
  ]),
  ...group('HVAC', [
    { name: 'CabinTargetTemperature', body: measure('celsius'), unit: 'celsius', permission: 'read_climate' },
    { name: 'IsCabinHVACActive', body: flag, permission: 'read_climate' },
    { name: 'IsFrontDefrosterActive', body: flag, permission: 'read_climate' },
    { name: 'IsRearDefrosterActive', body: flag, permission: 'read_climate' },
    { name: 'IsSteeringHeaterActive', body: flag, permission: 'read_climate' },
  ]),
  ...group('InternalCombustionEngine', [
    { name: 'AmountRemaining', body: measure('liters', 0), unit: 'liters', permission: 'read_fuel', powertrains: ENGINE, trigger: false },
    { name: 'FuelLevel', body: measure('percent', 0, 100), unit: 'percent', permission: 'read_fuel', powertrains: ENGINE },
    { name: 'OilLife', body: measure('percent', 0, 100), unit: 'percent', permission: 'read_engine_oil', powertrains: ENGINE },
    { name: 'Range', body: measure('km', 0), unit: 'km', permission: 'read_fuel', powertrains: ENGINE, trigger: false },
  ]),
  ...group('Location', [
    { name: 'IsAtHome', body: flag, permission: 'read_location' },
    {
      name: 'PreciseLocation', permission: 'read_location', trigger: false,
      body: z.strictObject({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        heading: z.number().min(0).lt(360).optional(),
        direction: z.enum(['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW']).optional(),
        locationType: z.enum(['LAST_PARKED', 'CURRENT']).optional(),
      }),
    },
  ]),
  ...group('LowVoltageBattery', [
    { name: 'StateOfCharge', body: measure('percent', 0, 100), unit: 'percent', permission: 'read_battery' },
    { name: 'Status', body: oneOf(['GOOD', 'WARN', 'BAD']), permission: 'read_battery' },
  ]),
  ...group('Motion', [
    { name: 'CurrentSpeed', body: measure('km/h', 0), unit: 'km/h', permission: 'read_speedometer', trigger: false },
  ]),
  ...group('Odometer', [
    { name: 'TraveledDistance', body: measure('km', 0), unit: 'km', permission: 'read_odometer', trigger: false },
  ]),
  ...group('Service', [
    { name: 'IsInService', body: flag, permission: 'read_service_history' },
    {
      name: 'Records', permission: 'read_service_history', trigger: false,
      body: list(z.strictObject({
        id: z.string(),
        cost: z.strictObject({ amount: z.number().nullable(), currency: z.string().nullable() }),
        time: z.string(),
        tasks: z.array(z.strictObject({ id: z.string(), description: z.string().nullable() })),
        details: z.array(z.strictObject({ id: z.string(), description: z.string().nullable() })),
        odometer: z.number().nullable(),
      })),
    },
  ]),
  ...group('Surveillance', [
    { name: 'IsEnabled', body: flag, permission: 'read_security' },
    { name: 'Brand', body: text, permission: 'read_security', static: true },
  ]),
  ...group('TractionBattery', [
    { name: 'IsHeaterActive', body: flag, permission: 'read_battery', powertrains: PLUG },
    { name: 'MaxRangeChargeCounter', body: measure('count', 0), unit: 'count', permission: 'read_battery', powertrains: PLUG, trigger: false },
    {
      name: 'NominalCapacity', permission: 'read_battery', powertrains: PLUG, unit: 'kWh', static: true,
      body: z.strictObject({
        source: z.enum(['SMARTCAR', 'USER_SELECTED']),
        capacity: z.number().positive(),
        availableCapacities: z.array(z.strictObject({ capacity: z.number().positive(), description: z.string().nullable() })),
        unit: z.literal('kWh'),
      }),
    },
    {
      name: 'Range', permission: 'read_battery', powertrains: PLUG, unit: 'km', trigger: false,
      body: z.strictObject({
        value: z.number().min(0), unit: z.literal('km'), type: z.literal('DEFAULT').optional(),
        additionalValues: z.array(z.strictObject({ type: z.enum(['IDEAL_CONDITIONS', 'ESTIMATED', 'RATED']), value: z.number().min(0) })),
      }),
    },
    { name: 'StateOfCharge', body: measure('percent', 0, 100), unit: 'percent', permission: 'read_battery', powertrains: PLUG },
    // v2.0's deprecated /battery/capacity reports the usable energy, which v3 has no code for.
    {
      name: 'UsableCapacity', body: measure('kWh', 0), unit: 'kWh', permission: 'read_battery', powertrains: PLUG, static: true,
      v3: false,
    },
    // Only in Smartcar's compatibility matrix; each is one of Range's additionalValues on its own.
    { name: 'EstimatedRange', body: measure('km', 0), unit: 'km', permission: 'read_battery', powertrains: PLUG, trigger: false },
    { name: 'IdealRange', body: measure('km', 0), unit: 'km', permission: 'read_battery', powertrains: PLUG, trigger: false },
    { name: 'RatedRange', body: measure('km', 0), unit: 'km', permission: 'read_battery', powertrains: PLUG, trigger: false },
  ]),
  ...group('Transmission', [
    { name: 'GearState', body: oneOf(['PARK', 'DRIVE', 'REVERSE', 'NEUTRAL']), permission: 'read_extended_vehicle_info' },
    { name: 'DriveMode', body: z.strictObject({ canonical: z.string(), oemDisplayName: z.string() }), permission: 'read_extended_vehicle_info' },
  ]),
  ...group('VehicleIdentification', [
    { name: 'VIN', body: value(z.string().length(17)), permission: 'read_vin', static: true },
    { name: 'Nickname', body: text, permission: 'read_vehicle_info', trigger: false },
    { name: 'ExteriorColor', body: text, permission: 'read_extended_vehicle_info', static: true },
    { name: 'Packages', body: list(z.string()), permission: 'read_vehicle_info', static: true },
    { name: 'Trim', body: text, permission: 'read_vehicle_info', static: true },
  ]),
  ...group('VehicleUserAccount', [
    { name: 'Permissions', body: list(z.string()), permission: 'read_vehicle_info', trigger: false },
    { name: 'Role', body: text, permission: 'read_vehicle_info', trigger: false },
  ]),
  ...group('Wheel', [
    {
      name: 'Tires', permission: 'read_tires', unit: 'kPa', trigger: false,
      body: z.strictObject({
        values: z.array(z.strictObject({ row: z.number().int(), column: z.number().int(), tirePressure: z.number().min(0) })),
        rowCount: z.number().int().min(0), columnCount: z.number().int().min(0), unit: z.literal('kPa'),
      }),
    },
    { name: 'Style', body: text, permission: 'read_extended_vehicle_info', static: true },
  ]),
];

/** Every code, in catalog order (group, then the reference's order within it). */
export const SIGNAL_CODES: readonly string[] = SIGNALS.map((s) => s.code);

/** The signals of Smartcar's v3 schema (all but carport's own v2-only data points). */
export const V3_SIGNALS: readonly SignalSpec[] = SIGNALS.filter((s) => s.v3);

const BY_CODE = new Map(SIGNALS.map((s) => [s.code, s]));

/** Longer than any code: not worth looking up. */
const MAX_CODE_LENGTH = 64;

export function signalSpec(code: string): SignalSpec | undefined {
  return code.length > MAX_CODE_LENGTH ? undefined : BY_CODE.get(code);
}

/** A code of Smartcar's v3 schema: one an app may name (carport's own v2-only data points are not). */
export function isSignalCode(code: string): boolean {
  return signalSpec(code)?.v3 === true;
}

/** The catalog entry of a code known to be one (a programming error otherwise). */
export function signal(code: string): SignalSpec {
  const spec = BY_CODE.get(code);
  if (!spec) throw new Error(`no signal ${code} in the catalog`);
  return spec;
}

/** The signals a permission reads. */
export function signalsOfPermission(permission: Permission): SignalSpec[] {
  return SIGNALS.filter((s) => s.permission === permission);
}
