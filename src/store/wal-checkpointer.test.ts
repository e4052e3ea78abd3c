import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './database.js';

test('an SQLite file\'s log is checkpointed by the worker thread, not by the commits on this one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'carport-wal-'));
  const file = join(dir, 'carport.db');
  const db = openDatabase(`sqlite:${file}`);
  try {
    await sql`create table filler (id integer primary key, body text not null)`.execute(db);
    const before = statSync(file).size;
    // About 1 MB: a quarter of the 1,000 pages past which SQLite's own autocheckpoint would run.
    const body = 'x'.repeat(1000);
    for (let i = 0; i < 1000; i++) await sql`insert into filler (body) values (${body})`.execute(db);
    assert.ok(statSync(`${file}-wal`).size > 1_000_000, 'the rows wait in the log');
    for (const end = Date.now() + 20_000; statSync(file).size < before + 1_000_000; await new Promise((r) => setTimeout(r, 50))) {
      assert.ok(Date.now() < end, 'the database file received the logged pages');
    }
    const { rows } = await sql<{ n: number }>`select count(*) as n from filler`.execute(db);
    assert.equal(rows[0]?.n, 1000);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
