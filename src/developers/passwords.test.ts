/** Developers' passwords: scrypt with its parameters and salt, matched in constant time, nothing else accepted. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generatedPassword, hashPassword, passwordMatches } from './passwords.js';

describe('passwords (developers)', () => {
  test('a hash carries scheme, parameters and a fresh salt, and matches only its password', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse battery'), hashPassword('correct horse battery')]);
    assert.match(a, /^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.notEqual(a, b, 'salted');
    assert.ok(!a.includes('correct'));
    assert.equal(await passwordMatches('correct horse battery', a), true);
    assert.equal(await passwordMatches('correct horse batterY', a), false);
    assert.equal(await passwordMatches('', a), false);
  });

  test('the same text in another Unicode form is the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait');
    assert.equal(await passwordMatches('cafe\u0301 au lait', stored), true);
  });

  test('a stored text of any other form matches nothing', async () => {
    for (const stored of ['', 'plain', 'bcrypt$x$y', 'scrypt$15$8$1$$', 'scrypt$40$8$1$abc$def', 'scrypt$x$8$1$abc$def', 'scrypt$0$8$1$abc$def', '0'.repeat(64)]) {
      assert.equal(await passwordMatches('plain', stored), false, stored);
    }
  });

  test('generated passwords are 24 base64url characters and differ', () => {
    const passwords = new Set(Array.from({ length: 20 }, generatedPassword));
    assert.equal(passwords.size, 20);
    for (const p of passwords) assert.match(p, /^[\w-]{24}$/);
  });
});
