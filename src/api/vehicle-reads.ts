/** GET /v2.0/vehicles/:id/… for every read endpoint. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiOperation } from '../core/index.js';
import { DATA_HEADERS, PAGING_QUERY, UNIT_SYSTEM_HEADER, VEHICLE_ERRORS, v2Operation } from './openapi-parts.js';
import { READ_RESPONSES } from './read-responses.js';
import { READ_ENDPOINTS, type ReadEndpoint, type ReadResult } from './read-endpoints.js';
import { queryValue, unitSystemOf } from './request.js';
import { accessibleVehicle, authenticate, type ApiDeps } from './vehicle-access.js';

type VehicleRequest = FastifyRequest<{ Params: { id: string } }>;

/** The token, the vehicle, then the units: awaiting only what is not at hand (see `authenticate`). */
async function runRead(deps: ApiDeps, endpoint: ReadEndpoint, request: VehicleRequest): Promise<ReadResult> {
  const authenticated = authenticate(deps, request);
  const context = authenticated instanceof Promise ? await authenticated : authenticated;
  const found = accessibleVehicle(deps, context, request.params.id);
  const vehicle = found instanceof Promise ? await found : found;
  const units = unitSystemOf(request);
  return endpoint.run({ deps, context, vehicle, units, query: (...names) => queryValue(request, ...names) });
}

const urlOf = (endpoint: ReadEndpoint) => (endpoint.path === '/' ? '/v2.0/vehicles/:id' : `/v2.0/vehicles/:id${endpoint.path}`);

/** Query parameters beyond the units header, by path. */
const READ_QUERIES: Readonly<Record<string, z.ZodObject>> = {
  '/permissions': PAGING_QUERY(25, 100),
  '/service/history': z.object({
    start_date: z.string().max(32).optional().describe('YYYY-MM-DD; startDate is read too.'),
    end_date: z.string().max(32).optional().describe('YYYY-MM-DD, inclusive; endDate is read too.'),
  }),
};

function readOperation(endpoint: ReadEndpoint): ApiOperation {
  const body = READ_RESPONSES[endpoint.path];
  if (!body) throw new Error(`no response described for GET ${endpoint.path}`);
  const live = endpoint.signals.length > 0;
  return v2Operation({
    method: 'get', path: urlOf(endpoint), tag: 'Vehicle data',
    summary: endpoint.name ?? 'The permissions granted on the vehicle',
    description: endpoint.permission ? `Needs ${endpoint.permission}.` : 'Needs no particular permission.',
    credentials: ['accessToken'],
    query: READ_QUERIES[endpoint.path],
    headers: UNIT_SYSTEM_HEADER,
    responses: { 200: { description: 'Read.', body, ...(live && { headers: DATA_HEADERS }) } },
    errors: VEHICLE_ERRORS,
  });
}

export const openapi: readonly ApiOperation[] = READ_ENDPOINTS.map(readOperation);

export function registerVehicleReads(app: FastifyInstance, deps: ApiDeps): void {
  for (const endpoint of READ_ENDPOINTS) {
    const url = urlOf(endpoint);
    app.get(url, async (request: VehicleRequest, reply) => {
      const result = await runRead(deps, endpoint, request);
      reply.headers(result.headers);
      return result.body;
    });
  }
}
