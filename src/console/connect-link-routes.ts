/**
 * The Connect link builder and the consent preview: from a mode, an optional brand, the chosen
 * permissions (Smartcar's scope syntax, `required:` marking the ones an owner cannot untick), a
 * redirect URI and a state, the authorize URL an app sends owners to and the grant screen it shows.
 * Built by Connect's own module, so the link and the preview are what Connect reads and renders.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseScope, PERMISSIONS } from '../core/index.js';
import { connectLink, consentPreview, PERMISSION_TEXT } from '../connect/index.js';
import { parsed, type ConsoleContext } from './context.js';
import { Refusal } from './refusals.js';

const MODES = ['live', 'simulated', 'test'] as const;

export interface ConnectLinkRoutesDeps {
  /** The brands Connect lists for a mode (any country). */
  brandsFor(mode: string): readonly { make: string; displayName: string }[];
  /** CONNECT_URL without its trailing slash, when Connect has an origin of its own. */
  connectOrigin: string | null;
}

const linkQuery = z.object({
  mode: z.enum(MODES).default('live'),
  make: z.string().max(64).regex(/^[A-Za-z0-9_-]*$/, 'a brand is letters, digits, - and _').optional(),
  scope: z.string().max(2048),
  redirectUri: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
});

export function registerConnectLinkRoutes(api: FastifyInstance, ctx: ConsoleContext, deps: ConnectLinkRoutesDeps): void {
  /** What the builder offers: every permission in Connect's words, and each mode's brands. */
  api.get('/console/api/connect-options', async (request) => {
    await ctx.signedIn(request);
    return {
      permissions: PERMISSIONS.map((p) => ({ permission: p, text: PERMISSION_TEXT[p] })),
      makes: Object.fromEntries(MODES.map((m) => [m, deps.brandsFor(m).map((b) => ({ make: b.make, displayName: b.displayName }))])),
    };
  });

  api.get<{ Params: { clientId: string } }>('/console/api/apps/:clientId/connect-link', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    const query = parsed(linkQuery, request.query);
    const scope = parseScope(query.scope);
    if (scope.unknown.length > 0) throw new Refusal(400, 'invalid_request', `Unknown permission: ${scope.unknown.join(' ')}.`);
    if (scope.permissions.length === 0) throw new Refusal(400, 'invalid_request', 'Choose at least one permission.');
    const redirectUri = query.redirectUri ?? app.redirectUris[0]!;
    if (!app.redirectUris.includes(redirectUri)) throw new Refusal(400, 'invalid_request', 'That redirect URI is not registered for the app.');
    const make = query.make ? query.make.toUpperCase() : null;
    if (make && !deps.brandsFor(query.mode).some((b) => b.make === make)) {
      throw new Refusal(400, 'invalid_request', `Connect lists no brand ${make} in ${query.mode} mode.`);
    }
    return {
      url: connectLink({
        origin: deps.connectOrigin ?? ctx.originOf(request), clientId: app.id, redirectUri,
        permissions: scope.permissions, required: scope.required, mode: query.mode, make, state: query.state || null,
      }),
      consent: consentPreview(app.name, scope.permissions, scope.required),
      // A public client's link needs a code_challenge its own code makes for each owner (PKCE).
      needsPkce: app.publicClient,
    };
  });
}
