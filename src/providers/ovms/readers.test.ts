import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UpstreamError } from '../../core/index.js';
import type { Metrics } from './metrics.js';
import { battery, charge, lockStatus } from './readers.js';

const at = new Date('2026-01-01T00:00:00Z');
const metrics = (values: Record<string, string>): Metrics => new Map(Object.entries(values).map(([k, text]) => [k, { text, at }]));

describe('OVMS metrics as Smartcar data points', () => {
  test('v.c.state charging, topoff and heating are CHARGING; done is FULLY_CHARGED; others NOT_CHARGING', () => {
    const stateOf = (state: string) => charge(metrics({ 'v.c.pilot': 'yes', 'v.c.state': state })).value.state;
    assert.deepEqual(['charging', 'topoff', 'heating', 'done', 'stopped', 'timerwait', 'prepare'].map(stateOf),
      ['CHARGING', 'CHARGING', 'CHARGING', 'FULLY_CHARGED', 'NOT_CHARGING', 'NOT_CHARGING', 'NOT_CHARGING']);
  });

  test('v.c.charging yes is CHARGING whatever v.c.state says; the pilot is the plug', () => {
    assert.deepEqual(charge(metrics({ 'v.c.pilot': 'no', 'v.c.charging': 'yes' })).value, { isPluggedIn: false, state: 'CHARGING' });
  });

  test('state of charge becomes a ratio; a missing range is null', () => {
    assert.deepEqual(battery(metrics({ 'v.b.soc': '57' })).value, { percentRemaining: 0.57, rangeKm: null });
  });

  test('a metric never published, or not yes/no or a number, is INVALID_DATA', () => {
    assert.throws(() => battery(metrics({})), (e: unknown) => e instanceof UpstreamError && e.code === 'INVALID_DATA');
    assert.throws(() => battery(metrics({ 'v.b.soc': 'lots' })), (e: unknown) => e instanceof UpstreamError && e.code === 'INVALID_DATA');
    assert.throws(() => lockStatus(metrics({ 'v.e.locked': 'maybe' })), (e: unknown) => e instanceof UpstreamError && e.code === 'INVALID_DATA');
  });
});
