/** An event whose body is over Smartcar's 50 KB limit is kept, dead-lettered with the reason, like a scheduled one. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, type EventSubscription } from './evaluation.js';
import type { SignalRead, VehicleReader } from './reader.js';

const subscription = (version: '2.0' | '4.0'): EventSubscription => ({
  webhookId: 'w', vehicleId: 'v', name: 'Fleet', version, triggers: ['lock_state_changed'], data: version === '2.0' ? ['/odometer'] : ['odometer-traveleddistance'],
});

/** A car that is now locked, whose odometer answer carries `padding` characters. */
function reader(padding: number): VehicleReader {
  const read = (body: Record<string, unknown>): SignalRead => ({ status: 'SUCCESS', body, oemUpdatedAt: 1, retrievedAt: 2 });
  const self: VehicleReader = {
    mode: 'simulated',
    owner: { user: { id: 'u' }, vehicle: { id: 'v', make: 'TESLA', model: 'Model 3', year: 2020 } },
    async data(paths) {
      return { data: paths.map((path) => ({ path, code: 200, body: { distance: 1, note: 'x'.repeat(padding) } })) };
    },
    async signals(codes) {
      return new Map(codes.map((code) => [code, code === 'closure-islocked'
        ? read({ value: true }) : read({ value: 1, unit: 'km', note: 'x'.repeat(padding) })]));
    },
    codesOf: (entries) => [...entries],
    at: () => self,
  };
  return self;
}

const UNLOCKED = JSON.stringify({ signals: { 'closure-islocked': { value: false } } });

describe('Event bodies over 50 KB', () => {
  for (const version of ['2.0', '4.0'] as const) {
    test(`a v${version} event over the limit is enqueued dead with the reason; one under it is not`, async () => {
      const big = await evaluate(subscription(version), UNLOCKED, reader(60_000), new Date());
      assert.equal(big.rows.length, 1);
      assert.match(big.rows[0]!.refusal ?? '', /^the payload is \d+ bytes, over the 50 KB limit$/);
      assert.ok(Buffer.byteLength(big.rows[0]!.body) > 50 * 1024, 'the body is kept whole');
      const small = await evaluate(subscription(version), UNLOCKED, reader(10), new Date());
      assert.equal(small.rows.length, 1);
      assert.equal(small.rows[0]!.refusal, undefined);
    });
  }
});
