/**
 * The console's apps and their connected vehicles: list and create apps, rotate the client secret
 * and the management token, edit redirect URIs, page through connected vehicles and disconnect one.
 * Each runs through the same services as the CLI and the management API.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { envSnippet, MAX_KEEP_PREVIOUS_HOURS, type AppService, type TokenService } from '../oauth/index.js';
import type { VehicleService } from '../vehicles/index.js';
import { BODY_LIMIT, parsed, type ConsoleContext } from './context.js';

export interface AppRoutesDeps {
  apps: AppService;
  /** Connections (grants) of an app, as the management API lists and ends them. */
  tokens: TokenService;
  vehicles: VehicleService;
}

const MAX_REDIRECT_URIS = 20;
const redirectUris = z.array(z.string().min(1).max(2048)).min(1).max(MAX_REDIRECT_URIS);
const newAppBody = z.object({ name: z.string().trim().min(1).max(200), redirectUris, publicClient: z.boolean().optional() });
const redirectUrisBody = z.object({ redirectUris });
const rotationBody = z.object({ keepPreviousHours: z.number().min(0).max(MAX_KEEP_PREVIOUS_HOURS).optional() }).optional();
const DEFAULT_KEEP_PREVIOUS_HOURS = 24;

type AppParams = { Params: { clientId: string } };

export function registerAppRoutes(api: FastifyInstance, ctx: ConsoleContext, deps: AppRoutesDeps): void {
  api.get('/console/api/apps', async (request) => {
    const session = await ctx.signedIn(request);
    const mine = await ctx.appsOf(session);
    return {
      apps: mine.map(({ app: a, role }) => ({
        clientId: a.id, name: a.name, redirectUris: a.redirectUris, publicClient: a.publicClient, createdAt: a.createdAt, role,
      })),
    };
  });

  /** One app as its page shows it, with the role the developer holds on it. */
  api.get<AppParams>('/console/api/apps/:clientId', async (request) => {
    const { app, role } = await ctx.appFor(request, request.params.clientId, 'viewer');
    return { clientId: app.id, name: app.name, redirectUris: app.redirectUris, publicClient: app.publicClient, createdAt: app.createdAt, role };
  });

  api.post('/console/api/apps', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const session = await ctx.signedIn(request);
    const body = parsed(newAppBody, request.body);
    const created = await deps.apps.create({
      name: body.name, redirectUris: body.redirectUris, publicClient: body.publicClient ?? false, ownerUserId: session.user.id,
    });
    reply.code(201);
    return {
      ...created,
      env: envSnippet({
        clientId: created.clientId, ...(!created.publicClient && { clientSecret: created.clientSecret }),
        redirectUri: created.redirectUris[0]!, origin: ctx.originOf(request),
      }),
    };
  });

  api.post<AppParams>('/console/api/apps/:clientId/secret', { bodyLimit: BODY_LIMIT }, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'owner');
    const keep = parsed(rotationBody, request.body)?.keepPreviousHours ?? DEFAULT_KEEP_PREVIOUS_HOURS;
    const rotated = await deps.apps.rotateSecret(app.id, keep * 3600);
    return {
      ...rotated,
      env: envSnippet({ clientId: app.id, clientSecret: rotated.clientSecret, redirectUri: app.redirectUris[0]!, origin: ctx.originOf(request) }),
    };
  });

  api.post<AppParams>('/console/api/apps/:clientId/management-token', { bodyLimit: BODY_LIMIT }, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'owner');
    const keep = parsed(rotationBody, request.body)?.keepPreviousHours ?? DEFAULT_KEEP_PREVIOUS_HOURS;
    return deps.apps.rotateManagementToken(app.id, keep);
  });

  api.put<AppParams>('/console/api/apps/:clientId/redirect-uris', { bodyLimit: BODY_LIMIT }, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'owner');
    const body = parsed(redirectUrisBody, request.body);
    await deps.apps.setRedirectUris(app.id, body.redirectUris);
    return { redirectUris: body.redirectUris };
  });
}
