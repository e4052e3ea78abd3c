/**
 * GET /openapi/v2.json, /openapi/v3.json and /openapi/management.json: made once when the routes
 * are registered and answered as the same bytes every time, so describing the API costs no request.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ApiDocument } from '../core/index.js';
import { openApiDocument } from './documents.js';

const DOCUMENTS: readonly ApiDocument[] = ['v2', 'v3', 'management'];

/** carport's own version, which the documents carry (src/ and dist/ both sit beside package.json). */
function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return version;
}

export function registerOpenApi(app: FastifyInstance): void {
  const version = packageVersion();
  for (const document of DOCUMENTS) {
    const bytes = Buffer.from(JSON.stringify(openApiDocument(document, version)));
    app.get(`/openapi/${document}.json`, (_request, reply) => reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(bytes));
  }
}
