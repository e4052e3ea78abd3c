/**
 * The console's pages: one HTML shell and its script and style sheet, plain files under
 * public/console served as they are (no build step, nothing from another origin). Read once at
 * start; the script talks to the console's JSON API.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';

const ROOT = new URL('../../public/console/', import.meta.url);

/** Only what this page needs: its own scripts, styles and API, and no framing by other sites. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const ASSETS: Readonly<Record<string, string>> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

function secured(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache');
}

export function registerConsolePages(app: FastifyInstance): void {
  const shell = readFileSync(new URL('index.html', ROOT));
  const assets = new Map(Object.entries(ASSETS).map(([file, type]) => [file, { type, body: readFileSync(new URL(file, ROOT)) }]));

  const page = async (_request: unknown, reply: FastifyReply) => secured(reply).type('text/html; charset=utf-8').send(shell);
  app.get('/console', page);

  app.get<{ Params: { file: string } }>('/console/assets/:file', async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return secured(reply).type(asset.type).send(asset.body);
  });
}
