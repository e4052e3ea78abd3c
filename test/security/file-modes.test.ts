/**
 * The SQLite database holds hashed secrets, sealed provider credentials and personal data: carport
 * creates it, its -wal and -shm files and its directory for its own user only, whatever the umask.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startPlatform, type TestPlatform } from '../support/platform.js';

const root = mkdtempSync(join(tmpdir(), 'carport-modes-'));
const dataDir = join(root, 'data');
const file = join(dataDir, 'carport.db');
let tp: TestPlatform;

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

before(async () => {
  // The most permissive umask: whatever carport gets right here, it does not owe to the umask.
  const umask = process.umask(0);
  try {
    tp = await startPlatform({ databaseUrl: `sqlite:${file}` });
  } finally {
    process.umask(umask);
  }
  // A write after start-up, so the WAL holds something.
  await tp.platform.services.apps.create({ name: 'Second app', redirectUris: ['https://app.example.com/callback'] });
});
after(async () => {
  await tp?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('SQLite file modes', () => {
  test('the database file is created 0600', () => {
    assert.equal(mode(file), '600');
  });

  test('its -wal and -shm files are 0600', () => {
    for (const suffix of ['-wal', '-shm']) {
      // Both exist in WAL mode after a write; where a build does without one, there is nothing to check.
      if (existsSync(`${file}${suffix}`)) assert.equal(mode(`${file}${suffix}`), '600', suffix);
    }
  });

  test('the data directory carport creates is 0700', () => {
    assert.equal(mode(dataDir), '700');
  });
});
