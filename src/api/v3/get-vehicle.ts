/**
 * GET /v3/vehicles/:id (smartcar-v3.md §3.2, §8.2): the vehicle resource, bare at the top level (what
 * every SDK reads) with the same resource under `data` (what the newest docs show). The Node SDK
 * sends a trailing slash; the router takes both forms. Reads no signal: no permission, no budget.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { V3Deps } from './access.js';
import { resolveVehicleAccess } from './access.js';
import { vehicleResource, type VehicleResource } from './resources.js';

export type GetVehicleResponse = VehicleResource & { data: VehicleResource };

export function registerGetVehicle(app: FastifyInstance, deps: V3Deps): void {
  app.get('/v3/vehicles/:id', async (request: FastifyRequest<{ Params: { id: string } }>): Promise<GetVehicleResponse> => {
    const { vehicle } = await resolveVehicleAccess(deps, request, request.params.id);
    const resource = vehicleResource(vehicle);
    return { ...resource, data: resource };
  });
}
