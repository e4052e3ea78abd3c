/**
 * GET /v3/vehicles/:id/signals (smartcar-v3.md §3.3, §8.3): every signal the car can have, on one
 * page, each with its status — a signal the grant does not cover is listed as a PERMISSION error.
 * Both pagination spellings are in `meta` and `links`, and the vehicle rides along in `included`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiOperation } from '../../core/index.js';
import { v3Operation } from '../openapi-parts.js';
import { resolveVehicleAccess, type V3Deps } from './access.js';
import { SignalResourceSchema, USER_HEADER, VehicleResourceSchema } from './resource-schemas.js';
import { SIGNAL_ENTRIES, vehicleLink, vehicleResource, type SignalResource, type VehicleResource } from './resources.js';
import { asciiBytes, asciiJson, signalsJson } from './signal-json.js';
import { signalRows } from './signal-reads.js';

export interface ListSignalsResponse {
  data: SignalResource[];
  meta: { page: 1; pageNumber: 1; pageSize: number; totalCount: number };
  links: { self: string; first: string; last: string; next: null; previous: null; prev: null };
  included: { vehicle: VehicleResource };
}

const link = z.string();

export const openapi: readonly ApiOperation[] = [v3Operation({
  method: 'get', path: '/v3/vehicles/:id/signals', tag: 'Signals', summary: 'Every signal of the vehicle, each with its status',
  description: 'One page holds every signal; a signal the grant does not cover is listed with a PERMISSION error.',
  credentials: ['accessToken', 'applicationToken'],
  headers: USER_HEADER,
  responses: {
    200: {
      description: 'The signals.',
      body: z.object({
        data: z.array(SignalResourceSchema),
        meta: z.object({ page: z.literal(1), pageNumber: z.literal(1), pageSize: z.number().int(), totalCount: z.number().int() }),
        links: z.object({ self: link, first: link, last: link, next: z.null(), previous: z.null(), prev: z.null() }),
        included: z.object({ vehicle: VehicleResourceSchema }),
      }),
    },
  },
  errors: [400, 401, 403, 404, 429, 500, 502],
})];

export function registerListSignals(app: FastifyInstance, deps: V3Deps): void {
  app.get('/v3/vehicles/:id/signals', async (request: FastifyRequest<{ Params: { id: string } }>, reply): Promise<Buffer> => {
    const access = await resolveVehicleAccess(deps, request, request.params.id);
    const rows = await signalRows(deps, access, SIGNAL_ENTRIES, true);
    const link = vehicleLink(access.vehicle);
    const self = `${link}/signals`;
    const only = `${self}?page=1&pageSize=${rows.length}`;
    const answer: Omit<ListSignalsResponse, 'data'> = {
      meta: { page: 1, pageNumber: 1, pageSize: rows.length, totalCount: rows.length },
      links: { self, first: only, last: only, next: null, previous: null, prev: null },
      included: { vehicle: vehicleResource(access.vehicle) },
    };
    // A ListSignalsResponse, serialized from cached fragments (see signal-json), its rows never made objects.
    reply.type('application/json; charset=utf-8');
    const after = `,"meta":${asciiJson(answer.meta)},"links":${asciiJson(answer.links)},"included":${asciiJson(answer.included)}}`;
    return asciiBytes(signalsJson(rows, link, '{"data":', after));
  });
}
