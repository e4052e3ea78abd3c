/**
 * POST /oauth/token (RFC 6749 §3.2): authorization_code and refresh_token grants. Answers exactly
 * `{access_token, token_type, expires_in, refresh_token}` with no-store, or `{error, error_description}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiOperation, Clock, RateLimiter } from '../core/index.js';
import type { AppService } from './apps.js';
import { formFromClient } from './client-auth.js';
import type { CodeService } from './codes.js';
import { field, noStore, oauthErrorHandler, required } from './form.js';
import { OAuthError } from './oauth-error.js';
import { CLIENT_IN_BODY, FORM, OAuthErrorBody } from './openapi-parts.js';
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

const TokenBody = z.union([
  z.object({
    grant_type: z.literal('authorization_code'), code: z.string(), redirect_uri: z.string().optional(), code_verifier: z.string().optional(),
    ...CLIENT_IN_BODY,
  }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string(), ...CLIENT_IN_BODY }),
]);

/** With the v2.0 document: the SDKs that speak v2.0 get their tokens here. */
export const openapi: readonly ApiOperation[] = [{
  document: 'v2', method: 'post', path: '/oauth/token', tag: 'Authorization', summary: 'Exchange a code or a refresh token for tokens',
  credentials: ['clientCredentials'],
  body: TokenBody, bodyTypes: FORM,
  responses: {
    200: {
      description: 'The tokens; every refresh gives a new refresh token.',
      body: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), refresh_token: z.string() }),
      headers: { 'cache-control': 'no-store' },
    },
  },
  errors: [400, 401, 429, 500], errorBody: OAuthErrorBody,
}];

export function registerTokenRoute(app: FastifyInstance, deps: TokenRouteDeps): void {
  app.post('/oauth/token', { errorHandler: oauthErrorHandler('token') }, async (request, reply) => {
    const issued = await exchange(deps, request, deps.clock.now());
    noStore(reply);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, refresh_token: issued.refreshToken };
  });
}
