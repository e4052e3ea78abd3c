import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { addressPolicy } from './address-policy.js';
import { outboundDispatcher } from './http-dispatcher.js';

let server: Server;
let port = 0;
let hits = 0;

before(async () => {
  server = createServer((_req, res) => {
    hits += 1;
    res.end('internal secret');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
after(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));

/** A DNS server under an attacker's control: a public address when asked first, loopback afterwards. */
function rebindingResolver() {
  let asked = 0;
  return ((_name: string, _options: LookupOptions, callback: (e: Error | null, a: LookupAddress[]) => void) => {
    asked += 1;
    callback(null, [{ address: asked === 1 ? '93.184.215.14' : '127.0.0.1', family: 4 }]);
  }) as never;
}

describe('the outbound HTTP dispatcher', () => {
  test('a name that resolves to loopback at connect time is refused, without contacting it', async () => {
    const resolve = rebindingResolver();
    const policy = addressPolicy({ allowCidrs: '', resolve });
    // What a check made when the webhook was created would have seen.
    const first = await new Promise<unknown>((done) => policy.lookup('rebind.example', {}, (_e, address) => done(address)));
    assert.equal(first, '93.184.215.14');
    const dispatcher = outboundDispatcher(policy, { connectTimeoutMs: 5_000 });
    await assert.rejects(request(`http://rebind.example:${port}/`, { dispatcher }), { code: 'EOUTBOUNDREFUSED' });
    assert.equal(hits, 0);
    await dispatcher.close();
  });

  test('an IP literal is refused before dialling, in any spelling the URL parser accepts', async () => {
    const dispatcher = outboundDispatcher(addressPolicy({ allowCidrs: '' }), { connectTimeoutMs: 5_000 });
    for (const host of ['127.0.0.1', '2130706433', '0x7f000001', '127.1', '[::ffff:127.0.0.1]', 'localhost']) {
      await assert.rejects(request(`http://${host}:${port}/`, { dispatcher }), { code: 'EOUTBOUNDREFUSED' }, host);
    }
    assert.equal(hits, 0);
    await dispatcher.close();
  });

  test('an allowed range is reached', async () => {
    const dispatcher = outboundDispatcher(addressPolicy({ allowCidrs: '127.0.0.0/8' }), { connectTimeoutMs: 5_000 });
    const res = await request(`http://127.0.0.1:${port}/`, { dispatcher });
    assert.equal(await res.body.text(), 'internal secret');
    assert.equal(hits, 1);
    await dispatcher.close();
  });
});
