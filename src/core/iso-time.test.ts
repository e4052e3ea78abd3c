/** Remembered ISO conversions answer exactly what Date would, whatever was asked before. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isoMs, isoString } from './iso-time.js';

describe('iso-time (core)', () => {
  test('isoString is toISOString, across instants sharing a slot and asked again', () => {
    const base = Date.UTC(2026, 11, 2, 4, 30);
    const instants = [base, base + 256, base + 512, base + 1, base - 255, 0, -1, 8.64e15, base];
    for (let round = 0; round < 2; round++) {
      for (const ms of instants) assert.equal(isoString(ms), new Date(ms).toISOString(), String(ms));
    }
  });

  test('isoMs is Date.parse, asked again and for text that is no date', () => {
    for (const text of ['2026-12-02T04:30:00.000Z', '2026-12-02T04:30:00.001Z', 'not a date', '2026-12-02T04:30:00.000Z']) {
      assert.deepEqual(isoMs(text), Date.parse(text), text);
    }
  });
});
