/**
 * The console's pages: one HTML shell, its modules and style sheet, plain files under
 * public/console served as they are; the modules talk to the console's JSON API. The chart library
 * the Usage page draws with comes from the installed package (nothing from a CDN), under vendor/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { serveStaticPage, TYPES, type StaticAsset } from './static-pages.js';

function vendorAssets(): Map<string, StaticAsset> {
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot'));
  return new Map([
    ['vendor/uPlot.esm.js', { type: TYPES.js!, body: readFileSync(join(uplot, 'uPlot.esm.js')) }],
    ['vendor/uPlot.min.css', { type: TYPES.css!, body: readFileSync(join(uplot, 'uPlot.min.css')) }],
  ]);
}

export function registerConsolePages(app: FastifyInstance): void {
  serveStaticPage(app, new URL('../../public/console/', import.meta.url), '/console', vendorAssets());
}
