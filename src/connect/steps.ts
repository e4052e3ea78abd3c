/**
 * Running one Connect step: load the interaction bound to this browser, run the step, and turn any
 * failure into the right answer — an error page, or a redirect back to the app.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConnectPageError, ConnectRedirectError } from './authorize-request.js';
import type { ConnectDeps } from './connect-deps.js';
import { sendPage } from './html.js';
import { errorPage } from './pages.js';
import { redirectError } from './redirects.js';
import { csrfToken, loadInteraction, type Interaction } from './session.js';

/** The owner reached a step out of order (a URL typed or replayed): Connect's configuration_error. */
export class StepOrderError extends Error {}

export interface StepContext {
  request: FastifyRequest;
  reply: FastifyReply;
  interaction: Interaction;
  /** CSRF token for this interaction's forms. */
  token: string;
  /** `/connect/<id>`: the prefix of this interaction's pages. */
  base: string;
  appName: string;
}

export type Step = (ctx: StepContext) => Promise<FastifyReply>;

export async function failureReply(
  deps: ConnectDeps, request: FastifyRequest, reply: FastifyReply, interaction: Interaction | null, error: unknown,
): Promise<FastifyReply> {
  if (error instanceof ConnectRedirectError) {
    const target = error.target ?? interaction?.authorize;
    if (target) return redirectError(deps, reply, interaction?.id ?? null, target, error);
  }
  const exit = interaction ? { action: `/connect/${interaction.id}/exit`, token: csrfToken(deps.key, interaction.id) } : null;
  if (error instanceof ConnectPageError) return sendPage(reply, { title: 'Error', status: 400 }, errorPage(error.message, null));
  if (error instanceof StepOrderError) return sendPage(reply, { title: 'Error', status: 400 }, errorPage(error.message, exit));
  request.log.error({ err: error }, 'connect step failed');
  if (interaction) {
    return redirectError(deps, reply, interaction.id, interaction.authorize,
      new ConnectRedirectError('server_error', 'Unexpected server error. Please try again.'));
  }
  return sendPage(reply, { title: 'Error', status: 500 }, errorPage('Unexpected server error. Please try again.', null));
}

export function step(deps: ConnectDeps, run: Step) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    let interaction: Interaction | null = null;
    try {
      interaction = await loadInteraction(deps.interactions, deps.key, request, request.params.id, deps.clock.now());
      const app = await deps.apps.find(interaction.appId);
      return await run({
        request, reply, interaction, token: csrfToken(deps.key, interaction.id), base: `/connect/${interaction.id}`,
        appName: app?.name ?? 'An application',
      });
    } catch (error) {
      return failureReply(deps, request, reply, interaction, error);
    }
  };
}

/** A form field's values (repeated fields arrive as arrays). */
export function formValues(request: FastifyRequest, name: string): string[] {
  const value = (request.body as Record<string, string | string[] | undefined> | undefined)?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
