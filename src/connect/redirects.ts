/** Sending the owner back to the app: `?code&state` or `?error&error_description&state` (spec §1.2), always 303. */
import type { FastifyReply } from 'fastify';
import type { ConnectDeps } from './connect-deps.js';
import type { ConnectRedirectError, RedirectTarget } from './authorize-request.js';
import { setConnectHeaders } from './html.js';

export function redirectUrl(target: RedirectTarget, params: Record<string, string>): string {
  const url = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  if (target.state !== null) url.searchParams.set('state', target.state);
  return url.toString();
}

/** This authorization server's identifier: PUBLIC_URL, else the origin the browser reached. */
function issuer(reply: FastifyReply, configured: string | null): string {
  return configured ?? `${reply.request.protocol}://${reply.request.host}`;
}

/** Redirects with the response parameters, `state`, and `iss` (RFC 9207, against mix-up attacks). */
export function redirectBack(deps: ConnectDeps, reply: FastifyReply, target: RedirectTarget, params: Record<string, string>): FastifyReply {
  setConnectHeaders(reply);
  return reply.redirect(redirectUrl(target, { ...params, iss: issuer(reply, deps.issuer) }), 303);
}

/** Finishes the interaction (once) and redirects with the error. */
export async function redirectError(
  deps: ConnectDeps, reply: FastifyReply, interactionId: string | null, target: RedirectTarget, error: ConnectRedirectError,
): Promise<FastifyReply> {
  if (interactionId) await deps.interactions.finish(interactionId, deps.clock.now().toISOString());
  return redirectBack(deps, reply, target, { error: error.error, error_description: error.description, ...error.extra });
}
