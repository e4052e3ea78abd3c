/** Specification of simulated VINs: ISO 3779 shape, North-American check digit, model-year code. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from './random.js';
import { generateVin, isValidVin, isWellFormedVin, modelYearCode } from './vin.js';

describe('VIN generation', () => {
  it('produces 17 characters with a valid check digit for many seeds', () => {
    for (let i = 0; i < 500; i++) {
      const vin = generateVin('5YJ', 2015 + (i % 10), seededRandom(`seed-${i}`));
      assert.equal(vin.length, 17);
      assert.ok(isValidVin(vin), `${vin} should validate`);
    }
  });

  it('never uses the letters I, O or Q', () => {
    for (let i = 0; i < 500; i++) {
      assert.doesNotMatch(generateVin('WBA', 2022, seededRandom(`letters-${i}`)), /[IOQ]/);
    }
  });

  it('starts with the WMI and carries the model-year code in position 10', () => {
    const vin = generateVin('1G1', 2017, seededRandom('bolt'));
    assert.equal(vin.slice(0, 3), '1G1');
    assert.equal(vin.charAt(9), 'H');
  });

  it('is deterministic for a seed', () => {
    assert.equal(generateVin('KNA', 2023, seededRandom('same')), generateVin('KNA', 2023, seededRandom('same')));
  });

  it('rejects a WMI outside the VIN alphabet', () => {
    assert.throws(() => generateVin('IOQ', 2020, seededRandom('x')), RangeError);
  });
});

describe('Model-year codes', () => {
  it('follows the standard 30-year cycle', () => {
    assert.equal(modelYearCode(1980), 'A');
    assert.equal(modelYearCode(2001), '1');
    assert.equal(modelYearCode(2009), '9');
    assert.equal(modelYearCode(2010), 'A');
    assert.equal(modelYearCode(2013), 'D');
    assert.equal(modelYearCode(2019), 'K');
    assert.equal(modelYearCode(2024), 'R');
  });
});

describe('VIN validation', () => {
  it('accepts a known real VIN whose check digit is X', () => {
    assert.ok(isValidVin('1M8GDM9AXKP042788'));
  });

  it("rejects Smartcar's documentation VIN, whose check digit should be 6, yet finds it well formed", () => {
    assert.equal(isValidVin('5YJSA1CN5DFP00101'), false);
    assert.ok(isValidVin('5YJSA1CN6DFP00101'));
    assert.ok(isWellFormedVin('5YJSA1CN5DFP00101'));
  });

  it('finds European VINs without a check digit well formed', () => {
    assert.ok(isWellFormedVin('WVWZZZ1JZXW000001'));
  });

  it('rejects a VIN with a corrupted character', () => {
    assert.equal(isValidVin('5YJSA1CN5DFP00102'), false);
    assert.equal(isValidVin('1M8GDM9A1KP042788'), false);
  });

  it('rejects wrong lengths and forbidden letters', () => {
    assert.equal(isValidVin('5YJSA1CN5DFP0010'), false);
    assert.equal(isValidVin('5YJSA1CN5DFP001011'), false);
    assert.equal(isValidVin('5YJSA1CN5DFO00101'), false);
    assert.equal(isValidVin('5yjsa1cn5dfp00101'), false);
  });
});
