/**
 * An app's team: its owning user (always owner, never removed) and the addresses invited with a
 * role. An invitation to an address without an account waits, and holds as soon as an account
 * with that address exists (`carport users create` or the console's sign-up alike), because
 * membership is by address. Outcomes are results, turned into answers by the routes.
 */
import type { Clock } from '../core/index.js';
import { normalizedEmail, type DeveloperUserService } from '../developers/index.js';
import type { AppService } from '../oauth/index.js';
import type { AppMembersRepository, AppRecord, DeveloperUserRecord, MemberRole } from '../store/index.js';

export interface TeamMember {
  email: string;
  role: MemberRole;
  /** The account with this address; null while the invitation waits for one. */
  userId: string | null;
  /** The app's owning user: owner for good. */
  appOwner: boolean;
  since: string;
}

/** What a change to the team came to: done, nothing to change, or refused for the owning user. */
export type TeamChange = 'done' | 'not_member' | 'already_member' | 'app_owner';

export function teamService(members: AppMembersRepository, developers: DeveloperUserService, apps: AppService, clock: Clock) {
  const owningEmail = async (app: AppRecord) => (app.ownerUserId ? (await developers.find(app.ownerUserId))?.email : undefined);

  return {
    /** The role this developer holds on the app, or none. */
    async roleOf(app: AppRecord, user: Pick<DeveloperUserRecord, 'id' | 'email'>): Promise<MemberRole | undefined> {
      if (app.ownerUserId === user.id) return 'owner';
      return members.roleOf(app.id, user.email);
    },

    /** The apps a developer owns or is on the team of, oldest first, each with their role. */
    async appsOf(user: Pick<DeveloperUserRecord, 'id' | 'email'>): Promise<{ app: AppRecord; role: MemberRole }[]> {
      const [owned, memberships] = await Promise.all([apps.listOwnedBy(user.id), members.appsOf(user.email)]);
      const ownedIds = new Set(owned.map((a) => a.id));
      const joined = await Promise.all(memberships.filter((m) => !ownedIds.has(m.appId)).map(async (m) => {
        const app = await apps.find(m.appId);
        return app ? [{ app, role: m.role }] : [];
      }));
      return [...owned.map((app) => ({ app, role: 'owner' as const })), ...joined.flat()]
        .sort((a, b) => a.app.createdAt.localeCompare(b.app.createdAt) || a.app.id.localeCompare(b.app.id));
    },

    async list(app: AppRecord): Promise<TeamMember[]> {
      const [rows, owner] = await Promise.all([members.list(app.id), app.ownerUserId ? developers.find(app.ownerUserId) : undefined]);
      const team: TeamMember[] = rows.filter((r) => r.email !== owner?.email)
        .map((r) => ({ email: r.email, role: r.role, userId: r.userId, appOwner: false, since: r.createdAt }));
      return owner ? [{ email: owner.email, role: 'owner', userId: owner.id, appOwner: true, since: app.createdAt }, ...team] : team;
    },

    /** Throws DeveloperUserError for an address that is none. */
    async invite(app: AppRecord, rawEmail: string, role: MemberRole, invitedBy: string): Promise<TeamChange> {
      const email = normalizedEmail(rawEmail);
      if (email === await owningEmail(app)) return 'app_owner';
      const added = await members.insert({ appId: app.id, email, role, invitedBy, createdAt: clock.now().toISOString() });
      return added ? 'done' : 'already_member';
    },

    async changeRole(app: AppRecord, rawEmail: string, role: MemberRole): Promise<TeamChange> {
      const email = normalizedEmail(rawEmail);
      if (email === await owningEmail(app)) return 'app_owner';
      return (await members.setRole(app.id, email, role)) ? 'done' : 'not_member';
    },

    async remove(app: AppRecord, rawEmail: string): Promise<TeamChange> {
      const email = normalizedEmail(rawEmail);
      if (email === await owningEmail(app)) return 'app_owner';
      return (await members.remove(app.id, email)) ? 'done' : 'not_member';
    },
  };
}

export type TeamService = ReturnType<typeof teamService>;
