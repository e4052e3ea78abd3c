/** Shapes of the simulator's vehicle catalog: real models with real specifications, and brand profiles. */
import type { CommandName, Powertrain } from '../../core/index.js';

export interface ModelSpec {
  /** Upper-case make as the API reports it, e.g. `TESLA`. */
  make: string;
  model: string;
  /** First and last model year the spec applies to. */
  years: readonly [number, number];
  powertrain: Powertrain;
  /** Usable traction battery, kWh (BEV/PHEV). */
  batteryKwh?: number;
  /** Battery capacities this model was sold with, kWh, for `/battery/nominal_capacity`. */
  batteryOptionsKwh?: readonly number[];
  /** Rated electric range on a full battery, km (BEV/PHEV). */
  electricRangeKm?: number;
  /** Fuel tank, litres (ICE/PHEV/HEV). */
  tankLiters?: number;
  /** Rated combined fuel consumption, L/100 km (ICE/PHEV/HEV). */
  litersPer100Km?: number;
  /** Onboard AC charger and peak DC power, kW (BEV/PHEV). */
  acChargeKw?: number;
  dcChargeKw?: number;
  /** Placard cold tyre pressure, kPa. */
  tirePlacardKpa: number;
  hasSunroof: boolean;
  /** A pickup's bed closes with a tailgate instead of a trunk lid. */
  hasTailgate?: boolean;
}

export interface BrandQuirks {
  /** Minutes parked and unpolled before the car sleeps. */
  sleepAfterMinutes: number;
  /** Typical command round trip, ms (min, max). */
  commandLatencyMs: readonly [number, number];
  /** Carmaker cloud budget: requests per vehicle per day before upstream rate limiting. */
  upstreamRequestsPerDay: number;
  /** Seconds between the car's data pushes while awake; bounds how old a fresh value can be. */
  reportIntervalSeconds: number;
}

export interface BrandProfile {
  /** Upper-case make, the key into the models list. */
  make: string;
  /** How the brand is written for people, e.g. `Mercedes-Benz`. */
  displayName: string;
  /** ISO 3166 alpha-2 countries the brand is offered in through Connect. */
  countries: readonly string[];
  /**
   * Catalog signal codes the brand's connected services expose (hardware permitting); sources in
   * brand-signals.ts.
   */
  signalCodes: ReadonlySet<string>;
  /** World manufacturer identifiers (first three VIN characters) used for generated VINs. */
  wmis: readonly string[];
  /** Commands the brand's connected services take (powertrain permitting). */
  commands: ReadonlySet<CommandName>;
  quirks: BrandQuirks;
}
