/**
 * The simulator's control surface over HTTP, behind the application management token:
 * /v2.0/management/simulator/vehicles[/…]. An app controls the simulated cars it created here and
 * the test- or simulated-mode cars granted to it; live vehicles are never reachable. The rules are
 * the simulator service's (the console runs the same); this file answers them in the API's errors.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, managementOperation } from '../api/index.js';
import type { ApiOperation } from '../core/index.js';
import type { TokenService } from '../oauth/index.js';
import type { simulator } from '../providers/index.js';
import { describeVehicle, type VehicleService } from '../vehicles/index.js';
import type { ManagementDeps } from './connections.js';
import { authenticateManagement } from './management-auth.js';
import { SimulatorBodies, SimulatorControlError, simulatorService } from './simulator-service.js';

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

const VehicleBody = z.object({
  vehicleId: z.string(), userId: z.string(), vin: z.string(), make: z.string(), model: z.string(), year: z.number().int(), mode: z.string(),
});
const Snapshot = z.record(z.string(), z.unknown()).describe('The simulated car\'s state (see the simulator\'s documentation).');
const Inspection = z.object({ carTime: z.string(), state: Snapshot });

const op = (method: 'get' | 'post' | 'delete', path: string, summary: string, answer: z.ZodType, body?: z.ZodType) => managementOperation({
  method, path: `${BASE}${path}`, tag: 'Simulator', summary, credentials: ['managementToken'],
  ...(body && { body }),
  responses: { 200: { description: 'Done.', body: answer } },
  errors: [400, 401, 404, 429, 500],
});

export const openapi: readonly ApiOperation[] = [
  op('post', '', 'Create a simulated vehicle (its owner\'s sign-in is shown once)', VehicleBody.omit({ mode: true }).extend({
    email: z.string(), password: z.string(), scenario: z.string().nullable(), scenarioRefused: z.string().optional(),
  }), SimulatorBodies.create),
  op('get', '', 'The simulated vehicles the app created', z.object({ vehicles: z.array(VehicleBody) })),
  op('get', '/:id', 'A vehicle\'s simulated state', Inspection),
  op('post', '/:id/scenario', 'Put the vehicle into a scenario', z.object({ scenario: z.unknown() }), SimulatorBodies.scenario),
  op('post', '/:id/faults', 'Inject a fault', z.object({ faults: z.array(z.unknown()) }), SimulatorBodies.fault),
  op('delete', '/:id/faults', 'Clear every fault', z.object({ faults: z.array(z.unknown()).length(0) })),
  op('post', '/:id/clock', 'Move or speed the vehicle\'s clock', Inspection, SimulatorBodies.clock),
  op('post', '/:id/values', 'Set values of the simulated state', z.object({ state: Snapshot }), SimulatorBodies.values),
];

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
