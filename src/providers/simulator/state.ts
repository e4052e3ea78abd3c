/**
 * The simulator's persisted snapshot of one vehicle. The simulator is analytic and lazy: a read
 * derives the state at "now" from the last snapshot and the time elapsed; a command writes a new
 * snapshot. `activity` is the scenario the car is in, so time-driven physics (driving, charging
 * curves, sleep) can be added by integrating from `at` without reshaping anything stored.
 */
import type { DoorPosition, OpenState, ServiceRecord } from '../../core/index.js';
import type { SimFault } from './faults.js';

export type Activity = 'parked' | 'driving' | 'charging';

export interface SimSnapshot {
  /** Schema version of this JSON document. */
  schema: 1;
  /** The moment this snapshot describes (ISO 8601). */
  at: string;
  activity: Activity;
  odometerKm: number;
  location: { latitude: number; longitude: number };
  /** Traction battery state of charge, 0–1; null without a traction battery. */
  soc: number | null;
  /** Fuel tank level, 0–1; null without a tank. */
  fuelLevel: number | null;
  isPluggedIn: boolean;
  /** Charge limit, 0.5–1. */
  chargeLimit: number;
  isLocked: boolean;
  doors: Record<DoorPosition, OpenState>;
  windows: Record<DoorPosition, OpenState>;
  sunroof: OpenState | null;
  storage: { front: OpenState; rear: OpenState };
  chargingPort: OpenState | null;
  tiresKpa: Record<DoorPosition, number>;
  /** Engine oil life, 0–1; null without an engine. */
  oilLife: number | null;
  systems: { systemId: string; status: 'OK' | 'ALERT'; description: string | null }[];
  dtcs: { code: string; timestamp: string | null }[];
  serviceRecords: ServiceRecord[];
  /** Last destination sent to the navigation system. */
  destination: { latitude: number; longitude: number } | null;
  /**
   * Real time when this snapshot was written. The car's own clock reads `at` then and runs at
   * `timeScale` since; advancing the clock moves `at` forward. Absent in older snapshots: `at`.
   */
  realAt?: string;
  timeScale?: number;
  /** Ambient temperature, °C (consumption and tyre pressure depend on it). */
  ambientC?: number;
  /** The charger the car is plugged into. */
  charger?: Charger | null;
  /** The plan the car follows over time, consumed step by step as its clock runs. */
  scenario?: ScenarioState | null;
  /** Injected faults (see faults.ts). */
  faults?: SimFault[];
  /** Car time the car was last awake for a reason (a command, a drive, a charge); it sleeps some minutes after. */
  lastActiveAt?: string;
  /** Brand command latency and upstream quotas, off by default so development stays fast. */
  realism?: boolean;
  /** A tyre losing pressure steadily since a moment of the car's clock. */
  slowLeak?: { tire: DoorPosition; kpaPerDay: number; since: string } | null;
  // Fields below came with the v3 signals; older snapshots lack them and read the defaults in
  // environment.ts (home: the nearest home city; cabin at ambient; HVAC off; 12 V battery 90 %).
  /** Where the car lives: `location-isathome`, its time zone and charging region follow from it. */
  home?: { latitude: number; longitude: number };
  /** The climate system as the driver left it. */
  hvac?: Hvac;
  /** Cabin air temperature, °C, at `at`; it relaxes toward the HVAC target or the ambient air. */
  cabinC?: number;
  /** Low-voltage (12 V) battery state of charge, 0–1, at `at`. */
  lvSoc?: number;
  /** Course over ground at the last move, degrees from north. */
  heading?: number;
  /** The charging session since the cable went in (cleared when it comes out). */
  chargeSession?: ChargeSession | null;
  /** Finished charging sessions, newest last (a bounded list). */
  chargeRecords?: ChargeRecord[];
  /** Charges to a 100 % limit completed since the car was simulated. */
  maxRangeCharges?: number;
  /** Camera surveillance while parked (Tesla Sentry Mode); it keeps the car awake. */
  sentry?: boolean;
}

export interface Hvac {
  /** Remote climate on while parked (the car runs it anyway while driving). */
  isActive: boolean;
  targetC: number;
  frontDefroster: boolean;
  rearDefroster: boolean;
  steeringHeater: boolean;
}

export interface ChargeSession {
  startSoc: number;
  startedAt: string;
  dc: boolean;
}

export interface ChargeRecord {
  startedAt: string;
  endedAt: string;
  startSoc: number;
  endSoc: number;
  /** Energy into the battery, kWh. */
  energyKwh: number;
  dc: boolean;
  location: { latitude: number; longitude: number };
  atHome: boolean;
}

export interface Charger {
  powerKw: number;
  dc: boolean;
}

/** One step of a scenario. Steps are rebased as they are partly done, so a step is always "the rest". */
export type ScenarioStep =
  | { kind: 'drive'; to: { latitude: number; longitude: number }; speedKmh: number }
  /** Parks `minutes`, or until a moment of the car's clock when `until` is given (a departure time). */
  | { kind: 'park'; minutes: number; until?: string }
  | { kind: 'charge'; powerKw: number; dc: boolean }
  | { kind: 'refuel' }
  | { kind: 'unplug' };

export interface ScenarioState {
  name: string;
  steps: ScenarioStep[];
}
