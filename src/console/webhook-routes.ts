/**
 * The console's webhooks: list an app's webhooks with their health, create one (the management
 * API's definition, checked by the same code) and verify it, delete it, its subscribed vehicles, its
 * deliveries with every attempt, redeliver a dead-lettered one and resume a paused webhook. Each
 * runs through the webhook service the management API and the CLI use.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isUuid } from '../core/index.js';
import { definitionOf, describeWebhook, WebhookDefinitionBody, WebhookDefinitionError } from '../management/index.js';
import type { VehicleService } from '../vehicles/index.js';
import { WebhookNotFoundError, type WebhookService } from '../webhooks/index.js';
import { BODY_LIMIT, parsed, type ConsoleContext } from './context.js';
import { Refusal } from './refusals.js';

export interface WebhookRoutesDeps {
  webhooks: WebhookService;
  vehicles: VehicleService;
}

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** The offset of the page, as the previous page's `next` gave it. */
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

type WebhookParams = { Params: { clientId: string; webhookId: string } };
type DeliveryParams = { Params: { clientId: string; webhookId: string; deliveryId: string } };

const NOT_FOUND = () => new Refusal(404, 'not_found', 'This app has no webhook with that id.');
const NO_DELIVERY = () => new Refusal(404, 'not_found', 'This app has no such webhook or delivery.');

/** The service's answer, its misses as the console's 404 and a definition it refuses as 400. */
async function served<T>(work: () => Promise<T>, notFound = NOT_FOUND): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WebhookNotFoundError) throw notFound();
    if (error instanceof WebhookDefinitionError) throw new Refusal(400, 'invalid_request', `${error.field}: ${error.message}.`);
    throw error;
  }
}

/** Ids are UUIDs: anything else names nothing (and is never looked up). */
function uuid(id: string): string {
  if (!isUuid(id)) throw NOT_FOUND();
  return id.toLowerCase();
}

export function registerWebhookRoutes(api: FastifyInstance, ctx: ConsoleContext, deps: WebhookRoutesDeps): void {
  const base = '/console/api/apps/:clientId/webhooks';

  api.get<{ Params: { clientId: string } }>(base, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    return { webhooks: (await deps.webhooks.list(app.id)).map(describeWebhook) };
  });

  /** Creating sends the VERIFY challenge: the webhook is active only if the receiver answered it right. */
  api.post<{ Params: { clientId: string } }>(base, { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'developer');
    const definition = await served(async () => definitionOf(parsed(WebhookDefinitionBody, request.body ?? {})));
    const { webhook, verification } = await deps.webhooks.create(app.id, definition);
    reply.code(201);
    return { ...describeWebhook(webhook), ...(verification.reason && { verification: verification.reason }) };
  });

  api.get<WebhookParams>(`${base}/:webhookId`, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    return describeWebhook(await served(() => deps.webhooks.find(app.id, uuid(request.params.webhookId))));
  });

  api.post<WebhookParams>(`${base}/:webhookId/verify`, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'developer');
    const result = await served(() => deps.webhooks.reverify(app.id, uuid(request.params.webhookId)));
    return { status: result.ok ? 'active' : 'pending', ...(result.reason && { verification: result.reason }) };
  });

  api.delete<WebhookParams>(`${base}/:webhookId`, async (request, reply) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'developer');
    await served(() => deps.webhooks.remove(app.id, uuid(request.params.webhookId)));
    return reply.code(204).send();
  });

  /** Resume a paused webhook: the deliveries that waited go out at once. */
  api.post<WebhookParams>(`${base}/:webhookId/resume`, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'developer');
    const resumed = await served(() => deps.webhooks.resume(app.id, uuid(request.params.webhookId)));
    if (!resumed) throw new Refusal(409, 'not_paused', 'This webhook is not paused.');
    return describeWebhook(await deps.webhooks.find(app.id, uuid(request.params.webhookId)));
  });

  api.get<WebhookParams>(`${base}/:webhookId/vehicles`, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    const query = parsed(pageQuery, request.query);
    const rows = await served(() => deps.webhooks.subscriptions(app.id, uuid(request.params.webhookId), query.limit + 1, query.offset));
    const vehicles = await Promise.all(rows.slice(0, query.limit).map(async (s) => {
      const vehicle = await deps.vehicles.find(s.vehicleId);
      return { vehicleId: s.vehicleId, make: vehicle?.make ?? null, model: vehicle?.model ?? null, vin: vehicle?.vin ?? null, since: s.since };
    }));
    return { vehicles, next: rows.length > query.limit ? query.offset + query.limit : null };
  });

  /** Deliveries newest first, a page at a time, each with every attempt (time, status, latency, the answer's start). */
  api.get<WebhookParams>(`${base}/:webhookId/deliveries`, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    const query = parsed(pageQuery, request.query);
    const rows = await served(() => deps.webhooks.history(app.id, uuid(request.params.webhookId), query.limit + 1, query.offset));
    return { deliveries: rows.slice(0, query.limit), next: rows.length > query.limit ? query.offset + query.limit : null };
  });

  /** Redeliver: the dead-lettered delivery itself rejoins its queue, with the same event id. */
  api.post<DeliveryParams>(`${base}/:webhookId/deliveries/:deliveryId/redeliver`, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'developer');
    const { webhookId, deliveryId } = request.params;
    if (!isUuid(deliveryId)) throw NO_DELIVERY();
    const queued = await served(() => deps.webhooks.redeliver(app.id, uuid(webhookId), deliveryId.toLowerCase()), NO_DELIVERY);
    if (!queued) throw new Refusal(409, 'not_dead_lettered', 'Only a dead-lettered delivery can be redelivered.');
    return { status: 'queued' };
  });
}
