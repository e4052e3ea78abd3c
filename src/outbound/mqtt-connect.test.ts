import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { packetScanner } from './mqtt-connect.js';

/** An MQTT packet's fixed header for a body of `length` bytes. */
function header(type: number, length: number): Buffer {
  const bytes = [type];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

describe('the MQTT packet size guard', () => {
  test('passes packets up to the limit, however the bytes are split', () => {
    const stream = Buffer.concat([header(0x20, 2), Buffer.alloc(2), header(0x30, 1000), Buffer.alloc(1000), header(0x30, 20_000), Buffer.alloc(20_000)]);
    for (const size of [1, 3, 7, 1024, stream.length]) {
      const scan = packetScanner(20_004);
      for (let i = 0; i < stream.length; i += size) assert.equal(scan(stream.subarray(i, i + size)), true, `chunks of ${size}`);
    }
  });

  test('stops at the first header announcing more, before its body arrives', () => {
    const scan = packetScanner(64 * 1024);
    assert.equal(scan(Buffer.concat([header(0x30, 10), Buffer.alloc(10)])), true);
    assert.equal(scan(header(0x30, 268_435_455)), false);
    assert.equal(packetScanner(100)(Buffer.concat([header(0x30, 98), Buffer.alloc(98)])), true);
    assert.equal(packetScanner(100)(Buffer.concat([header(0x30, 99), Buffer.alloc(99)])), false);
  });

  test('a remaining length longer than four bytes is malformed', () => {
    assert.equal(packetScanner(1 << 30)(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])), false);
  });
});
