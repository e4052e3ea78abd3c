/**
 * How a route describes itself for the OpenAPI documents: written once, next to the route, from the
 * zod schemas the handler parses with and the ones its answers follow. Descriptions only: routes
 * keep parsing with zod in their handlers, so no Fastify schema changes what goes on the wire.
 */
import type { z } from 'zod';

/** The document an operation belongs to: the Smartcar v2.0 face, the v3 face, or management. */
export type ApiDocument = 'v2' | 'v3' | 'management';

/**
 * Credentials an operation takes, any one of them: a driver's access token, an app's v3
 * application token, its management token (Basic or, as the SDKs send it on unsubscribe, Bearer),
 * or its client id and secret.
 */
export type ApiCredential = 'accessToken' | 'applicationToken' | 'managementToken' | 'managementBearer' | 'clientCredentials';

export interface ApiResponse {
  description: string;
  /** The body's schema; none for an answer whose body the document does not describe. */
  body?: z.ZodType;
  /** Response header names with what each says. */
  headers?: Readonly<Record<string, string>>;
}

export interface ApiOperation {
  document: ApiDocument;
  method: 'get' | 'post' | 'delete';
  /** The route's path as registered, `:name` for a path parameter. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  credentials: readonly ApiCredential[];
  query?: z.ZodObject;
  /** Request headers (lower-case) beyond the credentials. */
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** JSON unless the endpoint takes forms (OAuth). */
  bodyTypes?: readonly string[];
  responses: Readonly<Record<number, ApiResponse>>;
  /** Failure statuses, answered with `errorBody`. */
  errors: readonly number[];
  errorBody: z.ZodType;
}
