/**
 * One look at a car, shared by every signal read from it: the snapshot at the car's present and
 * what several signals derive alike (charge meters, identity, home city), each computed at most
 * once per read.
 */
import type { SignalBody } from '../../core/index.js';
import type { VehicleRef } from '../provider.js';
import { carIdentity, type CarIdentity } from './car-identity.js';
import type { ModelSpec } from './catalog-types.js';
import { chargeDetails, plugsOf, type ChargeDetails, type Plugs } from './charge-details.js';
import { isNorthAmerican, nearestHomeCity, type City } from './cities.js';
import { tirePressure } from './derive.js';
import { homeOf } from './physics/environment.js';
import type { SimSnapshot } from './state.js';

export class SignalContext {
  private cachedCharge?: ChargeDetails;
  private cachedTires?: TirePressures;

  constructor(
    readonly s: SimSnapshot,
    readonly vehicle: VehicleRef,
    readonly spec: ModelSpec,
    /** The car's clock now, ms. */
    readonly carNow: number,
    /** Whether the car is asleep now (the brand's sleep rule). */
    readonly asleep: boolean,
    /** The codes the car's brand exposes: a body may carry more detail where the brand has it. */
    private readonly exposed: ReadonlySet<string>,
  ) {}

  exposes(code: string): boolean {
    return this.exposed.has(code);
  }

  get identity(): CarIdentity {
    return carIdentity(this.vehicle.id, this.spec, this.vehicle.year);
  }

  /** The city the car lives in: its clock, its grid and its plugs. */
  get homeCity(): City {
    return homeCityOf(this.s);
  }

  get northAmerican(): boolean {
    return isNorthAmerican(this.homeCity);
  }

  get plugs(): Plugs {
    return plugsOf(this.spec, this.northAmerican);
  }

  get charge(): ChargeDetails {
    return (this.cachedCharge ??= chargeDetails(this.s, this.spec, this.northAmerican));
  }

  /** Gauge pressures now, kPa. */
  get tires(): TirePressures {
    return (this.cachedTires ??= tirePressure(this.s, this.carNow));
  }
}

type TirePressures = ReturnType<typeof tirePressure>;

/**
 * Home cities by the point they were found from: a parked car's read copies its snapshot shallowly,
 * so its home (or, in an old snapshot, its location) is the same object read after read.
 */
const CITY_OF = new WeakMap<object, City>();

function homeCityOf(s: SimSnapshot): City {
  const key = s.home ?? s.location;
  let city = CITY_OF.get(key);
  if (!city) {
    city = nearestHomeCity(homeOf(s));
    CITY_OF.set(key, city);
  }
  return city;
}

export type Deriver = (c: SignalContext) => SignalBody;

/** A 0–1 ratio as the 0–100 percentage v3 carries, to the hundredth of a percent. */
export const percent = (ratio: number): number => Math.round(ratio * 10_000) / 100;

export const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

export const measure = (value: number, unit: string): SignalBody => ({ value, unit });
