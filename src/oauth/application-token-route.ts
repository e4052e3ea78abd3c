/**
 * POST /oauth2/token (smartcar-v3.md §2.1): the client-credentials grant (RFC 6749 §4.4) that gives
 * an app its v3 application token. The body is form-encoded (Smartcar's docs) or JSON (its spec and
 * real clients); the client authenticates by HTTP Basic or by client_id/client_secret in the body.
 * Answers exactly `{access_token, token_type, expires_in}` — no refresh token — or an RFC 6749 §5.2 error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiOperation, Clock, RateLimiter } from '../core/index.js';
import type { ApplicationTokenService } from './application-tokens.js';
import type { AppService } from './apps.js';
import { authenticateClient } from './client-auth.js';
import { noteApp } from '../request-log/index.js';
import { noStore, oauthErrorHandler } from './form.js';
import { OAuthError } from './oauth-error.js';
import { CLIENT_IN_BODY, FORM, OAuthErrorBody } from './openapi-parts.js';

export interface ApplicationTokenRouteDeps {
  apps: AppService;
  applicationTokens: ApplicationTokenService;
  limiter: RateLimiter;
  clock: Clock;
}

const FIELDS = ['grant_type', 'client_id', 'client_secret'] as const;
type Field = (typeof FIELDS)[number];

/** The grant's parameters from a form or a JSON object; a value that is not one string is malformed. */
function parametersOf(request: FastifyRequest): Partial<Record<Field, string>> {
  const type = request.headers['content-type'] ?? '';
  const form = /^application\/x-www-form-urlencoded\b/i.test(type);
  const body = request.body ?? {};
  if ((!form && !/^application\/json\b/i.test(type)) || typeof body !== 'object' || Array.isArray(body)) {
    throw new OAuthError('invalid_request', 'Send a form-encoded or JSON object body.');
  }
  const parameters: Partial<Record<Field, string>> = {};
  for (const name of FIELDS) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `Parameter ${name} must be one string.`);
    parameters[name] = value;
  }
  return parameters;
}

async function issue(deps: ApplicationTokenRouteDeps, request: FastifyRequest) {
  const parameters = parametersOf(request);
  const taken = deps.limiter.take(request.ip, deps.clock.now().getTime());
  const retryAfter = typeof taken === 'number' ? taken : await taken;
  if (retryAfter > 0) {
    throw new OAuthError('temporarily_unavailable', `Too many requests; retry after ${retryAfter} s.`, { retryAfterSeconds: retryAfter });
  }
  if (parameters.grant_type === undefined) throw new OAuthError('invalid_request', 'Missing parameter: grant_type.');
  if (parameters.grant_type !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', `Unsupported grant_type: ${parameters.grant_type.slice(0, 64)}.`);
  }
  const app = await authenticateClient(deps.apps, {
    authorization: request.headers.authorization, clientId: parameters.client_id, clientSecret: parameters.client_secret,
  });
  noteApp(request, app.id);
  // RFC 6749 §4.4: only a client that can keep a secret may hold a token of its own.
  if (app.publicClient) throw new OAuthError('unauthorized_client', 'A public client cannot use client_credentials.');
  return deps.applicationTokens.issue(app.id);
}

const answerFailure = oauthErrorHandler('application-token');

/** The framework's own refusals (bad JSON, too large) read as this endpoint's two body forms. */
function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const status = (error as { statusCode?: number }).statusCode;
  const malformed = !(error instanceof OAuthError) && status !== undefined && status < 500;
  return answerFailure(malformed ? new OAuthError('invalid_request', 'Send a form-encoded or JSON object body of at most 1 MB.') : error, request, reply);
}

/** With the v3 document, whose application token it issues. */
export const openapi: readonly ApiOperation[] = [{
  document: 'v3', method: 'post', path: '/oauth2/token', tag: 'Authorization', summary: 'An application token (client_credentials)',
  credentials: ['clientCredentials'],
  body: z.object({ grant_type: z.literal('client_credentials'), ...CLIENT_IN_BODY }), bodyTypes: [...FORM, 'application/json'],
  responses: {
    200: {
      description: 'The application token; there is no refresh token.',
      body: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }),
      headers: { 'cache-control': 'no-store' },
    },
  },
  errors: [400, 401, 429, 500], errorBody: OAuthErrorBody,
}];

export function registerApplicationTokenRoute(app: FastifyInstance, deps: ApplicationTokenRouteDeps): void {
  app.post('/oauth2/token', { errorHandler }, async (request, reply) => {
    const issued = await issue(deps, request);
    noStore(reply);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  });
}
