/** GET /oauth/authorize and GET /oauth/reauthenticate: check the request, open an interaction, send the owner on. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ConnectRedirectError, parseAuthorizeRequest, parseReauthenticateRequest, type AuthorizeRequest,
} from './authorize-request.js';
import type { ConnectDeps } from './connect-deps.js';
import { sendPage, setConnectHeaders } from './html.js';
import { errorPage } from './pages.js';
import { INTERACTION_MINUTES, setSessionCookie } from './session.js';
import { failureReply } from './steps.js';

type Query = Record<string, string | string[] | undefined>;

/** The brand a VIN's manufacturer code belongs to, if it is one of the listed brands. */
function brandOfVin(deps: ConnectDeps, vin: string | null, mode: string): string | null {
  if (!vin) return null;
  return deps.brandsFor(mode, null).find((b) => b.wmis.includes(vin.slice(0, 3)))?.make ?? null;
}

async function open(deps: ConnectDeps, request: FastifyRequest, reply: FastifyReply, authorize: AuthorizeRequest, make: string | null, next: string) {
  const now = deps.clock.now();
  const id = randomBytes(24).toString('base64url');
  await deps.interactions.insert({
    id, appId: authorize.appId, request: JSON.stringify(authorize), make, accountId: null, vehicleIds: null,
    signInFailures: 0, createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INTERACTION_MINUTES * 60_000).toISOString(), finishedAt: null,
  });
  setSessionCookie(request, reply, id);
  setConnectHeaders(reply);
  return reply.redirect(`/connect/${id}${next}`, 303);
}

/**
 * Every start stores an interaction, so starts are limited per client address (as the trusted proxy
 * saw it); past the budget, a 429 page with Retry-After. Answers null when the start may go on.
 */
async function refusedStart(deps: ConnectDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | null> {
  const taken = deps.startLimiter.take(request.ip, deps.clock.now().getTime());
  const wait = typeof taken === 'number' ? taken : await taken;
  if (wait === 0) return null;
  reply.header('retry-after', String(wait));
  return sendPage(reply, { title: 'Too many requests', status: 429 },
    errorPage(`Too many sign-in sessions were started from your network. Try again in ${wait} seconds.`, null));
}

export function registerStartRoutes(app: FastifyInstance, deps: ConnectDeps): void {
  app.get('/oauth/authorize', async (request, reply) => {
    const refused = await refusedStart(deps, request, reply);
    if (refused) return refused;
    try {
      const authorize = await parseAuthorizeRequest(deps.apps, request.query as Query);
      const brands = deps.brandsFor(authorize.mode, authorize.country);
      // single_select_vin decodes to its brand and wins over make (spec §1.1).
      const make = brandOfVin(deps, authorize.singleSelectVin, authorize.mode)
        ?? brands.find((b) => b.make === authorize.make)?.make ?? null;
      // Counted before the redirect is sent. A re-authentication has no vehicle or permission
      // step: the funnel follows first connections only.
      await deps.funnel.count(authorize.appId, 'started');
      if (make !== null) await deps.funnel.count(authorize.appId, 'brand');
      return await open(deps, request, reply, authorize, make, '');
    } catch (error) {
      return failureReply(deps, request, reply, null, error);
    }
  });

  app.get('/oauth/reauthenticate', async (request, reply) => {
    const refused = await refusedStart(deps, request, reply);
    if (refused) return refused;
    try {
      const authorize = await parseReauthenticateRequest(deps.apps, request.query as Query);
      const vehicle = await deps.vehicles.find(authorize.vehicleId!);
      const granted = vehicle && (await deps.tokens.scopesOf(authorize.appId, vehicle.accountId, vehicle.id)) !== undefined;
      if (!vehicle || !granted) {
        const error = new ConnectRedirectError('invalid_request', 'The vehicle is not connected to this application.');
        error.target = authorize;
        throw error;
      }
      // A live car signs in again through its provider, listed under the provider's brand, not the car's make.
      const make = vehicle.mode === 'live' ? deps.liveSignIns.find((l) => l.provider === vehicle.provider)?.signIn.brand.make ?? vehicle.make : vehicle.make;
      return await open(deps, request, reply, { ...authorize, mode: vehicle.mode as AuthorizeRequest['mode'] }, make, '/sign-in');
    } catch (error) {
      return failureReply(deps, request, reply, null, error);
    }
  });
}
