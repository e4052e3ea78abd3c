/**
 * The simulator provider (test and simulated modes). Reads derive values from the stored snapshot;
 * commands compute the next snapshot and write it with compare-and-set, retrying on a concurrent write.
 */
import {
  BoundedMap, isoMs, notCapable, RateLimitedError, tokenBucketLimiter, UpstreamError, type ImmediateRateLimiter, type Clock,
  type CommandArgs, type CommandName, type DoorPosition,
} from '../../core/index.js';
import type {
  CapabilityMatrix, CommandHandlers, ProviderStateStore, SignalOutcome, SignalReadings, VehicleProvider, VehicleRef,
} from '../provider.js';
import { capabilityMatrix, findBrand, MODELS } from './catalog.js';
import type { BrandProfile, ModelSpec } from './catalog-types.js';
import * as commands from './commands.js';
import { hvacOf, sleepsAt } from './physics/environment.js';
import { advance, unplug, vehicleTime } from './physics/timeline.js';
import { activeFault, faultError, type FaultKind, type SimFault } from './faults.js';
import { buildScenario, type ScenarioInput } from './scenarios.js';
import type { Hvac, SimSnapshot } from './state.js';
import { DERIVERS as SIGNAL_DERIVERS, SignalContext, STATIC_CODES } from './signals.js';
import type { Deriver } from './signal-context.js';

const MAX_WRITE_ATTEMPTS = 5;

/** How the model answers a code it reports: its deriver, and whether the value is a fixed attribute. */
interface Reported {
  derive: Deriver;
  fixed: boolean;
}

interface ModelEntry {
  brand: BrandProfile;
  spec: ModelSpec;
  capabilities: CapabilityMatrix;
  /** The codes the model reports, each looked up once per read rather than in three tables. */
  reported: ReadonlyMap<string, Reported>;
}

/** Brand, specification, capability matrix and reported codes by make, then model: fixed data, computed once. */
const MODEL_ENTRIES = new Map<string, Map<string, ModelEntry>>();

function specOf(vehicle: VehicleRef): ModelEntry {
  let byModel = MODEL_ENTRIES.get(vehicle.make);
  if (!byModel) {
    byModel = new Map();
    MODEL_ENTRIES.set(vehicle.make, byModel);
  }
  let entry = byModel.get(vehicle.model);
  if (!entry) {
    const brand = findBrand(vehicle.make);
    const spec = MODELS.find((m) => m.make === vehicle.make && m.model === vehicle.model);
    if (!brand || !spec) throw new UpstreamError('INVALID_DATA', `no simulator model ${vehicle.make} ${vehicle.model}`);
    const capabilities = capabilityMatrix(brand, spec);
    const reported = new Map<string, Reported>();
    for (const [code, support] of Object.entries(capabilities.signals)) {
      const derive = SIGNAL_DERIVERS[code];
      if (support === 'supported' && derive) reported.set(code, { derive, fixed: STATIC_CODES.has(code) });
    }
    entry = { brand, spec, capabilities, reported };
    byModel.set(vehicle.model, entry);
  }
  return entry;
}

/** When a fixed attribute was observed: never (its `oemUpdatedAt` is 0). Shared: readings are read, not changed. */
const NEVER = new Date(0);

/** Values a developer may set directly on a simulated car. */
export type SimValues = Partial<Pick<SimSnapshot,
  'soc' | 'fuelLevel' | 'isPluggedIn' | 'charger' | 'chargeLimit' | 'ambientC' | 'odometerKm' | 'location' | 'oilLife' | 'isLocked'
  | 'doors' | 'windows' | 'storage' | 'activity' | 'realism' | 'home' | 'sentry'>> & {
  /** Starts (or with null, fixes) a slow leak in one tyre from now on the car's clock. */
  slowLeak?: { tire: DoorPosition; kpaPerDay: number } | null;
  /** Climate settings to change; the rest stay as they are. */
  hvac?: Partial<Hvac>;
};

/** Parsed snapshots by vehicle and version: a version never changes, so neither does its parse. */
const PARSED = new BoundedMap<string, SimSnapshot>(10_000);

function parse(state: string): SimSnapshot {
  return JSON.parse(state) as SimSnapshot;
}

/** The same, by the vehicle record read (never changed: a new state comes with a new record): no key to build. */
const PARSED_BY_RECORD = new WeakMap<VehicleRef, SimSnapshot>();

function snapshotOf(vehicle: VehicleRef): SimSnapshot {
  let snapshot = PARSED_BY_RECORD.get(vehicle);
  if (snapshot) return snapshot;
  const key = `${vehicle.id}:${vehicle.providerStateVersion}`;
  snapshot = PARSED.get(key);
  if (!snapshot) {
    snapshot = deepFreeze(parse(vehicle.providerState));
    PARSED.set(key, snapshot);
  }
  PARSED_BY_RECORD.set(vehicle, snapshot);
  return snapshot;
}

/** Cached snapshots are shared between reads; freezing keeps any caller from changing one. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

type Transitions = { [C in CommandName]: (s: SimSnapshot, args: CommandArgs[C]) => SimSnapshot };

const TRANSITIONS: Transitions = {
  lock: (s) => commands.lock(s),
  unlock: (s) => commands.unlock(s),
  startCharge: (s) => commands.startCharge(s),
  stopCharge: (s) => commands.stopCharge(s),
  setChargeLimit: (s, a) => commands.setChargeLimit(s, a.limit),
  sendDestination: (s, a) => commands.sendDestination(s, a.latitude, a.longitude),
};

/** Extra time a command takes when it has to wake the car first. */
const WAKE_MS = 10_000;

/** Car time the car fell asleep, or null while awake: parked and untouched for its brand's minutes. */
export function sleepStart(s: SimSnapshot, stored: SimSnapshot, carNow: number, sleepAfterMinutes: number): number | null {
  if (s.activity !== 'parked') return null;
  const start = sleepsAt(s, sleepAfterMinutes, stored.at);
  return carNow >= start ? start : null;
}

/** The real instant a moment of the car's clock corresponds to. */
function realTimeOf(s: SimSnapshot, carTimeMs: number): number {
  return isoMs(s.realAt ?? s.at) + (carTimeMs - isoMs(s.at)) / (s.timeScale ?? 1);
}

/**
 * The moment the car last reported: it pushes every `reportIntervalSeconds` while connected, so a
 * value is as old as the time since the last push, never older than the snapshot's own change.
 */
export function lastReport(snapshotAt: Date, now: Date, intervalSeconds: number): Date {
  const since = now.getTime() - snapshotAt.getTime();
  if (since <= 0) return snapshotAt;
  const intervalMs = intervalSeconds * 1000;
  return new Date(snapshotAt.getTime() + Math.floor(since / intervalMs) * intervalMs);
}

export class SimulatorProvider implements VehicleProvider {
  readonly name = 'simulator';
  readonly commands: CommandHandlers;
  /** Upstream quotas by requests per day, each a bucket per vehicle, in memory: they stand for the car maker's cloud, not carport's limits. */
  private readonly upstreamQuotas = new Map<number, ImmediateRateLimiter>();

  constructor(
    private readonly store: ProviderStateStore,
    private readonly clock: Clock,
  ) {
    const handlers: Record<string, unknown> = {};
    for (const command of Object.keys(TRANSITIONS) as CommandName[]) {
      handlers[command] = (v: VehicleRef, args: CommandArgs[typeof command]) => this.execute(v, command, args);
    }
    this.commands = handlers as CommandHandlers;
  }

  async health() {
    return { ok: true };
  }

  capabilities(vehicle: VehicleRef): CapabilityMatrix {
    return specOf(vehicle).capabilities;
  }

  /** Every requested signal from one look at the car: one advance of its physics, one reach past its faults and quota. */
  async readSignals(vehicle: VehicleRef, codes: readonly string[]): Promise<SignalReadings> {
    const { brand, spec, capabilities: { signals }, reported } = specOf(vehicle);
    const stored = snapshotOf(vehicle);
    const now = this.clock.now();
    const carNow = vehicleTime(stored, now.getTime());
    const s = advance(stored, spec, carNow, brand.quirks.sleepAfterMinutes);
    if (codes.some((code) => !STATIC_CODES.has(code))) {
      this.reachCar(vehicle, s, carNow, brand.quirks.upstreamRequestsPerDay);
    }
    const asleepSince = sleepStart(s, stored, carNow, brand.quirks.sleepAfterMinutes);
    const observedAt = asleepSince === null
      ? lastReport(new Date(isoMs(stored.realAt ?? stored.at)), now, brand.quirks.reportIntervalSeconds)
      : new Date(Math.min(now.getTime(), realTimeOf(stored, asleepSince)));
    const context = new SignalContext(s, vehicle, spec, carNow, asleepSince !== null, brand.signalCodes ?? new Set());
    const readings = new Map<string, SignalOutcome>();
    for (const code of codes) {
      const how = reported.get(code);
      readings.set(code, how
        ? { status: 'SUCCESS', body: how.derive(context), observedAt: how.fixed ? NEVER : observedAt, fetchedAt: now }
        : { status: 'ERROR', error: notCapable(signals[code]) });
    }
    return readings;
  }

  /**
   * What stands between a request and the car: injected faults, then (with realism) the brand's
   * upstream quota. Throws what the car's cloud would answer; synchronous, so a read waits on nothing.
   */
  private reachCar(vehicle: VehicleRef, s: SimSnapshot, carNow: number, perDay: number): void {
    const fault = activeFault(s.faults, carNow, Math.random);
    if (fault) throw faultError(fault, carNow);
    if (!s.realism) return;
    let quota = this.upstreamQuotas.get(perDay);
    if (!quota) {
      quota = tokenBucketLimiter(perDay / 1440, 100_000, perDay);
      this.upstreamQuotas.set(perDay, quota);
    }
    const retryAfter = quota.take(vehicle.id, this.clock.now().getTime());
    if (retryAfter > 0) throw new RateLimitedError('VEHICLE', retryAfter);
  }

  private async execute<C extends CommandName>(vehicle: VehicleRef, command: C, args: CommandArgs[C]): Promise<void> {
    const { brand } = specOf(vehicle);
    const transition = TRANSITIONS[command] as Transitions[C];
    let wasAsleep = false;
    let realism = false;
    await this.update(vehicle, (s, carNow) => {
      wasAsleep = sleepStart(s, s, carNow, brand.quirks.sleepAfterMinutes) !== null;
      realism = Boolean(s.realism);
      return { ...transition(s, args), lastActiveAt: new Date(carNow).toISOString() };
    }, async (s, carNow) => {
      this.reachCar(vehicle, s, carNow, brand.quirks.upstreamRequestsPerDay);
    });
    if (realism) {
      // The car answers after its brand's round trip, longer when it had to wake (simulator-realism §4.7).
      const [min, max] = brand.quirks.commandLatencyMs;
      const latency = min + Math.random() * (max - min) + (wasAsleep ? WAKE_MS : 0);
      await new Promise((resolve) => setTimeout(resolve, latency / (snapshotOf(vehicle).timeScale ?? 1)));
    }
  }

  /**
   * Brings the stored snapshot to the car's present, applies `change`, and writes the result with
   * compare-and-set, starting over from the fresh state when another writer came first.
   */
  private async update(
    vehicle: VehicleRef,
    change: (s: SimSnapshot, carNowMs: number) => SimSnapshot,
    check?: (s: SimSnapshot, carNowMs: number) => Promise<void>,
  ): Promise<SimSnapshot> {
    const { brand, spec } = specOf(vehicle);
    let state = vehicle.providerState;
    let version = vehicle.providerStateVersion;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const now = this.clock.now().getTime();
      const stored = parse(state);
      const carNow = vehicleTime(stored, now);
      const present = advance(stored, spec, carNow, brand.quirks.sleepAfterMinutes);
      if (check) await check(present, carNow);
      const next = { ...change(present, carNow), realAt: new Date(now).toISOString() };
      if (await this.store.save(vehicle.id, JSON.stringify(next), version)) return next;
      const fresh = await this.store.load(vehicle.id);
      if (!fresh) throw new UpstreamError('NO_RESPONSE', `vehicle ${vehicle.id} vanished`);
      ({ state, version } = fresh);
    }
    throw new UpstreamError('UNKNOWN_ISSUE', `vehicle ${vehicle.id}: too many concurrent writes`);
  }

  /** The car's full internal state now, for the developer control surface. */
  inspect(vehicle: VehicleRef): { carTime: string; state: SimSnapshot } {
    const { brand, spec } = specOf(vehicle);
    const stored = parse(vehicle.providerState);
    const carNow = vehicleTime(stored, this.clock.now().getTime());
    return { carTime: new Date(carNow).toISOString(), state: advance(stored, spec, carNow, brand.quirks.sleepAfterMinutes) };
  }

  /** Puts the car into a named scenario from now on; `parked` clears any plan. */
  setScenario(vehicle: VehicleRef, request: Omit<ScenarioInput, 'carNow' | 'seed'> & { seed?: string }): Promise<SimSnapshot> {
    const { spec } = specOf(vehicle);
    return this.update(vehicle, (s, carNow) => {
      const scenario = buildScenario(s, spec, { ...request, seed: request.seed ?? vehicle.id, carNow });
      const activity = s.activity === 'driving' || (scenario === null && s.activity === 'charging') ? 'parked' : s.activity;
      return { ...s, scenario, activity };
    });
  }

  /** Moves the car's clock forward: everything its scenario does in that time happens at once. */
  advanceClock(vehicle: VehicleRef, ms: number): Promise<SimSnapshot> {
    const { brand, spec } = specOf(vehicle);
    return this.update(vehicle, (s, carNow) => advance(s, spec, carNow + ms, brand.quirks.sleepAfterMinutes));
  }

  /** How fast the car's clock runs against real time (1 = real time, 60 = an hour a minute). */
  setTimeScale(vehicle: VehicleRef, timeScale: number): Promise<SimSnapshot> {
    return this.update(vehicle, (s) => ({ ...s, timeScale }));
  }

  /** Injects a fault for `forMs` of car time (null: until cleared), met with `probability`; replaces one of its kind. */
  injectFault(vehicle: VehicleRef, kind: FaultKind, forMs: number | null, probability = 1): Promise<SimSnapshot> {
    return this.update(vehicle, (s, carNow) => {
      const fault: SimFault = { kind, until: forMs === null ? null : new Date(carNow + forMs).toISOString(), probability };
      return { ...s, faults: [...(s.faults ?? []).filter((f) => f.kind !== kind), fault] };
    });
  }

  clearFaults(vehicle: VehicleRef): Promise<SimSnapshot> {
    return this.update(vehicle, (s) => ({ ...s, faults: [] }));
  }

  /** Sets plain values (state of charge, plug, charger, ambient temperature, …). */
  setValues(vehicle: VehicleRef, values: SimValues): Promise<SimSnapshot> {
    const { spec } = specOf(vehicle);
    const { slowLeak, hvac, ...given } = values;
    // A key given as undefined changes nothing (it would otherwise erase a field such as a null soc).
    const plain = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as typeof given;
    return this.update(vehicle, (s, carNow) => {
      const next: SimSnapshot = {
        ...s,
        ...plain,
        ...(slowLeak !== undefined && { slowLeak: slowLeak && { ...slowLeak, since: new Date(carNow).toISOString() } }),
        ...(hvac !== undefined && { hvac: { ...hvacOf(s), ...hvac } }),
      };
      if (plain.isPluggedIn === false && s.isPluggedIn) {
        // Pulling the cable ends the session as in a scenario; the charger goes with it unless one was set.
        const charger = plain.charger;
        unplug(next, spec, carNow);
        if (charger !== undefined) next.charger = charger;
      } else if (plain.isPluggedIn && next.chargingPort !== null) {
        next.chargingPort = 'OPEN';
      }
      return next;
    });
  }
}
