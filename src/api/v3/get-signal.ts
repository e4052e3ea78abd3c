/**
 * GET /v3/vehicles/:id/signals/:code (smartcar-v3.md §3.5, §8.4): one signal, bare at the top level
 * (what the SDKs read) with `data` and `included.vehicle` beside it (what newer clients read). A
 * code outside the catalog is a 404; a catalog code the car lacks answers its COMPATIBILITY error.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiOperation } from '../../core/index.js';
import { ApiError } from '../errors/index.js';
import { v3Operation } from '../openapi-parts.js';
import { SignalResourceSchema, USER_HEADER, VehicleResourceSchema, withData } from './resource-schemas.js';
import { resolveVehicleAccess, type V3Deps } from './access.js';
import { signalEntry, vehicleResource, type SignalResource, type VehicleResource } from './resources.js';
import { signalResources } from './signal-reads.js';

export type GetSignalResponse = SignalResource & { data: SignalResource; included: { vehicle: VehicleResource } };

export const openapi: readonly ApiOperation[] = [v3Operation({
  method: 'get', path: '/v3/vehicles/:id/signals/:code', tag: 'Signals', summary: 'One signal of the vehicle',
  description: 'A code outside the catalog is a 404; a catalog code the car lacks answers its COMPATIBILITY error.',
  credentials: ['accessToken', 'applicationToken'],
  headers: USER_HEADER,
  responses: {
    200: {
      description: 'The signal, bare and under data, with its vehicle.',
      body: withData(SignalResourceSchema, { included: z.object({ vehicle: VehicleResourceSchema }) }),
    },
  },
  errors: [400, 401, 403, 404, 409, 429, 430, 500, 501, 502],
})];

export function registerGetSignal(app: FastifyInstance, deps: V3Deps): void {
  app.get('/v3/vehicles/:id/signals/:code', async (
    request: FastifyRequest<{ Params: { id: string; code: string } }>,
  ): Promise<GetSignalResponse> => {
    const access = await resolveVehicleAccess(deps, request, request.params.id);
    const entry = signalEntry(request.params.code);
    if (!entry) throw new ApiError('RESOURCE_NOT_FOUND.SIGNAL_NOT_FOUND');
    const [resource] = await signalResources(deps, access, [entry], false);
    return { ...resource!, data: resource!, included: { vehicle: vehicleResource(access.vehicle) } };
  });
}
