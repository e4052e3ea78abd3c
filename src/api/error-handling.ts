/**
 * Renders every failure on the API faces as the v2 envelope: typed errors by their catalog entry,
 * framework 4xx (bad JSON, too large, wrong media type) as VALIDATION with their status, unknown
 * paths and versions as RESOURCE_NOT_FOUND, and anything unexpected as a generic SERVER error
 * whose details go to the log only.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/index.js';
import { ApiError, apiErrorOf, envelope } from './errors/index.js';

/** `/v<version>/…` where the version is well-formed: anything else served under it is a version problem. */
const VERSIONED = /^\/v([^/?]*)/;

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return apiErrorOf(error);
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (fastifyError.validation) {
    return new ApiError('VALIDATION', {
      detail: fastifyError.validation.map((v) => ({ field: v.instancePath || v.params?.missingProperty as string || 'body', message: v.message ?? 'invalid' })),
    });
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError('VALIDATION', { status, detail: [{ message: describeFrameworkError(fastifyError) }] });
  }
  return new ApiError('SERVER.INTERNAL');
}

function describeFrameworkError(error: Partial<FastifyError>): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return 'Unsupported Content-Type; send application/json.';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return 'Content-Length does not match the body.';
    default: return error.name === 'SyntaxError' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
      ? 'The request body is not valid JSON.'
      : 'The request is malformed.';
  }
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.options.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.options.retryAfterSeconds));
  if (error.entry.type === 'AUTHENTICATION') reply.header('www-authenticate', `${error.options.challenge ?? 'Bearer'} realm="carport"`);
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(envelope(error, String(reply.request.id)));
}

/** Unexpected failures are errors with their stack; answers like COMPATIBILITY 501 or UPSTREAM 502 are not. */
export function logRefusal(request: FastifyRequest, apiError: ApiError, cause: unknown, extra: Record<string, unknown> = {}): void {
  if (apiError.entry.type === 'SERVER') request.log.error({ err: cause, ...extra }, 'request failed');
  else request.log.info({ ...extra, type: apiError.entry.type, code: apiError.entry.code }, 'request refused');
}

export function notFoundError(url: string): ApiError {
  const version = VERSIONED.exec(url)?.[1];
  if (version !== undefined && version !== '2.0') return new ApiError('RESOURCE_NOT_FOUND.VERSION');
  return new ApiError('RESOURCE_NOT_FOUND.PATH');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    logRefusal(request, apiError, error);
    return sendApiError(reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => sendApiError(reply, notFoundError(request.url)));
}

/**
 * Serves any well-formed version under `/v<major.minor>/` as the current one, as Smartcar does
 * (spec §5.2); the sunset 1.0 and malformed versions stay unrouted and answer VERSION.
 */
export function rewriteVersion(url: string): string {
  const match = /^\/v(\d+\.\d+)(\/|\?|$)/.exec(url);
  if (!match || match[1] === '2.0' || match[1] === '1.0') return url;
  return `/v2.0${url.slice(match[0].length - match[2]!.length)}`;
}
