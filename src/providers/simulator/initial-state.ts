/** Seeds a plausible first snapshot for a simulated car: a parked, lived-in vehicle of its age. */
import type { DoorPosition, OpenState, ServiceRecord } from '../../core/index.js';
import type { ModelSpec } from './catalog-types.js';
import type { Random } from './random.js';
import type { SimSnapshot } from './state.js';
import { HOME_CITIES } from './cities.js';

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

const SYSTEM_ALERTS: Readonly<Record<string, readonly string[]>> = {
  SYSTEM_TPMS: ['Left rear tire sensor battery low', 'Right front tire pressure sensor not responding'],
  SYSTEM_AIRBAG: ['Passenger occupant classification sensor fault'],
  SYSTEM_ABS: ['Right front wheel speed sensor signal intermittent'],
  SYSTEM_MIL: ['Malfunction indicator lamp on'],
  SYSTEM_BRAKE_FLUID: ['Brake fluid level low'],
  SYSTEM_ENGINE: ['Engine coolant temperature above normal', 'Reduced engine power'],
};

/** OBD-II codes a car of that kind plausibly stores; P-codes light the MIL, C- and U-codes do not. */
const ENGINE_DTCS = ['P0420', 'P0171', 'P0300', 'P0456', 'P0128', 'C0750', 'U0140'] as const;
const ELECTRIC_DTCS = ['P0AA6', 'P0A7F', 'C0750', 'U0140'] as const;

interface Task {
  id: number;
  description: string;
  costUsd: readonly [number, number];
  engineOnly: boolean;
}

const TASKS: readonly Task[] = [
  { id: 1, description: 'oil change', costUsd: [60, 120], engineOnly: true },
  { id: 2, description: 'tire rotation', costUsd: [25, 50], engineOnly: false },
  { id: 3, description: 'brake inspection', costUsd: [0, 60], engineOnly: false },
  { id: 4, description: 'cabin air filter replacement', costUsd: [40, 90], engineOnly: false },
  { id: 5, description: 'multi-point inspection', costUsd: [0, 40], engineOnly: false },
];

const POSITIONS: readonly DoorPosition[] = ['frontLeft', 'frontRight', 'backLeft', 'backRight'];

export function seedFor(...parts: string[]): string {
  // A separator that cannot occur in ids keeps ("ab", "c") and ("a", "bc") apart.
  return parts.join('\u001f');
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function allPositions<T>(value: (position: DoorPosition) => T): Record<DoorPosition, T> {
  return Object.fromEntries(POSITIONS.map((position) => [position, value(position)])) as Record<DoorPosition, T>;
}

function parkedLocation(random: Random): { latitude: number; longitude: number } {
  const city = random.pick(HOME_CITIES);
  // Within a couple of blocks (~200 m) of the centre; longitude degrees shrink with latitude.
  const metresNorth = random.float(-200, 200);
  const metresEast = random.float(-200, 200);
  const latitude = city.latitude + metresNorth / 111_320;
  const longitude = city.longitude + metresEast / (111_320 * Math.cos((city.latitude * Math.PI) / 180));
  return { latitude: round(latitude, 6), longitude: round(longitude, 6) };
}

/** Years the car has been on the road: model years go on sale months before the calendar year. */
function yearsOnRoad(year: number, now: Date, random: Random): number {
  const age = now.getUTCFullYear() - year;
  return Math.max(age + random.float(-0.4, 0.4), random.float(0.02, 0.05));
}

function diagnostics(hasEngine: boolean, random: Random, now: Date): Pick<SimSnapshot, 'systems' | 'dtcs'> {
  const ids = ['SYSTEM_TPMS', 'SYSTEM_AIRBAG', 'SYSTEM_ABS', 'SYSTEM_MIL', 'SYSTEM_BRAKE_FLUID'];
  if (hasEngine) ids.push('SYSTEM_ENGINE');

  const dtcs: SimSnapshot['dtcs'] = [];
  if (random.chance(0.15)) {
    const code = random.pick(hasEngine ? ENGINE_DTCS : ELECTRIC_DTCS);
    const storedAt = new Date(now.getTime() - random.int(1, 30) * DAY_MS - random.int(0, DAY_MS - 1));
    dtcs.push({ code, timestamp: storedAt.toISOString() });
  }
  const milOn = dtcs.some((dtc) => dtc.code.startsWith('P'));
  const alerting = milOn ? 'SYSTEM_MIL' : random.chance(0.1) ? random.pick(ids) : null;

  const systems = ids.map((systemId) => {
    if (systemId !== alerting) return { systemId, status: 'OK' as const, description: null };
    return { systemId, status: 'ALERT' as const, description: random.pick(SYSTEM_ALERTS[systemId] ?? ['Check system']) };
  });
  return { systems, dtcs };
}

function serviceHistory(
  hasEngine: boolean, odometerKm: number, deliveredAt: number, now: Date, random: Random,
): ServiceRecord[] {
  const elapsed = now.getTime() - deliveredAt;
  // Roughly one visit per half year at most, so a nearly new car has no history yet.
  const count = random.int(0, Math.min(4, Math.floor(elapsed / (YEAR_MS / 2))));
  const tasks = TASKS.filter((task) => hasEngine || !task.engineOnly);
  const records: ServiceRecord[] = [];
  for (let i = 0; i < count; i++) {
    // One visit per equal slice of ownership keeps dates and odometer readings strictly increasing.
    const fraction = (i + random.float(0.15, 0.85)) / count;
    const day = new Date(deliveredAt + fraction * elapsed);
    day.setUTCHours(random.int(8, 17), random.pick([0, 15, 30, 45]), 0, 0);
    const chosen = tasks.filter((task) => task.engineOnly || random.chance(0.5));
    if (chosen.length === 0) chosen.push(random.pick(tasks));
    const cost = chosen.reduce((sum, task) => sum + random.float(task.costUsd[0], task.costUsd[1]), 0);
    records.push({
      serviceId: random.int(100_000, 999_999),
      serviceDate: day.toISOString(),
      odometerKm: Math.floor(odometerKm * fraction),
      tasks: chosen.map((task) => ({ taskId: task.id, taskDescription: task.description })),
      type: random.pick(['dealership', 'independent']),
      cost: { totalCost: round(cost, 2), currency: 'USD' },
    });
  }
  return records;
}

/** Oil life follows the distance since the last oil change when the history has one. */
function initialOilLife(odometerKm: number, records: readonly ServiceRecord[], random: Random): number {
  const lastChange = records.findLast((record) => record.tasks.some((task) => task.taskDescription === 'oil change'));
  if (lastChange?.odometerKm == null) return round(random.float(0.1, 1), 2);
  const used = (odometerKm - lastChange.odometerKm) / random.float(12_000, 16_000);
  return round(Math.min(1, Math.max(0.1, 1 - used)), 2);
}

export function createInitialState(spec: ModelSpec, year: number, random: Random, now: Date): SimSnapshot {
  const electric = spec.powertrain === 'BEV' || spec.powertrain === 'PHEV';
  const hasEngine = spec.powertrain !== 'BEV';

  const years = yearsOnRoad(year, now, random);
  const odometerKm = round(years * random.float(15_000, 20_000), 1);
  const location = parkedLocation(random);

  const chargeLimit = electric ? random.pick([0.8, 0.9, 1]) : 1;
  // A car is rarely parked above its own limit; capping keeps the charge state coherent from the start.
  const soc = electric ? Math.min(round(random.float(0.2, 0.9), 2), chargeLimit) : null;
  const fuelLevel = hasEngine ? round(random.float(0.15, 0.95), 2) : null;
  const isPluggedIn = electric ? random.chance(0.4) : false;
  const isLocked = random.chance(0.9);

  const closed: OpenState = 'CLOSED';
  const tiresKpa = allPositions(() => round(spec.tirePlacardKpa * random.float(0.97, 1.03), 1));
  const { systems, dtcs } = diagnostics(hasEngine, random, now);
  const serviceRecords = serviceHistory(hasEngine, odometerKm, now.getTime() - years * YEAR_MS, now, random);
  const oilLife = hasEngine ? initialOilLife(odometerKm, serviceRecords, random) : null;

  return {
    schema: 1,
    at: now.toISOString(),
    lastActiveAt: now.toISOString(),
    activity: 'parked',
    odometerKm,
    location,
    home: { ...location },
    soc,
    fuelLevel,
    isPluggedIn,
    chargeLimit,
    isLocked,
    doors: allPositions(() => closed),
    windows: allPositions(() => closed),
    sunroof: spec.hasSunroof ? closed : null,
    storage: { front: closed, rear: closed },
    // A cable in the socket means the port door is necessarily open.
    chargingPort: electric ? (isPluggedIn ? 'OPEN' : closed) : null,
    tiresKpa,
    oilLife,
    systems,
    dtcs,
    serviceRecords,
    destination: null,
  };
}
