/**
 * POST /oauth/token (RFC 6749 §3.2): authorization_code and refresh_token grants. Answers exactly
 * `{access_token, token_type, expires_in, refresh_token}` with no-store, or `{error, error_description}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, RateLimiter } from '../core/index.js';
import type { AppService } from './apps.js';
import { authenticateClient } from './client-auth.js';
import type { CodeService } from './codes.js';
import { OAuthError } from './oauth-error.js';
import type { IssuedTokens, TokenService } from './tokens.js';

export interface TokenRouteDeps {
  apps: AppService;
  codes: CodeService;
  tokens: TokenService;
  limiter: RateLimiter;
  clock: Clock;
}

type Form = Record<string, string | string[] | undefined>;

/** One form field; a repeated field is a malformed request (RFC 6749 §3.2). */
function field(form: Form, name: string): string | undefined {
  const value = form[name];
  if (Array.isArray(value)) throw new OAuthError('invalid_request', `Parameter ${name} is repeated.`);
  return value === '' ? undefined : value;
}

function required(form: Form, name: string): string {
  const value = field(form, name);
  if (value === undefined) throw new OAuthError('invalid_request', `Missing parameter: ${name}.`);
  return value;
}

function noStore(reply: FastifyReply): FastifyReply {
  if (reply.request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  if (error.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="carport"');
  if (error.options.retryAfterSeconds) reply.header('retry-after', String(error.options.retryAfterSeconds));
  return noStore(reply).code(error.status).send(error.body());
}

async function exchange(deps: TokenRouteDeps, request: FastifyRequest, startedAt: Date): Promise<IssuedTokens> {
  // RFC 6749 §3.2: the token endpoint takes application/x-www-form-urlencoded, nothing else.
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    throw new OAuthError('invalid_request', 'Send a form-encoded body (application/x-www-form-urlencoded).');
  }
  const form = (request.body ?? {}) as Form;
  const retryAfter = deps.limiter.take(`${request.ip}`, startedAt.getTime());
  if (retryAfter > 0) {
    throw new OAuthError('temporarily_unavailable', `Too many requests; retry after ${retryAfter} s.`, { retryAfterSeconds: retryAfter });
  }
  const app = await authenticateClient(deps.apps, {
    authorization: request.headers.authorization,
    clientId: field(form, 'client_id'),
    clientSecret: field(form, 'client_secret'),
  });
  const grantType = required(form, 'grant_type');
  switch (grantType) {
    case 'authorization_code':
      return deps.codes.redeem({
        code: required(form, 'code'),
        appId: app.id,
        // The Node SDK sends the literal `undefined` when the app configured no redirect URI.
        redirectUri: field(form, 'redirect_uri') === 'undefined' ? undefined : field(form, 'redirect_uri'),
        codeVerifier: field(form, 'code_verifier'),
      });
    case 'refresh_token':
      return deps.tokens.refresh(required(form, 'refresh_token'), app.id, startedAt);
    default:
      throw new OAuthError('unsupported_grant_type', `Unsupported grant_type: ${grantType}.`);
  }
}

export function registerTokenRoute(app: FastifyInstance, deps: TokenRouteDeps): void {
  app.post('/oauth/token', {
    errorHandler: (error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode;
      const oauthError = error instanceof OAuthError ? error
        : status && status < 500 ? new OAuthError('invalid_request', 'Send a form-encoded body of at most 1 MB.')
          : new OAuthError('server_error', 'Unexpected server error.');
      if (oauthError.status >= 500) request.log.error({ err: error }, 'token request failed');
      else request.log.info({ error: oauthError.error, reason: oauthError.options.internal }, 'token request refused');
      return sendOAuthError(reply, oauthError);
    },
  }, async (request, reply) => {
    const issued = await exchange(deps, request, deps.clock.now());
    noStore(reply);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, refresh_token: issued.refreshToken };
  });
}
