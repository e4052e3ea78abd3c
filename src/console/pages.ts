/**
 * The console's pages: one HTML shell, its modules and style sheet, plain files under
 * public/console served as they are (no build step, nothing from another origin). Read once at
 * start; the modules talk to the console's JSON API.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

const ROOT = new URL('../../public/console/', import.meta.url);

/** Only what this page needs: its own scripts, styles and API, and no framing by other sites. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Every file under public/console with a type above, by its path there (`pages/apps.js`). */
function readAssets(): Map<string, { type: string; body: Buffer }> {
  const root = fileURLToPath(ROOT);
  const assets = new Map<string, { type: string; body: Buffer }>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const type = entry.isFile() ? TYPES[entry.name.slice(entry.name.lastIndexOf('.') + 1)] : undefined;
    if (!type) continue;
    const file = join(entry.parentPath, entry.name);
    assets.set(relative(root, file).split(sep).join('/'), { type, body: readFileSync(file) });
  }
  return assets;
}

/**
 * The chart library the Usage page draws with, from the installed package (nothing from a CDN),
 * under vendor/: its ES module and its style sheet.
 */
function readVendorAssets(assets: Map<string, { type: string; body: Buffer }>): void {
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot'));
  assets.set('vendor/uPlot.esm.js', { type: TYPES.js!, body: readFileSync(join(uplot, 'uPlot.esm.js')) });
  assets.set('vendor/uPlot.min.css', { type: TYPES.css!, body: readFileSync(join(uplot, 'uPlot.min.css')) });
}

function secured(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache');
}

export function registerConsolePages(app: FastifyInstance): void {
  const shell = readFileSync(new URL('index.html', ROOT));
  const assets = readAssets();
  readVendorAssets(assets);

  const page = async (_request: unknown, reply: FastifyReply) => secured(reply).type('text/html; charset=utf-8').send(shell);
  app.get('/console', page);

  app.get<{ Params: { '*': string } }>('/console/assets/*', async (request, reply) => {
    const asset = assets.get(request.params['*']);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return secured(reply).type(asset.type).send(asset.body);
  });
}
