import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccessCache } from './access-cache.js';

test('entries expire after the TTL, and evicting an account drops exactly its tokens', () => {
  const cache = new AccessCache<{ appId: string; accountId: string }>(1000, 10);
  cache.set('t1', { appId: 'a', accountId: 'x' }, 0);
  cache.set('t2', { appId: 'a', accountId: 'x' }, 0);
  cache.set('t3', { appId: 'a', accountId: 'y' }, 0);
  assert.ok(cache.get('t1', 999));
  assert.equal(cache.get('t1', 1000), undefined, 'expired');
  cache.evictAccount('a', 'x');
  assert.equal(cache.get('t2', 10), undefined);
  assert.ok(cache.get('t3', 10));
});

test('a full cache drops its oldest entry', () => {
  const cache = new AccessCache<{ appId: string; accountId: string }>(1000, 2);
  for (const key of ['t1', 't2', 't3']) cache.set(key, { appId: 'a', accountId: key }, 0);
  assert.equal(cache.get('t1', 1), undefined);
  assert.ok(cache.get('t2', 1) && cache.get('t3', 1));
});
