/**
 * A page of carport's own made of plain files: one HTML shell at `path`, and every module, style
 * sheet and image under `root` at `path/assets/<file>`, served as they are (no build step, nothing
 * from another origin). Read once at start. The console and the owner's page are both served so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Only what the page needs: its own scripts, styles and API, and no framing by other sites. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Every file under `root` with a type above, by its path there (`pages/apps.js`). */
function readAssets(root: URL): Map<string, { type: string; body: Buffer }> {
  const dir = fileURLToPath(root);
  const assets = new Map<string, { type: string; body: Buffer }>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const type = entry.isFile() ? TYPES[entry.name.slice(entry.name.lastIndexOf('.') + 1)] : undefined;
    if (!type) continue;
    const file = join(entry.parentPath, entry.name);
    assets.set(relative(dir, file).split(sep).join('/'), { type, body: readFileSync(file) });
  }
  return assets;
}

function secured(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache');
}

export interface StaticAsset {
  type: string;
  body: Buffer;
}

/** Serves `root`'s index.html at `path`, its other files and the `extra` ones under `path/assets/`. */
export function serveStaticPage(app: FastifyInstance, root: URL, path: string, extra: ReadonlyMap<string, StaticAsset> = new Map()): void {
  const shell = readFileSync(new URL('index.html', root));
  const assets = new Map([...readAssets(root), ...extra]);

  app.get(path, async (_request, reply) => secured(reply).type('text/html; charset=utf-8').send(shell));

  app.get<{ Params: { '*': string } }>(`${path}/assets/*`, async (request, reply) => {
    const asset = assets.get(request.params['*']);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return secured(reply).type(asset.type).send(asset.body);
  });
}
