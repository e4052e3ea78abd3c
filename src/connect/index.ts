/** Connect: the owner-facing consent pages and the demo app's callback page. */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { ConnectDeps } from './connect-deps.js';
import { CONNECT_BODY_LIMIT } from './error-face.js';
import { sendPage } from './html.js';
import { callbackPage } from './pages.js';
import { registerStartRoutes } from './start-routes.js';
import { registerStepRoutes } from './step-routes.js';

export type { ConnectDeps } from './connect-deps.js';
export type { BrandChoice } from './pages.js';
export { connectErrorFace, isConnectPath } from './error-face.js';
export { PERMISSION_TEXT } from './permission-text.js';
export { checkLiveSignIn, MAX_FIELD_LENGTH as MAX_LIVE_FIELD_LENGTH, type LiveProvider } from './live-sign-in.js';
export { connectLink, consentPreview, scopeOf, type ConnectLinkInput, type ConsentPreview } from './connect-link.js';

export async function registerConnect(app: FastifyInstance, deps: ConnectDeps): Promise<void> {
  await app.register(async (connect) => {
    // Connect reads forms and nothing else: the API's JSON parser (and its 1 MB limit) stays outside,
    // so any other body is refused as 415 before a step sees it.
    connect.removeAllContentTypeParsers();
    await connect.register(cookie, { secret: deps.key });
    await connect.register(formbody, { bodyLimit: CONNECT_BODY_LIMIT });
    registerStartRoutes(connect, deps);
    registerStepRoutes(connect, deps);
    // Where the demo app printed by `carport serve` sends owners back: shows the code to exchange.
    connect.get('/demo/callback', async (request, reply) => {
      const params = new URLSearchParams(request.url.split('?')[1] ?? '');
      return sendPage(reply, { title: 'Demo app' }, callbackPage(params));
    });
  });
}
