/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1): HTTP Basic (what most SDKs send)
 * or client_id/client_secret in the form body (the Ruby SDK's oauth2 gem), never both; a public
 * client names itself by client_id alone and proves itself with PKCE instead.
 */
import type { FastifyRequest } from 'fastify';
import type { RateLimiter } from '../core/index.js';
import { noteApp } from '../request-log/index.js';
import type { AppRecord } from '../store/index.js';
import type { AppService } from './apps.js';
import { field, requireForm, type Form } from './form.js';
import { OAuthError } from './oauth-error.js';

export interface PresentedCredentials {
  authorization?: string;
  clientId?: string;
  clientSecret?: string;
}

function fromBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-encoded before base64.
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
}

const INVALID_CLIENT = 'Invalid client credentials.';

export async function authenticateClient(apps: AppService, presented: PresentedCredentials): Promise<AppRecord> {
  const basic = presented.authorization ? fromBasic(presented.authorization) : undefined;
  if (presented.authorization && !basic && /^Basic/i.test(presented.authorization)) {
    throw new OAuthError('invalid_client', INVALID_CLIENT, { internal: 'malformed Basic header' });
  }
  if (basic && presented.clientSecret !== undefined) {
    throw new OAuthError('invalid_request', 'Use one client authentication method, not two.');
  }
  const id = basic?.id ?? presented.clientId;
  const secret = basic?.secret ?? presented.clientSecret;
  if (!id) throw new OAuthError('invalid_client', INVALID_CLIENT, { internal: 'no client id' });
  if (basic && presented.clientId !== undefined && presented.clientId !== basic.id) {
    throw new OAuthError('invalid_request', 'client_id does not match the authenticated client.');
  }
  if (!secret) {
    const app = await apps.find(id);
    if (app?.publicClient) return app;
    throw new OAuthError('invalid_client', INVALID_CLIENT, { internal: 'no secret for a confidential client' });
  }
  const app = await apps.authenticate(id, secret);
  if (!app) throw new OAuthError('invalid_client', INVALID_CLIENT, { internal: 'unknown client or wrong secret' });
  return app;
}

/**
 * The common opening of the OAuth endpoints: a form body, the per-address budget, then the client.
 * Returns the form for the endpoint's own parameters.
 */
export async function formFromClient(
  apps: AppService, limiter: RateLimiter, request: FastifyRequest, nowMs: number,
): Promise<{ form: Form; client: AppRecord }> {
  const form = requireForm(request);
  const taken = limiter.take(request.ip, nowMs);
  const retryAfter = typeof taken === 'number' ? taken : await taken;
  if (retryAfter > 0) {
    throw new OAuthError('temporarily_unavailable', `Too many requests; retry after ${retryAfter} s.`, { retryAfterSeconds: retryAfter });
  }
  const client = await authenticateClient(apps, {
    authorization: request.headers.authorization,
    clientId: field(form, 'client_id'),
    clientSecret: field(form, 'client_secret'),
  });
  // Only an authenticated client's requests are its own: anyone can name a client id.
  noteApp(request, client.id);
  return { form, client };
}
