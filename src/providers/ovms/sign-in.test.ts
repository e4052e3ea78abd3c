import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brokerAllowList } from './brokers.js';
import { MetricBuffer } from './sign-in.js';

describe('the OVMS sign-in metric buffer', () => {
  test('keeps the first names up to its bound, each of bounded size; known names take new values', () => {
    const buffer = new MetricBuffer(3, 8);
    assert.equal(buffer.add('v.vin', Buffer.from('VIN')), true);
    assert.equal(buffer.add('v.huge', Buffer.alloc(9)), false);
    assert.equal(buffer.add('a', Buffer.from('1')), true);
    assert.equal(buffer.add('b', Buffer.from('2')), true);
    assert.equal(buffer.add('c', Buffer.from('3')), false);
    assert.equal(buffer.add('a', Buffer.from('11')), true);
    assert.deepEqual([...buffer.metrics], [['v.vin', 'VIN'], ['a', '11'], ['b', '2']]);
  });

  test('a flood of metrics stays within the default bound', () => {
    const buffer = new MetricBuffer();
    for (let i = 0; i < 10_000; i++) buffer.add(`x.${i}`, Buffer.alloc(1024, 'a'));
    assert.equal(buffer.metrics.size, 512);
  });
});

describe('OVMS_BROKERS', () => {
  test('unset allows every broker', () => {
    assert.equal(brokerAllowList(undefined)('mqtt://anything.example:1'), true);
  });

  test('admits only the listed hosts and ports, case-insensitively; no port means the scheme\'s default', () => {
    const listed = brokerAllowList('Broker.Example.com, mqtt.example.org:1884, [2001:db8::5]:8883');
    assert.equal(listed('mqtt://broker.example.com'), true);
    assert.equal(listed('mqtt://broker.example.com:1883'), true);
    assert.equal(listed('mqtts://broker.example.com:8883'), true);
    assert.equal(listed('mqtt://broker.example.com:8883'), false);
    assert.equal(listed('mqtt://mqtt.example.org:1884'), true);
    assert.equal(listed('mqtts://mqtt.example.org:1884'), true);
    assert.equal(listed('mqtt://mqtt.example.org'), false);
    assert.equal(listed('mqtts://[2001:db8::5]'), true);
    assert.equal(listed('mqtt://127.0.0.1:1883'), false);
    assert.equal(listed('mqtt://evil.example.com'), false);
  });
});
