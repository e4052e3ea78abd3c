/**
 * The owner's JSON API under /account/api: a car owner signs in with the credentials Connect takes
 * for their cars, sees per vehicle each app that can reach it (permissions, since when), and
 * revokes any of them. Revoking ends the grant and the app's webhook subscriptions on the vehicle
 * together; the app's tokens stop reaching it at once on this node and within AUTH_CACHE_MS on
 * others. Simulated-mode owners sign in with the password `sim create` printed; live owners with
 * their provider's own fields, as in Connect (live-sign-in.ts); test-mode accounts take any
 * password, so they have no owner's page.
 *
 * The session is the signed cookie itself (`<account id>~<expiry ms>`, HttpOnly, SameSite=Strict,
 * scoped to /account, one hour): the page holds nothing an owner could lose but this list, and
 * nothing is stored. Changes carry a CSRF token derived from the cookie.
 */
import { createHmac } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isPermission, isUuid, type Clock, type RateLimiter } from '../core/index.js';
import type { TokenService } from '../oauth/index.js';
import { PERMISSION_TEXT, type LiveProvider } from '../connect/index.js';
import { answerRefusals, csrfMatches, Refusal, takeSignInAttempt } from '../console/refusals.js';
import { signInSimulated, type VehicleService } from '../vehicles/index.js';
import { LIVE_REFUSED, liveAccountId, liveCredentials, signInOptions } from './live-sign-in.js';

export const ACCOUNT_COOKIE = 'carport_account';
const SESSION_MS = 60 * 60 * 1000;
const BODY_LIMIT = 16 * 1024;

export interface AccountApiDeps {
  vehicles: VehicleService;
  tokens: TokenService;
  /** The live providers with their own sign-in, as Connect offers them. */
  liveSignIns: readonly LiveProvider[];
  /** Sign-in attempts per client IP. */
  signInLimiter: RateLimiter;
  clock: Clock;
  /** Key the cookie is signed with and CSRF tokens derived from. */
  key: string;
}

const credentials = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

const NOT_SIGNED_IN = () => new Refusal(401, 'not_signed_in', 'Sign in with your car account first.');

export async function registerAccountApi(app: FastifyInstance, deps: AccountApiDeps): Promise<void> {
  const csrfOf = (value: string) => createHmac('sha256', deps.key).update(`account-csrf:${value}`).digest('base64url');

  await app.register(async (api) => {
    await api.register(cookie, { secret: deps.key });

    answerRefusals(api, 'account API');

    /** The signed-in owner's account id (and the cookie's value); on a change, also its CSRF token. */
    function signedIn(request: FastifyRequest): { accountId: string; value: string } {
      const raw = request.cookies[ACCOUNT_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : undefined;
      const value = unsigned?.valid ? unsigned.value ?? '' : '';
      const [accountId, until] = value.split('~');
      if (!accountId || !until || !(Number(until) > deps.clock.now().getTime())) throw NOT_SIGNED_IN();
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        if (!csrfMatches(request.headers['x-csrf-token'], csrfOf(value))) {
          throw new Refusal(403, 'csrf', 'This request lacks the session\'s x-csrf-token header.');
        }
      }
      return { accountId, value };
    }

    /** The account the presented credentials open: a simulated owner's email and password, or a live provider's fields. */
    async function accountOf(body: unknown): Promise<string> {
      if (typeof body === 'object' && body !== null && 'provider' in body) {
        const live = liveCredentials.safeParse(body);
        if (!live.success) throw new Refusal(400, 'invalid_request', 'Expected a JSON object with provider and fields (each value at most 2,048 characters).');
        const accountId = await liveAccountId(deps.vehicles, deps.liveSignIns, live.data);
        if (!accountId) throw new Refusal(401, 'invalid_credentials', LIVE_REFUSED);
        return accountId;
      }
      const simulated = credentials.safeParse(body);
      if (!simulated.success) throw new Refusal(400, 'invalid_request', 'Expected a JSON object with email and password.');
      const accountId = await signInSimulated(deps.vehicles, simulated.data.email, simulated.data.password);
      if (!accountId) throw new Refusal(401, 'invalid_credentials', 'That email and password do not match a car account.');
      return accountId;
    }

    api.get('/account/api/sign-in-options', async () => signInOptions(deps.liveSignIns));

    api.post('/account/api/session', { bodyLimit: BODY_LIMIT }, async (request: FastifyRequest, reply: FastifyReply) => {
      const attempt = takeSignInAttempt(deps.signInLimiter, deps.clock, `account:${request.ip}`);
      if (attempt) await attempt;
      const accountId = await accountOf(request.body);
      const value = `${accountId}~${deps.clock.now().getTime() + SESSION_MS}`;
      reply.setCookie(ACCOUNT_COOKIE, value, {
        path: '/account', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', signed: true, maxAge: SESSION_MS / 1000,
      });
      return { userId: accountId, csrfToken: csrfOf(value) };
    });

    api.get('/account/api/session', async (request) => {
      const { accountId, value } = signedIn(request);
      return { userId: accountId, csrfToken: csrfOf(value) };
    });

    api.delete('/account/api/session', async (request, reply) => {
      signedIn(request);
      reply.clearCookie(ACCOUNT_COOKIE, { path: '/account' });
      return reply.code(204).send();
    });

    api.get('/account/api/vehicles', async (request) => {
      const { accountId } = signedIn(request);
      const [vehicles, grants] = await Promise.all([deps.vehicles.accountVehicles(accountId), deps.tokens.grantsOfAccount(accountId)]);
      return {
        vehicles: vehicles.map((v) => ({
          vehicleId: v.id, make: v.make, model: v.model, year: v.year, vin: v.vin,
          apps: grants.filter((g) => g.vehicleId === v.id).map((g) => ({
            appId: g.appId, name: g.appName, permissions: g.scopes, permissionTexts: g.scopes.map((p) => (isPermission(p) ? PERMISSION_TEXT[p] : p)), since: g.since,
          })),
        })),
      };
    });

    api.delete<{ Params: { vehicleId: string; appId: string } }>('/account/api/vehicles/:vehicleId/apps/:appId', async (request, reply) => {
      const { accountId } = signedIn(request);
      const { vehicleId, appId } = request.params;
      const revoked = isUuid(vehicleId) && isUuid(appId)
        && await deps.tokens.revokeVehicle(appId.toLowerCase(), accountId, vehicleId.toLowerCase(), 'owner_revoked');
      if (!revoked) throw new Refusal(404, 'not_found', 'That app has no access to that vehicle of yours.');
      return reply.code(204).send();
    });
  });
}
