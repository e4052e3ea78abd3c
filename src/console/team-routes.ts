/**
 * An app's team in the console: anyone on it lists the members; owners invite an address with a
 * role, change a member's role and remove one. The app's owning user stays owner.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BODY_LIMIT, parsed, type ConsoleContext } from './context.js';
import { Refusal } from './refusals.js';
import type { TeamChange, TeamService } from './teams.js';

export interface TeamRoutesDeps {
  team: TeamService;
}

/** Longer than any address (RFC 5321: 254); refused before any check. */
const email = z.string().max(320);
const role = z.enum(['owner', 'developer', 'viewer']);
const inviteBody = z.object({ email, role });
const roleBody = z.object({ role });

type MemberParams = { Params: { clientId: string; email: string } };

/** A change that did not happen, as its refusal. */
function refused(change: TeamChange): Refusal | undefined {
  switch (change) {
    case 'done': return undefined;
    case 'app_owner': return new Refusal(400, 'app_owner', 'The app\'s owning user stays its owner and on its team.');
    case 'already_member': return new Refusal(409, 'already_member', 'That address is already on the app\'s team.');
    case 'not_member': return new Refusal(404, 'not_found', 'That address is not on the app\'s team.');
  }
}

export function registerTeamRoutes(api: FastifyInstance, ctx: ConsoleContext, deps: TeamRoutesDeps): void {
  const memberEmail = (raw: string) => parsed(email, raw);

  api.get<{ Params: { clientId: string } }>('/console/api/apps/:clientId/members', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    return { members: await deps.team.list(app) };
  });

  api.post<{ Params: { clientId: string } }>('/console/api/apps/:clientId/members', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const { app, session } = await ctx.appFor(request, request.params.clientId, 'owner');
    const body = parsed(inviteBody, request.body);
    const refusal = refused(await deps.team.invite(app, body.email, body.role, session.user.id));
    if (refusal) throw refusal;
    reply.code(201);
    return { members: await deps.team.list(app) };
  });

  api.put<MemberParams>('/console/api/apps/:clientId/members/:email', { bodyLimit: BODY_LIMIT }, async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'owner');
    const body = parsed(roleBody, request.body);
    const refusal = refused(await deps.team.changeRole(app, memberEmail(request.params.email), body.role));
    if (refusal) throw refusal;
    return { members: await deps.team.list(app) };
  });

  api.delete<MemberParams>('/console/api/apps/:clientId/members/:email', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'owner');
    const refusal = refused(await deps.team.remove(app, memberEmail(request.params.email)));
    if (refusal) throw refusal;
    return { members: await deps.team.list(app) };
  });
}
