/**
 * The simulator provider (test and simulated modes). Reads derive values from the stored snapshot;
 * commands compute the next snapshot and write it with compare-and-set, retrying on a concurrent write.
 */
import {
  SIGNAL_NAMES, UpstreamError, type Clock, type CommandArgs, type CommandName, type Reading, type SignalName,
  type SignalValues,
} from '../../core/index.js';
import type {
  CapabilityMatrix, CommandHandlers, ProviderStateStore, SignalReaders, VehicleProvider, VehicleRef,
} from '../provider.js';
import { capabilityMatrix, findBrand, MODELS } from './catalog.js';
import type { BrandProfile, ModelSpec } from './catalog-types.js';
import * as commands from './commands.js';
import * as derive from './derive.js';
import { advance, vehicleTime } from './physics/timeline.js';
import { buildScenario, type ScenarioInput } from './scenarios.js';
import type { SimSnapshot } from './state.js';

const MAX_WRITE_ATTEMPTS = 5;

interface ModelEntry {
  brand: BrandProfile;
  spec: ModelSpec;
  capabilities: CapabilityMatrix;
}

/** Brand, specification and capability matrix by make and model: fixed data, computed once. */
const MODEL_ENTRIES = new Map<string, ModelEntry>();

function specOf(vehicle: VehicleRef): ModelEntry {
  const key = `${vehicle.make}\n${vehicle.model}`;
  let entry = MODEL_ENTRIES.get(key);
  if (!entry) {
    const brand = findBrand(vehicle.make);
    const spec = MODELS.find((m) => m.make === vehicle.make && m.model === vehicle.model);
    if (!brand || !spec) throw new UpstreamError('INVALID_DATA', `no simulator model ${vehicle.make} ${vehicle.model}`);
    entry = { brand, spec, capabilities: capabilityMatrix(brand, spec) };
    MODEL_ENTRIES.set(key, entry);
  }
  return entry;
}

/** Values a developer may set directly on a simulated car. */
export type SimValues = Partial<Pick<SimSnapshot,
  'soc' | 'fuelLevel' | 'isPluggedIn' | 'charger' | 'chargeLimit' | 'ambientC' | 'odometerKm' | 'location' | 'oilLife' | 'isLocked'
  | 'doors' | 'windows' | 'storage' | 'activity'>>;

/** Parsed snapshots by vehicle and version: a version never changes, so neither does its parse. */
const PARSED = new Map<string, SimSnapshot>();
const MAX_PARSED = 10_000;

function parse(state: string): SimSnapshot {
  return JSON.parse(state) as SimSnapshot;
}

function snapshotOf(vehicle: VehicleRef): SimSnapshot {
  const key = `${vehicle.id}:${vehicle.providerStateVersion}`;
  let snapshot = PARSED.get(key);
  if (!snapshot) {
    if (PARSED.size >= MAX_PARSED) PARSED.clear();
    snapshot = deepFreeze(parse(vehicle.providerState));
    PARSED.set(key, snapshot);
  }
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

type Derivers = { [S in SignalName]: (s: SimSnapshot, v: VehicleRef, spec: ModelSpec) => SignalValues[S] };

const DERIVERS: Derivers = {
  attributes: (_s, v) => ({ make: v.make, model: v.model, year: v.year }),
  vin: (_s, v) => ({ vin: v.vin }),
  odometer: (s) => ({ distanceKm: s.odometerKm }),
  location: (s) => ({ ...s.location }),
  fuel: (s, _v, spec) => derive.fuel(s, spec),
  battery: (s, _v, spec) => derive.battery(s, spec),
  batteryCapacity: (_s, _v, spec) => ({ capacityKwh: spec.batteryKwh ?? 0 }),
  nominalCapacity: (_s, _v, spec) => derive.nominalCapacity(spec),
  charge: (s) => ({ isPluggedIn: s.isPluggedIn, state: derive.chargeState(s) }),
  chargeLimit: (s) => ({ limit: s.chargeLimit }),
  tirePressure: (s) => derive.tirePressure(s),
  engineOil: (s) => ({ lifeRemaining: s.oilLife ?? 0 }),
  lockStatus: (s, v) => derive.lockStatus(s, v.powertrain),
  diagnosticSystemStatus: (s) => ({ systems: s.systems }),
  diagnosticTroubleCodes: (s) => ({ activeCodes: s.dtcs }),
  serviceHistory: (s) => ({ records: s.serviceRecords }),
};

type Transitions = { [C in CommandName]: (s: SimSnapshot, args: CommandArgs[C]) => SimSnapshot };

const TRANSITIONS: Transitions = {
  lock: (s) => commands.lock(s),
  unlock: (s) => commands.unlock(s),
  startCharge: (s) => commands.startCharge(s),
  stopCharge: (s) => commands.stopCharge(s),
  setChargeLimit: (s, a) => commands.setChargeLimit(s, a.limit),
  sendDestination: (s, a) => commands.sendDestination(s, a.latitude, a.longitude),
};

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
  readonly readers: SignalReaders;
  readonly commands: CommandHandlers;

  constructor(
    private readonly store: ProviderStateStore,
    private readonly clock: Clock,
  ) {
    const readers: Record<string, unknown> = {};
    for (const signal of SIGNAL_NAMES) readers[signal] = (v: VehicleRef) => this.read(v, signal);
    this.readers = readers as SignalReaders;
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

  private async read<S extends SignalName>(vehicle: VehicleRef, signal: S): Promise<Reading<SignalValues[S]>> {
    const { brand, spec } = specOf(vehicle);
    const stored = snapshotOf(vehicle);
    const now = this.clock.now();
    const snapshot = advance(stored, spec, vehicleTime(stored, now.getTime()));
    const derive = DERIVERS[signal] as Derivers[S];
    return {
      value: derive(snapshot, vehicle, spec),
      observedAt: lastReport(new Date(stored.realAt ?? stored.at), now, brand.quirks.reportIntervalSeconds),
      fetchedAt: now,
    };
  }

  private async execute<C extends CommandName>(vehicle: VehicleRef, command: C, args: CommandArgs[C]): Promise<void> {
    const transition = TRANSITIONS[command] as Transitions[C];
    await this.update(vehicle, (s) => transition(s, args));
  }

  /**
   * Brings the stored snapshot to the car's present, applies `change`, and writes the result with
   * compare-and-set, starting over from the fresh state when another writer came first.
   */
  private async update(vehicle: VehicleRef, change: (s: SimSnapshot, carNowMs: number) => SimSnapshot): Promise<SimSnapshot> {
    const { spec } = specOf(vehicle);
    let state = vehicle.providerState;
    let version = vehicle.providerStateVersion;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const now = this.clock.now().getTime();
      const stored = parse(state);
      const carNow = vehicleTime(stored, now);
      const next = { ...change(advance(stored, spec, carNow), carNow), realAt: new Date(now).toISOString() };
      if (await this.store.save(vehicle.id, JSON.stringify(next), version)) return next;
      const fresh = await this.store.load(vehicle.id);
      if (!fresh) throw new UpstreamError('NO_RESPONSE', `vehicle ${vehicle.id} vanished`);
      ({ state, version } = fresh);
    }
    throw new UpstreamError('UNKNOWN_ISSUE', `vehicle ${vehicle.id}: too many concurrent writes`);
  }

  /** The car's full internal state now, for the developer control surface. */
  inspect(vehicle: VehicleRef): { carTime: string; state: SimSnapshot } {
    const { spec } = specOf(vehicle);
    const stored = parse(vehicle.providerState);
    const carNow = vehicleTime(stored, this.clock.now().getTime());
    return { carTime: new Date(carNow).toISOString(), state: advance(stored, spec, carNow) };
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
    const { spec } = specOf(vehicle);
    return this.update(vehicle, (s, carNow) => advance(s, spec, carNow + ms));
  }

  /** How fast the car's clock runs against real time (1 = real time, 60 = an hour a minute). */
  setTimeScale(vehicle: VehicleRef, timeScale: number): Promise<SimSnapshot> {
    return this.update(vehicle, (s) => ({ ...s, timeScale }));
  }

  /** Sets plain values (state of charge, plug, charger, ambient temperature, …). */
  setValues(vehicle: VehicleRef, values: SimValues): Promise<SimSnapshot> {
    return this.update(vehicle, (s) => ({ ...s, ...values }));
  }
}
