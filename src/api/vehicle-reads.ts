/** GET /v2.0/vehicles/:id/… for every read endpoint. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { READ_ENDPOINTS, type ReadEndpoint, type ReadResult } from './read-endpoints.js';
import { queryValue, unitSystemOf } from './request.js';
import { accessibleVehicle, authenticate, type ApiDeps } from './vehicle-access.js';

type VehicleRequest = FastifyRequest<{ Params: { id: string } }>;

async function runRead(deps: ApiDeps, endpoint: ReadEndpoint, request: VehicleRequest): Promise<ReadResult> {
  const context = await authenticate(deps, request);
  const vehicle = await accessibleVehicle(deps, context, request.params.id);
  const units = unitSystemOf(request);
  return endpoint.run({ deps, context, vehicle, units, query: (...names) => queryValue(request, ...names) });
}

export function registerVehicleReads(app: FastifyInstance, deps: ApiDeps): void {
  for (const endpoint of READ_ENDPOINTS) {
    const url = endpoint.path === '/' ? '/v2.0/vehicles/:id' : `/v2.0/vehicles/:id${endpoint.path}`;
    app.get(url, async (request: VehicleRequest, reply) => {
      const result = await runRead(deps, endpoint, request);
      reply.headers(result.headers);
      return result.body;
    });
  }
}
