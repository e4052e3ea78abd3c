/**
 * The simulator's control surface over HTTP, behind the application management token:
 * /v2.0/management/simulator/vehicles[/…]. An app controls the simulated cars it created here and
 * the test- or simulated-mode cars granted to it; live vehicles are never reachable.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../api/index.js';
import { isUuid } from '../core/index.js';
import type { TokenService } from '../oauth/index.js';
import { simulator } from '../providers/index.js';
import type { AppRecord } from '../store/index.js';
import { createSimulatedVehicle, describeVehicle, type Vehicle, type VehicleService } from '../vehicles/index.js';
import type { ManagementDeps } from './connections.js';
import { authenticateManagement } from './management-auth.js';

export interface SimulatorControlDeps extends ManagementDeps {
  vehicles: VehicleService;
  simulator: simulator.SimulatorProvider;
  tokens: TokenService;
}

const BASE = '/v2.0/management/simulator/vehicles';
const fraction = z.number().min(0).max(1);
const openState = z.enum(['OPEN', 'CLOSED', 'UNKNOWN']);
const openings = z.object({ frontLeft: openState, frontRight: openState, backLeft: openState, backRight: openState });

const CreateBody = z.object({ make: z.string().min(1).max(64), model: z.string().min(1).max(128).optional(), seed: z.string().max(200).optional() });
const ScenarioBody = z.object({
  name: z.enum(simulator.SCENARIO_NAMES),
  seed: z.string().max(200).optional(),
  charger: z.object({ powerKw: z.number().min(0.5).max(400), dc: z.boolean() }).optional(),
  steps: z.unknown().optional(),
});
const FaultBody = z.object({
  kind: z.enum(simulator.FAULT_KINDS),
  forSeconds: z.number().positive().max(365 * 86_400).optional(),
  probability: z.number().gt(0).max(1).default(1),
});
const ClockBody = z.object({
  advanceSeconds: z.number().min(0).max(365 * 86_400).optional(),
  timeScale: z.number().gt(0).max(10_000).optional(),
}).refine((b) => b.advanceSeconds !== undefined || b.timeScale !== undefined, { message: 'give advanceSeconds, timeScale, or both' });
const ValuesBody = z.object({
  soc: fraction, fuelLevel: fraction, chargeLimit: z.number().min(0.5).max(1), ambientC: z.number().min(-50).max(60),
  isPluggedIn: z.boolean(), charger: z.object({ powerKw: z.number().min(0.5).max(400), dc: z.boolean() }).nullable(),
  isLocked: z.boolean(), realism: z.boolean(), odometerKm: z.number().min(0).max(5_000_000),
  slowLeak: z.object({ tire: z.enum(['frontLeft', 'frontRight', 'backLeft', 'backRight']), kpaPerDay: z.number().min(0).max(300) }).nullable(),
  doors: openings, windows: openings, storage: z.object({ front: openState, rear: openState }),
  ...simulator.SIM_VALUES_V3_SHAPE,
}).partial().strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new ApiError('VALIDATION', { detail: parsed.error.issues.map((i) => ({ field: i.path.map(String), message: i.message })) });
}

async function controlled(deps: SimulatorControlDeps, app: AppRecord, id: string): Promise<Vehicle> {
  if (!isUuid(id)) throw new ApiError('VALIDATION', { detail: [{ field: 'vehicle_id', message: 'must be a UUID' }] });
  const vehicle = await deps.vehicles.find(id.toLowerCase());
  const mine = vehicle && vehicle.provider === 'simulator'
    && ((await deps.vehicles.developerOf(vehicle)) === app.id || (await deps.tokens.scopesOf(app.id, vehicle.accountId, vehicle.id)) !== undefined);
  if (!vehicle || !mine) throw new ApiError('RESOURCE_NOT_FOUND.PATH');
  return vehicle;
}

/** Scenario and value errors are the caller's: VALIDATION with the reason. */
async function asValidation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof simulator.ScenarioError) throw new ApiError('VALIDATION', { detail: [{ message: error.message }] });
    throw error;
  }
}

type ById = FastifyRequest<{ Params: { id: string } }>;

export function registerSimulatorControl(app: FastifyInstance, deps: SimulatorControlDeps): void {
  const owner = (request: FastifyRequest) => authenticateManagement(deps.apps, request);

  app.post(BASE, async (request) => {
    const dev = await owner(request);
    const body = parse(CreateBody, request.body);
    const make = body.make.toUpperCase();
    const models = simulator.modelsOf(make).map((m) => m.model.toLowerCase());
    if (models.length === 0 || (body.model && !models.includes(body.model.toLowerCase()))) {
      throw new ApiError('VALIDATION', { detail: [{ field: body.model ? 'model' : 'make', message: 'not in the simulator catalog' }] });
    }
    return createSimulatedVehicle(deps.vehicles, { make, model: body.model, seed: body.seed, developerAppId: dev.id });
  });

  app.get(BASE, async (request) => {
    const dev = await owner(request);
    return { vehicles: (await deps.vehicles.listByDeveloper(dev.id)).map(describeVehicle) };
  });

  app.get(`${BASE}/:id`, async (request: ById) => {
    const vehicle = await controlled(deps, await owner(request), request.params.id);
    return deps.simulator.inspect(vehicle);
  });

  app.post(`${BASE}/:id/scenario`, async (request: ById) => {
    const vehicle = await controlled(deps, await owner(request), request.params.id);
    const body = parse(ScenarioBody, request.body);
    const state = await asValidation(() => deps.simulator.setScenario(vehicle, body));
    return { scenario: state.scenario ?? null };
  });

  app.post(`${BASE}/:id/faults`, async (request: ById) => {
    const vehicle = await controlled(deps, await owner(request), request.params.id);
    const body = parse(FaultBody, request.body);
    const state = await deps.simulator.injectFault(vehicle, body.kind, body.forSeconds === undefined ? null : body.forSeconds * 1000, body.probability);
    return { faults: state.faults ?? [] };
  });

  app.delete(`${BASE}/:id/faults`, async (request: ById) => {
    const vehicle = await controlled(deps, await owner(request), request.params.id);
    await deps.simulator.clearFaults(vehicle);
    return { faults: [] };
  });

  app.post(`${BASE}/:id/clock`, async (request: ById) => {
    let vehicle = await controlled(deps, await owner(request), request.params.id);
    const body = parse(ClockBody, request.body);
    if (body.timeScale !== undefined) {
      await deps.simulator.setTimeScale(vehicle, body.timeScale);
      vehicle = (await deps.vehicles.find(vehicle.id))!;
    }
    if (body.advanceSeconds) await deps.simulator.advanceClock(vehicle, body.advanceSeconds * 1000);
    return deps.simulator.inspect((await deps.vehicles.find(vehicle.id))!);
  });

  app.post(`${BASE}/:id/values`, async (request: ById) => {
    const vehicle = await controlled(deps, await owner(request), request.params.id);
    const state = await deps.simulator.setValues(vehicle, parse(ValuesBody, request.body));
    return { state };
  });
}
