/** GET /v3/connections/:id (smartcar-v3.md §1.3): one of the app's live connections, as its list shows it. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid, type ApiOperation } from '../../core/index.js';
import { v3Operation } from '../openapi-parts.js';
import { ConnectionResourceSchema, withData } from './resource-schemas.js';
import { ApiError } from '../errors/index.js';
import { authenticateApplication, type V3Deps } from './access.js';
import { connectionResource, type ConnectionResource } from './connection-resource.js';

export type GetConnectionResponse = ConnectionResource & { data: ConnectionResource };

export const openapi: readonly ApiOperation[] = [v3Operation({
  method: 'get', path: '/v3/connections/:id', tag: 'Connections', summary: 'One of the app\'s live connections',
  credentials: ['applicationToken'],
  responses: { 200: { description: 'The connection, bare and under data.', body: withData(ConnectionResourceSchema) } },
  errors: [401, 404, 429, 500],
})];

export function registerGetConnection(app: FastifyInstance, deps: V3Deps): void {
  app.get('/v3/connections/:id', async (request: FastifyRequest<{ Params: { id: string } }>): Promise<GetConnectionResponse> => {
    const { appId } = await authenticateApplication(deps, request);
    const id = request.params.id;
    const found = isUuid(id) ? await deps.applicationTokens.connection(appId, id.toLowerCase()) : undefined;
    if (!found) throw new ApiError('RESOURCE_NOT_FOUND.CONNECTION_NOT_FOUND');
    const resource = connectionResource(found);
    return { ...resource, data: resource };
  });
}
