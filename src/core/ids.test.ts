import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isUuid, timeOrderedUuid } from './ids.js';

describe('timeOrderedUuid', () => {
  test('is a version 7, RFC 9562 variant UUID carrying its millisecond', () => {
    const at = Date.UTC(2026, 10, 26, 12, 0, 0, 123);
    const id = timeOrderedUuid(at);
    assert.ok(isUuid(id));
    assert.equal(id[14], '7');
    assert.match(id[19]!, /[89ab]/);
    assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
  });

  test('ids of later milliseconds sort after earlier ones; ids of one millisecond differ', () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((d) => timeOrderedUuid(1_700_000_000_000 + d));
    assert.deepEqual([...ids].sort(), ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(1_700_000_000_000)));
    assert.equal(same.size, 1000);
  });
});
