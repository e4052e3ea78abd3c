import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NotCapableError, SIGNALS, UpstreamError, VehicleStateError, signal, type DomainError } from '../../core/index.js';
import type { SignalOutcome, VehicleRef } from '../provider.js';
import type { Metrics } from './metrics.js';
import { MAPPERS, ovmsSignalSupport, signalsFromMetrics } from './signals.js';

const VIN = '1N4AZ0CP5FC300001';
const vehicle: VehicleRef = {
  id: 'v1', make: 'NISSAN', model: 'Leaf', year: 2015, vin: VIN, powertrain: 'BEV', providerState: '', providerStateVersion: 0,
};
const fetchedAt = new Date('2026-03-01T12:00:00Z');
const at = new Date('2026-03-01T11:59:00Z');

/** Every standard metric carport maps, as a Leaf on a CHAdeMO charger would publish them. */
const MODULE: Readonly<Record<string, string>> = {
  'v.b.soc': '82.5', 'v.b.range.est': '201.5', 'v.b.range.ideal': '230', 'v.b.range.full': '262', 'v.b.range.speed': '180',
  'v.p.odometer': '12345.6', 'v.p.latitude': '52.520008', 'v.p.longitude': '13.404954', 'v.p.direction': '93', 'v.p.speed': '0',
  'v.e.locked': 'yes', 'v.d.fl': 'no', 'v.d.fr': 'yes', 'v.d.rl': 'no', 'v.d.rr': 'no', 'v.d.hood': 'no', 'v.d.trunk': 'yes',
  'v.d.cp': 'yes', 'v.c.pilot': 'yes', 'v.c.charging': 'yes', 'v.c.state': 'charging', 'v.c.voltage': '398.5',
  'v.c.current': '110.2', 'v.c.power': '43.9', 'v.c.climit': '120', 'v.c.kwh': '12.34', 'v.c.duration.full': '55',
  'v.c.duration.soc': '25', 'v.c.limit.soc': '80', 'v.c.type': 'CHAdeMO', 'v.c.mode': 'standard',
  'v.b.12v.voltage': '12.37', 'v.b.12v.voltage.alert': 'no', 'v.e.cabintemp': '21.5', 'v.e.temp': '8.5', 'v.e.hvac': 'yes',
  'v.e.cabinsetpoint': '22', 'v.e.gear': '0', 'v.e.on': 'no', 'v.e.awake': 'no', 's.v3.connected': 'yes', 'm.net.connected': 'yes',
  'm.version': '3.3.004-32-g125e0841/ota_0/main (build idf v3.3.4 Nov 21 2023)',
  'v.t.pressure': '250.5,251,248,249.5', 'v.t.alert': '0,0,0,0',
};

/** What each mapped code shows for MODULE. */
const EXPECTED: Readonly<Record<string, unknown>> = {
  'tractionbattery-stateofcharge': { value: 82.5, unit: 'percent' },
  'tractionbattery-range': {
    value: 201.5, unit: 'km', additionalValues: [{ type: 'ESTIMATED', value: 201.5 }, { type: 'IDEAL_CONDITIONS', value: 230 }],
  },
  'tractionbattery-estimatedrange': { value: 201.5, unit: 'km' },
  'tractionbattery-idealrange': { value: 230, unit: 'km' },
  'odometer-traveleddistance': { value: 12345.6, unit: 'km' },
  'location-preciselocation': { latitude: 52.520008, longitude: 13.404954, heading: 93, direction: 'E' },
  'motion-currentspeed': { value: 0, unit: 'km/h' },
  'closure-islocked': { value: true },
  'closure-doors': {
    values: [
      { row: 0, column: 0, isOpen: false, isLocked: true }, { row: 0, column: 1, isOpen: true, isLocked: true },
      { row: 1, column: 0, isOpen: false, isLocked: true }, { row: 1, column: 1, isOpen: false, isLocked: true },
    ],
    rowCount: 2, columnCount: 2,
  },
  'closure-fronttrunk': { isOpen: false, isLocked: null },
  'closure-reartrunk': { isOpen: true, isLocked: null },
  'charge-ischargingcableconnected': { value: true },
  'charge-ischarging': { value: true },
  'charge-detailedchargingstatus': { value: 'CHARGING' },
  'charge-ischargingportflapopen': { value: true },
  'charge-voltage': { value: 398.5, unit: 'volts' },
  'charge-amperage': { value: 110.2, unit: 'ampere' },
  'charge-amperagemax': { value: 120, unit: 'ampere' },
  'charge-wattage': { value: 43_900, unit: 'watts' },
  'charge-energyadded': { value: 12.34, unit: 'kWh' },
  'charge-chargerate': { value: 180, unit: 'km/h' },
  'charge-timetocomplete': { value: 25, unit: 'minutes' },
  'charge-chargelimits': { values: [{ type: 'GLOBAL', limit: 80, condition: null }], activeLimit: 80, unit: 'percent' },
  'charge-activelimit': { value: 80, unit: 'percent' },
  'charge-chargingconnectortype': { value: 'CHADEMO' },
  'charge-isfastchargerpresent': { value: true },
  'charge-fastchargertype': { value: 'CHADEMO' },
  'lowvoltagebattery-stateofcharge': { value: 70, unit: 'percent' },
  'lowvoltagebattery-status': { value: 'GOOD' },
  'climate-internaltemperature': { value: 21.5, unit: 'celsius' },
  'climate-externaltemperature': { value: 8.5, unit: 'celsius' },
  'hvac-iscabinhvacactive': { value: true },
  'hvac-cabintargettemperature': { value: 22, unit: 'celsius' },
  'transmission-gearstate': { value: 'PARK' },
  'wheel-tires': {
    values: [
      { row: 0, column: 0, tirePressure: 250.5 }, { row: 0, column: 1, tirePressure: 251 },
      { row: 1, column: 0, tirePressure: 248 }, { row: 1, column: 1, tirePressure: 249.5 },
    ],
    rowCount: 2, columnCount: 2, unit: 'kPa',
  },
  'diagnostics-tirepressure': { status: 'OK', description: null },
  'connectivitystatus-isonline': { value: true },
  'connectivitystatus-isasleep': { value: true },
  'connectivitysoftware-currentfirmwareversion': { value: '3.3.004-32-g125e0841' },
  'vehicleidentification-vin': { value: VIN },
};

const metrics = (values: Record<string, string>, when: (name: string) => Date = () => at): Metrics =>
  new Map(Object.entries(values).map(([name, text]) => [name, { text, at: when(name) }]));

function read(values: Record<string, string>, codes: readonly string[], ref: VehicleRef = vehicle): Map<string, SignalOutcome> {
  return new Map(signalsFromMetrics(metrics(values), ref, codes, fetchedAt));
}

function bodyOf(values: Record<string, string>, code: string): unknown {
  const outcome = read(values, [code]).get(code)!;
  assert.equal(outcome.status, 'SUCCESS', outcome.status === 'ERROR' ? outcome.error.message : '');
  return outcome.status === 'SUCCESS' ? outcome.body : undefined;
}

function errorOf(values: Record<string, string>, code: string): DomainError {
  const outcome = read(values, [code]).get(code)!;
  assert.equal(outcome.status, 'ERROR', `${code} should fail`);
  return (outcome as { error: DomainError }).error;
}

const invalidData = (e: DomainError) => e instanceof UpstreamError && e.code === 'INVALID_DATA';

describe('OVMS signal support', () => {
  const support = ovmsSignalSupport(vehicle);

  test('every catalog code has a support; engine-only codes are the car\'s lack, unmapped ones carport\'s', () => {
    assert.deepEqual(Object.keys(support).sort(), SIGNALS.map((s) => s.code).sort());
    for (const s of SIGNALS) {
      const expected = !s.powertrains.includes('BEV') ? 'VEHICLE_NOT_CAPABLE' : MAPPERS[s.code] ? 'supported' : 'SMARTCAR_NOT_CAPABLE';
      assert.equal(support[s.code], expected, s.code);
    }
    assert.equal(support['internalcombustionengine-fuellevel'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(support['closure-enginecover'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(support['closure-windows'], 'SMARTCAR_NOT_CAPABLE');
  });

  test('every mapped code is a catalog code an electric car can have', () => {
    for (const code of Object.keys(MAPPERS)) assert.equal(support[code], 'supported', code);
  });

  test('a car named by its vehicle id, its module knowing no VIN, does not report one', () => {
    const unnamed = { ...vehicle, vin: 'EV1A2B3C' };
    assert.equal(ovmsSignalSupport(unnamed)['vehicleidentification-vin'], 'SMARTCAR_NOT_CAPABLE');
    assert.equal(ovmsSignalSupport(unnamed)['odometer-traveleddistance'], 'supported');
  });
});

describe('OVMS metrics as catalog signals', () => {
  test('each metric becomes its signal\'s body, in the catalog\'s units, and the body passes the catalog schema', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(MAPPERS).sort(), 'every mapped code is specified here');
    const outcomes = read(MODULE, Object.keys(EXPECTED));
    for (const [code, expected] of Object.entries(EXPECTED)) {
      const outcome = outcomes.get(code)!;
      assert.equal(outcome.status, 'SUCCESS', `${code}: ${outcome.status === 'ERROR' ? outcome.error.message : ''}`);
      if (outcome.status !== 'SUCCESS') continue;
      assert.deepEqual(outcome.body, expected, code);
      assert.ok(signal(code).body.safeParse(outcome.body).success, `${code} passes the catalog schema`);
      assert.equal(outcome.fetchedAt, fetchedAt);
    }
  });

  test('a signal is dated by the oldest metric it was made of; the VIN, a fixed attribute, by 0', () => {
    const older = new Date('2026-03-01T11:00:00Z');
    const outcomes = signalsFromMetrics(metrics(MODULE, (name) => (name === 'v.p.longitude' ? older : at)), vehicle,
      ['location-preciselocation', 'odometer-traveleddistance', 'vehicleidentification-vin'], fetchedAt);
    const observed = (code: string) => (outcomes.get(code) as { observedAt: Date }).observedAt.toISOString();
    assert.equal(observed('location-preciselocation'), older.toISOString());
    assert.equal(observed('odometer-traveleddistance'), at.toISOString());
    assert.equal(observed('vehicleidentification-vin'), new Date(0).toISOString());
  });

  test('a metric the module has not published fails only the signals made of it, as INVALID_DATA', () => {
    const { 'v.b.soc': _soc, 'v.e.locked': _locked, ...rest } = MODULE;
    const outcomes = read(rest, Object.keys(EXPECTED));
    const failed = [...outcomes].filter(([, o]) => o.status === 'ERROR').map(([code]) => code).sort();
    assert.deepEqual(failed, ['closure-doors', 'closure-islocked', 'tractionbattery-stateofcharge']);
    for (const code of failed) assert.ok(invalidData((outcomes.get(code) as { error: DomainError }).error), code);
  });

  test('an empty metric counts as unpublished; a metric not of its type fails its signal', () => {
    assert.ok(invalidData(errorOf({ ...MODULE, 'v.p.odometer': '' }, 'odometer-traveleddistance')));
    assert.ok(invalidData(errorOf({ ...MODULE, 'v.b.soc': 'lots' }, 'tractionbattery-stateofcharge')));
    assert.ok(invalidData(errorOf({ ...MODULE, 'v.e.hvac': 'maybe' }, 'hvac-iscabinhvacactive')));
  });

  test('values the catalog refuses are INVALID_DATA, not a malformed body', () => {
    assert.ok(invalidData(errorOf({ ...MODULE, 'v.p.latitude': '123' }, 'location-preciselocation')));
    assert.ok(invalidData(errorOf({ ...MODULE, 'v.p.odometer': '-5' }, 'odometer-traveleddistance')));
    assert.ok(invalidData(errorOf({ ...MODULE, 'v.c.duration.soc': '-1' }, 'charge-timetocomplete')));
  });

  test('codes the car cannot have or carport cannot read are NotCapable outcomes, never thrown', () => {
    const outcomes = read(MODULE, ['internalcombustionengine-fuellevel', 'closure-windows', 'no-such-code']);
    assert.deepEqual([...outcomes.values()].map((o) => o.status === 'ERROR' && o.error instanceof NotCapableError && o.error.code),
      ['VEHICLE_NOT_CAPABLE', 'SMARTCAR_NOT_CAPABLE', 'SMARTCAR_NOT_CAPABLE']);
  });
});

describe('OVMS metric conversions', () => {
  test('state of charge is clamped to 0–100 (modules round past the ends)', () => {
    assert.deepEqual(bodyOf({ 'v.b.soc': '100.4' }, 'tractionbattery-stateofcharge'), { value: 100, unit: 'percent' });
  });

  test('range is the estimated one, or the ideal one on a module without an estimate', () => {
    assert.deepEqual(bodyOf({ 'v.b.range.ideal': '150' }, 'tractionbattery-range'),
      { value: 150, unit: 'km', additionalValues: [{ type: 'IDEAL_CONDITIONS', value: 150 }] });
    assert.ok(invalidData(errorOf({ 'v.b.range.full': '300' }, 'tractionbattery-range')), 'full range is no present range');
  });

  test('v.c.state charging, topoff and heating are CHARGING; done is FULLY_CHARGED; others NOT_CHARGING; v.c.charging yes wins', () => {
    const status = (values: Record<string, string>) => (bodyOf(values, 'charge-detailedchargingstatus') as { value: string }).value;
    assert.deepEqual(['charging', 'topoff', 'heating', 'done', 'stopped', 'timerwait', 'prepare'].map((s) => status({ 'v.c.state': s })),
      ['CHARGING', 'CHARGING', 'CHARGING', 'FULLY_CHARGED', 'NOT_CHARGING', 'NOT_CHARGING', 'NOT_CHARGING']);
    assert.equal(status({ 'v.c.state': 'stopped', 'v.c.charging': 'yes' }), 'CHARGING');
    assert.equal(status({ 'v.c.charging': 'no' }), 'NOT_CHARGING');
    assert.ok(invalidData(errorOf({}, 'charge-ischarging')));
  });

  test('charger current and power are magnitudes; power kW becomes watts', () => {
    assert.deepEqual(bodyOf({ 'v.c.power': '-7.2' }, 'charge-wattage'), { value: 7200, unit: 'watts' });
    assert.deepEqual(bodyOf({ 'v.c.power': '1.1' }, 'charge-wattage'), { value: 1100, unit: 'watts' });
    assert.deepEqual(bodyOf({ 'v.c.current': '-16' }, 'charge-amperage'), { value: 16, unit: 'ampere' });
  });

  test('no sufficient-SOC limit (0) lists no limit, 100 % active, and times the charge to full', () => {
    const values = { 'v.c.limit.soc': '0', 'v.c.duration.soc': '0', 'v.c.duration.full': '95' };
    assert.deepEqual(bodyOf(values, 'charge-chargelimits'), { values: [], activeLimit: 100, unit: 'percent' });
    assert.deepEqual(bodyOf(values, 'charge-activelimit'), { value: 100, unit: 'percent' });
    assert.deepEqual(bodyOf(values, 'charge-timetocomplete'), { value: 95, unit: 'minutes' });
    assert.deepEqual(bodyOf({ 'v.c.duration.full': '40' }, 'charge-timetocomplete'), { value: 40, unit: 'minutes' });
  });

  test('v.c.type names the connector; only DC types are a fast charger, and only while plugged in', () => {
    const connector = (type: string) => (bodyOf({ 'v.c.type': type }, 'charge-chargingconnectortype') as { value: string }).value;
    assert.deepEqual(['type1', 'Type2', 'ccs', 'CHAdeMO', 'roadster', 'teslaus', 'supercharger'].map(connector),
      ['J1772', 'TYPE_2', 'CCS', 'CHADEMO', 'TESLA_ROADSTER', 'NACS', 'NACS']);
    assert.ok(invalidData(errorOf({ 'v.c.type': 'undefined' }, 'charge-chargingconnectortype')));
    assert.deepEqual(bodyOf({ 'v.c.pilot': 'yes', 'v.c.type': 'type2' }, 'charge-isfastchargerpresent'), { value: false });
    assert.deepEqual(bodyOf({ 'v.c.pilot': 'no' }, 'charge-isfastchargerpresent'), { value: false });
    assert.deepEqual(bodyOf({ 'v.c.pilot': 'yes', 'v.c.type': 'supercharger' }, 'charge-fastchargertype'), { value: 'SUPERCHARGER' });
    const unplugged = errorOf({ 'v.c.pilot': 'no', 'v.c.type': 'ccs' }, 'charge-fastchargertype');
    assert.ok(unplugged instanceof VehicleStateError && unplugged.code === 'CHARGING_PLUG_NOT_CONNECTED');
    assert.ok(errorOf({ 'v.c.pilot': 'yes', 'v.c.type': 'type2' }, 'charge-fastchargertype') instanceof VehicleStateError);
  });

  test('the 12 V battery\'s resting voltage reads through the lead-acid table; status follows the charge and the module\'s alert', () => {
    const soc = (volts: string) => (bodyOf({ 'v.b.12v.voltage': volts }, 'lowvoltagebattery-stateofcharge') as { value: number }).value;
    assert.deepEqual(['14.2', '12.73', '12.5', '12.3', '12.1', '11.66', '11.0'].map(soc), [100, 100, 80, 64.6, 50, 20, 0]);
    const status = (values: Record<string, string>) => (bodyOf(values, 'lowvoltagebattery-status') as { value: string }).value;
    assert.deepEqual(['12.6', '12.0', '11.5'].map((v) => status({ 'v.b.12v.voltage': v })), ['GOOD', 'WARN', 'BAD']);
    assert.equal(status({ 'v.b.12v.voltage': '12.6', 'v.b.12v.voltage.alert': 'yes' }), 'BAD');
  });

  test('v.e.gear: negative is REVERSE, positive DRIVE, 0 PARK when the car is off and NEUTRAL otherwise', () => {
    const gear = (values: Record<string, string>) => (bodyOf(values, 'transmission-gearstate') as { value: string }).value;
    const cases: Record<string, string>[] = [
      { 'v.e.gear': '-1' }, { 'v.e.gear': '3' }, { 'v.e.gear': '0', 'v.e.on': 'no' }, { 'v.e.gear': '0', 'v.e.on': 'yes' }, { 'v.e.gear': '0' },
    ];
    assert.deepEqual(cases.map(gear), ['REVERSE', 'DRIVE', 'PARK', 'NEUTRAL', 'NEUTRAL']);
    assert.ok(invalidData(errorOf({ 'v.e.gear': '-999' }, 'transmission-gearstate')), 'a module\'s "unknown" gear');
  });

  test('location carries the heading and its compass point only where the module publishes a direction', () => {
    assert.deepEqual(bodyOf({ 'v.p.latitude': '1', 'v.p.longitude': '2' }, 'location-preciselocation'), { latitude: 1, longitude: 2 });
    assert.deepEqual(bodyOf({ 'v.p.latitude': '1', 'v.p.longitude': '2', 'v.p.direction': '-30' }, 'location-preciselocation'),
      { latitude: 1, longitude: 2, heading: 330, direction: 'NW' });
    assert.deepEqual(bodyOf({ 'v.p.speed': '-12.5' }, 'motion-currentspeed'), { value: 12.5, unit: 'km/h' });
  });

  test('a two-door car lists its front doors only', () => {
    assert.deepEqual(bodyOf({ 'v.e.locked': 'no', 'v.d.fl': 'no', 'v.d.fr': 'no' }, 'closure-doors'), {
      values: [{ row: 0, column: 0, isOpen: false, isLocked: false }, { row: 0, column: 1, isOpen: false, isLocked: false }],
      rowCount: 1, columnCount: 2,
    });
  });

  test('tyre alerts name the wheel and level; a pressure vector of other than four wheels is INVALID_DATA', () => {
    assert.deepEqual(bodyOf({ 'v.t.alert': '0,1,0,2' }, 'diagnostics-tirepressure'),
      { status: 'ALERT', description: 'front right: warning, rear right: alert' });
    assert.ok(invalidData(errorOf({ 'v.t.pressure': '250,250' }, 'wheel-tires')));
  });

  test('online is the module\'s link to the broker (its will says no), else its network', () => {
    assert.deepEqual(bodyOf({ 's.v3.connected': 'no', 'm.net.connected': 'yes' }, 'connectivitystatus-isonline'), { value: false });
    assert.deepEqual(bodyOf({ 'm.net.connected': 'yes' }, 'connectivitystatus-isonline'), { value: true });
  });
});
