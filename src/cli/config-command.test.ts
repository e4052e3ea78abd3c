import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configTable } from './config-command.js';

test('the README’s configuration table is the one `carport config` prints', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  assert.ok(readme.includes(configTable()), 'run `carport config` and paste its table into README.md');
});
