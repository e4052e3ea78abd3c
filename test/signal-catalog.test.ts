/**
 * The signal catalog as every simulated car shows it: for random cars of every model, at random
 * moments of random scenarios, each signal listed on v3 is a catalog code the car's powertrain can
 * have, its body is well-formed for its code, and it agrees with the v2.0 endpoint that shows the
 * same value, read at the same instant (the platform's clock stands still between the two reads).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { signalSpec, type Clock } from '../src/core/index.js';
import { simulator } from '../src/providers/index.js';
import { createSimulatedVehicle } from '../src/vehicles/index.js';
import { callApi } from './support/http.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

const SEED = 20261202;
const RUNS = 60;
const HOUR = 3_600_000;

/** A clock only the test moves. */
class StillClock implements Clock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

interface SignalItem {
  id: string;
  type: string;
  attributes: { code: string; name: string; group: string; status: { value: string }; body?: Record<string, unknown> };
  meta: { retrievedAt?: number; oemUpdatedAt?: number };
}

interface BatchItem {
  path: string;
  code: number;
  body: Record<string, unknown>;
}

const clock = new StillClock(Date.parse('2026-06-01T08:00:00Z'));
let tp: TestPlatform;

before(async () => {
  tp = await startPlatform({}, { clock });
});
after(() => tp.close());

const V2_PATHS = [
  '/vin', '/odometer', '/location', '/fuel', '/battery', '/battery/nominal_capacity', '/charge', '/charge/limit', '/tires/pressure',
  '/engine/oil', '/security', '/diagnostics/dtcs',
];

const close = (a: unknown, b: unknown, tolerance = 1e-9) =>
  typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= tolerance;

/** What the v2.0 endpoint showing the same value answered, checked against the signal's body. */
function agreeWithV2(code: string, body: Record<string, unknown>, v2: ReadonlyMap<string, Record<string, unknown>>): void {
  const at = (path: string) => v2.get(path);
  const check = (path: string, ok: (b: Record<string, unknown>) => boolean) => {
    const answer = at(path);
    assert.ok(answer, `${path} answers where ${code} does`);
    assert.ok(ok(answer), `${code} ${JSON.stringify(body)} agrees with ${path} ${JSON.stringify(answer)}`);
  };
  const tyre = (row: number, column: number) =>
    (body.values as { row: number; column: number; tirePressure: number }[]).find((t) => t.row === row && t.column === column)?.tirePressure;
  switch (code) {
    case 'vehicleidentification-vin': return check('/vin', (b) => b.vin === body.value);
    case 'odometer-traveleddistance': return check('/odometer', (b) => close(b.distance, body.value));
    case 'location-preciselocation': return check('/location', (b) => b.latitude === body.latitude && b.longitude === body.longitude);
    case 'internalcombustionengine-fuellevel': return check('/fuel', (b) => close(b.percentRemaining, (body.value as number) / 100));
    case 'internalcombustionengine-range': return check('/fuel', (b) => close(b.range, body.value));
    case 'internalcombustionengine-amountremaining': return check('/fuel', (b) => close(b.amountRemaining, body.value));
    case 'tractionbattery-stateofcharge': return check('/battery', (b) => close(b.percentRemaining, (body.value as number) / 100));
    case 'tractionbattery-range': return check('/battery', (b) => close(b.range, body.value));
    case 'tractionbattery-nominalcapacity':
      return check('/battery/nominal_capacity', (b) => (b.capacity as { nominal: number }).nominal === body.capacity);
    case 'charge-ischargingcableconnected': return check('/charge', (b) => b.isPluggedIn === body.value);
    case 'charge-detailedchargingstatus': return check('/charge', (b) => b.state === body.value);
    case 'charge-ischarging': return check('/charge', (b) => (b.state === 'CHARGING') === body.value);
    case 'charge-chargelimits': return check('/charge/limit', (b) => close(b.limit, (body.activeLimit as number) / 100));
    case 'wheel-tires': return check('/tires/pressure', (b) => close(b.frontLeft, tyre(0, 0)) && close(b.backRight, tyre(1, 1)));
    case 'internalcombustionengine-oillife': return check('/engine/oil', (b) => close(b.lifeRemaining, (body.value as number) / 100));
    case 'closure-islocked': return check('/security', (b) => b.isLocked === body.value);
    case 'diagnostics-dtclist':
      return check('/diagnostics/dtcs', (b) => JSON.stringify(b.activeCodes) === JSON.stringify(body.values));
    default:
  }
}

const models = simulator.MODELS;
const scenarioOf = fc.constantFrom('parked', 'commute', 'charging', 'road_trip');

describe('Every catalog signal of every simulated car', () => {
  test('is a code its powertrain can have, well-formed for its code, and agrees with the v2.0 endpoint showing it', async () => {
    const seen = new Set<string>();
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: models.length - 1 }), fc.string({ maxLength: 12 }), scenarioOf, fc.integer({ min: 0, max: 30 * 24 }),
      async (index, seed, scenario, hours) => {
        const spec = models[index]!;
        const car = await createSimulatedVehicle(tp.platform.services.vehicles, { make: spec.make, model: spec.model, seed });
        const { accessToken } = await tp.token({ vehicleId: car.vehicleId });
        const vehicle = (await tp.platform.services.vehicles.find(car.vehicleId))!;
        const name = scenario === 'charging' && !spec.batteryKwh ? 'commute' : scenario;
        // Some home cities have no other city a road trip away: such a car stays parked.
        await tp.platform.services.simulator.setScenario(vehicle, { name }).catch(() => undefined);
        const moved = (await tp.platform.services.vehicles.find(car.vehicleId))!;
        await tp.platform.services.simulator.advanceClock(moved, hours * HOUR);

        const v3 = await callApi<{ data: SignalItem[] }>(tp.baseUrl, `/v3/vehicles/${car.vehicleId}/signals`, { token: accessToken });
        assert.equal(v3.status, 200, JSON.stringify(v3.body));
        const batch = await callApi<{ responses: BatchItem[] }>(tp.baseUrl, `/v2.0/vehicles/${car.vehicleId}/batch`, {
          method: 'POST', token: accessToken, body: JSON.stringify({ requests: V2_PATHS.map((path) => ({ path })) }),
        });
        assert.equal(batch.status, 200);
        const v2 = new Map(batch.body.responses.filter((r) => r.code === 200).map((r) => [r.path, r.body]));

        for (const item of v3.body.data) {
          const { code, status, body } = item.attributes;
          const catalog = signalSpec(code);
          assert.ok(catalog?.v3, `${code} is a v3 catalog code`);
          assert.ok(catalog.powertrains.includes(vehicle.powertrain), `${spec.make} ${spec.model} (${vehicle.powertrain}) may have ${code}`);
          assert.equal(item.id, code);
          assert.deepEqual([item.attributes.name, item.attributes.group], [catalog.name, catalog.group]);
          if (status.value !== 'SUCCESS') continue;
          seen.add(code);
          const parsed = catalog.body.safeParse(body);
          assert.ok(parsed.success, `${code} body ${JSON.stringify(body)}: ${parsed.error?.message ?? ''}`);
          assert.ok(Number.isInteger(item.meta.retrievedAt) && Number.isInteger(item.meta.oemUpdatedAt), `${code} meta in epoch ms`);
          agreeWithV2(code, body!, v2);
        }
      },
    ), { seed: SEED, numRuns: RUNS });
    // The runs reached the data points the v2.0 endpoints show, on electric and combustion cars alike.
    for (const code of ['odometer-traveleddistance', 'tractionbattery-stateofcharge', 'internalcombustionengine-fuellevel', 'closure-islocked']) {
      assert.ok(seen.has(code), `some run read ${code}`);
    }
  });
});
