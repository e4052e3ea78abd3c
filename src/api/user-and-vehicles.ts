/** GET /v2.0/user and GET /v2.0/vehicles: who granted this token, and which of their vehicles it covers. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiOperation } from '../core/index.js';
import { PAGING_QUERY, v2Operation } from './openapi-parts.js';
import { paging, queryValue } from './request.js';
import { authenticate, type ApiDeps } from './vehicle-access.js';

export const openapi: readonly ApiOperation[] = [
  v2Operation({
    method: 'get', path: '/v2.0/user', tag: 'User', summary: 'The user who granted the access token',
    credentials: ['accessToken'],
    responses: { 200: { description: 'The user.', body: z.object({ id: z.string() }) } },
    errors: [401, 429, 500],
  }),
  v2Operation({
    method: 'get', path: '/v2.0/vehicles', tag: 'Vehicles', summary: 'The vehicles the access token covers',
    credentials: ['accessToken'],
    query: PAGING_QUERY(10, 50),
    responses: {
      200: {
        description: 'Vehicle ids, one page.',
        body: z.object({ vehicles: z.array(z.string()), paging: z.object({ count: z.number().int(), offset: z.number().int() }) }),
      },
    },
    errors: [400, 401, 429, 500],
  }),
];

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
