/**
 * Catalog signals from OVMS standard metrics (firmware metrics_standard.h; names and native units
 * in shared/spec/adapters.md §2.3). Each mapped code is a function of one metrics snapshot; a
 * code without a function here is one no standard metric carries (SMARTCAR_NOT_CAPABLE), and a
 * code the catalog gives only to engines is one an electric OVMS car lacks (VEHICLE_NOT_CAPABLE).
 */
import { DomainError, notCapable, SIGNALS, UpstreamError, signal, type SignalBody } from '../../core/index.js';
import type { SignalOutcome, SignalReadings, SignalSupport, Support, VehicleRef } from '../provider.js';
import { CHARGE_MAPPERS } from './charge-signals.js';
import { leadAcidStateOfCharge, lowVoltageStatus } from './low-voltage-battery.js';
import { MetricReader, type Metrics } from './metrics.js';

/** Signals the vehicle record answers, not the module: no broker round trip, dated 0 as catalog attributes are. */
export const RECORD_CODES: ReadonlySet<string> = new Set(['vehicleidentification-vin']);

/** Standard wheel positions (MS_V_TPMS_IDX_*) and door metrics on Smartcar's grid: row 0 front, column 0 left. */
const WHEELS = [
  { name: 'front left', row: 0, column: 0 }, { name: 'front right', row: 0, column: 1 },
  { name: 'rear left', row: 1, column: 0 }, { name: 'rear right', row: 1, column: 1 },
] as const;
const DOOR_METRICS = ['v.d.fl', 'v.d.fr', 'v.d.rl', 'v.d.rr'] as const;
const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

/** Modules round the state of charge past its ends now and then (100.4 %). */
const percent = (value: number) => ({ value: Math.min(100, Math.max(0, value)), unit: 'percent' });
const km = (value: number) => ({ value, unit: 'km' });
const celsius = (value: number) => ({ value, unit: 'celsius' });

/** `v.e.gear`: negative reverse, 0 neutral (modules write park as 0 too), positive a forward gear. */
function gearState(r: MetricReader): string {
  const gear = r.number('v.e.gear');
  if (!Number.isInteger(gear) || Math.abs(gear) > 20) throw new UpstreamError('INVALID_DATA', 'OVMS metric v.e.gear is no gear');
  if (gear < 0) return 'REVERSE';
  if (gear > 0) return 'DRIVE';
  // A car switched off in neutral is parked; one that is on (or says nothing) stands in neutral.
  return r.optionalBoolean('v.e.on') === false ? 'PARK' : 'NEUTRAL';
}

function preciseLocation(r: MetricReader): SignalBody {
  const latitude = r.number('v.p.latitude');
  const longitude = r.number('v.p.longitude');
  const direction = r.optionalNumber('v.p.direction');
  if (direction === undefined) return { latitude, longitude };
  const heading = ((direction % 360) + 360) % 360;
  return { latitude, longitude, heading, direction: COMPASS[Math.round(heading / 45) % 8] };
}

/** Estimated range is the one to show (the car's own guess); ideal range stands in for a module without it. */
function tractionRange(r: MetricReader): SignalBody {
  const estimated = r.optionalNumber('v.b.range.est');
  const ideal = r.optionalNumber('v.b.range.ideal');
  const value = estimated ?? ideal ?? r.missing('v.b.range.est');
  const additionalValues = [
    ...(estimated === undefined ? [] : [{ type: 'ESTIMATED', value: Math.max(0, estimated) }]),
    ...(ideal === undefined ? [] : [{ type: 'IDEAL_CONDITIONS', value: Math.max(0, ideal) }]),
  ];
  return { value: Math.max(0, value), unit: 'km', additionalValues };
}

/** Doors the module reports (a two-door car has no rear ones), each with the car's one lock. */
function doors(r: MetricReader): SignalBody {
  const isLocked = r.boolean('v.e.locked');
  const values = DOOR_METRICS.flatMap((name, i) => {
    const isOpen = r.optionalBoolean(name);
    return isOpen === undefined ? [] : [{ row: WHEELS[i]!.row, column: WHEELS[i]!.column, isOpen, isLocked }];
  });
  if (values.length === 0) r.missing('v.d.fl');
  return { values, rowCount: Math.max(...values.map((v) => v.row)) + 1, columnCount: 2 };
}

/** `v.t.pressure`, kPa in the standard layout FL, FR, RL, RR. */
function tires(r: MetricReader): SignalBody {
  const kpa = r.numbers('v.t.pressure');
  if (kpa.length !== WHEELS.length) throw new UpstreamError('INVALID_DATA', 'OVMS metric v.t.pressure is not four wheels');
  return { values: WHEELS.map((w, i) => ({ row: w.row, column: w.column, tirePressure: kpa[i] })), rowCount: 2, columnCount: 2, unit: 'kPa' };
}

/** `v.t.alert`: per wheel 0 normal, 1 warning, 2 alert; any but normal is an ALERT, named per wheel. */
function tirePressureStatus(r: MetricReader): SignalBody {
  const levels = r.numbers('v.t.alert');
  const raised = WHEELS.flatMap((w, i) => {
    const level = levels[i] ?? 0;
    return level >= 1 ? [`${w.name}: ${level >= 2 ? 'alert' : 'warning'}`] : [];
  });
  return raised.length === 0 ? { status: 'OK', description: null } : { status: 'ALERT', description: raised.join(', ') };
}

/** Online to carport is the module's link to this broker (`s.v3.connected`, also its will message); else its network. */
function isOnline(r: MetricReader): boolean {
  return r.optionalBoolean('s.v3.connected') ?? r.boolean('m.net.connected');
}

/** `m.version` reads `3.3.004-32-g125e0841/ota_0/main (build …)`: the version is its first part. */
function firmwareVersion(r: MetricReader): string {
  return r.text('m.version').split(/[\s/]/, 1)[0]!;
}

function vinOf(vehicle: VehicleRef): string | undefined {
  return vehicle.vin.length === 17 && /^[A-Z0-9]{17}$/.test(vehicle.vin) ? vehicle.vin : undefined;
}

type VehicleMapper = (r: MetricReader, vehicle: VehicleRef) => SignalBody;

export const MAPPERS: Readonly<Record<string, VehicleMapper>> = {
  ...CHARGE_MAPPERS,
  'tractionbattery-stateofcharge': (r) => percent(r.number('v.b.soc')),
  'tractionbattery-range': tractionRange,
  'tractionbattery-estimatedrange': (r) => km(Math.max(0, r.number('v.b.range.est'))),
  'tractionbattery-idealrange': (r) => km(Math.max(0, r.number('v.b.range.ideal'))),
  'odometer-traveleddistance': (r) => km(r.number('v.p.odometer')),
  'location-preciselocation': preciseLocation,
  // Speed is a magnitude; some modules sign it negative in reverse.
  'motion-currentspeed': (r) => ({ value: Math.abs(r.number('v.p.speed')), unit: 'km/h' }),
  'closure-islocked': (r) => ({ value: r.boolean('v.e.locked') }),
  'closure-doors': doors,
  // On an electric car the front lid is the frunk's; OVMS reports neither lid's lock.
  'closure-fronttrunk': (r) => ({ isOpen: r.boolean('v.d.hood'), isLocked: null }),
  'closure-reartrunk': (r) => ({ isOpen: r.boolean('v.d.trunk'), isLocked: null }),
  'lowvoltagebattery-stateofcharge': (r) => percent(leadAcidStateOfCharge(r.number('v.b.12v.voltage'))),
  'lowvoltagebattery-status': (r) => ({
    value: lowVoltageStatus(leadAcidStateOfCharge(r.number('v.b.12v.voltage')), r.optionalBoolean('v.b.12v.voltage.alert') ?? false),
  }),
  'climate-internaltemperature': (r) => celsius(r.number('v.e.cabintemp')),
  'climate-externaltemperature': (r) => celsius(r.number('v.e.temp')),
  'hvac-iscabinhvacactive': (r) => ({ value: r.boolean('v.e.hvac') }),
  'hvac-cabintargettemperature': (r) => celsius(r.number('v.e.cabinsetpoint')),
  'transmission-gearstate': (r) => ({ value: gearState(r) }),
  'wheel-tires': tires,
  'diagnostics-tirepressure': tirePressureStatus,
  'connectivitystatus-isonline': (r) => ({ value: isOnline(r) }),
  // `v.e.awake`: the car is switched on by its user; otherwise it rests with only its 12 V system.
  'connectivitystatus-isasleep': (r) => ({ value: !r.boolean('v.e.awake') }),
  // The OVMS module's own firmware: the telematics unit Smartcar would report for a carmaker's car.
  'connectivitysoftware-currentfirmwareversion': (r) => ({ value: firmwareVersion(r) }),
  'vehicleidentification-vin': (_r, vehicle) => {
    const vin = vinOf(vehicle);
    if (vin === undefined) throw new UpstreamError('INVALID_DATA', 'the OVMS module never reported a VIN');
    return { value: vin };
  },
};

const SUPPORT = new Map<string, SignalSupport>();

/**
 * Every catalog code's support for this car: what its powertrain cannot have, then what no
 * standard metric carries. The VIN counts only where the module reported a real one (a car named
 * by its vehicle id has none to give).
 */
export function ovmsSignalSupport(vehicle: VehicleRef): SignalSupport {
  const hasVin = vinOf(vehicle) !== undefined;
  const key = `${vehicle.powertrain}:${hasVin}`;
  let support = SUPPORT.get(key);
  if (!support) {
    support = Object.freeze(Object.fromEntries(SIGNALS.map((s): [string, Support] => {
      if (!s.powertrains.includes(vehicle.powertrain)) return [s.code, 'VEHICLE_NOT_CAPABLE'];
      const mapped = MAPPERS[s.code] !== undefined && (hasVin || s.code !== 'vehicleidentification-vin');
      return [s.code, mapped ? 'supported' : 'SMARTCAR_NOT_CAPABLE'];
    })));
    SUPPORT.set(key, support);
  }
  return support;
}

/** One code from the snapshot: its body, dated by the oldest metric it used, or the error that kept it from one. */
function outcomeOf(code: string, metrics: Metrics, vehicle: VehicleRef, fetchedAt: Date): SignalOutcome {
  const map = MAPPERS[code];
  if (!map) return { status: 'ERROR', error: notCapable('SMARTCAR_NOT_CAPABLE') };
  const reader = new MetricReader(metrics);
  try {
    const body = map(reader, vehicle);
    if (!signal(code).body.safeParse(body).success) {
      throw new UpstreamError('INVALID_DATA', `the OVMS metrics behind ${code} are out of range`);
    }
    const observedAt = reader.used.length === 0 ? new Date(0) : new Date(Math.min(...reader.used.map((m) => m.at.getTime())));
    return { status: 'SUCCESS', body, observedAt, fetchedAt };
  } catch (error) {
    if (error instanceof DomainError) return { status: 'ERROR', error };
    throw error;
  }
}

/** Every requested code from one metrics snapshot; a code whose metrics are missing or wrong fails alone. */
export function signalsFromMetrics(metrics: Metrics, vehicle: VehicleRef, codes: readonly string[], fetchedAt: Date): SignalReadings {
  const support = ovmsSignalSupport(vehicle);
  return new Map(codes.map((code): [string, SignalOutcome] => {
    const reason = support[code];
    if (reason !== 'supported') {
      return [code, { status: 'ERROR', error: notCapable(reason) }];
    }
    return [code, outcomeOf(code, metrics, vehicle, fetchedAt)];
  }));
}
