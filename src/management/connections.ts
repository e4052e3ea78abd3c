/**
 * GET and DELETE /v2.0/management/connections (spec §8.1): the app's live grants, newest first,
 * paged by an opaque cursor; deleting ends grants by user, by vehicle, or both.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, managementOperation } from '../api/index.js';
import { isUuid, type ApiOperation } from '../core/index.js';
import { boundedInt, queryValue } from '../api/request.js';
import type { AppService, TokenService } from '../oauth/index.js';
import type { ConnectionFilter } from '../store/index.js';
import { authenticateManagement } from './management-auth.js';

const MODES = ['live', 'simulated', 'test'];

export interface ManagementDeps {
  apps: AppService;
  tokens: TokenService;
}

function invalid(field: string, message: string): ApiError {
  return new ApiError('VALIDATION', { detail: [{ field, message }] });
}

function filterOf(request: FastifyRequest): ConnectionFilter {
  const accountId = queryValue(request, 'user_id');
  const vehicleId = queryValue(request, 'vehicle_id');
  const mode = queryValue(request, 'mode');
  if (accountId !== undefined && !isUuid(accountId)) throw invalid('user_id', 'must be a UUID');
  if (vehicleId !== undefined && !isUuid(vehicleId)) throw invalid('vehicle_id', 'must be a UUID');
  if (mode !== undefined && !MODES.includes(mode)) throw invalid('mode', 'must be live, simulated or test');
  return { accountId: accountId?.toLowerCase(), vehicleId: vehicleId?.toLowerCase(), mode };
}

/** The cursor is the offset of the next page, opaque to clients. */
function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = Number(decoded.slice(2));
  if (!/^o:\d{1,15}$/.test(decoded) || !Number.isSafeInteger(offset)) throw invalid('cursor', 'not a cursor this API issued');
  return offset;
}

function cursorOf(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

const FILTER = {
  user_id: z.uuid().optional(),
  vehicle_id: z.uuid().optional(),
};

export const openapi: readonly ApiOperation[] = [
  managementOperation({
    method: 'get', path: '/v2.0/management/connections', tag: 'Connections', summary: 'The app\'s live connections, newest first',
    credentials: ['managementToken'],
    query: z.object({
      ...FILTER,
      mode: z.enum(['live', 'simulated', 'test']).optional(),
      limit: z.number().int().min(1).max(100).optional().describe('10 unless given.'),
      cursor: z.string().max(64).optional().describe('The paging.cursor of the page before.'),
    }),
    responses: {
      200: {
        description: 'One page of connections.',
        body: z.object({
          connections: z.array(z.object({ connectedAt: z.string(), vehicleId: z.string(), userId: z.string(), mode: z.string() })),
          paging: z.object({ cursor: z.string().nullable() }),
        }),
      },
    },
    errors: [400, 401, 429, 500],
  }),
  managementOperation({
    method: 'delete', path: '/v2.0/management/connections', tag: 'Connections', summary: 'End connections by user, by vehicle, or both',
    credentials: ['managementToken'],
    query: z.object(FILTER),
    responses: {
      200: { description: 'The connections ended.', body: z.object({ connections: z.array(z.object({ userId: z.string(), vehicleId: z.string() })) }) },
    },
    errors: [400, 401, 429, 500],
  }),
];

export function registerConnections(app: FastifyInstance, deps: ManagementDeps): void {
  app.get('/v2.0/management/connections', async (request) => {
    const owner = await authenticateManagement(deps.apps, request);
    const filter = filterOf(request);
    const limit = boundedInt(queryValue(request, 'limit'), 'limit', 10, 1, 100);
    const offset = offsetOf(queryValue(request, 'cursor'));
    // One extra row tells whether another page exists.
    const rows = await deps.tokens.listConnections(owner.id, filter, limit + 1, offset);
    const page = rows.slice(0, limit);
    return {
      connections: page.map((c) => ({ connectedAt: c.connectedAt, vehicleId: c.vehicleId, userId: c.accountId, mode: c.mode })),
      paging: { cursor: rows.length > limit ? cursorOf(offset + limit) : null },
    };
  });

  app.delete('/v2.0/management/connections', async (request) => {
    const owner = await authenticateManagement(deps.apps, request);
    const filter = filterOf(request);
    if (!filter.accountId && !filter.vehicleId) throw invalid('user_id', 'give user_id, vehicle_id, or both');
    const ended = await deps.tokens.revokeConnections(owner.id, { accountId: filter.accountId, vehicleId: filter.vehicleId });
    return { connections: ended.map((c) => ({ userId: c.accountId, vehicleId: c.vehicleId })) };
  });
}
