/**
 * POST /oauth/revoke (RFC 7009): an app ends a token it holds. Always 200 for an authenticated
 * client, whether or not the token was known (§2.2), so the answer reveals nothing.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiOperation, Clock, RateLimiter } from '../core/index.js';
import type { AppService } from './apps.js';
import { formFromClient } from './client-auth.js';
import { noStore, oauthErrorHandler, required } from './form.js';
import { CLIENT_IN_BODY, FORM, OAuthErrorBody } from './openapi-parts.js';
import type { TokenService } from './tokens.js';

export interface RevokeRouteDeps {
  apps: AppService;
  tokens: TokenService;
  limiter: RateLimiter;
  clock: Clock;
}

export const openapi: readonly ApiOperation[] = [{
  document: 'v2', method: 'post', path: '/oauth/revoke', tag: 'Authorization', summary: 'End a token the app holds (RFC 7009)',
  credentials: ['clientCredentials'],
  body: z.object({ token: z.string(), token_type_hint: z.string().optional(), ...CLIENT_IN_BODY }), bodyTypes: FORM,
  responses: { 200: { description: 'Ended, or never known: the answer is the same.', body: z.object({}) } },
  errors: [400, 401, 429, 500], errorBody: OAuthErrorBody,
}];

export function registerRevokeRoute(app: FastifyInstance, deps: RevokeRouteDeps): void {
  app.post('/oauth/revoke', { errorHandler: oauthErrorHandler('revoke') }, async (request, reply) => {
    const { form, client } = await formFromClient(deps.apps, deps.limiter, request, deps.clock.now().getTime());
    // token_type_hint is only a hint (§2.1); the token itself says what it is.
    await deps.tokens.revokePresented(required(form, 'token'), client.id);
    noStore(reply);
    return {};
  });
}
