/** Team members of apps, by address; each listed with the account that address has, if any. */
import type { Db } from './database.js';

export type MemberRole = 'owner' | 'developer' | 'viewer';

export interface AppMemberRecord {
  appId: string;
  /** Lower-cased. */
  email: string;
  role: MemberRole;
  invitedBy: string | null;
  createdAt: string;
}

export interface AppMemberView extends AppMemberRecord {
  /** The account with this address; null while the invitation waits for one. */
  userId: string | null;
}

export function appMembersRepository(db: Db) {
  return {
    /** False when the address is already on the app's team. */
    async insert(member: AppMemberRecord): Promise<boolean> {
      const result = await db.insertInto('app_members').values({
        app_id: member.appId, email: member.email, role: member.role, invited_by: member.invitedBy, created_at: member.createdAt,
      }).onConflict((oc) => oc.columns(['app_id', 'email']).doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async list(appId: string): Promise<AppMemberView[]> {
      const rows = await db.selectFrom('app_members as m').leftJoin('developer_users as u', 'u.email', 'm.email')
        .select(['m.app_id', 'm.email', 'm.role', 'm.invited_by', 'm.created_at', 'u.id as user_id'])
        .where('m.app_id', '=', appId).orderBy('m.created_at').orderBy('m.email').execute();
      return rows.map((r) => ({
        appId: r.app_id, email: r.email, role: r.role as MemberRole, invitedBy: r.invited_by, createdAt: r.created_at, userId: r.user_id,
      }));
    },
    async roleOf(appId: string, email: string): Promise<MemberRole | undefined> {
      const row = await db.selectFrom('app_members').select('role').where('app_id', '=', appId).where('email', '=', email).executeTakeFirst();
      return row?.role as MemberRole | undefined;
    },
    /** The apps this address is on the team of, with its role on each. */
    async appsOf(email: string): Promise<{ appId: string; role: MemberRole }[]> {
      const rows = await db.selectFrom('app_members').select(['app_id', 'role']).where('email', '=', email).execute();
      return rows.map((r) => ({ appId: r.app_id, role: r.role as MemberRole }));
    },
    async setRole(appId: string, email: string, role: MemberRole): Promise<boolean> {
      const result = await db.updateTable('app_members').set({ role }).where('app_id', '=', appId).where('email', '=', email).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async remove(appId: string, email: string): Promise<boolean> {
      const result = await db.deleteFrom('app_members').where('app_id', '=', appId).where('email', '=', email).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type AppMembersRepository = ReturnType<typeof appMembersRepository>;
