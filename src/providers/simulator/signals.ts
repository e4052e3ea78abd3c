/**
 * The simulator's catalog signals: each code a pure function of the car's present snapshot, its
 * record and its model's specification. A code without a function here is one the simulator does
 * not report (SMARTCAR_NOT_CAPABLE), whatever the brand.
 */
import { SIGNALS, type DoorPosition, type OpenState, type SignalBody, type SignalName } from '../../core/index.js';
import type { SignalSupport, Support, VehicleRef } from '../provider.js';
import type { BrandProfile, ModelSpec } from './catalog-types.js';
import * as derive from './derive.js';
import type { SimSnapshot } from './state.js';

export interface SignalContext {
  s: SimSnapshot;
  vehicle: VehicleRef;
  spec: ModelSpec;
  /** The car's clock now, ms. */
  carNow: number;
}

type Deriver = (c: SignalContext) => SignalBody;

const GRID: readonly { position: DoorPosition; row: number; column: number }[] = [
  { position: 'frontLeft', row: 0, column: 0 },
  { position: 'frontRight', row: 0, column: 1 },
  { position: 'backLeft', row: 1, column: 0 },
  { position: 'backRight', row: 1, column: 1 },
];

const isOpen = (state: OpenState) => state === 'OPEN';
/** A 0–1 ratio as the 0–100 percentage v3 carries, to the hundredth of a percent. */
const percent = (ratio: number) => Math.round(ratio * 10_000) / 100;

/** The simulator's v2-era system ids, by the diagnostic signal that reports each. */
const SYSTEM_OF: Readonly<Record<string, string>> = {
  'diagnostics-abs': 'SYSTEM_ABS',
  'diagnostics-airbag': 'SYSTEM_AIRBAG',
  'diagnostics-brakefluid': 'SYSTEM_BRAKE_FLUID',
  'diagnostics-mil': 'SYSTEM_MIL',
  'diagnostics-tirepressuremonitoring': 'SYSTEM_TPMS',
  'diagnostics-oiltemperature': 'SYSTEM_ENGINE',
};

function systemStatus(code: string): Deriver {
  return ({ s }) => {
    const system = s.systems.find((sys) => sys.systemId === SYSTEM_OF[code]);
    return { status: system?.status ?? 'OK', description: system?.description ?? null };
  };
}

export const DERIVERS: Readonly<Record<string, Deriver>> = {
  'vehicleidentification-vin': ({ vehicle }) => ({ value: vehicle.vin }),
  'odometer-traveleddistance': ({ s }) => ({ value: s.odometerKm, unit: 'km' }),
  'location-preciselocation': ({ s }) => ({ latitude: s.location.latitude, longitude: s.location.longitude }),
  // Whole percent, as carmakers report it (and v2.0's two-decimal fraction).
  'tractionbattery-stateofcharge': ({ s }) => ({ value: Math.round((s.soc ?? 0) * 100), unit: 'percent' }),
  'tractionbattery-range': ({ s, spec }) => ({ value: derive.battery(s, spec).rangeKm ?? 0, unit: 'km', additionalValues: [] }),
  'tractionbattery-nominalcapacity': ({ spec }) => {
    const { available, nominal } = derive.nominalCapacity(spec);
    return {
      source: nominal?.source ?? 'SMARTCAR',
      capacity: nominal?.capacityKwh ?? spec.batteryKwh ?? 0,
      availableCapacities: available.map((c) => ({ capacity: c.capacityKwh, description: c.description })),
      unit: 'kWh',
    };
  },
  'tractionbattery-usablecapacity': ({ spec }) => ({ value: spec.batteryKwh ?? 0, unit: 'kWh' }),
  'charge-ischarging': ({ s }) => ({ value: derive.chargeState(s) === 'CHARGING' }),
  'charge-detailedchargingstatus': ({ s }) => ({ value: derive.chargeState(s) }),
  'charge-ischargingcableconnected': ({ s }) => ({ value: s.isPluggedIn }),
  'charge-chargelimits': ({ s }) => ({
    values: [{ type: 'GLOBAL', limit: percent(s.chargeLimit), condition: null }],
    activeLimit: percent(s.chargeLimit),
    unit: 'percent',
  }),
  'charge-ischargingportflapopen': ({ s }) => ({ value: s.chargingPort === 'OPEN' }),
  'wheel-tires': ({ s, carNow }) => {
    const kpa = derive.tirePressure(s, carNow);
    const byPosition: Record<DoorPosition, number> = {
      frontLeft: kpa.frontLeftKpa, frontRight: kpa.frontRightKpa, backLeft: kpa.backLeftKpa, backRight: kpa.backRightKpa,
    };
    return {
      values: GRID.map(({ position, row, column }) => ({ row, column, tirePressure: byPosition[position] })),
      rowCount: 2, columnCount: 2, unit: 'kPa',
    };
  },
  'internalcombustionengine-oillife': ({ s }) => ({ value: percent(s.oilLife ?? 0), unit: 'percent' }),
  'internalcombustionengine-fuellevel': ({ s }) => ({ value: Math.round((s.fuelLevel ?? 0) * 100), unit: 'percent' }),
  'internalcombustionengine-range': ({ s, spec }) => ({ value: derive.fuel(s, spec).rangeKm ?? 0, unit: 'km' }),
  'internalcombustionengine-amountremaining': ({ s, spec }) => ({ value: derive.fuel(s, spec).amountLiters ?? 0, unit: 'liters' }),
  'closure-islocked': ({ s }) => ({ value: s.isLocked }),
  'closure-doors': ({ s }) => ({
    values: GRID.map(({ position, row, column }) => ({ row, column, isOpen: isOpen(s.doors[position]), isLocked: s.isLocked })),
    rowCount: 2, columnCount: 2,
  }),
  'closure-windows': ({ s }) => ({
    values: GRID.map(({ position, row, column }) => ({ row, column, isOpen: isOpen(s.windows[position]) })),
    rowCount: 2, columnCount: 2,
  }),
  'closure-sunroof': ({ s }) => ({ isOpen: s.sunroof === null ? null : isOpen(s.sunroof) }),
  'closure-fronttrunk': ({ s }) => ({ isOpen: isOpen(s.storage.front), isLocked: null }),
  'closure-enginecover': ({ s }) => ({ isOpen: isOpen(s.storage.front) }),
  'closure-reartrunk': ({ s }) => ({ isOpen: isOpen(s.storage.rear), isLocked: null }),
  ...Object.fromEntries(Object.keys(SYSTEM_OF).map((code) => [code, systemStatus(code)])),
  'diagnostics-dtclist': ({ s }) => ({ values: s.dtcs.map((d) => ({ code: d.code, timestamp: d.timestamp })) }),
  'diagnostics-dtccount': ({ s }) => ({ value: s.dtcs.length, unit: 'count' }),
  'service-records': ({ s }) => ({
    values: s.serviceRecords.map((r) => ({
      id: String(r.serviceId ?? ''),
      cost: { amount: r.cost?.totalCost ?? null, currency: r.cost?.currency ?? null },
      time: r.serviceDate,
      tasks: r.tasks.map((t) => ({ id: String(t.taskId ?? ''), description: t.taskDescription })),
      details: r.type === null ? [] : [{ id: r.type, description: null }],
      odometer: r.odometerKm,
    })),
  }),
};

/** Signals the platform's own records answer (identity), never the car: no wake-up, no quota. */
export const STATIC_CODES: ReadonlySet<string> = new Set(['vehicleidentification-vin']);

/** Until each brand profile lists its codes: the v2-era data point whose exposure stands for a code's. */
const EXPOSED_WITH: Readonly<Record<string, SignalName>> = {
  'vehicleidentification-vin': 'vin',
  'odometer-traveleddistance': 'odometer',
  'location-preciselocation': 'location',
  'tractionbattery-stateofcharge': 'battery',
  'tractionbattery-range': 'battery',
  'tractionbattery-nominalcapacity': 'nominalCapacity',
  'tractionbattery-usablecapacity': 'batteryCapacity',
  'charge-ischarging': 'charge',
  'charge-detailedchargingstatus': 'charge',
  'charge-ischargingcableconnected': 'charge',
  'charge-chargelimits': 'chargeLimit',
  'charge-ischargingportflapopen': 'lockStatus',
  'wheel-tires': 'tirePressure',
  'internalcombustionengine-oillife': 'engineOil',
  'internalcombustionengine-fuellevel': 'fuel',
  'internalcombustionengine-range': 'fuel',
  'internalcombustionengine-amountremaining': 'fuel',
  'closure-islocked': 'lockStatus',
  'closure-doors': 'lockStatus',
  'closure-windows': 'lockStatus',
  'closure-sunroof': 'lockStatus',
  'closure-fronttrunk': 'lockStatus',
  'closure-enginecover': 'lockStatus',
  'closure-reartrunk': 'lockStatus',
  ...Object.fromEntries(Object.keys(SYSTEM_OF).map((code) => [code, 'diagnosticSystemStatus' as const])),
  'diagnostics-dtclist': 'diagnosticTroubleCodes',
  'diagnostics-dtccount': 'diagnosticTroubleCodes',
  'service-records': 'serviceHistory',
};

/** Every catalog code's support on this model: its hardware first, then the brand, then the simulator. */
export function signalSupport(brand: BrandProfile, spec: ModelSpec): SignalSupport {
  return Object.fromEntries(SIGNALS.map((signal): [string, Support] => {
    if (!signal.powertrains.includes(spec.powertrain)) return [signal.code, 'VEHICLE_NOT_CAPABLE'];
    if (signal.code === 'closure-sunroof' && !spec.hasSunroof) return [signal.code, 'VEHICLE_NOT_CAPABLE'];
    const exposedWith = EXPOSED_WITH[signal.code];
    const exposed = DERIVERS[signal.code] !== undefined && exposedWith !== undefined && brand.signals.has(exposedWith);
    return [signal.code, exposed ? 'supported' : 'SMARTCAR_NOT_CAPABLE'];
  }));
}
