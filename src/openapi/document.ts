/** One OpenAPI 3.1 document from the operations the routes describe. */
import type { z } from 'zod';
import type { ApiCredential, ApiOperation } from '../core/index.js';
import { schemaOf, type JsonSchema } from './json-schema.js';

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
}

const SECURITY_SCHEMES: Readonly<Record<ApiCredential, JsonSchema>> = {
  accessToken: { type: 'http', scheme: 'bearer', description: 'An access token from the token endpoint (authorization_code or refresh_token grant).' },
  applicationToken: {
    type: 'http', scheme: 'bearer',
    description: 'A v3 application token (POST /oauth2/token, client_credentials); the vehicle\'s user is named by the sc-user-id header.',
  },
  managementToken: { type: 'http', scheme: 'basic', description: 'The application management token as the Basic password (any user name).' },
  managementBearer: { type: 'http', scheme: 'bearer', description: 'The application management token as a Bearer token.' },
  clientCredentials: { type: 'http', scheme: 'basic', description: 'The app\'s client id and client secret.' },
};

/** What each failure status means on these faces (wire spec §5.2; RFC 6749 §5.2 on the token endpoints). */
const FAILURES: Readonly<Record<number, string>> = {
  400: 'The request is not valid (VALIDATION, CONNECTED_SERVICES_ACCOUNT; invalid_request or invalid_grant on a token endpoint).',
  401: 'The credentials are missing or not valid (AUTHENTICATION; invalid_client).',
  403: 'The grant does not cover this (PERMISSION).',
  404: 'No such resource, or not one these credentials reach (RESOURCE_NOT_FOUND).',
  409: 'The vehicle cannot do it now (VEHICLE_STATE).',
  429: 'Too many requests; see retry-after (RATE_LIMIT; temporarily_unavailable).',
  430: 'The plan does not allow it (BILLING).',
  500: 'carport failed (SERVER).',
  501: 'The vehicle, its make or carport cannot do it (COMPATIBILITY).',
  502: 'The vehicle\'s provider failed (UPSTREAM).',
};

/** `/v2.0/vehicles/:id` → `/v2.0/vehicles/{id}`. */
export function templateOf(path: string): string {
  return path.replace(/:([A-Za-z][A-Za-z0-9_]*)/g, '{$1}');
}

function parametersOf(operation: ApiOperation, components: Record<string, JsonSchema>): JsonSchema[] {
  const path = [...operation.path.matchAll(/:([A-Za-z][A-Za-z0-9_]*)/g)].map(([, name]) => ({
    name, in: 'path', required: true, schema: { type: 'string' },
  }));
  const from = (where: 'query' | 'header', shape: z.ZodObject | undefined) => Object.entries(shape?.shape ?? {}).map(([name, schema]) => {
    const field = schema as z.ZodType;
    const json = schemaOf(field, 'input', components);
    const { description, ...rest } = json;
    return { name, in: where, required: !field.safeParse(undefined).success, ...(description ? { description } : {}), schema: rest };
  });
  return [...path, ...from('query', operation.query), ...from('header', operation.headers)];
}

function responsesOf(operation: ApiOperation, components: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    const answer: JsonSchema = { description: response.description };
    if (response.headers) {
      answer.headers = Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
    }
    if (response.body) answer.content = { 'application/json': { schema: schemaOf(response.body, 'output', components) } };
    responses[status] = answer;
  }
  const error = schemaOf(operation.errorBody, 'output', components);
  for (const status of operation.errors) {
    responses[String(status)] = { description: FAILURES[status] ?? 'Refused.', content: { 'application/json': { schema: error } } };
  }
  return responses;
}

function operationObject(operation: ApiOperation, components: Record<string, JsonSchema>): JsonSchema {
  const object: JsonSchema = {
    operationId: `${operation.method}${templateOf(operation.path).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: operation.summary,
    tags: [operation.tag],
  };
  if (operation.description) object.description = operation.description;
  const parameters = parametersOf(operation, components);
  if (parameters.length > 0) object.parameters = parameters;
  if (operation.body) {
    const schema = schemaOf(operation.body, 'input', components);
    const types = operation.bodyTypes ?? ['application/json'];
    object.requestBody = { required: true, content: Object.fromEntries(types.map((type) => [type, { schema }])) };
  }
  object.responses = responsesOf(operation, components);
  object.security = operation.credentials.map((credential) => ({ [credential]: [] }));
  return object;
}

export function buildDocument(info: DocumentInfo, operations: readonly ApiOperation[]): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const used = new Set<ApiCredential>();
  for (const operation of operations) {
    const template = templateOf(operation.path);
    const item = (paths[template] ??= {});
    if (item[operation.method]) throw new Error(`${operation.method.toUpperCase()} ${operation.path} is described twice`);
    item[operation.method] = operationObject(operation, components);
    operation.credentials.forEach((c) => used.add(c));
  }
  const schemes = Object.fromEntries([...used].map((c) => [c, SECURITY_SCHEMES[c]]));
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: { schemas: components, securitySchemes: schemes },
  };
}
