/**
 * The console's pages: one HTML shell, its modules and style sheet, plain files under
 * public/console served as they are; the modules talk to the console's JSON API.
 */
import type { FastifyInstance } from 'fastify';
import { serveStaticPage } from './static-pages.js';

export function registerConsolePages(app: FastifyInstance): void {
  serveStaticPage(app, new URL('../../public/console/', import.meta.url), '/console');
}
