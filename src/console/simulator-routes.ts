/**
 * The console's simulator: the developer's simulated cars (created for their apps, or test- and
 * simulated-mode cars connected to them), a new car with its owner's Connect sign-in shown once, a
 * car's state now, and its controls (scenario, clock, faults, values). The rules are the simulator
 * service's, which the management API runs too; this file answers its refusals in the console's form.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isUuid } from '../core/index.js';
import { SimulatorControlError, simulatorCatalog, simulatorService } from '../management/index.js';
import type { AppService, TokenService } from '../oauth/index.js';
import type { simulator } from '../providers/index.js';
import type { Vehicle, VehicleService } from '../vehicles/index.js';
import { BODY_LIMIT, parsed, type AppRole, type ConsoleContext } from './context.js';
import { Refusal } from './refusals.js';

export interface SimulatorRoutesDeps {
  apps: AppService;
  tokens: TokenService;
  vehicles: VehicleService;
  simulator: simulator.SimulatorProvider;
}

/** Connected cars listed per app and mode: the simulator page is for a developer's own few, not a fleet. */
const MAX_CONNECTED_LISTED = 100;
const CONNECTED_MODES = ['simulated', 'test'] as const;

const newCarBody = z.object({ clientId: z.string().max(64) }).passthrough();

const NOT_FOUND = () => new Refusal(404, 'not_found', 'You have no simulated car with that id.');

type ById = FastifyRequest<{ Params: { vehicleId: string } }>;

function carView(vehicle: Vehicle, clientId: string) {
  return {
    vehicleId: vehicle.id, make: vehicle.make, model: vehicle.model, year: vehicle.year, vin: vehicle.vin,
    mode: vehicle.mode, userId: vehicle.accountId, clientId,
  };
}

/** The service's refusals in the console's form. */
async function answered<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SimulatorControlError)) throw error;
    if (error.code === 'not_found') throw NOT_FOUND();
    throw new Refusal(400, 'invalid_request', error.message);
  }
}

export function registerSimulatorRoutes(api: FastifyInstance, ctx: ConsoleContext, deps: SimulatorRoutesDeps): void {
  const service = simulatorService(deps);

  /** The ids of the apps the developer is on the team of: those whose cars they may see. */
  async function appIdsOf(request: FastifyRequest): Promise<string[]> {
    const session = await ctx.signedIn(request);
    return (await ctx.appsOf(session)).map(({ app }) => app.id);
  }

  /** The car, when one of the developer's apps controls it and they hold `role` on that app; else 404. */
  async function car(request: ById, role: AppRole): Promise<{ vehicle: Vehicle; clientId: string }> {
    const { vehicleId } = request.params;
    if (!isUuid(vehicleId)) throw NOT_FOUND();
    const found = await service.controller(await appIdsOf(request), vehicleId);
    if (!found) throw NOT_FOUND();
    await ctx.appFor(request, found.appId, role);
    return { vehicle: found.vehicle, clientId: found.appId };
  }

  /** What a car's page shows: the car, and its full state on its own clock. */
  async function view(vehicleId: string, clientId: string) {
    const vehicle = (await deps.vehicles.find(vehicleId))!;
    return { vehicle: carView(vehicle, clientId), ...service.inspect(vehicle) };
  }

  api.get('/console/api/simulator/catalog', async (request) => {
    await ctx.signedIn(request);
    return simulatorCatalog();
  });

  api.get('/console/api/simulator/vehicles', async (request) => {
    const appIds = await appIdsOf(request);
    const seen = new Map<string, ReturnType<typeof carView> & { createdHere: boolean }>();
    for (const appId of appIds) {
      for (const v of await deps.vehicles.listByDeveloper(appId)) seen.set(v.id, { ...carView(v, appId), createdHere: true });
    }
    for (const appId of appIds) {
      for (const mode of CONNECTED_MODES) {
        for (const c of await deps.tokens.listConnections(appId, { mode }, MAX_CONNECTED_LISTED, 0)) {
          if (seen.has(c.vehicleId)) continue;
          const v = await deps.vehicles.find(c.vehicleId);
          if (v?.provider === 'simulator') seen.set(v.id, { ...carView(v, appId), createdHere: false });
        }
      }
    }
    return { vehicles: [...seen.values()] };
  });

  api.post('/console/api/simulator/vehicles', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const { clientId } = parsed(newCarBody, request.body);
    const { app } = await ctx.appFor(request, clientId, 'developer');
    const created = await answered(() => service.create(app.id, request.body));
    reply.code(201);
    return { ...created, clientId: app.id };
  });

  api.get('/console/api/simulator/vehicles/:vehicleId', async (request: ById) => {
    const { vehicle, clientId } = await car(request, 'viewer');
    return view(vehicle.id, clientId);
  });

  api.post('/console/api/simulator/vehicles/:vehicleId/scenario', { bodyLimit: BODY_LIMIT }, async (request: ById) => {
    const { vehicle, clientId } = await car(request, 'developer');
    await answered(() => service.setScenario(vehicle, request.body));
    return view(vehicle.id, clientId);
  });

  api.post('/console/api/simulator/vehicles/:vehicleId/faults', { bodyLimit: BODY_LIMIT }, async (request: ById) => {
    const { vehicle, clientId } = await car(request, 'developer');
    await answered(() => service.injectFault(vehicle, request.body));
    return view(vehicle.id, clientId);
  });

  api.delete('/console/api/simulator/vehicles/:vehicleId/faults', async (request: ById) => {
    const { vehicle, clientId } = await car(request, 'developer');
    await service.clearFaults(vehicle);
    return view(vehicle.id, clientId);
  });

  api.post('/console/api/simulator/vehicles/:vehicleId/clock', { bodyLimit: BODY_LIMIT }, async (request: ById) => {
    const { vehicle, clientId } = await car(request, 'developer');
    await answered(() => service.clock(vehicle, request.body));
    return view(vehicle.id, clientId);
  });

  api.post('/console/api/simulator/vehicles/:vehicleId/values', { bodyLimit: BODY_LIMIT }, async (request: ById) => {
    const { vehicle, clientId } = await car(request, 'developer');
    await answered(() => service.setValues(vehicle, request.body));
    return view(vehicle.id, clientId);
  });
}
