/**
 * The simulator's control surface over HTTP, behind the application management token:
 * /v2.0/management/simulator/vehicles[/…]. An app controls the simulated cars it created here and
 * the test- or simulated-mode cars granted to it; live vehicles are never reachable. The rules are
 * the simulator service's (the console runs the same); this file answers them in the API's errors.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../api/index.js';
import type { TokenService } from '../oauth/index.js';
import type { simulator } from '../providers/index.js';
import { describeVehicle, type VehicleService } from '../vehicles/index.js';
import type { ManagementDeps } from './connections.js';
import { authenticateManagement } from './management-auth.js';
import { SimulatorControlError, simulatorService } from './simulator-service.js';

export interface SimulatorControlDeps extends ManagementDeps {
  vehicles: VehicleService;
  simulator: simulator.SimulatorProvider;
  tokens: TokenService;
}

const BASE = '/v2.0/management/simulator/vehicles';

/** The service's refusals as the API's: VALIDATION with the problems as detail, or not found. */
async function answered<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SimulatorControlError)) throw error;
    if (error.code === 'not_found') throw new ApiError('RESOURCE_NOT_FOUND.PATH');
    throw new ApiError('VALIDATION', { detail: error.problems });
  }
}

type ById = FastifyRequest<{ Params: { id: string } }>;

export function registerSimulatorControl(app: FastifyInstance, deps: SimulatorControlDeps): void {
  const owner = (request: FastifyRequest) => authenticateManagement(deps.apps, request);
  const service = simulatorService(deps);
  const controlled = async (request: ById) => service.controlled((await owner(request)).id, request.params.id);

  app.post(BASE, async (request) => {
    const dev = await owner(request);
    return answered(() => service.create(dev.id, request.body));
  });

  app.get(BASE, async (request) => {
    const dev = await owner(request);
    return { vehicles: (await deps.vehicles.listByDeveloper(dev.id)).map(describeVehicle) };
  });

  app.get(`${BASE}/:id`, (request: ById) => answered(async () => service.inspect(await controlled(request))));

  app.post(`${BASE}/:id/scenario`, (request: ById) => answered(async () => {
    const state = await service.setScenario(await controlled(request), request.body);
    return { scenario: state.scenario ?? null };
  }));

  app.post(`${BASE}/:id/faults`, (request: ById) => answered(async () => {
    const state = await service.injectFault(await controlled(request), request.body);
    return { faults: state.faults ?? [] };
  }));

  app.delete(`${BASE}/:id/faults`, (request: ById) => answered(async () => {
    await service.clearFaults(await controlled(request));
    return { faults: [] };
  }));

  app.post(`${BASE}/:id/clock`, (request: ById) => answered(async () => service.clock(await controlled(request), request.body)));

  app.post(`${BASE}/:id/values`, (request: ById) => answered(async () => ({ state: await service.setValues(await controlled(request), request.body) })));
}
