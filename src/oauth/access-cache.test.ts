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

test('a value read before an eviction is not kept after it, one read after it is', () => {
  const cache = new AccessCache<{ appId: string; accountId: string }>(1000, 10);
  const before = cache.moment();
  cache.evictAccount('a', 'x');
  cache.set('t1', { appId: 'a', accountId: 'x' }, 0, before);
  assert.equal(cache.get('t1', 1), undefined, 'the account was evicted while the token was read');
  cache.set('t2', { appId: 'a', accountId: 'y' }, 0, before);
  assert.ok(cache.get('t2', 1), 'another account is unaffected');
  const later = cache.moment();
  cache.delete('t3');
  cache.set('t3', { appId: 'a', accountId: 'z' }, 0, later);
  assert.equal(cache.get('t3', 1), undefined, 'the token itself was evicted while it was read');
  const afterClear = cache.moment();
  cache.clear();
  cache.set('t4', { appId: 'a', accountId: 'z' }, 0, afterClear);
  assert.equal(cache.get('t4', 1), undefined, 'everything was dropped while it was read');
  cache.set('t4', { appId: 'a', accountId: 'z' }, 0, cache.moment());
  assert.ok(cache.get('t4', 1));
});
