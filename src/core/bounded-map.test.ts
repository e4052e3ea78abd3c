import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMap } from './bounded-map.js';

test('a full bounded map drops its oldest entry, not everything', () => {
  const map = new BoundedMap<string, number>(3);
  for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, i);
  assert.deepEqual([...map.keys()], ['b', 'c', 'd']);
  map.set('c', 9);
  assert.deepEqual([...map.entries()], [['b', 1], ['c', 9], ['d', 3]], 'updating a key evicts nothing');
});
