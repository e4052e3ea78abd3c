/** DELETE /v2.0/vehicles/:id/application: the app gives up its grant on this vehicle. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiOperation } from '../core/index.js';
import { StatusSuccess, v2Operation } from './openapi-parts.js';
import { accessibleVehicle, authenticate, type ApiDeps } from './vehicle-access.js';

export const openapi: readonly ApiOperation[] = [v2Operation({
  method: 'delete', path: '/v2.0/vehicles/:id/application', tag: 'Vehicles', summary: 'Disconnect the app from the vehicle',
  credentials: ['accessToken'],
  responses: { 200: { description: 'The grant is gone.', body: StatusSuccess } },
  errors: [401, 404, 429, 500],
})];

export function registerVehicleDisconnect(app: FastifyInstance, deps: ApiDeps): void {
  app.delete('/v2.0/vehicles/:id/application', async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const context = await authenticate(deps, request);
    const vehicle = await accessibleVehicle(deps, context, request.params.id);
    await deps.tokens.revokeVehicle(context.appId, context.accountId, vehicle.id, 'app_disconnected');
    return { status: 'success' };
  });
}
