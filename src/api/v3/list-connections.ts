/**
 * GET /v3/connections (smartcar-v3.md §1.4, §3.6): an application token's view of its app's live
 * connections, newest first, paged by `page[number]`/`page[size]` (or `page`/`pageSize`), filtered
 * by `filter[userId]` (or the `sc-user-id` header), `filter[vehicleId]` and `filter[vehicle.mode]`
 * (live unless asked, as Smartcar's). Links carry the query percent-encoded, as the real API's do.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isUuid, type ApiOperation } from '../../core/index.js';
import { v3Operation } from '../openapi-parts.js';
import { ConnectionResourceSchema } from './resource-schemas.js';
import type { ConnectionQuery } from '../../store/index.js';
import { ApiError } from '../errors/index.js';
import { boundedInt, queryValue } from '../request.js';
import { authenticateApplication, userIdOf, type V3Deps } from './access.js';
import { connectionResource, type ConnectionResource } from './connection-resource.js';

const MODES = ['live', 'simulated', 'test'];
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

export interface ListConnectionsResponse {
  data: ConnectionResource[];
  meta: { page: number; pageNumber: number; pageSize: number; totalCount: number; orderBy: 'createdAt'; orderDirection: 'DESC' };
  links: { self: string; first: string; last: string; next: string | null; prev: string | null; previous: string | null };
}

function invalid(field: string, message: string): ApiError {
  return new ApiError('VALIDATION', { detail: [{ field, message }] });
}

function uuidFilter(value: string | undefined, field: string): string | undefined {
  if (value !== undefined && !isUuid(value)) throw invalid(field, 'must be a UUID');
  return value?.toLowerCase();
}

/** The filter asked for; null when the header and the query name different users (nothing matches both). */
function filterOf(request: FastifyRequest): ConnectionQuery | null {
  const header = uuidFilter(userIdOf(request), 'sc-user-id');
  const userId = uuidFilter(queryValue(request, 'filter[userId]'), 'filter[userId]');
  const vehicleId = uuidFilter(queryValue(request, 'filter[vehicleId]'), 'filter[vehicleId]');
  const mode = queryValue(request, 'filter[vehicle.mode]') ?? 'live';
  if (!MODES.includes(mode)) throw invalid('filter[vehicle.mode]', 'must be live, simulated or test');
  if (header !== undefined && userId !== undefined && header !== userId) return null;
  return { accountId: userId ?? header, vehicleId, mode };
}

function link(filter: ConnectionQuery, pageNumber: number, pageSize: number): string {
  const query = new URLSearchParams({ 'page[number]': String(pageNumber), 'page[size]': String(pageSize) });
  if (filter.accountId) query.set('filter[userId]', filter.accountId);
  if (filter.vehicleId) query.set('filter[vehicleId]', filter.vehicleId);
  query.set('filter[vehicle.mode]', filter.mode ?? 'live');
  return `/v3/connections?${query.toString()}`;
}

const pageLink = z.string();

export const openapi: readonly ApiOperation[] = [v3Operation({
  method: 'get', path: '/v3/connections', tag: 'Connections', summary: 'The app\'s live connections, newest first',
  credentials: ['applicationToken'],
  query: z.object({
    'page[number]': z.number().int().min(1).optional().describe('1 unless given; page is read too.'),
    'page[size]': z.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe(`${DEFAULT_PAGE_SIZE} unless given; pageSize is read too.`),
    'filter[userId]': z.uuid().optional(),
    'filter[vehicleId]': z.uuid().optional(),
    'filter[vehicle.mode]': z.enum(['live', 'simulated', 'test']).optional().describe('live unless given.'),
  }),
  headers: z.object({ 'sc-user-id': z.uuid().optional().describe('Another way to filter by user.') }),
  responses: {
    200: {
      description: 'One page of connections.',
      body: z.object({
        data: z.array(ConnectionResourceSchema),
        meta: z.object({
          page: z.number().int(), pageNumber: z.number().int(), pageSize: z.number().int(), totalCount: z.number().int(),
          orderBy: z.literal('createdAt'), orderDirection: z.literal('DESC'),
        }),
        links: z.object({
          self: pageLink, first: pageLink, last: pageLink, next: pageLink.nullable(), prev: pageLink.nullable(), previous: pageLink.nullable(),
        }),
      }),
    },
  },
  errors: [400, 401, 429, 500],
})];

export function registerListConnections(app: FastifyInstance, deps: V3Deps): void {
  app.get('/v3/connections', async (request): Promise<ListConnectionsResponse> => {
    const { appId } = await authenticateApplication(deps, request);
    const pageNumber = boundedInt(queryValue(request, 'page[number]', 'page'), 'page[number]', 1, 1, 1_000_000);
    const pageSize = boundedInt(queryValue(request, 'page[size]', 'pageSize'), 'page[size]', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    const filter = filterOf(request);
    const { page, total } = filter
      ? await deps.applicationTokens.connections(appId, filter, pageSize, (pageNumber - 1) * pageSize)
      : { page: [], total: 0 };
    const shown = filter ?? { mode: 'live' };
    const last = Math.max(1, Math.ceil(total / pageSize));
    const prev = pageNumber > 1 ? link(shown, Math.min(pageNumber - 1, last), pageSize) : null;
    return {
      data: page.map(connectionResource),
      meta: { page: pageNumber, pageNumber, pageSize, totalCount: total, orderBy: 'createdAt', orderDirection: 'DESC' },
      links: {
        self: link(shown, pageNumber, pageSize),
        first: link(shown, 1, pageSize),
        last: link(shown, last, pageSize),
        next: pageNumber < last ? link(shown, pageNumber + 1, pageSize) : null,
        prev,
        previous: prev,
      },
    };
  });
}
