/**
 * The database a test platform runs on: a private in-memory SQLite by default, or, when
 * DATABASE_URL points at PostgreSQL, a fresh database created on that server and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * `shareable` gives SQLite a file instead of memory, so several nodes can open it. `base` names the
 * PostgreSQL server to create the database on (default DATABASE_URL).
 */
export async function testDatabase(options: { shareable?: boolean; base?: string } = {}): Promise<TestDatabase> {
  const base = options.base ?? process.env.DATABASE_URL;
  if (!base || base.startsWith('sqlite:')) {
    if (!options.shareable) return { url: 'sqlite::memory:', drop: async () => {} };
    const dir = mkdtempSync(join(tmpdir(), 'carport-db-'));
    return { url: `sqlite:${join(dir, 'carport.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `carport_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
