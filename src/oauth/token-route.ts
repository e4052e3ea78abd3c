/**
 * POST /oauth/token (RFC 6749 §3.2): authorization_code and refresh_token grants. Answers exactly
 * `{access_token, token_type, expires_in, refresh_token}` with no-store, or `{error, error_description}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock, RateLimiter } from '../core/index.js';
import type { AppService } from './apps.js';
import { formFromClient } from './client-auth.js';
import type { CodeService } from './codes.js';
import { field, noStore, oauthErrorHandler, required } from './form.js';
import { OAuthError } from './oauth-error.js';
import type { IssuedTokens, TokenService } from './tokens.js';

export interface TokenRouteDeps {
  apps: AppService;
  codes: CodeService;
  tokens: TokenService;
  limiter: RateLimiter;
  clock: Clock;
}

async function exchange(deps: TokenRouteDeps, request: FastifyRequest, startedAt: Date): Promise<IssuedTokens> {
  const { form, client: app } = await formFromClient(deps.apps, deps.limiter, request, startedAt.getTime());
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
  app.post('/oauth/token', { errorHandler: oauthErrorHandler('token') }, async (request, reply) => {
    const issued = await exchange(deps, request, deps.clock.now());
    noStore(reply);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, refresh_token: issued.refreshToken };
  });
}
