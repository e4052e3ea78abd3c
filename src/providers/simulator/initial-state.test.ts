/** Specification of seeded initial snapshots: deterministic, in bounds and coherent for every model. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODELS } from './catalog.js';
import { createInitialState, seedFor } from './initial-state.js';
import { seededRandom } from './random.js';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isStep(value: number, step: number): boolean {
  return Math.abs(Math.round(value / step) * step - value) < 1e-9;
}

describe('Initial simulated state', () => {
  it('is identical for the same seed', () => {
    for (const spec of MODELS.slice(0, 5)) {
      const a = createInitialState(spec, spec.years[0], seededRandom(seedFor('v', spec.model)), NOW);
      const b = createInitialState(spec, spec.years[0], seededRandom(seedFor('v', spec.model)), NOW);
      assert.deepEqual(a, b);
    }
  });

  it('differs between seeds', () => {
    const spec = MODELS[0];
    assert.ok(spec);
    const a = createInitialState(spec, 2020, seededRandom('a'), NOW);
    const b = createInitialState(spec, 2020, seededRandom('b'), NOW);
    assert.notDeepEqual(a, b);
  });

  it('stays within bounds for every model in the catalog', () => {
    for (const spec of MODELS) {
      for (let i = 0; i < 20; i++) {
        const year = spec.years[0] + (i % (spec.years[1] - spec.years[0] + 1));
        const s = createInitialState(spec, year, seededRandom(seedFor(spec.make, spec.model, String(i))), NOW);
        const label = `${spec.make} ${spec.model} #${i}`;
        const electric = spec.powertrain === 'BEV' || spec.powertrain === 'PHEV';
        const engine = spec.powertrain !== 'BEV';

        assert.equal(s.schema, 1);
        assert.equal(s.at, NOW.toISOString());
        assert.equal(s.activity, 'parked');
        assert.equal(s.destination, null);
        assert.ok(Math.abs(s.location.latitude) <= 90 && Math.abs(s.location.longitude) <= 180, label);
        assert.ok(isStep(s.location.latitude, 1e-6) && isStep(s.location.longitude, 1e-6), label);

        if (electric) {
          assert.ok(s.soc !== null && s.soc >= 0.2 && s.soc <= 0.9 && s.soc <= s.chargeLimit, label);
          assert.ok([0.8, 0.9, 1].includes(s.chargeLimit), label);
          assert.equal(s.chargingPort, s.isPluggedIn ? 'OPEN' : 'CLOSED', label);
        } else {
          assert.equal(s.soc, null, label);
          assert.equal(s.isPluggedIn, false, label);
          assert.equal(s.chargeLimit, 1, label);
          assert.equal(s.chargingPort, null, label);
        }
        if (engine) {
          assert.ok(s.fuelLevel !== null && s.fuelLevel >= 0.15 && s.fuelLevel <= 0.95, label);
          assert.ok(isStep(s.fuelLevel, 0.01), label);
          assert.ok(s.oilLife !== null && s.oilLife >= 0.1 && s.oilLife <= 1, label);
          assert.ok(s.systems.some((sys) => sys.systemId === 'SYSTEM_ENGINE'), label);
        } else {
          assert.equal(s.fuelLevel, null, label);
          assert.equal(s.oilLife, null, label);
          assert.ok(!s.systems.some((sys) => sys.systemId === 'SYSTEM_ENGINE'), label);
        }

        assert.ok(Object.values(s.doors).every((d) => d === 'CLOSED'), label);
        assert.ok(Object.values(s.windows).every((w) => w === 'CLOSED'), label);
        assert.equal(s.sunroof, spec.hasSunroof ? 'CLOSED' : null, label);
        assert.deepEqual(s.storage, { front: 'CLOSED', rear: 'CLOSED' });
        for (const kpa of Object.values(s.tiresKpa)) {
          assert.ok(Math.abs(kpa - spec.tirePlacardKpa) <= spec.tirePlacardKpa * 0.03 + 0.05, label);
          assert.ok(isStep(kpa, 0.1), label);
        }

        assert.ok(s.systems.filter((sys) => sys.status === 'ALERT').length <= 1, label);
        for (const sys of s.systems) assert.equal(sys.status === 'ALERT', sys.description !== null, label);
        for (const dtc of s.dtcs) {
          assert.match(dtc.code, /^[PCBU][0-9A-F]{4}$/);
          assert.match(dtc.timestamp ?? '', ISO_MS);
          assert.ok(new Date(dtc.timestamp ?? '') < NOW, label);
        }

        assert.ok(s.serviceRecords.length <= 4, label);
        let previous = { date: '', km: -1 };
        for (const record of s.serviceRecords) {
          assert.match(record.serviceDate, ISO_MS);
          assert.ok(record.serviceDate > previous.date && record.serviceDate < s.at, label);
          assert.ok(record.odometerKm !== null && record.odometerKm > previous.km && record.odometerKm < s.odometerKm);
          assert.ok(record.tasks.length > 0, label);
          assert.equal(record.tasks.some((t) => t.taskDescription === 'oil change'), engine, label);
          assert.ok(record.type === 'dealership' || record.type === 'independent', label);
          assert.equal(record.cost?.currency, 'USD');
          previous = { date: record.serviceDate, km: record.odometerKm };
        }
      }
    }
  });

  it('puts a plausible yearly distance on the odometer', () => {
    const spec = MODELS[0];
    assert.ok(spec);
    for (let i = 0; i < 50; i++) {
      const aged = createInitialState(spec, 2020, seededRandom(`old-${i}`), NOW);
      assert.ok(aged.odometerKm >= 4.6 * 15_000 && aged.odometerKm <= 5.4 * 20_000, `${aged.odometerKm}`);
      assert.ok(isStep(aged.odometerKm, 0.1));
      const fresh = createInitialState(spec, 2025, seededRandom(`new-${i}`), NOW);
      assert.ok(fresh.odometerKm >= 300 && fresh.odometerKm <= 8_000, `${fresh.odometerKm}`);
    }
  });

  it('sometimes reports alerts, codes and history across a fleet', () => {
    const states = Array.from({ length: 200 }, (_, i) => {
      const spec = MODELS[i % MODELS.length];
      assert.ok(spec);
      return createInitialState(spec, spec.years[0], seededRandom(`fleet-${i}`), NOW);
    });
    assert.ok(states.some((s) => s.dtcs.length > 0));
    assert.ok(states.some((s) => s.systems.some((sys) => sys.status === 'ALERT')));
    assert.ok(states.some((s) => s.serviceRecords.length > 0));
    assert.ok(states.filter((s) => s.isLocked).length > 150);
  });
});
