import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sealer } from '../../oauth/index.js';
import { SignInError } from '../provider.js';
import { accountKeyOf, parseCredentials, sealState, unsealState } from './credentials.js';

const fields = { server: 'mqtts://broker.example.org:8883', username: 'alice', password: 'p', vehicleId: 'EV1' };
const refused = (e: unknown) => e instanceof SignInError;

describe('OVMS sign-in fields', () => {
  test('take mqtt:// and mqtts:// servers, keeping only scheme, host and port', () => {
    assert.equal(parseCredentials({ ...fields, server: ' mqtt://Broker.example.org/ ' }).server, 'mqtt://broker.example.org');
    assert.equal(parseCredentials(fields).server, 'mqtts://broker.example.org:8883');
  });

  test('refuse other schemes, user info in the URL, and topic wildcards in username or vehicle id', () => {
    assert.throws(() => parseCredentials({ ...fields, server: 'https://broker.example.org' }), refused);
    assert.throws(() => parseCredentials({ ...fields, server: 'mqtt://bob:pw@broker.example.org' }), refused);
    assert.throws(() => parseCredentials({ ...fields, username: 'a/b' }), refused);
    assert.throws(() => parseCredentials({ ...fields, vehicleId: '#' }), refused);
    assert.throws(() => parseCredentials({ ...fields, vehicleId: '+' }), refused);
  });

  test('one account per server and username, whichever vehicle', () => {
    assert.equal(accountKeyOf(parseCredentials(fields)), accountKeyOf(parseCredentials({ ...fields, vehicleId: 'EV2' })));
    assert.notEqual(accountKeyOf(parseCredentials(fields)), accountKeyOf(parseCredentials({ ...fields, username: 'bob' })));
  });

  test('are stored sealed and read back whole', () => {
    const seal = sealer(Buffer.alloc(32, 1));
    const credentials = parseCredentials({ ...fields, password: 'hunter2-very-secret' });
    const state = sealState(seal, credentials);
    assert.ok(!state.includes('hunter2') && !state.includes('alice') && !state.includes('broker.example.org'));
    assert.deepEqual(unsealState(seal, state), credentials);
  });
});
