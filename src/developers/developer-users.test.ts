/** Developer accounts on a migrated database: created, verified, refused. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../core/index.js';
import { developerUsersRepository, migrate, openDatabase, type Db } from '../store/index.js';
import { developerUserService, DeveloperUserError } from './developer-users.js';

let db: Db;
let service: ReturnType<typeof developerUserService>;

before(async () => {
  db = openDatabase('sqlite::memory:');
  await migrate(db);
  service = developerUserService(developerUsersRepository(db), systemClock);
});
after(() => db.destroy());

describe('developer accounts (developers)', () => {
  test('verify opens the account with its password only, whatever the spelling of the address', async () => {
    const user = await service.create({ email: 'Ada@Example.com', password: 'analytical engine' });
    const opened = await service.verify(' ADA@example.COM', 'analytical engine');
    assert.equal(opened?.id, user.userId);
    assert.equal(opened?.passwordTemporary, false);
    assert.notEqual(opened?.passwordHash, 'analytical engine');
    assert.equal(await service.verify('ada@example.com', 'analytical Engine'), undefined);
    assert.equal(await service.verify('nobody@example.com', 'analytical engine'), undefined);
    assert.equal(await service.verify('not an address', 'analytical engine'), undefined);
    assert.equal(await service.verify('ada@example.com', 'x'.repeat(10_000)), undefined);
  });

  test('a generated password opens its account and marks it temporary', async () => {
    const made = await service.createWithGeneratedPassword('first@example.com');
    assert.match(made.password, /^[\w-]{24}$/);
    const opened = await service.verify('first@example.com', made.password);
    assert.equal(opened?.passwordTemporary, true);
    await assert.rejects(service.createWithGeneratedPassword('FIRST@example.com'), DeveloperUserError);
  });

  test('counts accounts', async () => {
    assert.equal(await service.count(), 2);
  });
});
