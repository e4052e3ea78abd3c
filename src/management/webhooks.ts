/**
 * /v2.0/management/webhooks: an app's webhook definitions behind its management token. Creating
 * one sends the VERIFY challenge; the answer says whether the webhook is active.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../api/index.js';
import { SIGNAL_PATHS } from '../api/index.js';
import { readEndpointFor } from '../api/read-endpoints.js';
import { boundedInt, queryValue } from '../api/request.js';
import type { AppService } from '../oauth/index.js';
import type { WebhookRecord } from '../store/index.js';
import { TRIGGERS, WebhookNotFoundError, type WebhookService } from '../webhooks/index.js';
import { authenticateManagement } from './management-auth.js';

export interface WebhookManagementDeps {
  apps: AppService;
  webhooks: WebhookService;
}

/** How large a webhook definition may be, wherever it is created (management API or CLI). */
export const WEBHOOK_LIMITS = Object.freeze({ urlLength: 2048, nameLength: 200, triggers: 50, dataPaths: 20, dataPathLength: 200 });

const CreateBody = z.object({
  name: z.string().min(1).max(WEBHOOK_LIMITS.nameLength).default('Webhook'),
  url: z.string().max(WEBHOOK_LIMITS.urlLength, { abort: true }).url().refine((u) => /^https?:/.test(u), 'must be an http(s) URL'),
  type: z.enum(['scheduled', 'event']),
  intervalSeconds: z.number().int().min(60).max(7 * 86_400).optional(),
  triggers: z.array(z.enum(TRIGGERS)).min(1).max(WEBHOOK_LIMITS.triggers).optional(),
  data: z.array(z.string().max(WEBHOOK_LIMITS.dataPathLength)).max(WEBHOOK_LIMITS.dataPaths).default([]),
  version: z.enum(['2.0', '4.0']).default('2.0'),
}).refine((b) => b.type !== 'event' || b.triggers !== undefined, { message: 'an event webhook needs triggers', path: ['triggers'] });

/** Why a webhook cannot use this payload format, or null. `paths` are canonical data paths. */
export function formatProblem(version: string, type: string, paths: string[]): { field: string; message: string } | null {
  if (version !== '4.0') return null;
  if (type !== 'event') return { field: 'version', message: 'the v4.0 format is for event webhooks; scheduled webhooks deliver in 2.0' };
  const missing = paths.filter((p) => !SIGNAL_PATHS.includes(p));
  if (missing.length > 0) {
    return { field: 'data', message: `no v4.0 signal for ${missing.join(', ')}; v4.0 webhooks carry ${SIGNAL_PATHS.join(', ')}` };
  }
  return null;
}

export function describeWebhook(w: WebhookRecord) {
  return {
    webhookId: w.id, name: w.name, url: w.url, type: w.type, intervalSeconds: w.intervalSeconds, triggers: w.triggers,
    data: w.data, version: w.version, status: w.status, createdAt: w.createdAt,
  };
}

/** Data paths in their canonical form; an unknown path is the caller's error. */
export function canonicalPaths(paths: string[]): string[] {
  return paths.map((path, i) => {
    const endpoint = readEndpointFor(path);
    if (!endpoint || endpoint.permission === null) {
      throw new ApiError('VALIDATION', { detail: [{ field: ['data', String(i)], message: `not a data path: ${path}` }] });
    }
    return endpoint.path;
  });
}

type ById = FastifyRequest<{ Params: { id: string } }>;
type ByDelivery = FastifyRequest<{ Params: { id: string; deliveryId: string } }>;

export function registerWebhookManagement(app: FastifyInstance, deps: WebhookManagementDeps): void {
  const owner = (request: FastifyRequest) => authenticateManagement(deps.apps, request);
  const found = async <T>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof WebhookNotFoundError) throw new ApiError('RESOURCE_NOT_FOUND.PATH');
      throw error;
    }
  };

  app.post('/v2.0/management/webhooks', async (request) => {
    const dev = await owner(request);
    const parsed = CreateBody.safeParse(request.body ?? {});
    if (!parsed.success) {
      throw new ApiError('VALIDATION', { detail: parsed.error.issues.map((i) => ({ field: i.path.map(String), message: i.message })) });
    }
    const data = canonicalPaths(parsed.data.data);
    const problem = formatProblem(parsed.data.version, parsed.data.type, data);
    if (problem) throw new ApiError('VALIDATION', { detail: [{ field: [problem.field], message: problem.message }] });
    const { webhook, verification } = await deps.webhooks.create(dev.id, { ...parsed.data, data });
    return { ...describeWebhook(webhook), ...(verification.reason && { verification: verification.reason }) };
  });

  app.get('/v2.0/management/webhooks', async (request) => {
    const dev = await owner(request);
    return { webhooks: (await deps.webhooks.list(dev.id)).map(describeWebhook) };
  });

  app.get('/v2.0/management/webhooks/:id', async (request: ById) => {
    const dev = await owner(request);
    return found(async () => ({
      ...describeWebhook(await deps.webhooks.find(dev.id, request.params.id)),
      vehicles: await deps.webhooks.subscribedVehicles(dev.id, request.params.id),
    }));
  });

  app.get('/v2.0/management/webhooks/:id/deliveries', async (request: ById) => {
    const dev = await owner(request);
    const limit = boundedInt(queryValue(request, 'limit'), 'limit', 50, 1, 500);
    return found(async () => ({ deliveries: await deps.webhooks.deliveries(dev.id, request.params.id, limit) }));
  });

  app.get('/v2.0/management/webhooks/:id/deliveries/:deliveryId', async (request: ByDelivery) => {
    const dev = await owner(request);
    return found(() => deps.webhooks.delivery(dev.id, request.params.id, request.params.deliveryId));
  });

  app.post('/v2.0/management/webhooks/:id/deliveries/:deliveryId/redeliver', async (request: ByDelivery) => {
    const dev = await owner(request);
    const queued = await found(() => deps.webhooks.redeliver(dev.id, request.params.id, request.params.deliveryId));
    if (!queued) throw new ApiError('VALIDATION', { detail: [{ field: 'deliveryId', message: 'only a dead-lettered delivery can be redelivered' }] });
    return { status: 'success' };
  });

  app.post('/v2.0/management/webhooks/:id/verify', async (request: ById) => {
    const dev = await owner(request);
    const result = await found(() => deps.webhooks.reverify(dev.id, request.params.id));
    return { status: result.ok ? 'active' : 'pending', ...(result.reason && { verification: result.reason }) };
  });
}
