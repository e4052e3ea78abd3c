/**
 * VehicleIdentification, VehicleUserAccount, Connectivity, Surveillance, Diagnostics and Service
 * signals.
 */
import type { SignalBody } from '../../core/index.js';
import { measure, type Deriver, type SignalContext } from './signal-context.js';
import type { SimSnapshot } from './state.js';

/** The simulator's v2-era system ids, by the diagnostic signal that reports each. */
const SYSTEM_OF: Readonly<Record<string, string>> = {
  'diagnostics-abs': 'SYSTEM_ABS',
  'diagnostics-airbag': 'SYSTEM_AIRBAG',
  'diagnostics-brakefluid': 'SYSTEM_BRAKE_FLUID',
  'diagnostics-mil': 'SYSTEM_MIL',
  'diagnostics-tirepressuremonitoring': 'SYSTEM_TPMS',
  'diagnostics-oiltemperature': 'SYSTEM_ENGINE',
};

/** Trouble codes (initial-state.ts) and the system each one lights. */
const ALERT_BY_DTC: readonly { code: string; prefix: string; description: string }[] = [
  { code: 'diagnostics-emissions', prefix: 'P04', description: 'Emission control system fault' },
  { code: 'diagnostics-emissions', prefix: 'P0171', description: 'Fuel system too lean' },
  { code: 'diagnostics-evhvbattery', prefix: 'P0A', description: 'High-voltage battery fault' },
  { code: 'diagnostics-tirepressuremonitoring', prefix: 'C0750', description: 'Tire pressure sensor fault' },
  { code: 'diagnostics-telematics', prefix: 'U0140', description: 'Lost communication with body control module' },
];

/** FMVSS 138: the low-pressure warning lights once a tyre is 25 % below its placard (simulator-realism §4.5). */
const TPMS_WARNING_RATIO = 0.75;
/** Oil life at which the car asks for an oil change. */
const OIL_CHANGE_DUE = 0.15;
const SURVEILLANCE_BRANDS: Readonly<Record<string, string>> = { TESLA: 'Sentry Mode', RIVIAN: 'Gear Guard' };

const OK = { status: 'OK', description: null } as const;
const alert = (description: string | null): SignalBody => ({ status: 'ALERT', description });

function fromSystem(code: string): Deriver {
  return (c) => {
    const system = c.s.systems.find((sys) => sys.systemId === SYSTEM_OF[code]);
    if (system?.status === 'ALERT') return alert(system.description);
    return fromDtcs(code)(c);
  };
}

function fromDtcs(code: string): Deriver {
  return ({ s }) => {
    const hit = ALERT_BY_DTC.find((a) => a.code === code && s.dtcs.some((d) => d.code.startsWith(a.prefix)));
    return hit ? alert(hit.description) : OK;
  };
}

function lowTire({ spec, tires: kpa }: SignalContext): SignalBody {
  const low = Object.entries(kpa).filter(([, value]) => value < spec.tirePlacardKpa * TPMS_WARNING_RATIO);
  return low.length === 0 ? OK : alert(`Low tire pressure: ${low.map(([position]) => position.replace(/Kpa$/, '')).join(', ')}`);
}

const oilLife = ({ s }: { s: SimSnapshot }): SignalBody => (s.oilLife !== null && s.oilLife < OIL_CHANGE_DUE ? alert('Oil change due') : OK);

const STATUS_CODES = [
  'diagnostics-abs', 'diagnostics-activesafety', 'diagnostics-airbag', 'diagnostics-brakefluid', 'diagnostics-driverassistance',
  'diagnostics-emissions', 'diagnostics-evbatteryconditioning', 'diagnostics-evcharging', 'diagnostics-evdriveunit',
  'diagnostics-evhvbattery', 'diagnostics-lighting', 'diagnostics-mil', 'diagnostics-oilpressure', 'diagnostics-oiltemperature',
  'diagnostics-telematics', 'diagnostics-tirepressuremonitoring', 'diagnostics-transmission', 'diagnostics-washerfluid',
  'diagnostics-waterinfuel',
];

export const CAR_DERIVERS: Readonly<Record<string, Deriver>> = {
  'vehicleidentification-vin': ({ vehicle }) => ({ value: vehicle.vin }),
  'vehicleidentification-nickname': (c) => ({ value: c.identity.nickname }),
  'vehicleidentification-exteriorcolor': (c) => ({ value: c.identity.exteriorColor }),
  'vehicleidentification-packages': (c) => ({ values: [...c.identity.packages] }),
  'vehicleidentification-trim': (c) => ({ value: c.identity.trim }),
  'vehicleuseraccount-permissions': (c) => ({ values: [...c.identity.permissions] }),
  'vehicleuseraccount-role': (c) => ({ value: c.identity.role }),

  'connectivitysoftware-currentfirmwareversion': (c) => ({ value: c.identity.firmwareVersion }),
  'connectivitystatus-isasleep': (c) => ({ value: c.asleep }),
  'connectivitystatus-isonline': (c) => ({ value: !c.asleep }),
  'connectivitystatus-isdigitalkeypaired': (c) => ({ value: c.identity.isDigitalKeyPaired }),

  'surveillance-isenabled': ({ s }) => ({ value: Boolean(s.sentry) }),
  'surveillance-brand': ({ spec }) => ({ value: SURVEILLANCE_BRANDS[spec.make] ?? 'Camera surveillance' }),

  ...Object.fromEntries(STATUS_CODES.map((code) => [code, SYSTEM_OF[code] ? fromSystem(code) : fromDtcs(code)])),
  'diagnostics-tirepressure': lowTire,
  'diagnostics-oillife': oilLife,
  'diagnostics-dtclist': ({ s }) => ({ values: s.dtcs.map((d) => ({ code: d.code, timestamp: d.timestamp })) }),
  'diagnostics-dtccount': ({ s }) => measure(s.dtcs.length, 'count'),

  // A car in the workshop is offline for service and answers nothing (faults.ts): one that answers is not in.
  'service-isinservice': () => ({ value: false }),
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
