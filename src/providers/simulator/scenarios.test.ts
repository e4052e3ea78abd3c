/** Scenarios keep the local time of the car's home city, across daylight-saving changes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MODELS } from './catalog.js';
import { HOME_CITIES } from './cities.js';
import { createInitialState } from './initial-state.js';
import { localTime, nextLocalTime } from './local-time.js';
import { advance } from './physics/timeline.js';
import { seededRandom } from './random.js';
import { buildScenario, timeZoneOf } from './scenarios.js';
import type { ScenarioState, SimSnapshot } from './state.js';

const MINUTE = 60_000;

function carIn(cityName: string, at: string): { s: SimSnapshot; spec: (typeof MODELS)[number] } {
  const city = HOME_CITIES.find((c) => c.name === cityName)!;
  const spec = MODELS.find((m) => m.make === 'TESLA' && m.model === 'Model 3')!;
  const seeded = createInitialState(spec, 2022, seededRandom(cityName), new Date(at));
  const home = { latitude: city.latitude, longitude: city.longitude };
  return { s: { ...seeded, location: home, home, soc: 0.9 }, spec };
}

/** Car times at which a commute's morning drives start. */
function departuresOf(scenario: ScenarioState): number[] {
  return scenario.steps.flatMap((step, i) => (step.kind === 'park' && step.until && scenario.steps[i + 1]?.kind === 'drive' ? [Date.parse(step.until)] : []));
}

function departures(s: SimSnapshot, spec: (typeof MODELS)[number], at: string): number[] {
  return departuresOf(buildScenario(s, spec, { name: 'commute', seed: 'local-time', carNow: Date.parse(at) })!);
}

describe('Local time of the home city', () => {
  test('a commute leaves around 8:00 on the home city\'s clock: Los Angeles and Berlin leave hours apart in UTC', () => {
    // Both weeks cross a daylight-saving change (US 8 March 2026, EU 29 March 2026).
    for (const [city, zone, at] of [
      ['Los Angeles', 'America/Los_Angeles', '2026-03-05T20:00:00.000Z'],
      ['Berlin', 'Europe/Berlin', '2026-03-26T15:00:00.000Z'],
    ] as const) {
      const { s, spec } = carIn(city, at);
      assert.equal(timeZoneOf(s), zone);
      const leaves = departures(s, spec, at);
      assert.equal(leaves.length, 7, city);
      for (const leave of leaves) {
        const local = localTime(leave, zone);
        const minuteOfDay = local.hour * 60 + local.minute;
        assert.ok(minuteOfDay >= 7 * 60 + 45 && minuteOfDay <= 8 * 60 + 15, `${city}: leaves at ${local.hour}:${local.minute}`);
      }
    }
    const june = '2026-06-01T00:00:00.000Z';
    const firstDeparture = (city: string) => {
      const { s, spec } = carIn(city, june);
      return departures(s, spec, june)[0]!;
    };
    const la = firstDeparture('Los Angeles');
    const berlin = firstDeparture('Berlin');
    const utcHour = (ms: number) => new Date(ms).getUTCHours();
    assert.ok(utcHour(la) >= 14 && utcHour(la) <= 15, `Los Angeles leaves at ${utcHour(la)}:xx UTC`);
    assert.ok(utcHour(berlin) >= 5 && utcHour(berlin) <= 6, `Berlin leaves at ${utcHour(berlin)}:xx UTC`);
  });

  test('the car is parked before its departure and driving just after, even after a long night charge', () => {
    const at = '2026-06-01T00:00:00.000Z';
    const { s, spec } = carIn('Berlin', at);
    const scenario = buildScenario({ ...s, soc: 0.2 }, spec, { name: 'commute', seed: 'night', carNow: Date.parse(at) })!;
    const car = { ...s, soc: 0.2, scenario };
    const leaves = departuresOf(scenario);
    for (const leave of leaves.slice(0, 3)) {
      assert.equal(advance(car, spec, leave - MINUTE).activity, 'parked');
      assert.equal(advance(car, spec, leave + MINUTE).activity, 'driving');
    }
  });

  test('nextLocalTime finds the next wall-clock minute, on the day clocks change too', () => {
    const zone = 'Europe/Berlin';
    // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 8:00 that day is 06:00 UTC.
    const next = nextLocalTime(Date.parse('2026-03-28T12:00:00.000Z'), zone, 8 * 60);
    assert.equal(new Date(next).toISOString(), '2026-03-29T06:00:00.000Z');
    const winter = nextLocalTime(Date.parse('2026-03-27T12:00:00.000Z'), zone, 8 * 60);
    assert.equal(new Date(winter).toISOString(), '2026-03-28T07:00:00.000Z');
    // Exactly at 8:00 the next 8:00 is tomorrow's.
    assert.equal(nextLocalTime(winter, zone, 8 * 60), Date.parse('2026-03-29T06:00:00.000Z'));
    assert.equal(new Date(nextLocalTime(Date.parse('2026-01-10T20:00:00.000Z'), 'America/Los_Angeles', 8 * 60)).toISOString(), '2026-01-11T16:00:00.000Z');
  });
});
