import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sealer } from './sealing.js';

test('a sealed value opens with its key only, and tampering is detected', () => {
  const key = randomBytes(32);
  const sealed = sealer(key).seal('management-token');
  assert.ok(!sealed.includes('management-token'));
  assert.equal(sealer(key).unseal(sealed), 'management-token');
  assert.throws(() => sealer(randomBytes(32)).unseal(sealed));
  const parts = sealed.split('.');
  parts[3] = Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1'), 'latin1').toString('base64url');
  assert.throws(() => sealer(key).unseal(parts.join('.')));
  assert.notEqual(sealer(key).seal('same'), sealer(key).seal('same'), 'a fresh nonce every time');
});
