/** Opens the one database (SQLite file or PostgreSQL, chosen by DATABASE_URL) and applies migrations. */
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { BoundedMap } from '../core/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { checkpointElsewhere } from './wal-checkpointer.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/**
 * Kysely asks better-sqlite3 to prepare every query anew; preparing costs more than running a
 * point lookup, so statements are kept by SQL text (a bounded set: queries are built from code).
 */
function withStatementCache(sqlite: SQLite.Database, onClose: () => void, max = 500) {
  const statements = new BoundedMap<string, SQLite.Statement>(max);
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      onClose();
      statements.clear();
      sqlite.close();
    },
  };
}

/**
 * Creates the database file (and its directory) readable by this user only, whatever the umask.
 * SQLite gives the -wal and -shm files the database file's permissions, so they follow. An existing
 * file keeps the permissions its operator chose.
 */
function createPrivately(file: string): void {
  const dir = dirname(file);
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/** PostgreSQL's connection pool of each database opened here, for the metrics. */
const pools = new WeakMap<Db, pg.Pool>();

export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}

export function openDatabase(url: string): Db {
  if (databaseKind(url) === 'sqlite') {
    const file = url.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') createPrivately(file);
    const sqlite = new SQLite(file);
    // WAL lets readers proceed during a write; NORMAL sync is safe with WAL and much faster.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const checkpointer = file === ':memory:' ? null : checkpointElsewhere(sqlite, file);
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, () => checkpointer?.stop()) }) });
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server closes (restart, failover, admin) must not take the process down;
  // the pool drops it and the next query opens a fresh one.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Migrations this code knows that the database has not applied (none once `migrate` ran). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrations = await new Migrator({ db, provider }).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
