/**
 * POST /v2.0/vehicles/:id/batch: several reads answered together (spec §6). The answer is 200 even
 * when items fail; each item carries its own code and body. An unknown path fails the whole batch.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiOperation } from '../core/index.js';
import { UNIT_SYSTEM_HEADER, VEHICLE_ERRORS, v2Operation } from './openapi-parts.js';
import { ApiError, envelope } from './errors/index.js';
import { logRefusal, toApiError } from './error-handling.js';
import { readEndpointFor, type ReadEndpoint, type ReadInput } from './read-endpoints.js';
import { unitSystemOf } from './request.js';
import { accessibleVehicle, authenticate, type ApiDeps } from './vehicle-access.js';

const MAX_REQUESTS = 50;

const BatchBody = z.object({
  requests: z.array(z.object({ path: z.string().min(1).max(500) })).max(MAX_REQUESTS),
});

export interface Item {
  path: string;
  endpoint: ReadEndpoint;
  query: URLSearchParams;
}

function parseItems(body: unknown): Item[] {
  const parsed = BatchBody.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ApiError('VALIDATION', {
      detail: parsed.error.issues.map((i) => ({ field: i.path.length ? i.path.map(String) : ['requests'], message: i.message })),
    });
  }
  return parsed.data.requests.map(({ path }, index) => {
    const [rawPath = '', rawQuery = ''] = path.split('?', 2);
    const endpoint = readEndpointFor(rawPath);
    if (!endpoint) {
      throw new ApiError('VALIDATION', { detail: [{ field: ['requests', String(index), 'path'], message: `unknown path ${rawPath}` }] });
    }
    return { path: endpoint.path, endpoint, query: new URLSearchParams(rawQuery) };
  });
}

export interface ItemAnswer {
  path: string;
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Answers each item as its own request would be answered: 200 with its body and data headers, or
 * its error's status and envelope. Used by batch and by webhook deliveries, whose `data` mirrors it.
 */
export async function answerItems(
  input: Omit<ReadInput, 'query'>, items: Item[], requestId: string, onRefusal: (error: ApiError, cause: unknown, path: string) => void,
): Promise<ItemAnswer[]> {
  const answers: ItemAnswer[] = [];
  // One after another: each item spends the vehicle's budget as a request of its own would.
  for (const item of items) {
    try {
      const result = await item.endpoint.run({
        ...input,
        query: (...names) => names.map((n) => item.query.get(n) ?? undefined).find((v) => v !== undefined && v !== ''),
      });
      answers.push({ path: item.path, code: 200, body: result.body, headers: result.headers });
    } catch (error) {
      const apiError = toApiError(error);
      onRefusal(apiError, error, item.path);
      // The Node SDK reads an item's content-type (and retry-after) before it will parse the error body.
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (apiError.options.retryAfterSeconds !== undefined) headers['retry-after'] = String(apiError.options.retryAfterSeconds);
      answers.push({ path: item.path, code: apiError.statusCode, body: envelope(apiError, requestId), headers });
    }
  }
  return answers;
}

/** Items for plain paths (no query), e.g. a webhook's data points. */
export function itemsFor(paths: string[]): Item[] {
  return paths.flatMap((path) => {
    const endpoint = readEndpointFor(path);
    return endpoint ? [{ path: endpoint.path, endpoint, query: new URLSearchParams() }] : [];
  });
}

export const openapi: readonly ApiOperation[] = [v2Operation({
  method: 'post', path: '/v2.0/vehicles/:id/batch', tag: 'Vehicle data', summary: 'Several reads answered together',
  description: 'Answered 200 even when items fail: each item carries its own code, headers and body (an error envelope when it failed).',
  credentials: ['accessToken'],
  headers: UNIT_SYSTEM_HEADER,
  body: BatchBody,
  responses: {
    200: {
      description: 'One answer per requested path, in order.',
      body: z.object({
        responses: z.array(z.object({
          path: z.string(), code: z.number().int(), body: z.unknown(), headers: z.record(z.string(), z.string()),
        })),
      }),
    },
  },
  errors: VEHICLE_ERRORS,
})];

export function registerVehicleBatch(app: FastifyInstance, deps: ApiDeps): void {
  app.post('/v2.0/vehicles/:id/batch', async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const context = await authenticate(deps, request);
    const vehicle = await accessibleVehicle(deps, context, request.params.id);
    const units = unitSystemOf(request);
    const items = parseItems(request.body);
    const responses = await answerItems({ deps, context, vehicle, units }, items, String(request.id),
      (apiError, cause, path) => logRefusal(request, apiError, cause, { path }));
    return { responses };
  });
}
