/**
 * POST /v2.0/management/token/rotate, with the current management token: issues a new one (shown
 * once) and keeps the replaced one working for `keepPreviousHours` (default 24, 0 ends it at
 * once), so receivers and backends can switch without a gap. Deliveries are signed with the new
 * token from this moment.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError, managementOperation } from '../api/index.js';
import type { ApiOperation } from '../core/index.js';
import { ManagementTokenRotationError, MAX_KEEP_PREVIOUS_HOURS, type AppService } from '../oauth/index.js';
import { authenticateManagement, presentedManagementToken } from './management-auth.js';

export interface TokenRotationDeps {
  apps: AppService;
}

const RotateBody = z.object({
  keepPreviousHours: z.number().min(0).max(MAX_KEEP_PREVIOUS_HOURS).default(24),
}).strict();

export const openapi: readonly ApiOperation[] = [managementOperation({
  method: 'post', path: '/v2.0/management/token/rotate', tag: 'Management token', summary: 'Rotate the management token',
  description: 'Issues a new token, shown once; the replaced one keeps working for keepPreviousHours.',
  credentials: ['managementToken'],
  body: RotateBody,
  responses: {
    200: {
      description: 'The new token.',
      body: z.object({ managementToken: z.string(), previousValidUntil: z.string().nullable() }),
      headers: { 'cache-control': 'no-store' },
    },
  },
  errors: [400, 401, 429, 500],
})];

export function registerManagementTokenRotation(app: FastifyInstance, deps: TokenRotationDeps): void {
  app.post('/v2.0/management/token/rotate', async (request, reply) => {
    const owner = await authenticateManagement(deps.apps, request);
    const parsed = RotateBody.safeParse(request.body ?? {});
    if (!parsed.success) {
      throw new ApiError('VALIDATION', { detail: parsed.error.issues.map((i) => ({ field: i.path.map(String), message: i.message })) });
    }
    try {
      const rotated = await deps.apps.rotateManagementToken(owner.id, parsed.data.keepPreviousHours, presentedManagementToken(request));
      reply.header('cache-control', 'no-store');
      return rotated;
    } catch (error) {
      // A replaced token still inside its window authenticates, but may not mint a successor.
      if (error instanceof ManagementTokenRotationError) {
        throw new ApiError('AUTHENTICATION', { challenge: 'Basic', description: 'Only the current management token can rotate it.' });
      }
      throw error;
    }
  });
}
