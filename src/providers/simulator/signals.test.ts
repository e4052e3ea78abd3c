/**
 * Catalog signals of every simulated model, read through the provider with a controlled clock:
 * parked, driving, charging (AC and DC) and asleep, every body well-formed by the catalog's schema
 * and the values in agreement with each other and with the car's physics.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { NotCapableError, SIGNAL_CODES, signal, signalSpec, type SignalBody } from '../../core/index.js';
import type { ProviderStateStore, SignalOutcome, VehicleRef } from '../provider.js';
import { BRANDS, MODELS } from './catalog.js';
import type { ModelSpec } from './catalog-types.js';
import { plugsOf } from './charge-details.js';
import { generateFleet } from './fleet.js';
import { SimulatorProvider } from './simulator-provider.js';
import { SIM_VALUES_V3_SHAPE } from './values-schema.js';
import type { SimSnapshot } from './state.js';

const START = Date.parse('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

class MemoryStore implements ProviderStateStore {
  readonly rows = new Map<string, { state: string; version: number }>();
  async load(id: string) {
    return this.rows.get(id);
  }
  async save(id: string, state: string, expectedVersion: number) {
    const row = this.rows.get(id);
    if (!row || row.version !== expectedVersion) return false;
    this.rows.set(id, { state, version: row.version + 1 });
    return true;
  }
}

let cars = 0;

/** A provider whose clock the test moves, and one car of a model (ids unique, as the provider caches by id). */
function setUp(spec: ModelSpec, seed = 'signals') {
  let now = START;
  const clock = { now: () => new Date(now) };
  const store = new MemoryStore();
  const provider = new SimulatorProvider(store, clock);
  const [car] = generateFleet(spec.make, `${seed}:${spec.model}`, 1, new Date(START), spec.model);
  assert.ok(car);
  const id = `car-${++cars}`;
  store.rows.set(id, { state: JSON.stringify(car.snapshot), version: 1 });
  const ref = (): VehicleRef => {
    const row = store.rows.get(id)!;
    return { id, make: car.make, model: car.model, year: car.year, vin: car.vin, powertrain: car.powertrain, providerState: row.state, providerStateVersion: row.version };
  };
  const supported = () => Object.entries(provider.capabilities(ref()).signals).filter(([, s]) => s === 'supported').map(([code]) => code);
  const read = async (codes = supported()) => {
    const readings = await provider.readSignals(ref(), codes);
    const bodies = new Map<string, SignalBody>();
    for (const [code, outcome] of readings) if (outcome.status === 'SUCCESS') bodies.set(code, outcome.body);
    return { readings, bodies };
  };
  return { provider, ref, read, supported, vin: car.vin, tick: (ms: number) => { now += ms; } };
}

type Bodies = ReadonlyMap<string, SignalBody>;
const value = (bodies: Bodies, code: string) => bodies.get(code)?.value;
const num = (bodies: Bodies, code: string) => value(bodies, code) as number | undefined;

function assertWellFormed(readings: ReadonlyMap<string, SignalOutcome>, label: string): void {
  for (const [code, outcome] of readings) {
    assert.equal(outcome.status, 'SUCCESS', `${label}: ${code} ${outcome.status === 'ERROR' ? outcome.error.message : ''}`);
    if (outcome.status !== 'SUCCESS') continue;
    const parsed = signalSpec(code)!.body.safeParse(outcome.body);
    assert.ok(parsed.success, `${label}: ${code} ${JSON.stringify(outcome.body)} ${parsed.error?.message ?? ''}`);
  }
}

/** What must hold between signals whatever the car is doing. */
function assertConsistent(b: Bodies, label: string, vin: string): void {
  if (b.has('vehicleidentification-vin')) assert.equal(value(b, 'vehicleidentification-vin'), vin, label);
  const charging = value(b, 'charge-ischarging');
  if (charging !== undefined) assert.equal(charging, value(b, 'charge-detailedchargingstatus') === 'CHARGING', label);
  const speed = num(b, 'motion-currentspeed');
  const gear = value(b, 'transmission-gearstate');
  if (speed !== undefined && gear !== undefined) assert.equal(speed > 0, gear === 'DRIVE', `${label}: speed ${speed}, gear ${gear}`);
  const volts = num(b, 'charge-voltage');
  const amps = num(b, 'charge-amperage');
  const watts = num(b, 'charge-wattage');
  const phases = num(b, 'charge-chargerphases');
  if (volts !== undefined && amps !== undefined && watts !== undefined && phases !== undefined) {
    // DC reports no AC phases; its power is volts × amps.
    assert.ok(Math.abs(watts - volts * amps * Math.max(1, phases)) <= 1, `${label}: ${watts} W ≠ ${volts} V × ${amps} A × ${phases}`);
  }
  if (amps !== undefined && b.has('charge-amperagemax')) {
    assert.ok(amps <= num(b, 'charge-amperagemax')! + 1e-9, label);
    assert.ok(amps <= num(b, 'charge-amperagerequested')! + 1e-9, label);
  }
  if (charging === false && b.has('charge-wattage')) assert.equal(watts, 0, label);
  if (charging === false && b.has('charge-timetocomplete')) assert.equal(num(b, 'charge-timetocomplete'), 0, label);
  if (b.has('charge-ischargingcableconnected') && b.has('charge-ischargingportflapopen') && value(b, 'charge-ischargingcableconnected')) {
    assert.equal(value(b, 'charge-ischargingportflapopen'), true, `${label}: a plugged car's port flap is open`);
  }
  if (b.has('charge-chargelimits') && b.has('charge-activelimit')) {
    assert.equal((b.get('charge-chargelimits') as { activeLimit: number }).activeLimit, num(b, 'charge-activelimit'), label);
  }
  if (b.has('connectivitystatus-isasleep')) assert.notEqual(value(b, 'connectivitystatus-isasleep'), value(b, 'connectivitystatus-isonline'), label);
  const range = b.get('tractionbattery-range') as { value: number; additionalValues: { type: string; value: number }[] } | undefined;
  if (range && b.has('tractionbattery-ratedrange')) {
    assert.equal(num(b, 'tractionbattery-ratedrange'), range.value, label);
    assert.equal(range.additionalValues.find((a) => a.type === 'ESTIMATED')?.value, num(b, 'tractionbattery-estimatedrange'), label);
  }
}

describe('Catalog signals of every simulated model', () => {
  for (const spec of MODELS) {
    test(`${spec.make} ${spec.model}: well-formed and consistent parked, driving, charging and asleep`, async () => {
      const car = setUp(spec);
      const check = async (moment: string) => {
        const { readings, bodies } = await car.read();
        assertWellFormed(readings, `${spec.model} ${moment}`);
        assertConsistent(bodies, `${spec.model} ${moment}`, car.vin);
        return bodies;
      };

      const parked = await check('parked');
      if (parked.has('motion-currentspeed')) assert.equal(num(parked, 'motion-currentspeed'), 0);
      if (parked.has('transmission-gearstate')) assert.equal(value(parked, 'transmission-gearstate'), 'PARK');

      const { location } = car.provider.inspect(car.ref()).state;
      const to = { latitude: location.latitude + 0.5, longitude: location.longitude };
      await car.provider.setValues(car.ref(), { ...(spec.batteryKwh && { soc: 0.9 }), ...(spec.tankLiters && { fuelLevel: 0.9 }) });
      await car.provider.setScenario(car.ref(), { name: 'custom', steps: [{ kind: 'drive', to, speedKmh: 60 }] });
      car.tick(10 * MINUTE);
      const driving = await check('driving');
      if (driving.has('motion-currentspeed')) assert.equal(num(driving, 'motion-currentspeed'), 60);
      if (driving.has('transmission-gearstate')) assert.equal(value(driving, 'transmission-gearstate'), 'DRIVE');
      if (driving.has('connectivitystatus-isasleep')) assert.equal(value(driving, 'connectivitystatus-isasleep'), false);
      if (driving.has('location-isathome')) assert.equal(value(driving, 'location-isathome'), false);
      const heading = (driving.get('location-preciselocation') as { heading?: number; direction?: string }).heading;
      assert.ok(heading !== undefined && (heading < 1 || heading > 359), `due north: ${heading}`);

      if (spec.batteryKwh) {
        await car.provider.setScenario(car.ref(), { name: 'parked' });
        await car.provider.setValues(car.ref(), { soc: 0.3, chargeLimit: 0.9 });
        await car.provider.setScenario(car.ref(), { name: 'charging', charger: { powerKw: 11, dc: false } });
        car.tick(20 * MINUTE);
        const ac = await check('AC charging');
        if (ac.has('charge-ischarging')) assert.equal(value(ac, 'charge-ischarging'), true);
        if (ac.has('charge-wattage')) assert.ok(num(ac, 'charge-wattage')! > 1000);
        if (ac.has('charge-isfastchargerpresent')) assert.equal(value(ac, 'charge-isfastchargerpresent'), false);
        if (ac.has('charge-energyadded')) assert.ok(num(ac, 'charge-energyadded')! > 0);
        if (ac.has('charge-timetocomplete')) assert.ok(num(ac, 'charge-timetocomplete')! > 0);

        if (spec.dcChargeKw) {
          await car.provider.setScenario(car.ref(), { name: 'charging', charger: { powerKw: 150, dc: true } });
          car.tick(5 * MINUTE);
          const dc = await check('DC charging');
          if (dc.has('charge-isfastchargerpresent')) assert.equal(value(dc, 'charge-isfastchargerpresent'), true);
          if (dc.has('charge-chargerphases')) assert.equal(num(dc, 'charge-chargerphases'), 0);
        }
        await car.provider.setScenario(car.ref(), { name: 'parked' });
        await car.provider.setValues(car.ref(), { isPluggedIn: false });
      }

      car.tick(10 * 24 * HOUR);
      const asleep = await check('asleep');
      if (asleep.has('connectivitystatus-isasleep')) assert.equal(value(asleep, 'connectivitystatus-isasleep'), true);
      if (asleep.has('charge-chargeportstatuscolor')) assert.equal(value(asleep, 'charge-chargeportstatuscolor'), 'OFF');
    });
  }
});

describe('Signal support', () => {
  test('a signal the powertrain cannot have is VEHICLE_NOT_CAPABLE, for every model', async () => {
    for (const spec of MODELS) {
      const car = setUp(spec);
      const missing = SIGNAL_CODES.filter((code) => !signal(code).powertrains.includes(spec.powertrain));
      const support = car.provider.capabilities(car.ref()).signals;
      for (const code of missing) assert.equal(support[code], 'VEHICLE_NOT_CAPABLE', `${spec.model} ${code}`);
      const { readings } = await car.read(missing);
      for (const code of missing) {
        const outcome = readings.get(code);
        assert.ok(outcome?.status === 'ERROR' && outcome.error instanceof NotCapableError && outcome.error.code === 'VEHICLE_NOT_CAPABLE', code);
      }
    }
  });

  test('every brand lists only catalog codes, each one the simulator can derive', () => {
    const catalog = new Set(SIGNAL_CODES);
    for (const brand of BRANDS) {
      assert.ok(brand.signalCodes && brand.signalCodes.size > 0, brand.make);
      for (const code of brand.signalCodes) assert.ok(catalog.has(code), `${brand.make}: ${code}`);
    }
  });

  test('a Tesla Model 3 reports nearly the whole catalog; a Mercedes far less', () => {
    const supported = (make: string, model: string) => {
      const spec = MODELS.find((m) => m.make === make && m.model === model)!;
      return setUp(spec).supported().length;
    };
    assert.ok(supported('TESLA', 'Model 3') >= 65, `${supported('TESLA', 'Model 3')}`);
    assert.ok(supported('MERCEDES-BENZ', 'EQS') < 30);
  });

  test('the sunroof, tailgate and fast charger follow the model', () => {
    const support = (make: string, name: string) => {
      const car = setUp(model(make, name));
      return car.provider.capabilities(car.ref()).signals;
    };
    assert.equal(support('TESLA', 'Model 3')['closure-sunroof'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(support('TESLA', 'Model S')['closure-sunroof'], 'supported');
    assert.equal(support('FORD', 'F-150')['closure-tailgate'], 'supported');
    assert.equal(support('FORD', 'F-150')['closure-reartrunk'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(support('FORD', 'Mustang Mach-E')['closure-tailgate'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(support('TESLA', 'Model 3')['closure-enginecover'], 'VEHICLE_NOT_CAPABLE');
    assert.equal(support('FORD', 'F-150')['closure-fronttrunk'], 'VEHICLE_NOT_CAPABLE');
  });
});

const model = (make: string, name: string) => MODELS.find((m) => m.make === make && m.model === name)!;

describe('Signals follow the physics', () => {
  test('the cabin moves toward the HVAC target and, once it is off, back toward the outside air', async () => {
    const car = setUp(model('TESLA', 'Model 3'));
    await car.provider.setValues(car.ref(), { ambientC: -5 });
    car.tick(12 * HOUR);
    const cold = await car.read(['climate-internaltemperature', 'hvac-iscabinhvacactive']);
    assert.ok(num(cold.bodies, 'climate-internaltemperature')! < -4, 'a night outside cools the cabin to the air');
    assert.equal(value(cold.bodies, 'hvac-iscabinhvacactive'), false);

    await car.provider.setValues(car.ref(), { hvac: { isActive: true, targetC: 22 } });
    const temps: number[] = [];
    for (let i = 0; i < 4; i++) {
      car.tick(3 * MINUTE);
      const { bodies } = await car.read(['climate-internaltemperature', 'hvac-iscabinhvacactive', 'hvac-cabintargettemperature']);
      assert.equal(value(bodies, 'hvac-iscabinhvacactive'), true);
      assert.equal(num(bodies, 'hvac-cabintargettemperature'), 22);
      temps.push(num(bodies, 'climate-internaltemperature')!);
    }
    for (let i = 1; i < temps.length; i++) assert.ok(temps[i]! > temps[i - 1]! && temps[i]! <= 22, `${temps.join(' → ')}`);
    assert.ok(temps.at(-1)! > 15, 'twelve minutes of heating nearly reach the target');

    await car.provider.setValues(car.ref(), { hvac: { isActive: false } });
    car.tick(30 * MINUTE);
    const { bodies } = await car.read(['climate-internaltemperature']);
    assert.ok(num(bodies, 'climate-internaltemperature')! < temps.at(-1)!, 'the cabin cools once the HVAC stops');
  });

  test('the 12 V battery is lower after a long sleep and recovers while driving', async () => {
    const car = setUp(model('HYUNDAI', 'Ioniq 5'));
    const before = num((await car.read(['lowvoltagebattery-stateofcharge'])).bodies, 'lowvoltagebattery-stateofcharge')!;
    car.tick(20 * 24 * HOUR);
    const after = await car.read(['lowvoltagebattery-stateofcharge', 'lowvoltagebattery-status', 'connectivitystatus-isonline']);
    const slept = num(after.bodies, 'lowvoltagebattery-stateofcharge')!;
    assert.ok(slept < before - 20, `${before} → ${slept}`);
    assert.equal(value(after.bodies, 'connectivitystatus-isonline'), false);

    const { location } = car.provider.inspect(car.ref()).state;
    await car.provider.setScenario(car.ref(), { name: 'custom', steps: [{ kind: 'drive', to: { ...location, latitude: location.latitude + 1 }, speedKmh: 80 }] });
    car.tick(HOUR);
    const driven = num((await car.read(['lowvoltagebattery-stateofcharge'])).bodies, 'lowvoltagebattery-stateofcharge')!;
    assert.ok(driven > slept, `${slept} → ${driven}`);
  });

  test('the control surfaces\' values shape takes HVAC, Sentry Mode and home, and nothing unknown', () => {
    const values = z.object(SIM_VALUES_V3_SHAPE).partial().strict();
    assert.ok(values.safeParse({ hvac: { isActive: true, targetC: 21.5 }, sentry: true, home: { latitude: 52.5, longitude: 13.4 } }).success);
    assert.ok(!values.safeParse({ hvac: { isActive: 'yes' } }).success);
    assert.ok(!values.safeParse({ hvac: { fan: 3 } }).success);
    assert.ok(!values.safeParse({ home: { latitude: 91, longitude: 0 } }).success);
  });

  test('Sentry Mode keeps a Tesla awake', async () => {
    const car = setUp(model('TESLA', 'Model Y'));
    await car.provider.setValues(car.ref(), { sentry: true });
    car.tick(2 * HOUR);
    const { bodies } = await car.read(['surveillance-isenabled', 'surveillance-brand', 'connectivitystatus-isasleep']);
    assert.equal(value(bodies, 'surveillance-isenabled'), true);
    assert.equal(value(bodies, 'surveillance-brand'), 'Sentry Mode');
    assert.equal(value(bodies, 'connectivitystatus-isasleep'), false);
  });

  test('time to complete is the charging curve\'s time to the limit: the car is full when it says', async () => {
    const car = setUp(model('TESLA', 'Model 3'));
    await car.provider.setValues(car.ref(), { soc: 0.2, chargeLimit: 0.8 });
    await car.provider.setScenario(car.ref(), { name: 'charging', charger: { powerKw: 250, dc: true } });
    car.tick(MINUTE);
    const { bodies } = await car.read(['charge-timetocomplete', 'charge-voltage', 'charge-amperage', 'charge-wattage', 'charge-chargerate']);
    const minutes = num(bodies, 'charge-timetocomplete')!;
    assert.ok(minutes > 10 && minutes < 60, `${minutes} min`);
    assert.ok(num(bodies, 'charge-wattage')! > 200_000, 'a Model 3 draws near 250 kW at 20 %');
    assert.ok(num(bodies, 'charge-chargerate')! > 1000, 'over a thousand km of range per hour');
    car.tick((minutes - 2) * MINUTE);
    assert.equal(value((await car.read(['charge-ischarging'])).bodies, 'charge-ischarging'), true);
    car.tick(2 * MINUTE);
    const full = await car.read(['charge-ischarging', 'charge-detailedchargingstatus', 'tractionbattery-stateofcharge', 'charge-energyadded']);
    assert.equal(value(full.bodies, 'charge-detailedchargingstatus'), 'FULLY_CHARGED');
    assert.equal(num(full.bodies, 'tractionbattery-stateofcharge'), 80);
    assert.ok(Math.abs(num(full.bodies, 'charge-energyadded')! - 0.6 * 78) < 0.05, 'the session added 20 → 80 % of 78 kWh');
  });

  test('unplugging turns the session into a charge record', async () => {
    const car = setUp(model('BMW', 'i4'));
    await car.provider.setValues(car.ref(), { soc: 0.4, chargeLimit: 0.8 });
    await car.provider.setScenario(car.ref(), { name: 'charging' });
    car.tick(12 * HOUR);
    await car.provider.setValues(car.ref(), { isPluggedIn: false });
    const { bodies } = await car.read(['charge-chargerecords', 'charge-ischargingcableconnected']);
    const records = (bodies.get('charge-chargerecords') as { values: { energyAdded: number; startStateOfCharge: number; endStateOfCharge: number; isPublicCharger: boolean }[] }).values;
    assert.equal(records.length, 1);
    assert.equal(records[0]!.startStateOfCharge, 40);
    assert.equal(records[0]!.endStateOfCharge, 80);
    assert.ok(Math.abs(records[0]!.energyAdded - 0.4 * 81.5) < 0.01);
    assert.equal(records[0]!.isPublicCharger, false, 'charged at home on AC');
    assert.equal(value(bodies, 'charge-ischargingcableconnected'), false);
  });

  test('plugs follow brand and region', async () => {
    const regions = new Set<boolean>();
    for (let i = 0; i < 12; i++) {
      const car = setUp(model('TESLA', 'Model 3'), `plug-${i}`);
      const { bodies } = await car.read(['charge-fastchargertype', 'charge-chargingconnectortype']);
      const europe = car.provider.inspect(car.ref()).state.location.longitude > -30;
      regions.add(europe);
      const plugs = [value(bodies, 'charge-chargingconnectortype'), value(bodies, 'charge-fastchargertype')];
      assert.deepEqual(plugs, europe ? ['TYPE_2', 'CCS2'] : ['NACS', 'NACS']);
    }
    assert.equal(regions.size, 2, 'cars on both continents');
    assert.deepEqual(plugsOf(model('FORD', 'Mustang Mach-E'), true), { ac: 'J1772', dc: 'CCS1' });
    assert.deepEqual(plugsOf(model('FORD', 'Mustang Mach-E'), false), { ac: 'TYPE_2', dc: 'CCS2' });
    assert.deepEqual(plugsOf(model('NISSAN', 'Leaf'), true), { ac: 'J1772', dc: 'CHADEMO' });
    assert.deepEqual(plugsOf(model('TOYOTA', 'RAV4 Prime'), true), { ac: 'J1772', dc: null });
  });

  test('identity is seeded per car and stable', async () => {
    const a = setUp(model('TESLA', 'Model S'));
    const codes = ['vehicleidentification-trim', 'vehicleidentification-exteriorcolor', 'vehicleidentification-nickname', 'connectivitysoftware-currentfirmwareversion'];
    const first = (await a.read(codes)).bodies;
    a.tick(3 * HOUR);
    const later = (await a.read(codes)).bodies;
    for (const code of codes) assert.deepEqual(later.get(code), first.get(code), code);
    assert.ok(['Long Range', 'Plaid'].includes(value(first, 'vehicleidentification-trim') as string));
  });

  test('snapshots stored before the v3 fields read with defaults', async () => {
    const car = setUp(model('TESLA', 'Model 3'));
    const ref = car.ref();
    const old = JSON.parse(ref.providerState) as Partial<SimSnapshot>;
    for (const key of ['home', 'hvac', 'cabinC', 'lvSoc', 'heading', 'chargeSession', 'chargeRecords', 'maxRangeCharges', 'sentry'] as const) delete old[key];
    const legacy = { ...ref, id: `${ref.id}-legacy`, providerState: JSON.stringify(old) };
    const readings = await car.provider.readSignals(legacy, car.supported());
    assertWellFormed(readings, 'legacy snapshot');
    const atHome = readings.get('location-isathome');
    assert.ok(atHome?.status === 'SUCCESS' && atHome.body.value === true, 'a seeded car parks at home');
  });
});
