/**
 * Subscribing a vehicle to a webhook, exactly as the SDKs call it (spec §3.19): POST with the
 * owner's access token; DELETE with the application management token as a Bearer credential.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiOperation } from '../core/index.js';
import type { AppService } from '../oauth/index.js';
import { WebhookNotFoundError, type WebhookService } from '../webhooks/index.js';
import { ApiError } from './errors/index.js';
import { chargeManagementBudget } from './management-budget.js';
import { StatusSuccess, v2Operation } from './openapi-parts.js';
import { readEndpointFor } from './read-endpoints.js';
import { accessibleVehicle, authenticate, bearerToken, requirePermission, type ApiDeps } from './vehicle-access.js';

type Params = FastifyRequest<{ Params: { id: string; webhookId: string } }>;

export const openapi: readonly ApiOperation[] = [
  v2Operation({
    method: 'post', path: '/v2.0/vehicles/:id/webhooks/:webhookId', tag: 'Webhooks', summary: 'Subscribe the vehicle to a webhook',
    credentials: ['accessToken'],
    responses: { 200: { description: 'Subscribed.', body: z.object({ webhookId: z.string(), vehicleId: z.string() }) } },
    errors: [400, 401, 403, 404, 429, 500],
  }),
  v2Operation({
    method: 'delete', path: '/v2.0/vehicles/:id/webhooks/:webhookId', tag: 'Webhooks', summary: 'Unsubscribe the vehicle from a webhook',
    credentials: ['managementBearer'],
    responses: { 200: { description: 'Unsubscribed.', body: StatusSuccess } },
    errors: [401, 404, 429, 500],
  }),
];

export function registerVehicleWebhooks(app: FastifyInstance, deps: ApiDeps & { apps: AppService; webhooks: WebhookService }): void {
  app.post('/v2.0/vehicles/:id/webhooks/:webhookId', async (request: Params) => {
    const context = await authenticate(deps, request);
    const vehicle = await accessibleVehicle(deps, context, request.params.id);
    let webhook;
    try {
      webhook = await deps.webhooks.find(context.appId, request.params.webhookId);
    } catch (error) {
      if (error instanceof WebhookNotFoundError) {
        throw new ApiError('VALIDATION', { detail: [{ field: 'webhook_id', message: 'no such webhook for this application' }] });
      }
      throw error;
    }
    // A v2.0 delivery replays its data points' endpoints, so the grant must cover them; a v4.0 one
    // delivers a signal the grant does not cover as a PERMISSION error, as Smartcar's do.
    if (webhook.version !== '4.0') {
      for (const path of webhook.data) requirePermission(context, vehicle.id, readEndpointFor(path)?.permission ?? null);
    }
    try {
      await deps.webhooks.subscribe(context.appId, webhook.id, vehicle.id);
    } catch (error) {
      if (error instanceof WebhookNotFoundError) throw new ApiError('VALIDATION', { detail: [{ field: 'webhook_id', message: error.message }] });
      throw error;
    }
    return { webhookId: webhook.id, vehicleId: vehicle.id };
  });

  app.delete('/v2.0/vehicles/:id/webhooks/:webhookId', async (request: Params) => {
    const token = bearerToken(request);
    const owner = token ? await deps.apps.byManagementToken(token) : undefined;
    if (!owner) throw new ApiError('AUTHENTICATION');
    const charging = chargeManagementBudget(request, owner.id);
    if (charging) await charging;
    try {
      await deps.webhooks.unsubscribe(owner.id, request.params.webhookId, request.params.id.toLowerCase());
    } catch (error) {
      if (error instanceof WebhookNotFoundError) throw new ApiError('RESOURCE_NOT_FOUND.PATH');
      throw error;
    }
    return { status: 'success' };
  });
}
