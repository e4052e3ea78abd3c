/** What the OAuth endpoints share: form parsing (RFC 6749 §3.2), no-store answers, the error shape. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { noteError } from '../request-log/index.js';
import { OAuthError } from './oauth-error.js';

export type Form = Record<string, string | string[] | undefined>;

/** One form field; a repeated field is a malformed request (RFC 6749 §3.2). */
export function field(form: Form, name: string): string | undefined {
  const value = form[name];
  if (Array.isArray(value)) throw new OAuthError('invalid_request', `Parameter ${name} is repeated.`);
  return value === '' ? undefined : value;
}

export function required(form: Form, name: string): string {
  const value = field(form, name);
  if (value === undefined) throw new OAuthError('invalid_request', `Missing parameter: ${name}.`);
  return value;
}

export function noStore(reply: FastifyReply): FastifyReply {
  if (reply.request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  noteError(reply.request, error.error, null);
  if (error.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="carport"');
  if (error.options.retryAfterSeconds) reply.header('retry-after', String(error.options.retryAfterSeconds));
  return noStore(reply).code(error.status).send(error.body());
}

/** The endpoints take application/x-www-form-urlencoded bodies and nothing else. */
export function requireForm(request: FastifyRequest): Form {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
    throw new OAuthError('invalid_request', 'Send a form-encoded body (application/x-www-form-urlencoded).');
  }
  return (request.body ?? {}) as Form;
}

/** Answers any failure of an OAuth endpoint in OAuth's shape; details go to the log only. */
export function oauthErrorHandler(endpoint: string) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const status = (error as { statusCode?: number }).statusCode;
    const oauthError = error instanceof OAuthError ? error
      : status && status < 500 ? new OAuthError('invalid_request', 'Send a form-encoded body of at most 1 MB.')
        : new OAuthError('server_error', 'Unexpected server error.');
    if (oauthError.status >= 500) request.log.error({ err: error, endpoint }, 'oauth request failed');
    else request.log.info({ endpoint, error: oauthError.error, reason: oauthError.options.internal }, 'oauth request refused');
    return sendOAuthError(reply, oauthError);
  };
}
