/**
 * Named scenarios, each a deterministic list of steps from a seed: `parked`, `charging`, `commute`,
 * `road_trip`, and `custom` (the developer's own steps, validated).
 */
import { z } from 'zod';
import type { ModelSpec } from './catalog-types.js';
import { nearestHomeCity, TRIP_CITIES } from './cities.js';
import { nextLocalTime } from './local-time.js';
import { homeOf } from './physics/environment.js';
import { conditionsFactor, ratedKwhPerKm, ratedLitersPerKm } from './physics/consumption.js';
import { along, distanceKm, type Point } from './physics/geo.js';
import { HOME_CHARGER } from './physics/timeline.js';
import { seededRandom } from './random.js';
import type { ScenarioState, ScenarioStep, SimSnapshot } from './state.js';

export const SCENARIO_NAMES = ['parked', 'charging', 'commute', 'road_trip', 'custom'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

const point = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });

/** A custom scenario's steps, as a developer writes them. */
export const StepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('drive'), to: point, speedKmh: z.number().min(1).max(250) }),
  z.object({ kind: z.literal('park'), minutes: z.number().min(0).max(60 * 24 * 365) }),
  z.object({ kind: z.literal('charge'), powerKw: z.number().min(0.5).max(400), dc: z.boolean().default(false) }),
  z.object({ kind: z.literal('refuel') }),
  z.object({ kind: z.literal('unplug') }),
]);
export const StepsSchema = z.array(StepSchema).min(1).max(1000);

export class ScenarioError extends Error {}

export interface ScenarioInput {
  name: string;
  seed: string;
  /** The car's clock now, ms. */
  carNow: number;
  /** For `charging`: the charger (default an 11 kW AC wallbox). */
  charger?: { powerKw: number; dc: boolean };
  /** For `custom`: the steps. */
  steps?: unknown;
}

/** The car lives by the clock of its home city. */
export function timeZoneOf(s: SimSnapshot): string {
  return nearestHomeCity(homeOf(s)).timeZone;
}

/** Seven days of a weekday routine: to work around 8:00 local time, home in the evening, charge at night. */
function commute(s: SimSnapshot, spec: ModelSpec, seed: string, carNow: number): ScenarioStep[] {
  const random = seededRandom(`commute:${seed}`);
  const timeZone = timeZoneOf(s);
  const home: Point = { ...s.location };
  const bearing = random.float(0, 2 * Math.PI);
  const km = random.float(8, 25);
  const work: Point = {
    latitude: home.latitude + (km * Math.cos(bearing)) / 111.32,
    longitude: home.longitude + (km * Math.sin(bearing)) / (111.32 * Math.cos((home.latitude * Math.PI) / 180)),
  };
  const speed = random.float(35, 55);
  const steps: ScenarioStep[] = [];
  let now = carNow;
  for (let day = 0; day < 7; day++) {
    // Leaves between 7:45 and 8:15 on the home city's clock, however long the night's charge took.
    const departure = nextLocalTime(now, timeZone, random.int(7 * 60 + 45, 8 * 60 + 15));
    const leave = (departure - now) / 60_000;
    steps.push({ kind: 'park', minutes: leave, until: new Date(departure).toISOString() });
    const driveMinutes = (distanceKm(home, work) / speed) * 60;
    const atWork = random.int(8 * 60, 9.5 * 60);
    steps.push({ kind: 'drive', to: work, speedKmh: speed }, { kind: 'park', minutes: atWork }, { kind: 'drive', to: home, speedKmh: speed });
    if (spec.batteryKwh) steps.push({ kind: 'charge', ...HOME_CHARGER });
    else if ((s.fuelLevel ?? 1) < 0.3 && day % 3 === 2) steps.push({ kind: 'refuel' });
    now += (leave + 2 * driveMinutes + atWork) * 60_000;
  }
  return steps;
}

/** A long drive to a real city 250–900 km away, with DC fast-charging (or refuelling) stops. */
function roadTrip(s: SimSnapshot, spec: ModelSpec, seed: string): ScenarioStep[] {
  const random = seededRandom(`road_trip:${seed}`);
  const candidates = TRIP_CITIES.filter((c) => {
    const d = distanceKm(s.location, c);
    return d >= 250 && d <= 900;
  });
  if (candidates.length === 0) throw new ScenarioError('no city a road trip away from this car');
  const city = random.pick(candidates);
  const destination: Point = { latitude: city.latitude, longitude: city.longitude };
  const speed = 110;
  const factor = conditionsFactor(speed, s.ambientC ?? 20);
  const electric = Boolean(spec.batteryKwh) && spec.powertrain === 'BEV';
  // Plan on 80 % of the car's reach per stop, from the stop's charge level.
  const fullKm = electric
    ? (spec.batteryKwh ?? 0) / (ratedKwhPerKm(spec) * factor)
    : (spec.tankLiters ?? 0) / (ratedLitersPerKm(spec) * factor);
  const steps: ScenarioStep[] = electric && s.isPluggedIn ? [{ kind: 'unplug' }] : [];
  let from: Point = { ...s.location };
  let level = electric ? (s.soc ?? 0) : (s.fuelLevel ?? 0);
  for (let stop = 0; stop < 20; stop++) {
    const left = distanceKm(from, destination);
    const reach = Math.max(0, (level - 0.1) * fullKm);
    if (reach >= left) {
      steps.push({ kind: 'drive', to: destination, speedKmh: speed });
      return steps;
    }
    if (reach > 5) {
      from = along(from, destination, reach / left);
      steps.push({ kind: 'drive', to: from, speedKmh: speed });
    }
    if (electric) {
      steps.push({ kind: 'charge', powerKw: 150, dc: true }, { kind: 'unplug' });
      level = Math.min(0.8, Math.max(level, s.chargeLimit));
    } else {
      steps.push({ kind: 'park', minutes: 8 }, { kind: 'refuel' });
      level = 1;
    }
  }
  throw new ScenarioError('the road trip needs more than 20 stops');
}

export function buildScenario(s: SimSnapshot, spec: ModelSpec, input: ScenarioInput): ScenarioState | null {
  switch (input.name as ScenarioName) {
    case 'parked':
      return null;
    case 'charging':
      if (!spec.batteryKwh) throw new ScenarioError('this car has no traction battery to charge');
      return { name: 'charging', steps: [{ kind: 'charge', ...(input.charger ?? HOME_CHARGER) }] };
    case 'commute':
      return { name: 'commute', steps: commute(s, spec, input.seed, input.carNow) };
    case 'road_trip':
      return { name: 'road_trip', steps: roadTrip(s, spec, input.seed) };
    case 'custom': {
      const parsed = StepsSchema.safeParse(input.steps);
      if (!parsed.success) throw new ScenarioError(`invalid steps: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return { name: 'custom', steps: parsed.data };
    }
    default:
      throw new ScenarioError(`unknown scenario ${input.name}; known: ${SCENARIO_NAMES.join(', ')}`);
  }
}
