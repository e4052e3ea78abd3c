/**
 * GET /v3/vehicles/:id (smartcar-v3.md §3.2, §8.2): the vehicle resource, bare at the top level (what
 * every SDK reads) with the same resource under `data` (what the newest docs show). The Node SDK
 * sends a trailing slash; the router takes both forms. Reads no signal: no permission, no budget.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiOperation } from '../../core/index.js';
import { v3Operation } from '../openapi-parts.js';
import type { V3Deps } from './access.js';
import { USER_HEADER, VehicleResourceSchema, withData } from './resource-schemas.js';
import { resolveVehicleAccess } from './access.js';
import { vehicleResource, type VehicleResource } from './resources.js';

export type GetVehicleResponse = VehicleResource & { data: VehicleResource };

export const openapi: readonly ApiOperation[] = [v3Operation({
  method: 'get', path: '/v3/vehicles/:id', tag: 'Vehicles', summary: 'The vehicle',
  credentials: ['accessToken', 'applicationToken'],
  headers: USER_HEADER,
  responses: { 200: { description: 'The vehicle resource, bare and under data.', body: withData(VehicleResourceSchema) } },
  errors: [400, 401, 403, 404, 429, 500],
})];

export function registerGetVehicle(app: FastifyInstance, deps: V3Deps): void {
  app.get('/v3/vehicles/:id', async (request: FastifyRequest<{ Params: { id: string } }>): Promise<GetVehicleResponse> => {
    const { vehicle } = await resolveVehicleAccess(deps, request, request.params.id);
    const resource = vehicleResource(vehicle);
    return { ...resource, data: resource };
  });
}
