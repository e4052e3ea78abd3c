/**
 * The console's JSON API behind its session cookie, under /console/api. Answers are JSON; a refusal
 * is `{error, message}` with its status. Not under the Vehicle API's CORS: only pages of carport's
 * own origin can call it with the cookie.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock, RateLimiter } from '../core/index.js';
import { DeveloperUserError, MAX_PASSWORD_LENGTH, type DeveloperUserService } from '../developers/index.js';
import { InvalidRedirectUriError } from '../oauth/index.js';
import type { AppMembersRepository, DeveloperUserRecord } from '../store/index.js';
import { registerAppRoutes, type AppRoutesDeps } from './app-routes.js';
import { registerConnectLinkRoutes, type ConnectLinkRoutesDeps } from './connect-link-routes.js';
import { appAccess, BODY_LIMIT, parsed, roleFromTeam, type ConsoleContext } from './context.js';
import { registerSimulatorRoutes, type SimulatorRoutesDeps } from './simulator-routes.js';
import { registerVehicleRoutes, type VehicleRoutesDeps } from './vehicle-routes.js';
import { registerLogRoutes, type LogRoutesDeps } from './log-routes.js';
import { registerUsageRoutes, type UsageRoutesDeps } from './usage-routes.js';
import { answerRefusals, csrfMatches, Refusal, takeSignInAttempt } from './refusals.js';
import { registerWebhookRoutes, type WebhookRoutesDeps } from './webhook-routes.js';
import { teamService } from './teams.js';
import { registerTeamRoutes } from './team-routes.js';
import { CONSOLE_COOKIE, SESSION_HOURS, type ConsoleSessionService, type SignedIn } from './sessions.js';

export interface ConsoleApiDeps extends AppRoutesDeps, ConnectLinkRoutesDeps, WebhookRoutesDeps, SimulatorRoutesDeps, VehicleRoutesDeps, LogRoutesDeps, UsageRoutesDeps {
  developers: DeveloperUserService;
  /** Apps' team members, by address. */
  members: AppMembersRepository;
  sessions: ConsoleSessionService;
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

/** An address longer than this is no address (RFC 5321 allows 254); refused before any check. */
const MAX_EMAIL_INPUT = 320;

const credentialsBody = z.object({
  email: z.string().max(MAX_EMAIL_INPUT),
  password: z.string().max(MAX_PASSWORD_LENGTH * 4),
});
const passwordBody = z.object({
  currentPassword: z.string().max(MAX_PASSWORD_LENGTH * 4),
  newPassword: z.string().max(MAX_PASSWORD_LENGTH * 4),
});

const NOT_SIGNED_IN = () => new Refusal(401, 'not_signed_in', 'Sign in to the console first.');

function userView(user: DeveloperUserRecord) {
  return { userId: user.id, email: user.email, passwordTemporary: user.passwordTemporary };
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
      const attempt = throttle(request);
      if (attempt) await attempt;
      const { email, password } = parsed(credentialsBody, request.body);
      const user = await deps.developers.verify(email, password);
      if (!user) throw new Refusal(401, 'invalid_credentials', 'That email and password do not match an account.');
      return signIn(request, reply, user);
    });

    api.post('/console/api/signup', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      if (!deps.signup) throw new Refusal(404, 'signup_off', 'Accounts are created by this carport\'s operator (carport users create).');
      const attempt = throttle(request);
      if (attempt) await attempt;
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
      const attempt = throttle(request);
      if (attempt) await attempt;
      const { currentPassword, newPassword } = parsed(passwordBody, request.body);
      if (!(await deps.developers.changePassword(session.user.id, currentPassword, newPassword))) {
        throw new Refusal(403, 'invalid_credentials', 'The current password is not right.');
      }
      // Whoever else held a session with the old password holds none now.
      await deps.sessions.endOthers(session.user.id, session.tokenHash);
      return reply.code(204).send();
    });

    const originOf = (request: FastifyRequest) => deps.publicOrigin ?? `${request.protocol}://${request.host}`;
    const team = teamService(deps.members, deps.developers, deps.apps, deps.clock);
    const access = appAccess(deps.apps, roleFromTeam(team));
    const context: ConsoleContext = {
      signedIn,
      async appFor(request, clientId, role) {
        const session = await signedIn(request);
        return { session, ...await access(session, clientId, role) };
      },
      appsOf: (session) => team.appsOf(session.user),
      originOf,
    };

    registerAppRoutes(api, context, deps);
    registerWebhookRoutes(api, context, deps);
    registerConnectLinkRoutes(api, context, deps);
    registerTeamRoutes(api, context, { team });
    registerVehicleRoutes(api, context, deps);
    registerSimulatorRoutes(api, context, deps);
    registerLogRoutes(api, context, deps);
    registerUsageRoutes(api, context, deps);
  });
}
