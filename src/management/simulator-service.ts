/**
 * The simulator's developer controls as one service, for every surface that offers them (the
 * management API behind an app's token, the console behind a developer's session): what a request
 * may ask (the bodies), which cars an app controls, and each control. Refusals are
 * `SimulatorControlError`s with a stable code; each surface answers them in its own form.
 */
import { z } from 'zod';
import { isUuid } from '../core/index.js';
import type { TokenService } from '../oauth/index.js';
import { simulator } from '../providers/index.js';
import { createSimulatedVehicle, type SimulatedVehicle, type Vehicle, type VehicleService } from '../vehicles/index.js';

export interface SimulatorServiceDeps {
  vehicles: VehicleService;
  simulator: simulator.SimulatorProvider;
  tokens: TokenService;
}

/** One reason a control was refused; `field` names the input, as the management API's VALIDATION detail does. */
export type ControlProblem = {
  field?: string | string[];
  message: string;
};

export class SimulatorControlError extends Error {
  constructor(readonly code: 'invalid' | 'not_found', readonly problems: ControlProblem[] = []) {
    super(problems.map((p) => (p.field === undefined ? p.message : `${[p.field].flat().join('.')}: ${p.message}`)).join('; ') || code);
  }
}

/** Scenarios a car can start in when it is created: every named one (custom needs its steps). */
export const STARTING_SCENARIOS = simulator.SCENARIO_NAMES.filter((n) => n !== 'custom');

const fraction = z.number().min(0).max(1);
const openState = z.enum(['OPEN', 'CLOSED', 'UNKNOWN']);
const openings = z.object({ frontLeft: openState, frontRight: openState, backLeft: openState, backRight: openState });
const charger = z.object({ powerKw: z.number().min(0.5).max(400), dc: z.boolean() });

export const SimulatorBodies = {
  create: z.object({
    make: z.string().min(1).max(64),
    model: z.string().min(1).max(128).optional(),
    seed: z.string().max(200).optional(),
    scenario: z.enum(STARTING_SCENARIOS as [string, ...string[]]).optional(),
  }),
  scenario: z.object({
    name: z.enum(simulator.SCENARIO_NAMES),
    seed: z.string().max(200).optional(),
    charger: charger.optional(),
    steps: z.unknown().optional(),
  }),
  fault: z.object({
    kind: z.enum(simulator.FAULT_KINDS),
    forSeconds: z.number().positive().max(365 * 86_400).optional(),
    probability: z.number().gt(0).max(1).default(1),
  }),
  clock: z.object({
    advanceSeconds: z.number().min(0).max(365 * 86_400).optional(),
    timeScale: z.number().gt(0).max(10_000).optional(),
  }).refine((b) => b.advanceSeconds !== undefined || b.timeScale !== undefined, { message: 'give advanceSeconds, timeScale, or both' }),
  values: z.object({
    soc: fraction, fuelLevel: fraction, chargeLimit: z.number().min(0.5).max(1), ambientC: z.number().min(-50).max(60),
    isPluggedIn: z.boolean(), charger: charger.nullable(),
    isLocked: z.boolean(), realism: z.boolean(), odometerKm: z.number().min(0).max(5_000_000),
    slowLeak: z.object({ tire: z.enum(['frontLeft', 'frontRight', 'backLeft', 'backRight']), kpaPerDay: z.number().min(0).max(300) }).nullable(),
    doors: openings, windows: openings, storage: z.object({ front: openState, rear: openState }),
    ...simulator.SIM_VALUES_V3_SHAPE,
  }).partial().strict(),
};

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new SimulatorControlError('invalid', parsed.error.issues.map((i) => ({ field: i.path.map(String), message: i.message })));
}

/** Scenario errors are the caller's: an invalid request with the reason. */
async function scenarioChecked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof simulator.ScenarioError) throw new SimulatorControlError('invalid', [{ message: error.message }]);
    throw error;
  }
}

/** The simulator's catalog as a developer picks from it: each make with its models, the scenarios, the faults. */
export function simulatorCatalog() {
  return {
    makes: simulator.BRANDS.map((b) => ({ make: b.make, models: simulator.modelsOf(b.make).map((m) => m.model) }))
      .filter((b) => b.models.length > 0),
    scenarios: [...simulator.SCENARIO_NAMES],
    startingScenarios: [...STARTING_SCENARIOS],
    faults: [...simulator.FAULT_KINDS],
  };
}

export function simulatorService(deps: SimulatorServiceDeps) {
  const inspect = async (id: string) => deps.simulator.inspect((await deps.vehicles.find(id))!);

  /**
   * Which of these apps controls the car: the one that created it, else the first granted it
   * (test- or simulated-mode cars only; live ones never). Undefined when none does.
   */
  async function controller(appIds: readonly string[], id: string): Promise<{ vehicle: Vehicle; appId: string } | undefined> {
    if (!isUuid(id)) throw new SimulatorControlError('invalid', [{ field: 'vehicle_id', message: 'must be a UUID' }]);
    const vehicle = await deps.vehicles.find(id.toLowerCase());
    if (!vehicle || vehicle.provider !== 'simulator') return undefined;
    const creator = await deps.vehicles.developerOf(vehicle);
    if (creator && appIds.includes(creator)) return { vehicle, appId: creator };
    for (const appId of appIds) {
      if ((await deps.tokens.scopesOf(appId, vehicle.accountId, vehicle.id)) !== undefined) return { vehicle, appId };
    }
    return undefined;
  }

  return {
    /**
     * A simulated car created for an app, in the scenario asked (parked, with `scenarioRefused`, when
     * the car cannot follow it: charging without a battery); its owner's Connect credentials come
     * back this once, as `carport sim create` prints them.
     */
    async create(appId: string, body: unknown): Promise<SimulatedVehicle & { scenario: string | null; scenarioRefused?: string }> {
      const input = parse(SimulatorBodies.create, body);
      const make = input.make.toUpperCase();
      const models = simulator.modelsOf(make).map((m) => m.model.toLowerCase());
      if (models.length === 0 || (input.model && !models.includes(input.model.toLowerCase()))) {
        throw new SimulatorControlError('invalid', [{ field: input.model ? 'model' : 'make', message: 'not in the simulator catalog' }]);
      }
      const created = await createSimulatedVehicle(deps.vehicles, { make, model: input.model, seed: input.seed, developerAppId: appId });
      if (!input.scenario) return { ...created, scenario: null };
      try {
        await deps.simulator.setScenario((await deps.vehicles.find(created.vehicleId))!, { name: input.scenario, seed: input.seed });
        return { ...created, scenario: input.scenario };
      } catch (error) {
        // The car exists and its owner's password is shown only now: it is handed over parked, with the reason.
        if (!(error instanceof simulator.ScenarioError)) throw error;
        return { ...created, scenario: null, scenarioRefused: error.message };
      }
    },

    controller,

    /** The car, when this app controls it; otherwise not found, whether it exists or not. */
    async controlled(appId: string, id: string): Promise<Vehicle> {
      const found = await controller([appId], id);
      if (!found) throw new SimulatorControlError('not_found');
      return found.vehicle;
    },

    /** The car's full internal state now, on its own clock. */
    inspect: (vehicle: Vehicle) => deps.simulator.inspect(vehicle),

    async setScenario(vehicle: Vehicle, body: unknown) {
      const input = parse(SimulatorBodies.scenario, body);
      return scenarioChecked(() => deps.simulator.setScenario(vehicle, input));
    },

    async injectFault(vehicle: Vehicle, body: unknown) {
      const input = parse(SimulatorBodies.fault, body);
      return deps.simulator.injectFault(vehicle, input.kind, input.forSeconds === undefined ? null : input.forSeconds * 1000, input.probability);
    },

    clearFaults: (vehicle: Vehicle) => deps.simulator.clearFaults(vehicle),

    /** Sets the time scale first, then advances: the car's state after both. */
    async clock(vehicle: Vehicle, body: unknown) {
      const input = parse(SimulatorBodies.clock, body);
      if (input.timeScale !== undefined) await deps.simulator.setTimeScale(vehicle, input.timeScale);
      if (input.advanceSeconds) await deps.simulator.advanceClock((await deps.vehicles.find(vehicle.id))!, input.advanceSeconds * 1000);
      return inspect(vehicle.id);
    },

    async setValues(vehicle: Vehicle, body: unknown) {
      return deps.simulator.setValues(vehicle, parse(SimulatorBodies.values, body));
    },
  };
}

export type SimulatorService = ReturnType<typeof simulatorService>;
