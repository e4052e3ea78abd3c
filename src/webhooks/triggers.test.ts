import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fired, knownLook, storedLook, triggersProblem, watchedCodes } from './triggers.js';

const percent = (value: number) => ({ value, unit: 'percent' });

describe('event triggers over catalog signals', () => {
  test('named triggers are rules over catalog codes; thresholds are percentages 0–100', () => {
    assert.deepEqual(watchedCodes(['charge_state_changed', 'charge_limit_reached', 'battery_low', 'closure-islocked']), [
      'charge-detailedchargingstatus', 'tractionbattery-stateofcharge', 'closure-islocked',
    ]);
    const low = (before: number, after: number) => fired(['battery_low'], { 'tractionbattery-stateofcharge': percent(before) }, { 'tractionbattery-stateofcharge': percent(after) });
    assert.deepEqual(low(20, 19.99).map((e) => e.eventType), ['BATTERY_LOW']);
    assert.deepEqual(low(19.99, 5), [], 'already low: no new crossing');
    const fuel = fired(['fuel_low'], { 'internalcombustionengine-fuellevel': percent(15) }, { 'internalcombustionengine-fuellevel': percent(14) });
    assert.deepEqual(fuel, [{ trigger: 'fuel_low', eventType: 'FUEL_LOW', code: 'internalcombustionengine-fuellevel' }]);
    const status = (value: string) => ({ 'charge-detailedchargingstatus': { value } });
    assert.deepEqual(fired(['charge_limit_reached', 'charge_state_changed'], status('CHARGING'), status('FULLY_CHARGED')).map((e) => e.eventType), [
      'CHARGING_COMPLETED', 'CHARGE_LIMIT_REACHED',
    ]);
  });

  test('a code fires SIGNAL_UPDATED when its body changes, never from or to an unknown value', () => {
    const doors = (isOpen: boolean) => ({ values: [{ row: 0, column: 0, isOpen, isLocked: true }], rowCount: 1, columnCount: 1 });
    assert.deepEqual(fired(['closure-doors'], { 'closure-doors': doors(false) }, { 'closure-doors': doors(true) }), [
      { trigger: 'closure-doors', eventType: 'SIGNAL_UPDATED', code: 'closure-doors' },
    ]);
    assert.deepEqual(fired(['closure-doors'], { 'closure-doors': doors(false) }, { 'closure-doors': doors(false) }), []);
    assert.deepEqual(fired(['closure-doors'], {}, { 'closure-doors': doors(true) }), []);
  });

  test('a failed read keeps the last known body', () => {
    const before = { 'closure-islocked': { value: true } };
    assert.deepEqual(knownLook(before, {}, ['closure-islocked']), before);
    assert.deepEqual(knownLook(before, { 'closure-islocked': { value: false } }, ['closure-islocked']), { 'closure-islocked': { value: false } });
  });

  test('a look stored before the catalog reads as catalog bodies', () => {
    const legacy = JSON.stringify({ chargeState: 'CHARGING', isPluggedIn: true, isLocked: null, soc: 0.205, fuel: null, errors: [] });
    assert.deepEqual(storedLook(legacy), {
      signals: {
        'charge-detailedchargingstatus': { value: 'CHARGING' }, 'charge-ischargingcableconnected': { value: true },
        'tractionbattery-stateofcharge': { value: 20.5, unit: 'percent' },
      },
      errors: [],
    });
    assert.equal(storedLook(null), null);
  });

  test('validation names what is wrong and lists what is valid', () => {
    assert.equal(triggersProblem('4.0', ['lock_state_changed', 'closure-islocked']), null);
    assert.match(triggersProblem('4.0', ['odometer-traveleddistance'])!, /cannot trigger: odometer-traveleddistance;.*tractionbattery-stateofcharge/);
    assert.match(triggersProblem('2.0', ['closure-islocked'])!, /v4\.0 webhooks only/);
    assert.match(triggersProblem('4.0', ['__proto__'])!, /unknown trigger\(s\): __proto__/);
  });
});
