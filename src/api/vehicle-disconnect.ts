/** DELETE /v2.0/vehicles/:id/application: the app gives up its grant on this vehicle. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessibleVehicle, authenticate, type ApiDeps } from './vehicle-access.js';

export function registerVehicleDisconnect(app: FastifyInstance, deps: ApiDeps): void {
  app.delete('/v2.0/vehicles/:id/application', async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const context = await authenticate(deps, request);
    const vehicle = await accessibleVehicle(deps, context, request.params.id);
    await deps.tokens.revokeVehicle(context.appId, context.accountId, vehicle.id, 'app_disconnected');
    return { status: 'success' };
  });
}
