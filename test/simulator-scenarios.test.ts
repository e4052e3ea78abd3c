/**
 * Simulated cars over time, read through the official SDK while the developer controls move their
 * clocks: a drive moves the odometer and the location, a charger fills the battery on the curve's
 * schedule, and the state decides which commands a car accepts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smartcar from 'smartcar';
import { createSimulatedVehicle } from '../src/vehicles/index.js';
import { pointSdkAt, startPlatform, type TestPlatform } from './support/platform.js';

type SdkError = InstanceType<typeof smartcar.SmartcarError>;
const HOUR = 3_600_000;
/** Kilometres per degree of latitude along a meridian (mean Earth radius 6371.0088 km). */
const KM_PER_DEGREE = (6371.0088 * Math.PI) / 180;

let tp: TestPlatform;
before(async () => {
  tp = await startPlatform();
  pointSdkAt(tp.baseUrl);
});
after(() => tp.close());

async function simulatedCar(make: string, model: string) {
  const car = await createSimulatedVehicle(tp.platform.services.vehicles, { make, model, seed: `${make}-${model}` });
  const { accessToken } = await tp.token({ vehicleId: car.vehicleId });
  const vehicle = new smartcar.Vehicle(car.vehicleId, accessToken);
  const ref = async () => (await tp.platform.services.vehicles.find(car.vehicleId))!;
  const sim = tp.platform.services.simulator;
  return { car, vehicle, ref, sim };
}

describe('Driving', () => {
  test('an hour at 60 km/h due north adds 60 km and moves the car 60 km north; commands meet a moving car', async () => {
    const { vehicle, ref, sim } = await simulatedCar('TESLA', 'Model 3');
    const start = await vehicle.location();
    const startKm = (await vehicle.odometer()).distance as number;
    const to = { latitude: (start.latitude as number) + 100 / KM_PER_DEGREE, longitude: start.longitude as number };
    await sim.setScenario(await ref(), { name: 'custom', steps: [{ kind: 'drive', to, speedKmh: 60 }] });
    await sim.advanceClock(await ref(), HOUR);

    const odometer = await vehicle.odometer();
    assert.ok(Math.abs((odometer.distance as number) - startKm - 60) < 0.01, `drove ${(odometer.distance as number) - startKm} km`);
    const location = await vehicle.location();
    assert.ok(Math.abs(((location.latitude as number) - (start.latitude as number)) * KM_PER_DEGREE - 60) < 0.05);
    assert.ok(Math.abs((location.longitude as number) - (start.longitude as number)) < 1e-5);

    await assert.rejects(vehicle.lock(), (e: SdkError) => e.type === 'VEHICLE_STATE' && e.code === 'IN_MOTION');
    await assert.rejects(vehicle.startCharge(), (e: SdkError) => e.type === 'VEHICLE_STATE' && e.code === 'CHARGING_PLUG_NOT_CONNECTED');
    assert.equal((await vehicle.charge()).isPluggedIn, false);

    await sim.advanceClock(await ref(), HOUR);
    const arrived = await vehicle.odometer();
    assert.ok(Math.abs((arrived.distance as number) - startKm - 100) < 0.01, 'the drive ends at its destination');
    assert.equal((await vehicle.lock()).status, 'success', 'a parked car locks');
  });

  test('a drive uses the battery in proportion to the distance, more at motorway speed', async () => {
    const batteries = [];
    for (const speed of [50, 130]) {
      const { vehicle, ref, sim } = await simulatedCar('HYUNDAI', 'Ioniq 5');
      await sim.setValues(await ref(), { soc: 0.9, ambientC: 22 });
      const start = await vehicle.location();
      const to = { latitude: (start.latitude as number) + 50 / KM_PER_DEGREE, longitude: start.longitude as number };
      await sim.setScenario(await ref(), { name: 'custom', steps: [{ kind: 'drive', to, speedKmh: speed }] });
      await sim.advanceClock(await ref(), 2 * HOUR);
      batteries.push(0.9 - ((await vehicle.battery()).percentRemaining as number));
    }
    assert.ok(batteries[1]! > batteries[0]! * 1.3, `motorway ${batteries[1]} vs town ${batteries[0]}`);
  });
});

describe('Charging', () => {
  test('an 11 kW AC charger adds 9.68 kWh an hour until the limit, then the car reads FULLY_CHARGED', async () => {
    const { vehicle, ref, sim } = await simulatedCar('VOLKSWAGEN', 'ID.4');
    await sim.setValues(await ref(), { soc: 0.2, chargeLimit: 0.8 });
    const capacity = (await vehicle.batteryCapacity()).capacity as number;
    await sim.setScenario(await ref(), { name: 'charging', charger: { powerKw: 11, dc: false } });
    await sim.advanceClock(await ref(), HOUR);
    const charge = await vehicle.charge();
    assert.deepEqual([charge.isPluggedIn, charge.state], [true, 'CHARGING']);
    const soc = (await vehicle.battery()).percentRemaining as number;
    // The API reports two decimals.
    assert.ok(Math.abs(soc - (0.2 + (11 * 0.88) / capacity)) <= 0.005, `after an hour ${soc}`);
    await assert.rejects(vehicle.startCharge(), (e: SdkError) => e.code === 'CHARGING_IN_PROGRESS');

    await sim.advanceClock(await ref(), 10 * HOUR);
    assert.equal((await vehicle.charge()).state, 'FULLY_CHARGED');
    assert.equal((await vehicle.battery()).percentRemaining, 0.8);
    await assert.rejects(vehicle.startCharge(), (e: SdkError) => e.code === 'FULLY_CHARGED');
  });

  test('a DC fast charger slows above the knee: each point from 55 % to 90 % takes longer than from 10 % to 55 %', async () => {
    const { vehicle, ref, sim } = await simulatedCar('KIA', 'EV6');
    await sim.setValues(await ref(), { soc: 0.1, chargeLimit: 1 });
    await sim.setScenario(await ref(), { name: 'charging', charger: { powerKw: 350, dc: true } });
    const minutesTo = async (level: number) => {
      let minutes = 0;
      while (((await vehicle.battery()).percentRemaining as number) < level && minutes < 600) {
        await sim.advanceClock(await ref(), 60_000);
        minutes += 1;
      }
      return minutes;
    };
    const first = await minutesTo(0.55);
    const second = await minutesTo(0.9);
    assert.ok(second / 35 > (first / 45) * 1.3, `10→55 %: ${first} min, 55→90 %: ${second} min`);
  });
});

describe('Scenarios and the car clock', () => {
  test('a road trip reaches a real city a few hundred km away, stopping to charge', async () => {
    const { car, vehicle, ref, sim } = await simulatedCar('TESLA', 'Model Y');
    const startKm = (await vehicle.odometer()).distance as number;
    const planned = await sim.setScenario(await ref(), { name: 'road_trip' });
    const drives = planned.scenario!.steps.filter((s) => s.kind === 'drive');
    const destination = drives[drives.length - 1]!;
    await sim.advanceClock(await ref(), 24 * HOUR);
    const shown = sim.inspect(await ref());
    assert.equal(shown.state.scenario?.steps.length ?? 0, 0, 'the trip is over');
    assert.ok(destination.kind === 'drive');
    assert.deepEqual(shown.state.location, destination.to);
    assert.ok(((await vehicle.odometer()).distance as number) - startKm > 250);
    assert.ok(car.vehicleId);
  });

  test('a time scale runs the car clock faster than real time', async () => {
    const { ref, sim } = await simulatedCar('NISSAN', 'Leaf');
    await sim.setTimeScale(await ref(), 60);
    const before = Date.parse(sim.inspect(await ref()).carTime);
    await new Promise((r) => setTimeout(r, 100));
    const after = Date.parse(sim.inspect(await ref()).carTime);
    assert.ok(after - before >= 100 * 60 * 0.99, `car time moved ${after - before} ms in 100 real ms`);
  });
});
