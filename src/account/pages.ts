/**
 * The owner's page at /account: a shell, a module and a style sheet under public/account, served
 * as the console's are (same strict content security policy, no build step); the module talks to
 * the owner's JSON API under /account/api.
 */
import type { FastifyInstance } from 'fastify';
import { serveStaticPage } from '../console/index.js';

export function registerAccountPages(app: FastifyInstance): void {
  serveStaticPage(app, new URL('../../public/account/', import.meta.url), '/account');
}
