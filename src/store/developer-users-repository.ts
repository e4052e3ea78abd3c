/** Developer accounts. Emails arrive lower-cased and passwords already hashed. */
import type { Db } from './database.js';

export interface DeveloperUserRecord {
  id: string;
  email: string;
  passwordHash: string;
  /** A password carport generated and printed once, to be replaced at the first sign-in. */
  passwordTemporary: boolean;
  createdAt: string;
}

type Row = { id: string; email: string; password_hash: string; password_temporary: number; created_at: string };

function toRecord(row: Row): DeveloperUserRecord {
  return {
    id: row.id, email: row.email, passwordHash: row.password_hash, passwordTemporary: Number(row.password_temporary) === 1,
    createdAt: row.created_at,
  };
}

export function developerUsersRepository(db: Db) {
  return {
    /** False when the email is taken. */
    async insert(user: DeveloperUserRecord): Promise<boolean> {
      const result = await db.insertInto('developer_users').values({
        id: user.id, email: user.email, password_hash: user.passwordHash, password_temporary: user.passwordTemporary ? 1 : 0,
        created_at: user.createdAt,
      }).onConflict((oc) => oc.column('email').doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async findByEmail(email: string): Promise<DeveloperUserRecord | undefined> {
      const row = await db.selectFrom('developer_users').selectAll().where('email', '=', email).executeTakeFirst();
      return row && toRecord(row);
    },
    async find(id: string): Promise<DeveloperUserRecord | undefined> {
      const row = await db.selectFrom('developer_users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    /** A new password hash; `temporary` says whether it is one carport made. */
    async updatePassword(id: string, passwordHash: string, temporary: boolean): Promise<void> {
      await db.updateTable('developer_users').set({ password_hash: passwordHash, password_temporary: temporary ? 1 : 0 }).where('id', '=', id).execute();
    },
    async count(): Promise<number> {
      const row = await db.selectFrom('developer_users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type DeveloperUsersRepository = ReturnType<typeof developerUsersRepository>;

export interface ConsoleSessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export function consoleSessionsRepository(db: Db) {
  return {
    async insert(session: ConsoleSessionRecord): Promise<void> {
      await db.insertInto('console_sessions').values({
        token_hash: session.tokenHash, user_id: session.userId, created_at: session.createdAt, expires_at: session.expiresAt,
      }).execute();
    },
    /** The live session with this token hash and its user. */
    async findLive(tokenHash: string, now: string): Promise<{ session: ConsoleSessionRecord; user: DeveloperUserRecord } | undefined> {
      const row = await db.selectFrom('console_sessions as s').innerJoin('developer_users as u', 'u.id', 's.user_id')
        .select(['s.token_hash', 's.user_id', 's.created_at', 's.expires_at', 'u.id', 'u.email', 'u.password_hash', 'u.password_temporary', 'u.created_at as user_created_at'])
        .where('s.token_hash', '=', tokenHash).where('s.expires_at', '>', now).executeTakeFirst();
      if (!row) return undefined;
      return {
        session: { tokenHash: row.token_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at },
        user: toRecord({ id: row.id, email: row.email, password_hash: row.password_hash, password_temporary: row.password_temporary, created_at: row.user_created_at }),
      };
    },
    async delete(tokenHash: string): Promise<void> {
      await db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).execute();
    },
    /** Every session of a user but one (a password change ends the others). */
    async deleteOthers(userId: string, keepTokenHash: string): Promise<void> {
      await db.deleteFrom('console_sessions').where('user_id', '=', userId).where('token_hash', '!=', keepTokenHash).execute();
    },
  };
}

export type ConsoleSessionsRepository = ReturnType<typeof consoleSessionsRepository>;
