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
    async count(): Promise<number> {
      const row = await db.selectFrom('developer_users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type DeveloperUsersRepository = ReturnType<typeof developerUsersRepository>;
