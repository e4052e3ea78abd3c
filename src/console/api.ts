/**
 * The console's JSON API behind its session cookie, under /console/api. Answers are JSON; a refusal
 * is `{error, message}` with its status. Not under the Vehicle API's CORS: only pages of carport's
 * own origin can call it with the cookie.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isUuid, type Clock, type RateLimiter } from '../core/index.js';
import { DeveloperUserError, MAX_PASSWORD_LENGTH, type DeveloperUserService } from '../developers/index.js';
import { envSnippet, InvalidRedirectUriError, MAX_KEEP_PREVIOUS_HOURS, type AppService, type TokenService } from '../oauth/index.js';
import type { AppRecord, DeveloperUserRecord } from '../store/index.js';
import type { VehicleService } from '../vehicles/index.js';
import { answerRefusals, csrfMatches, Refusal, takeSignInAttempt } from './refusals.js';
import { CONSOLE_COOKIE, SESSION_HOURS, type ConsoleSessionService, type SignedIn } from './sessions.js';

export interface ConsoleApiDeps {
  developers: DeveloperUserService;
  sessions: ConsoleSessionService;
  apps: AppService;
  /** Connections (grants) of an app, as the management API lists and ends them. */
  tokens: TokenService;
  vehicles: VehicleService;
  /** Sign-in and sign-up attempts per client IP. */
  signInLimiter: RateLimiter;
  clock: Clock;
  /** CONSOLE_SIGNUP: whether anyone may create an account here. */
  signup: boolean;
  /** Key the session cookie is signed with. */
  key: string;
  /** PUBLIC_URL's origin, when set: what apps reach carport at; else the origin the console was called at. */
  publicOrigin: string | null;
}

/** Credentials and a few fields: nothing the console sends is larger. */
const BODY_LIMIT = 16 * 1024;
/** An address longer than this is no address (RFC 5321 allows 254); refused before any check. */
const MAX_EMAIL_INPUT = 320;

const credentialsBody = z.object({
  email: z.string().max(MAX_EMAIL_INPUT),
  password: z.string().max(MAX_PASSWORD_LENGTH * 4),
});
const MAX_REDIRECT_URIS = 20;
const redirectUris = z.array(z.string().min(1).max(2048)).min(1).max(MAX_REDIRECT_URIS);
const newAppBody = z.object({ name: z.string().trim().min(1).max(200), redirectUris, publicClient: z.boolean().optional() });
const redirectUrisBody = z.object({ redirectUris });
const rotationBody = z.object({ keepPreviousHours: z.number().min(0).max(MAX_KEEP_PREVIOUS_HOURS).optional() }).optional();
const DEFAULT_KEEP_PREVIOUS_HOURS = 24;
const vehiclesQuery = z.object({
  mode: z.enum(['live', 'simulated', 'test']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** The offset of the page, as the previous page's `next` gave it. */
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

const passwordBody = z.object({
  currentPassword: z.string().max(MAX_PASSWORD_LENGTH * 4),
  newPassword: z.string().max(MAX_PASSWORD_LENGTH * 4),
});

const NOT_SIGNED_IN = () => new Refusal(401, 'not_signed_in', 'Sign in to the console first.');

function userView(user: DeveloperUserRecord) {
  return { userId: user.id, email: user.email, passwordTemporary: user.passwordTemporary };
}

/** The body as `schema` reads it, or a 400 naming the first field that is not as expected. */
function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : 'the body';
    throw new Refusal(400, 'invalid_request', `Expected a JSON object; ${field}: ${issue?.message ?? 'not as expected'}.`);
  }
  return result.data;
}

export async function registerConsoleApi(app: FastifyInstance, deps: ConsoleApiDeps): Promise<void> {
  await app.register(async (api) => {
    await api.register(cookie, { secret: deps.key });

    answerRefusals(api, 'console API', [DeveloperUserError, InvalidRedirectUriError]);

    const secure = (request: FastifyRequest) => request.protocol === 'https';
    const setCookie = (request: FastifyRequest, reply: FastifyReply, token: string) => reply.setCookie(CONSOLE_COOKIE, token, {
      path: '/console', httpOnly: true, sameSite: 'strict', secure: secure(request), signed: true, maxAge: SESSION_HOURS * 3600,
    });

    const throttle = (request: FastifyRequest) => takeSignInAttempt(deps.signInLimiter, deps.clock, `console:${request.ip}`);

    async function signIn(request: FastifyRequest, reply: FastifyReply, user: DeveloperUserRecord) {
      const started = await deps.sessions.start(user.id);
      setCookie(request, reply, started.token);
      return { user: userView(user), csrfToken: started.csrfToken, expiresAt: started.expiresAt };
    }

    /** The signed-in developer; on a request that changes something, also its CSRF token. */
    async function signedIn(request: FastifyRequest): Promise<SignedIn> {
      const raw = request.cookies[CONSOLE_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : undefined;
      const session = unsigned?.valid && unsigned.value ? await deps.sessions.resolve(unsigned.value) : undefined;
      if (!session) throw NOT_SIGNED_IN();
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        if (!csrfMatches(request.headers['x-csrf-token'], deps.sessions.csrfTokenOf(session.tokenHash))) {
          throw new Refusal(403, 'csrf', 'This request lacks the session\'s x-csrf-token header.');
        }
      }
      return session;
    }

    api.post('/console/api/session', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      throttle(request);
      const { email, password } = parsed(credentialsBody, request.body);
      const user = await deps.developers.verify(email, password);
      if (!user) throw new Refusal(401, 'invalid_credentials', 'That email and password do not match an account.');
      return signIn(request, reply, user);
    });

    api.post('/console/api/signup', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      if (!deps.signup) throw new Refusal(404, 'signup_off', 'Accounts are created by this carport\'s operator (carport users create).');
      throttle(request);
      const { email, password } = parsed(credentialsBody, request.body);
      const created = await deps.developers.create({ email, password });
      const user = await deps.developers.find(created.userId);
      reply.code(201);
      return signIn(request, reply, user!);
    });

    api.get('/console/api/session', async (request) => {
      const session = await signedIn(request);
      return { user: userView(session.user), csrfToken: deps.sessions.csrfTokenOf(session.tokenHash), expiresAt: session.expiresAt };
    });

    api.delete('/console/api/session', async (request, reply) => {
      const session = await signedIn(request);
      await deps.sessions.end(session.tokenHash);
      reply.clearCookie(CONSOLE_COOKIE, { path: '/console' });
      return reply.code(204).send();
    });

    api.post('/console/api/password', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const session = await signedIn(request);
      throttle(request);
      const { currentPassword, newPassword } = parsed(passwordBody, request.body);
      if (!(await deps.developers.changePassword(session.user.id, currentPassword, newPassword))) {
        throw new Refusal(403, 'invalid_credentials', 'The current password is not right.');
      }
      // Whoever else held a session with the old password holds none now.
      await deps.sessions.endOthers(session.user.id, session.tokenHash);
      return reply.code(204).send();
    });

    const originOf = (request: FastifyRequest) => deps.publicOrigin ?? `${request.protocol}://${request.host}`;

    /** The signed-in developer's app by client id; anyone else's, or none, is not found (ids leak nothing). */
    async function ownedApp(session: SignedIn, clientId: string): Promise<AppRecord> {
      const app = isUuid(clientId) ? await deps.apps.find(clientId.toLowerCase()) : undefined;
      if (!app || app.ownerUserId !== session.user.id) throw new Refusal(404, 'not_found', 'You have no app with that client id.');
      return app;
    }

    type AppParams = { Params: { clientId: string } };

    api.post('/console/api/apps', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const session = await signedIn(request);
      const body = parsed(newAppBody, request.body);
      const created = await deps.apps.create({
        name: body.name, redirectUris: body.redirectUris, publicClient: body.publicClient ?? false, ownerUserId: session.user.id,
      });
      reply.code(201);
      return {
        ...created,
        env: envSnippet({
          clientId: created.clientId, ...(!created.publicClient && { clientSecret: created.clientSecret }),
          redirectUri: created.redirectUris[0]!, origin: originOf(request),
        }),
      };
    });

    api.post<AppParams>('/console/api/apps/:clientId/secret', { bodyLimit: BODY_LIMIT }, async (request) => {
      const app = await ownedApp(await signedIn(request), request.params.clientId);
      const keep = parsed(rotationBody, request.body)?.keepPreviousHours ?? DEFAULT_KEEP_PREVIOUS_HOURS;
      const rotated = await deps.apps.rotateSecret(app.id, keep * 3600);
      return {
        ...rotated,
        env: envSnippet({ clientId: app.id, clientSecret: rotated.clientSecret, redirectUri: app.redirectUris[0]!, origin: originOf(request) }),
      };
    });

    api.post<AppParams>('/console/api/apps/:clientId/management-token', { bodyLimit: BODY_LIMIT }, async (request) => {
      const app = await ownedApp(await signedIn(request), request.params.clientId);
      const keep = parsed(rotationBody, request.body)?.keepPreviousHours ?? DEFAULT_KEEP_PREVIOUS_HOURS;
      return deps.apps.rotateManagementToken(app.id, keep);
    });

    api.put<AppParams>('/console/api/apps/:clientId/redirect-uris', { bodyLimit: BODY_LIMIT }, async (request) => {
      const app = await ownedApp(await signedIn(request), request.params.clientId);
      const body = parsed(redirectUrisBody, request.body);
      await deps.apps.setRedirectUris(app.id, body.redirectUris);
      return { redirectUris: body.redirectUris };
    });

    /**
     * The app's connected vehicles, newest connection first, a page at a time: each with what it
     * is, its owner, the permissions granted and since when.
     */
    api.get<AppParams>('/console/api/apps/:clientId/vehicles', async (request) => {
      const app = await ownedApp(await signedIn(request), request.params.clientId);
      const query = parsed(vehiclesQuery, request.query);
      const rows = await deps.tokens.listConnections(app.id, { mode: query.mode }, query.limit + 1, query.offset);
      const page = rows.slice(0, query.limit);
      const vehicles = await Promise.all(page.map(async (c) => {
        const [vehicle, scopes] = await Promise.all([deps.vehicles.find(c.vehicleId), deps.tokens.scopesOf(app.id, c.accountId, c.vehicleId)]);
        return {
          vehicleId: c.vehicleId, make: vehicle?.make ?? null, model: vehicle?.model ?? null, year: vehicle?.year ?? null,
          vin: vehicle?.vin ?? null, mode: c.mode, userId: c.accountId, permissions: scopes ?? [], connectedAt: c.connectedAt,
        };
      }));
      return { vehicles, next: rows.length > query.limit ? query.offset + query.limit : null };
    });

    /** Disconnect: the app's grants on the vehicle end (its tokens stop reaching it), as the management API's DELETE. */
    api.delete<{ Params: { clientId: string; vehicleId: string } }>('/console/api/apps/:clientId/vehicles/:vehicleId', async (request) => {
      const app = await ownedApp(await signedIn(request), request.params.clientId);
      const { vehicleId } = request.params;
      if (!isUuid(vehicleId)) throw new Refusal(404, 'not_found', 'That vehicle is not connected to this app.');
      const ended = await deps.tokens.revokeConnections(app.id, { vehicleId: vehicleId.toLowerCase() });
      if (ended.length === 0) throw new Refusal(404, 'not_found', 'That vehicle is not connected to this app.');
      return { disconnected: ended.map((c) => ({ userId: c.accountId, vehicleId: c.vehicleId })) };
    });

    api.get('/console/api/apps', async (request) => {
      const session = await signedIn(request);
      const mine = await deps.apps.listOwnedBy(session.user.id);
      return {
        apps: mine.map((a) => ({ clientId: a.id, name: a.name, redirectUris: a.redirectUris, publicClient: a.publicClient, createdAt: a.createdAt })),
      };
    });
  });
}
