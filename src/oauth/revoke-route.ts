/**
 * POST /oauth/revoke (RFC 7009): an app ends a token it holds. Always 200 for an authenticated
 * client, whether or not the token was known (§2.2), so the answer reveals nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock, RateLimiter } from '../core/index.js';
import type { AppService } from './apps.js';
import { formFromClient } from './client-auth.js';
import { noStore, oauthErrorHandler, required } from './form.js';
import type { TokenService } from './tokens.js';

export interface RevokeRouteDeps {
  apps: AppService;
  tokens: TokenService;
  limiter: RateLimiter;
  clock: Clock;
}

export function registerRevokeRoute(app: FastifyInstance, deps: RevokeRouteDeps): void {
  app.post('/oauth/revoke', { errorHandler: oauthErrorHandler('revoke') }, async (request, reply) => {
    const { form, client } = await formFromClient(deps.apps, deps.limiter, request, deps.clock.now().getTime());
    // token_type_hint is only a hint (§2.1); the token itself says what it is.
    await deps.tokens.revokePresented(required(form, 'token'), client.id);
    noStore(reply);
    return {};
  });
}
