/** Specification of the simulator catalog: breadth, realistic data and the capability rules. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMAND_NAMES, SIGNAL_CODES } from '../../core/index.js';
import { BRANDS, MODELS, capabilityMatrix, findBrand, findModel, modelsOf } from './catalog.js';
import type { BrandProfile, ModelSpec } from './catalog-types.js';

function brand(make: string): BrandProfile {
  const found = findBrand(make);
  assert.ok(found, `brand ${make}`);
  return found;
}

function model(make: string, name: string): ModelSpec {
  const found = findModel(make, name);
  assert.ok(found, `model ${make} ${name}`);
  return found;
}

describe('Vehicle catalog', () => {
  it('offers at least 10 brands and 25 models', () => {
    assert.ok(BRANDS.length >= 10);
    assert.ok(MODELS.length >= 25);
  });

  it('has a brand for every model and a model for every brand', () => {
    for (const spec of MODELS) assert.ok(findBrand(spec.make), `${spec.make} ${spec.model}`);
    for (const profile of BRANDS) assert.ok(modelsOf(profile.make).length > 0, profile.make);
  });

  it('keeps makes upper-case and unique', () => {
    assert.equal(new Set(BRANDS.map((b) => b.make)).size, BRANDS.length);
    for (const profile of BRANDS) assert.equal(profile.make, profile.make.toUpperCase());
  });

  it('includes the Smartcar test-mode Chevrolet Volt', () => {
    assert.equal(model('CHEVROLET', 'Volt').powertrain, 'PHEV');
  });

  it('gives battery-electric models a battery, a range and charging power', () => {
    for (const spec of MODELS.filter((m) => m.powertrain === 'BEV')) {
      assert.ok(spec.batteryKwh && spec.batteryKwh > 0, spec.model);
      assert.ok(spec.electricRangeKm && spec.electricRangeKm > 0, spec.model);
      assert.ok(spec.acChargeKw && spec.dcChargeKw, spec.model);
      assert.equal(spec.tankLiters, undefined, spec.model);
    }
  });

  it('gives models with an engine a tank and a consumption figure', () => {
    for (const spec of MODELS.filter((m) => m.powertrain !== 'BEV')) {
      assert.ok(spec.tankLiters && spec.tankLiters >= 30 && spec.tankLiters <= 140, spec.model);
      assert.ok(spec.litersPer100Km && spec.litersPer100Km >= 3 && spec.litersPer100Km <= 20, spec.model);
    }
  });

  it('gives plug-in hybrids both a battery and a tank, and plain hybrids no battery', () => {
    for (const spec of MODELS.filter((m) => m.powertrain === 'PHEV')) {
      assert.ok(spec.batteryKwh && spec.electricRangeKm && spec.tankLiters, spec.model);
    }
    for (const spec of MODELS.filter((m) => m.powertrain === 'HEV' || m.powertrain === 'ICE')) {
      assert.equal(spec.batteryKwh, undefined, spec.model);
    }
  });

  it('keeps efficiency and tyre placards within real-world bounds', () => {
    for (const spec of MODELS) {
      assert.ok(spec.tirePlacardKpa >= 200 && spec.tirePlacardKpa <= 350, spec.model);
      assert.ok(spec.years[0] <= spec.years[1], spec.model);
      if (spec.powertrain === 'BEV') {
        const whPerKm = ((spec.batteryKwh ?? 0) * 1000) / (spec.electricRangeKm ?? 1);
        assert.ok(whPerKm >= 120 && whPerKm <= 270, `${spec.model}: ${whPerKm} Wh/km`);
      }
    }
  });

  it('uses WMIs written in the VIN alphabet', () => {
    for (const profile of BRANDS) {
      assert.ok(profile.wmis.length > 0, profile.make);
      for (const wmi of profile.wmis) assert.match(wmi, /^[0-9A-HJ-NPR-Z]{3}$/);
    }
  });

  it('lists every brand in ISO alpha-2 countries and with quirks inside the spec ranges', () => {
    for (const profile of BRANDS) {
      for (const country of profile.countries) assert.match(country, /^[A-Z]{2}$/);
      const [min, max] = profile.quirks.commandLatencyMs;
      assert.ok(min >= 3_000 && max <= 45_000 && min < max, profile.make);
      assert.ok(profile.quirks.reportIntervalSeconds >= 60 && profile.quirks.reportIntervalSeconds <= 600);
      assert.ok(profile.quirks.upstreamRequestsPerDay > 0);
    }
  });

  it('lets every brand report VIN, odometer and location', () => {
    for (const profile of BRANDS) {
      for (const signal of ['vehicleidentification-vin', 'odometer-traveleddistance', 'location-preciselocation']) {
        assert.ok(profile.signalCodes.has(signal), `${profile.make} ${signal}`);
      }
    }
  });

  it('finds brands and models case-insensitively', () => {
    assert.equal(findBrand('tesla')?.make, 'TESLA');
    assert.equal(findBrand('Mercedes-Benz')?.displayName, 'Mercedes-Benz');
    assert.equal(findBrand('DELOREAN'), undefined);
    assert.ok(modelsOf('ford').length >= 3);
    assert.deepEqual(modelsOf('DELOREAN'), []);
  });
});

describe('Capability matrix', () => {
  it('answers for every signal and command', () => {
    const matrix = capabilityMatrix(brand('TESLA'), model('TESLA', 'Model 3'));
    assert.deepEqual(Object.keys(matrix.signals).sort(), [...SIGNAL_CODES].sort());
    assert.deepEqual(Object.keys(matrix.commands).sort(), [...COMMAND_NAMES].sort());
  });

  it('marks battery and charging of a combustion car as vehicle-not-capable', () => {
    const matrix = capabilityMatrix(brand('FORD'), model('FORD', 'F-150'));
    assert.equal(matrix.signals['tractionbattery-stateofcharge'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(matrix.signals['charge-detailedchargingstatus'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(matrix.commands.startCharge, 'VEHICLE_NOT_CAPABLE');
    assert.equal(matrix.signals['internalcombustionengine-fuellevel'], 'supported');
  });

  it('marks fuel and engine oil of an electric car as vehicle-not-capable', () => {
    const matrix = capabilityMatrix(brand('TESLA'), model('TESLA', 'Model Y'));
    assert.equal(matrix.signals['internalcombustionengine-fuellevel'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(matrix.signals['internalcombustionengine-oillife'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(matrix.signals['tractionbattery-stateofcharge'], 'supported');
  });

  it('marks what the brand does not expose as smartcar-not-capable', () => {
    const tesla = capabilityMatrix(brand('TESLA'), model('TESLA', 'Model S'));
    assert.equal(tesla.signals['service-records'], 'SMARTCAR_NOT_CAPABLE');
    assert.equal(tesla.signals['diagnostics-dtclist'], 'SMARTCAR_NOT_CAPABLE');
    const toyota = capabilityMatrix(brand('TOYOTA'), model('TOYOTA', 'RAV4 Prime'));
    assert.equal(toyota.commands.setChargeLimit, 'SMARTCAR_NOT_CAPABLE');
  });

  it('prefers the vehicle reason when both the brand and the powertrain lack a feature', () => {
    const matrix = capabilityMatrix(brand('TOYOTA'), model('TOYOTA', 'Corolla'));
    assert.equal(brand('TOYOTA').commands.has('setChargeLimit'), false);
    assert.equal(matrix.commands.setChargeLimit, 'VEHICLE_NOT_CAPABLE');
  });

  it('gives a plug-in hybrid both fuel and battery where the brand exposes them', () => {
    const matrix = capabilityMatrix(brand('CHEVROLET'), model('CHEVROLET', 'Volt'));
    assert.equal(matrix.signals['internalcombustionengine-fuellevel'], 'supported');
    assert.equal(matrix.signals['tractionbattery-stateofcharge'], 'supported');
    assert.equal(matrix.signals['internalcombustionengine-oillife'], 'supported');
  });
});
