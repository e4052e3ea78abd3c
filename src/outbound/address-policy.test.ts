import assert from 'node:assert/strict';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { describe, test } from 'node:test';
import { addressPolicy, defaultAllowCidrs, embeddedIPv4 } from './address-policy.js';

/** How each spelling reaches the policy: the URL parser's hostname for HTTP, else the literal itself. */
function httpHost(spelling: string): string {
  return new URL(`http://${spelling}:8080/`).hostname.replace(/^\[(.*)\]$/, '$1');
}

const REFUSED = [
  '127.0.0.1', '127.1.2.3', '[::1]', '0x7f000001', '2130706433', '127.1', '0177.0.0.1', '0x7f.1',
  '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]', '[::127.0.0.1]', '[64:ff9b::127.0.0.1]', '[2002:7f00:1::]',
  '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '[::ffff:10.0.0.1]', '[::ffff:0:10.0.0.1]',
  '169.254.169.254', '[::ffff:169.254.169.254]', '[fe80::1]', '[fc00::1]', '[fd12:3456::1]',
  '100.64.0.1', '100.127.255.255', '224.0.0.1', '239.255.255.250', '[ff02::1]', '0.0.0.0', '0', '[::]', '255.255.255.255',
  '192.0.2.1', '198.18.0.1', '[2001:db8::1]', '[2001:0:4136:e378:8000:63bf:3fff:fdd2]', '[64:ff9b:1::a00:1]',
];
const ALLOWED = ['93.184.215.14', '8.8.8.8', '100.128.0.1', '172.32.0.1', '[2606:4700::1111]', '[::ffff:8.8.8.8]', '[64:ff9b::8.8.8.8]', '[2002:808:808::1]'];

describe('outbound address policy', () => {
  const policy = addressPolicy({ allowCidrs: '' });

  for (const spelling of REFUSED) {
    test(`refuses ${spelling}`, () => {
      const host = httpHost(spelling);
      assert.equal(policy.allows(host), false, host);
      assert.throws(() => policy.checkLiteral(host), { code: 'EOUTBOUNDREFUSED' });
    });
  }

  for (const spelling of ALLOWED) {
    test(`allows ${spelling}`, () => {
      assert.equal(policy.allows(httpHost(spelling)), true);
      assert.doesNotThrow(() => policy.checkLiteral(httpHost(spelling)));
    });
  }

  test('a name is no address: it is refused by `allows` and left to `lookup` by `checkLiteral`', () => {
    assert.equal(policy.allows('localhost'), false);
    assert.doesNotThrow(() => policy.checkLiteral('receiver.example.com'));
  });

  test('finds the IPv4 address inside mapped, compatible, NAT64 and 6to4 forms', () => {
    assert.equal(embeddedIPv4('::ffff:7f00:1'), '127.0.0.1');
    assert.equal(embeddedIPv4('::a00:1'), '10.0.0.1');
    assert.equal(embeddedIPv4('64:ff9b::a9fe:a9fe'), '169.254.169.254');
    assert.equal(embeddedIPv4('2002:c0a8:101::1'), '192.168.1.1');
    assert.equal(embeddedIPv4('2606:4700::1111'), undefined);
  });

  test('an allowed range opens exactly that range, in every form', () => {
    const local = addressPolicy({ allowCidrs: '127.0.0.0/8, ::1/128' });
    for (const host of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:7f00:1']) assert.equal(local.allows(host), true, host);
    for (const host of ['10.0.0.1', '169.254.169.254', '::ffff:a00:1', 'fe80::1']) assert.equal(local.allows(host), false, host);
    const lan = addressPolicy({ allowCidrs: '10.20.0.0/16' });
    assert.equal(lan.allows('10.20.3.4'), true);
    assert.equal(lan.allows('10.21.3.4'), false);
  });

  test('loopback is allowed by default only when carport listens on loopback', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', 'LOCALHOST']) assert.equal(defaultAllowCidrs(host), '127.0.0.0/8,::1/128', host);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'carport.example.com']) assert.equal(defaultAllowCidrs(host), '', host);
  });
});

describe('outbound lookup (checked on what DNS answers, at connect time)', () => {
  /** A resolver that answers what the test says, as a rebinding DNS server would. */
  function resolver(answers: string[]) {
    return ((_name: string, _options: LookupOptions, callback: (e: Error | null, a: LookupAddress[]) => void) => {
      callback(null, answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    }) as never;
  }
  function lookup(answers: string[], all: boolean): Promise<{ error: NodeJS.ErrnoException | null; address: unknown }> {
    const policy = addressPolicy({ allowCidrs: '', resolve: resolver(answers) });
    return new Promise((resolve) => policy.lookup('receiver.example.com', { all }, (error, address) => resolve({ error, address })));
  }

  test('a name that resolves to a public address is dialled', async () => {
    assert.deepEqual(await lookup(['93.184.215.14'], false), { error: null, address: '93.184.215.14' });
    assert.deepEqual((await lookup(['93.184.215.14', '2606:4700::1111'], true)).address, [
      { address: '93.184.215.14', family: 4 }, { address: '2606:4700::1111', family: 6 },
    ]);
  });

  test('a name that resolves to a refused address is refused, even beside a public one', async () => {
    for (const answers of [['127.0.0.1'], ['93.184.215.14', '10.0.0.1'], ['::ffff:7f00:1'], ['169.254.169.254'], []]) {
      for (const all of [false, true]) {
        const { error } = await lookup(answers, all);
        assert.equal(error?.code, 'EOUTBOUNDREFUSED', answers.join());
      }
    }
  });

  test('the real resolver: localhost is refused', async () => {
    const policy = addressPolicy({ allowCidrs: '' });
    const error = await new Promise((resolve) => policy.lookup('localhost', {}, (e) => resolve(e)));
    assert.equal((error as NodeJS.ErrnoException).code, 'EOUTBOUNDREFUSED');
  });
});
