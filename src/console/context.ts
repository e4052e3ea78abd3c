/**
 * What every route module of the console's JSON API is handed: the signed-in developer, the app
 * they may act on with a given role, body parsing into a 400 naming the field, and the origin apps
 * reach carport at.
 */
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { isUuid } from '../core/index.js';
import type { AppService } from '../oauth/index.js';
import type { AppRecord, DeveloperUserRecord } from '../store/index.js';
import { Refusal } from './refusals.js';
import type { SignedIn } from './sessions.js';

/** Credentials and a few fields: nothing the console sends is larger. */
export const BODY_LIMIT = 16 * 1024;

/**
 * What a developer may do on an app, each role including the ones before it: a viewer reads, a
 * developer also changes the app's cars, simulator and webhooks, an owner also its credentials and team.
 */
export type AppRole = 'viewer' | 'developer' | 'owner';
export const ROLE_RANK: Readonly<Record<AppRole, number>> = { viewer: 0, developer: 1, owner: 2 };

export interface ConsoleContext {
  /** The signed-in developer; on a request that changes something, its CSRF token checked too. */
  signedIn(request: FastifyRequest): Promise<SignedIn>;
  /**
   * The app with this client id if the signed-in developer holds at least `role` on it; an app
   * they cannot see, or none, is 404 (ids leak nothing), one they see with too small a role 403.
   */
  appFor(request: FastifyRequest, clientId: string, role: AppRole): Promise<{ session: SignedIn; app: AppRecord; role: AppRole }>;
  /** The apps the developer owns or is on the team of, with their role on each, oldest first. */
  appsOf(session: SignedIn): Promise<{ app: AppRecord; role: AppRole }[]>;
  /** PUBLIC_URL's origin when set, else the origin the console was called at. */
  originOf(request: FastifyRequest): string;
}

/** The body (or query) as `schema` reads it, or a 400 naming the first field that is not as expected. */
export function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : 'the body';
    throw new Refusal(400, 'invalid_request', `Expected a JSON object; ${field}: ${issue?.message ?? 'not as expected'}.`);
  }
  return result.data;
}

/** The role a developer holds on an app, or none. */
export type RoleOf = (app: AppRecord, user: DeveloperUserRecord) => Promise<AppRole | undefined>;

/** Roles from the app's team: its owning user is owner, an invited address holds the role it was given. */
export function roleFromTeam(team: { roleOf: RoleOf }): RoleOf {
  return (app, user) => team.roleOf(app, user);
}

export function appAccess(apps: AppService, roleOf: RoleOf) {
  return async (session: SignedIn, clientId: string, need: AppRole): Promise<{ app: AppRecord; role: AppRole }> => {
    const app = isUuid(clientId) ? await apps.find(clientId.toLowerCase()) : undefined;
    const role = app && await roleOf(app, session.user);
    if (!app || !role) throw new Refusal(404, 'not_found', 'You have no app with that client id.');
    if (ROLE_RANK[role] < ROLE_RANK[need]) throw new Refusal(403, 'forbidden', `This needs the ${need} role on the app; you are ${role === 'viewer' ? 'a viewer' : `its ${role}`}.`);
    return { app, role };
  };
}
