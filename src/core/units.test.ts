/** Specification of the unit conversions behind SC-Unit-System (spec §3.21): exact factors, metric identity. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { distance, nullable, pressure, UNIT_SYSTEMS, volume } from './units.js';

/** Relative closeness for values that are not exact in binary floating point. */
function assertClose(actual: number, expected: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-12, message ?? `${actual} ≈ ${expected}`);
}

const SAMPLES = [0, 1, 0.1, 12.345, 219.3, 104.32, 123_456.789, 1e-9];

describe('Unit systems', () => {
  test('are exactly metric and imperial, metric first (the default)', () => {
    assert.deepEqual([...UNIT_SYSTEMS], ['metric', 'imperial']);
  });
});

describe('distance()', () => {
  test('1.609344 km is exactly 1 international mile', () => {
    assert.equal(distance(1.609344, 'imperial'), 1);
  });

  test('1 km is 0.621371192237334 mi and 160.9344 km is 100 mi', () => {
    assertClose(distance(1, 'imperial'), 0.621371192237334);
    assertClose(distance(160.9344, 'imperial'), 100);
  });

  test('is the identity in metric', () => {
    for (const km of SAMPLES) assert.equal(distance(km, 'metric'), km);
  });

  test('divides by the exact factor for every value', () => {
    for (const km of SAMPLES) assert.equal(distance(km, 'imperial'), km / 1.609344);
  });
});

describe('volume()', () => {
  test('3.785411784 L is exactly 1 US gallon', () => {
    assert.equal(volume(3.785411784, 'imperial'), 1);
  });

  test('1 L is 0.264172052358148 gal', () => {
    assertClose(volume(1, 'imperial'), 0.264172052358148);
  });

  test('is the identity in metric', () => {
    for (const liters of SAMPLES) assert.equal(volume(liters, 'metric'), liters);
  });
});

describe('pressure()', () => {
  test('6.894757293168361 kPa is exactly 1 psi', () => {
    assert.equal(pressure(6.894757293168361, 'imperial'), 1);
  });

  test('the psi factor is 0.45359237 kg × 9.80665 m/s² per square inch', () => {
    assertClose(6.894757293168361, (0.45359237 * 9.80665) / 0.0254 ** 2 / 1000);
  });

  test('1 kPa is 0.145037737730209 psi and 219.3 kPa is about 31.8 psi', () => {
    assertClose(pressure(1, 'imperial'), 0.145037737730209);
    assert.equal(Math.round(pressure(219.3, 'imperial') * 10) / 10, 31.8);
  });

  test('is the identity in metric', () => {
    for (const kpa of SAMPLES) assert.equal(pressure(kpa, 'metric'), kpa);
  });
});

describe('nullable()', () => {
  test('passes null through without converting', () => {
    let called = false;
    assert.equal(nullable(null, () => {
      called = true;
      return 0;
    }), null);
    assert.equal(called, false);
  });

  test('converts a present value, including zero', () => {
    assert.equal(nullable(1.609344, (km) => distance(km, 'imperial')), 1);
    assert.equal(nullable(0, (km) => distance(km, 'imperial')), 0);
  });
});
