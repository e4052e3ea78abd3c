/** GET /v2.0/user and GET /v2.0/vehicles: who granted this token, and which of their vehicles it covers. */
import type { FastifyInstance } from 'fastify';
import { paging, queryValue } from './request.js';
import { authenticate, type ApiDeps } from './vehicle-access.js';

export function registerUserAndVehicles(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/v2.0/user', async (request) => {
    const context = await authenticate(deps, request);
    return { id: context.accountId };
  });

  app.get('/v2.0/vehicles', async (request) => {
    const context = await authenticate(deps, request);
    const { limit, offset } = paging((name) => queryValue(request, name), 10, 50);
    const ids = [...context.vehicles.keys()];
    return { vehicles: ids.slice(offset, offset + limit), paging: { count: ids.length, offset } };
  });
}
