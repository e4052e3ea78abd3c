/** Specification of permission (scope) names and parsing (spec §1.6). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMMANDS } from './command-catalog.js';
import { featuresOf, isPermission, parseScope, PERMISSIONS } from './permissions.js';
import { SIGNALS } from './signal-catalog.js';
import { COMMAND_NAMES } from './signals.js';

describe('PERMISSIONS', () => {
  test('are unique read_* or control_* names', () => {
    assert.equal(new Set(PERMISSIONS).size, PERMISSIONS.length);
    for (const name of PERMISSIONS) assert.match(name, /^(read|control)_[a-z]+(_[a-z]+)*$/);
  });

  test('include every name the spec lists', () => {
    const spec = [
      'read_alerts', 'read_battery', 'read_charge', 'read_charge_locations', 'read_charge_records', 'read_charge_events',
      'read_climate', 'read_compass', 'read_diagnostics', 'read_engine_oil', 'read_extended_vehicle_info', 'read_fuel',
      'read_location', 'read_odometer', 'read_security', 'read_service_history', 'read_speedometer', 'read_thermometer',
      'read_tires', 'read_user_profile', 'read_vehicle_info', 'read_vin', 'control_charge', 'control_climate',
      'control_navigation', 'control_security', 'control_pin', 'control_trunk',
    ];
    for (const name of spec) assert.ok(isPermission(name), name);
  });

  test('isPermission rejects prefixed, misspelled and differently cased names', () => {
    for (const name of ['required:read_vin', 'read_vins', 'READ_VIN', 'read vin', '', 'control_']) {
      assert.equal(isPermission(name), false, name);
    }
  });
});

describe('parseScope()', () => {
  test('splits a space-separated scope in order', () => {
    assert.deepEqual(parseScope('read_vin read_odometer control_security'), {
      permissions: ['read_vin', 'read_odometer', 'control_security'], required: [], unknown: [],
    });
  });

  test('grants the bare name of a required: permission and lists it as required', () => {
    assert.deepEqual(parseScope('required:read_odometer read_vin required:control_charge'), {
      permissions: ['read_odometer', 'read_vin', 'control_charge'],
      required: ['read_odometer', 'control_charge'],
      unknown: [],
    });
  });

  test('reports unknown names, with their prefix, and grants nothing for them', () => {
    assert.deepEqual(parseScope('read_vin read_everything required:read_nothing'), {
      permissions: ['read_vin'], required: [], unknown: ['read_everything', 'required:read_nothing'],
    });
  });

  test('lists a duplicated permission once, required if any occurrence is', () => {
    assert.deepEqual(parseScope('read_vin read_vin required:read_vin read_odometer read_vin'), {
      permissions: ['read_vin', 'read_odometer'], required: ['read_vin'], unknown: [],
    });
  });

  test('accepts + separators (form-encoded spaces) and runs of whitespace', () => {
    const expected = { permissions: ['read_vin', 'read_odometer', 'read_fuel'], required: ['read_odometer'], unknown: [] };
    assert.deepEqual(parseScope('read_vin+required:read_odometer+read_fuel'), expected);
    assert.deepEqual(parseScope('  read_vin \t required:read_odometer\n\nread_fuel  '), expected);
    assert.deepEqual(parseScope('read_vin++required:read_odometer +read_fuel'), expected);
  });

  test('an empty scope grants nothing', () => {
    assert.deepEqual(parseScope(''), { permissions: [], required: [], unknown: [] });
    assert.deepEqual(parseScope('  + '), { permissions: [], required: [], unknown: [] });
  });
});

describe('the catalogs\' permissions', () => {
  test('every signal maps to a known read_* permission', () => {
    for (const signal of SIGNALS) {
      assert.ok(isPermission(signal.permission), `${signal.code} → ${signal.permission}`);
      assert.match(signal.permission, /^read_/, signal.code);
    }
  });

  test('every command maps to a known control_* permission', () => {
    for (const command of COMMAND_NAMES) {
      const { permission } = COMMANDS[command];
      assert.ok(isPermission(permission), `${command} → ${permission}`);
      assert.match(permission, /^control_/, command);
    }
  });

  test('the v2.0 endpoints\' signals carry the permissions of the spec endpoint index (§3.1)', () => {
    const byCode = (code: string) => SIGNALS.find((s) => s.code === code)?.permission;
    assert.deepEqual(
      Object.fromEntries([
        'vehicleidentification-vin', 'odometer-traveleddistance', 'location-preciselocation', 'internalcombustionengine-fuellevel',
        'tractionbattery-stateofcharge', 'tractionbattery-nominalcapacity', 'charge-detailedchargingstatus', 'charge-chargelimits',
        'wheel-tires', 'internalcombustionengine-oillife', 'closure-islocked', 'diagnostics-abs', 'diagnostics-dtclist',
        'service-records',
      ].map((code) => [code, byCode(code)])),
      {
        'vehicleidentification-vin': 'read_vin', 'odometer-traveleddistance': 'read_odometer', 'location-preciselocation': 'read_location',
        'internalcombustionengine-fuellevel': 'read_fuel', 'tractionbattery-stateofcharge': 'read_battery',
        'tractionbattery-nominalcapacity': 'read_battery', 'charge-detailedchargingstatus': 'read_charge',
        'charge-chargelimits': 'read_charge', 'wheel-tires': 'read_tires', 'internalcombustionengine-oillife': 'read_engine_oil',
        'closure-islocked': 'read_security', 'diagnostics-abs': 'read_diagnostics', 'diagnostics-dtclist': 'read_diagnostics',
        'service-records': 'read_service_history',
      },
    );
    assert.deepEqual(Object.fromEntries(COMMAND_NAMES.map((c) => [c, COMMANDS[c].permission])), {
      lock: 'control_security', unlock: 'control_security', startCharge: 'control_charge', stopCharge: 'control_charge',
      setChargeLimit: 'control_charge', sendDestination: 'control_navigation',
    });
  });

  test('featuresOf() inverts both catalogs: each signal and command is unlocked by exactly its permission', () => {
    for (const signal of SIGNALS) {
      const unlocking = PERMISSIONS.filter((p) => featuresOf(p).signals.includes(signal.code));
      assert.deepEqual(unlocking, [signal.permission], signal.code);
    }
    for (const command of COMMAND_NAMES) {
      const unlocking = PERMISSIONS.filter((p) => featuresOf(p).commands.includes(command));
      assert.deepEqual(unlocking, [COMMANDS[command].permission], command);
    }
    assert.deepEqual(featuresOf('read_compass'), { signals: [], commands: [] });
  });
});
