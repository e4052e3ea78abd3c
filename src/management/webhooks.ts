/**
 * /v2.0/management/webhooks: an app's webhook definitions behind its management token. Creating
 * one sends the VERIFY challenge; the answer says whether the webhook is active.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError, managementOperation, PATH_SIGNALS, signalsOfPath, StatusSuccess } from '../api/index.js';
import { readEndpointFor } from '../api/read-endpoints.js';
import { boundedInt, queryValue } from '../api/request.js';
import { signalSpec, SIGNAL_CODES, type ApiOperation } from '../core/index.js';
import type { AppService } from '../oauth/index.js';
import type { WebhookRecord } from '../store/index.js';
import { triggersProblem, WebhookNotFoundError, type NewWebhook, type WebhookService } from '../webhooks/index.js';
import { authenticateManagement } from './management-auth.js';

export interface WebhookManagementDeps {
  apps: AppService;
  webhooks: WebhookService;
}

/**
 * How large a webhook definition may be, wherever it is created (management API or CLI). A v2.0
 * webhook replays at most `dataPaths` endpoints; a v4.0 one may name up to `dataSignals` entries,
 * enough for every catalog signal.
 */
export const WEBHOOK_LIMITS = Object.freeze({
  urlLength: 2048, nameLength: 200, triggers: 50, triggerLength: 64, dataPaths: 20, dataSignals: 100, dataPathLength: 200,
});

/** A webhook definition as every caller sends it (management API, console). */
export const WebhookDefinitionBody = z.object({
  name: z.string().min(1).max(WEBHOOK_LIMITS.nameLength).default('Webhook'),
  url: z.string().max(WEBHOOK_LIMITS.urlLength, { abort: true }).url().refine((u) => /^https?:/.test(u), 'must be an http(s) URL'),
  type: z.enum(['scheduled', 'event']),
  intervalSeconds: z.number().int().min(60).max(7 * 86_400).optional(),
  triggers: z.array(z.string().max(WEBHOOK_LIMITS.triggerLength)).min(1).max(WEBHOOK_LIMITS.triggers).optional(),
  data: z.array(z.string().max(WEBHOOK_LIMITS.dataPathLength)).max(WEBHOOK_LIMITS.dataSignals).default([]),
  version: z.enum(['2.0', '4.0']).default('2.0'),
}).refine((b) => b.type !== 'event' || b.triggers !== undefined, { message: 'an event webhook needs triggers', path: ['triggers'] });

/** A definition the caller got wrong: which field, and what would be right. */
export class WebhookDefinitionError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** The v2 data paths (canonical) a webhook may carry. */
const DATA_PATHS = Object.keys(PATH_SIGNALS);

/** A data entry in canonical form (a catalog code, or a v2 path as the endpoints spell it), or null. */
function canonicalEntry(version: string, entry: string): string | null {
  if (version === '4.0' && signalSpec(entry)) return entry;
  const path = readEndpointFor(entry)?.path;
  const signals = path === undefined ? undefined : signalsOfPath(path);
  if (!signals || (version === '4.0' && signals.length === 0)) return null;
  return path!;
}

/**
 * Checks a definition the same way for every caller and answers its data in canonical form; throws
 * WebhookDefinitionError naming the field and listing what is valid.
 */
export function checkedDefinition(input: { version: string; type: string; data: string[]; triggers?: string[] }): { data: string[] } {
  const { version, type, data, triggers } = input;
  if (version === '4.0' && type !== 'event') {
    throw new WebhookDefinitionError('version', 'the v4.0 format is for event webhooks; scheduled webhooks deliver in 2.0');
  }
  if (version !== '4.0' && data.length > WEBHOOK_LIMITS.dataPaths) {
    throw new WebhookDefinitionError('data', `a v2.0 webhook carries at most ${WEBHOOK_LIMITS.dataPaths} data points`);
  }
  const canonical = data.map((entry) => canonicalEntry(version, entry));
  const bad = data.filter((_, i) => canonical[i] === null);
  if (bad.length > 0) {
    const v4Paths = DATA_PATHS.filter((p) => PATH_SIGNALS[p]!.length > 0);
    throw new WebhookDefinitionError('data', version === '4.0'
      ? `no v4.0 signal for ${bad.join(', ')}; v4.0 webhooks carry signal codes (${SIGNAL_CODES.join(', ')}) or the data paths ${v4Paths.join(', ')}`
      : `not a data path: ${bad.join(', ')}; v2.0 webhooks carry ${DATA_PATHS.join(', ')}`);
  }
  const problem = triggers && triggersProblem(version, triggers);
  if (problem) throw new WebhookDefinitionError('triggers', problem);
  return { data: canonical as string[] };
}

/** A parsed definition checked and in canonical form, ready for the service; throws WebhookDefinitionError. */
export function definitionOf(body: z.infer<typeof WebhookDefinitionBody>): NewWebhook {
  return { ...body, ...checkedDefinition(body) };
}

/** A webhook as callers see it; `paused` (since when, the last dead-lettered delivery's error) while it is paused for failing. */
export function describeWebhook(w: WebhookRecord) {
  return {
    webhookId: w.id, name: w.name, url: w.url, type: w.type, intervalSeconds: w.intervalSeconds, triggers: w.triggers,
    data: w.data, version: w.version, status: w.status, createdAt: w.createdAt, paused: w.paused,
  };
}

const WebhookBody = z.object({
  webhookId: z.string(),
  name: z.string(),
  url: z.string(),
  type: z.enum(['scheduled', 'event']),
  intervalSeconds: z.number().int().nullable(),
  triggers: z.array(z.string()).nullable(),
  data: z.array(z.string()),
  version: z.enum(['2.0', '4.0']),
  status: z.string(),
  createdAt: z.string(),
  paused: z.object({ since: z.string(), reason: z.string() }).nullable(),
}).meta({ id: 'Webhook' });

const DeliveryBody = z.object({
  deliveryId: z.string(), eventId: z.string(), vehicleId: z.string(), status: z.string(), attempts: z.number().int(),
  createdAt: z.string(), deliveredAt: z.string().nullable(), nextAttemptAt: z.string().nullable(), lastError: z.string().nullable(),
});

const AttemptBody = z.object({
  startedAt: z.string(), statusCode: z.number().int().nullable(), latencyMs: z.number().nullable(), error: z.string().nullable(),
  response: z.string().nullable(),
});

const verification = z.string().optional().describe('Why the VERIFY challenge failed, when it did.');

const op = (method: 'get' | 'post' | 'delete', path: string, summary: string, body: z.ZodType, extra: Partial<ApiOperation> = {}) =>
  managementOperation({
    method, path: `/v2.0/management/webhooks${path}`, tag: 'Webhooks', summary, credentials: ['managementToken'],
    responses: { 200: { description: 'Done.', body } }, errors: [400, 401, 404, 429, 500], ...extra,
  });

export const openapi: readonly ApiOperation[] = [
  op('post', '', 'Create a webhook (sends the VERIFY challenge)', WebhookBody.extend({ verification }), { body: WebhookDefinitionBody }),
  op('get', '', 'The app\'s webhooks', z.object({ webhooks: z.array(WebhookBody) })),
  op('get', '/:id', 'One webhook with its subscribed vehicles', WebhookBody.extend({ vehicles: z.array(z.string()) })),
  op('get', '/:id/deliveries', 'Its latest deliveries', z.object({ deliveries: z.array(DeliveryBody) }), {
    query: z.object({ limit: z.number().int().min(1).max(500).optional().describe('50 unless given.') }),
  }),
  op('get', '/:id/deliveries/:deliveryId', 'One delivery with its body and attempts', z.object({
    deliveryId: z.string(), eventId: z.string(), status: z.string(), body: z.unknown(), attempts: z.array(AttemptBody),
  })),
  op('post', '/:id/deliveries/:deliveryId/redeliver', 'Send a dead-lettered delivery again', StatusSuccess),
  op('delete', '/:id', 'Delete a webhook', StatusSuccess),
  op('post', '/:id/resume', 'Resume a paused webhook', StatusSuccess),
  op('post', '/:id/verify', 'Send the VERIFY challenge again', z.object({ status: z.enum(['active', 'pending']), verification })),
];

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
    const parsed = WebhookDefinitionBody.safeParse(request.body ?? {});
    if (!parsed.success) {
      throw new ApiError('VALIDATION', { detail: parsed.error.issues.map((i) => ({ field: i.path.map(String), message: i.message })) });
    }
    let definition: NewWebhook;
    try {
      definition = definitionOf(parsed.data);
    } catch (error) {
      if (error instanceof WebhookDefinitionError) throw new ApiError('VALIDATION', { detail: [{ field: [error.field], message: error.message }] });
      throw error;
    }
    const { webhook, verification } = await deps.webhooks.create(dev.id, definition);
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

  app.delete('/v2.0/management/webhooks/:id', async (request: ById) => {
    const dev = await owner(request);
    await found(() => deps.webhooks.remove(dev.id, request.params.id));
    return { status: 'success' };
  });

  app.post('/v2.0/management/webhooks/:id/resume', async (request: ById) => {
    const dev = await owner(request);
    const resumed = await found(() => deps.webhooks.resume(dev.id, request.params.id));
    if (!resumed) throw new ApiError('VALIDATION', { detail: [{ field: 'id', message: 'only a paused webhook can be resumed' }] });
    return { status: 'success' };
  });

  app.post('/v2.0/management/webhooks/:id/verify', async (request: ById) => {
    const dev = await owner(request);
    const result = await found(() => deps.webhooks.reverify(dev.id, request.params.id));
    return { status: result.ok ? 'active' : 'pending', ...(result.reason && { verification: result.reason }) };
  });
}
