/**
 * Renders every failure on the API faces as the v2 envelope (with v3's `errors[]` beside it on /v3
 * paths): typed errors by their catalog entry, framework 4xx (bad JSON, too large, wrong media
 * type, bad URL encoding, over-long path segment) as VALIDATION with their status, unknown paths
 * and versions as RESOURCE_NOT_FOUND, and anything unexpected as a generic SERVER error whose
 * details go to the log only. Paths that belong to another face (Connect's pages, the OAuth
 * endpoints) are answered in that face's own format.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/index.js';
import { noteError } from '../request-log/index.js';
import { ApiError, apiErrorOf, envelope, hybridEnvelope } from './errors/index.js';

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
    case 'FST_ERR_BAD_URL': return 'The URL is not validly percent-encoded.';
    case 'FST_ERR_MAX_PARAM_LENGTH': return 'A path segment of the URL is too long.';
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return 'Unsupported Content-Type; send application/json.';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return 'Content-Length does not match the body.';
    default: return error.name === 'SyntaxError' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
      ? 'The request body is not valid JSON.'
      : 'The request is malformed.';
  }
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  // Framework errors answered before routing skip the onRequest hook that sets it.
  reply.header('sc-request-id', String(reply.request.id));
  if (error.options.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.options.retryAfterSeconds));
  if (error.entry.type === 'AUTHENTICATION') reply.header('www-authenticate', `${error.options.challenge ?? 'Bearer'} realm="carport"`);
  const requestId = String(reply.request.id);
  noteError(reply.request, error.entry.type, error.entry.code);
  const body = isV3Path(routedPath(reply.request.url)) ? hybridEnvelope(error, requestId) : envelope(error, requestId);
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(body);
}

/** Whether a routed path (see `routedPath`) is on the v3 face, whose errors carry `errors[]` too. */
export function isV3Path(path: string): boolean {
  return path === '/v3' || path.startsWith('/v3/');
}

/** Unexpected failures are errors with their stack; answers like COMPATIBILITY 501 or UPSTREAM 502 are not. */
export function logRefusal(request: FastifyRequest, apiError: ApiError, cause: unknown, extra: Record<string, unknown> = {}): void {
  if (apiError.entry.type === 'SERVER') request.log.error({ err: cause, ...extra }, 'request failed');
  else request.log.info({ ...extra, type: apiError.entry.type, code: apiError.entry.code }, 'request refused');
}

export function notFoundError(url: string): ApiError {
  // v3 answers any path it does not serve (v2-style resources included) as production does.
  if (isV3Path(routedPath(url))) return new ApiError('RESOURCE_NOT_FOUND.INVALID_PATH');
  const version = VERSIONED.exec(url)?.[1];
  if (version !== undefined && version !== '2.0') return new ApiError('RESOURCE_NOT_FOUND.VERSION');
  return new ApiError('RESOURCE_NOT_FOUND.PATH');
}

/**
 * The path a URL is routed by: without its query or fragment, runs of `/` as one (the router
 * ignores duplicate slashes), no trailing `/`. Scanned once, so any length is cheap.
 */
export function routedPath(url: string): string {
  let path = '';
  for (const char of url) {
    if (char === '?' || char === '#') break;
    if (char === '/' && path.endsWith('/')) continue;
    path += char;
  }
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** A face other than the API that answers the failures on its own paths in its own format. */
export interface ErrorFace {
  /** Whether a routed path (see `routedPath`) is one of this face's. */
  owns(path: string): boolean;
  /**
   * Answers a refusal: a framework 4xx (bad encoding, too large, wrong media type, …), or a path
   * or method it does not serve (404, `error` null).
   */
  refuse(reply: FastifyReply, status: number, error: Partial<FastifyError> | null): FastifyReply;
}

/** Answers any failure in the format of the face its URL belongs to (the API's by default). */
function answerFailure(faces: readonly ErrorFace[], error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = routedPath(request.url);
  const face = faces.find((f) => f.owns(path));
  const status = (error as Partial<FastifyError>).statusCode;
  if (face && !(error instanceof ApiError) && typeof status === 'number' && status >= 400 && status < 500) {
    request.log.info({ code: (error as Partial<FastifyError>).code, status }, 'request refused');
    return face.refuse(reply, status, error as Partial<FastifyError>);
  }
  const apiError = toApiError(error);
  logRefusal(request, apiError, error);
  if (face && apiError.entry.type === 'SERVER') return face.refuse(reply, 500, null);
  return sendApiError(reply, apiError);
}

/**
 * Fastify's `frameworkErrors` option: failures found while routing (a URL that does not
 * percent-decode, a path segment over the router's limit), answered like any other failure.
 */
export function frameworkErrorHandler(faces: readonly ErrorFace[]) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => answerFailure(faces, error, request, reply);
}

export function registerErrorHandling(app: FastifyInstance, faces: readonly ErrorFace[] = []): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => answerFailure(faces, error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const path = routedPath(request.url);
    const face = faces.find((f) => f.owns(path));
    return face ? face.refuse(reply, 404, null) : sendApiError(reply, notFoundError(request.url));
  });
}

const CLIENT_ERROR_STATUS: Record<string, number> = { ERR_HTTP_REQUEST_TIMEOUT: 408, HPE_HEADER_OVERFLOW: 431 };

/**
 * Fastify's `clientErrorHandler` option: a request too malformed for HTTP to parse has no path and
 * so no face; it gets the v2 envelope, as the API (the face most clients speak) would answer.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
    const requestId = randomUUID();
    const body = JSON.stringify(envelope(new ApiError('VALIDATION', { status, detail: [{ message: 'The request is not well-formed HTTP.' }] }), requestId));
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n`
      + `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nsc-request-id: ${requestId}\r\n`
      + `Connection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/**
 * Serves any well-formed version under `/v<major.minor>/` as the current one, as Smartcar does
 * (spec §5.2); the sunset 1.0 and malformed versions stay unrouted and answer VERSION.
 */
export function rewriteVersion(url: string): string {
  // Nearly every request: paths the pattern below leaves as they are, without running it.
  if (url.startsWith('/v2.0/') || url.startsWith('/v3/')) return url;
  const match = /^\/v(\d+\.\d+)(\/|\?|$)/.exec(url);
  if (!match || match[1] === '2.0' || match[1] === '1.0') return url;
  return `/v2.0${url.slice(match[0].length - match[2]!.length)}`;
}
