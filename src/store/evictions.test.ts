import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { noticesOf } from './evictions.js';

test('many ids are batched into as few notices as fit, each under PostgreSQL\'s 8000-byte payload limit', () => {
  const ids = Array.from({ length: 1000 }, () => randomUUID());
  const notices = noticesOf('vehicle', ids);
  assert.ok(notices.length > 1 && notices.length <= 6, `${notices.length} notices`);
  for (const notice of notices) assert.ok(Buffer.byteLength(notice) < 8000);
  const parsed = notices.map((n) => JSON.parse(n) as { kind: string; ids: string[] });
  assert.ok(parsed.every((n) => n.kind === 'vehicle'));
  assert.deepEqual(parsed.flatMap((n) => n.ids), ids);
  assert.deepEqual(noticesOf('token', ['h']), ['{"kind":"token","ids":["h"]}']);
});
