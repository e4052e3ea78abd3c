/** Signal rows serialized from cached fragments read back exactly as their resources through JSON.stringify. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorRow, signalEntry, signalResource, successRow } from './resources.js';
import { asciiJson, bodyJson, signalsJson } from './signal-json.js';
import { NOT_CAPABLE_ERRORS, PERMISSION_ERROR } from './signal-errors.js';

const LINK = '/v3/vehicles/6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';

describe('signalsJson (api/v3/signal-json)', () => {
  test('success, error and last-known-body rows round-trip as their resources, twice (fragments cached)', () => {
    const odometer = signalEntry('odometer-traveleddistance')!;
    const vin = signalEntry('vehicleidentification-vin')!;
    const rows = [
      successRow(odometer, { value: 1234.5, unit: 'km' }, new Date(1000), new Date(2000)),
      successRow(vin, { value: 'Ünïcödé "quoted" \\ ✓' }, new Date(1000), new Date(2000)),
      errorRow(signalEntry('charge-amperage')!, PERMISSION_ERROR, 3000),
      errorRow(signalEntry('closure-sunroof')!, NOT_CAPABLE_ERRORS.SMARTCAR_NOT_CAPABLE, 3000, { body: { isOpen: null } }),
      errorRow(signalEntry('closure-fronttrunk')!, NOT_CAPABLE_ERRORS.SMARTCAR_NOT_CAPABLE, 3000),
    ];
    const resources = rows.map((row) => signalResource(row, LINK));
    for (let round = 0; round < 2; round++) {
      const json = signalsJson(rows, LINK);
      assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(resources)));
      assert.ok([...json].every((c) => c.charCodeAt(0) < 128), 'all ASCII: wider characters are escaped');
      assert.deepEqual(JSON.parse(signalsJson(rows.slice(0, 1), LINK, '{"data":', ',"n":1}')), { data: [resources[0]], n: 1 });
    }
    assert.equal(signalsJson([], LINK), '[]');
  });

  test('bodies are written as JSON.stringify writes them, all ASCII, whatever their shape', () => {
    const bodies: Record<string, unknown>[] = [
      { value: 12.5, unit: 'km' }, { value: -0, unit: 'km' }, { value: 0 }, { value: 1e21 }, { value: 5e-7, unit: 'kWh' },
      { value: true }, { value: false, unit: 'x' }, { value: Number.NaN }, { value: Infinity, unit: 'km' }, { value: null },
      { value: 'NACS' }, { value: '' }, { value: 'Sport 19"' }, { value: 'a\\b' }, { value: 'tab\there' }, { value: 'del\x7f' },
      { value: 'caf\u00e9' }, { value: '\ud800 lone' }, { value: 'LRWJ9DDT0LT002868', unit: 'x' }, { value: 'Ünïcödé "quoted" \\ ✓' }, { value: 3, unit: '°C ✓' }, { unit: 'km', value: 3 },
      { value: 3, unit: 'km', extra: 1 }, { value: 3, other: 'km' }, { value: 3, unit: 7 }, { isOpen: null, isLocked: true },
      { values: [{ row: 0, column: 0, isOpen: false }], rowCount: 1, columnCount: 1 }, {}, { value: { nested: 1 } },
    ];
    for (const body of bodies) {
      const json = bodyJson(body);
      assert.equal(json, asciiJson(body), JSON.stringify(body));
      assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(body)));
      assert.ok([...json].every((c) => c.charCodeAt(0) < 128), json);
    }
  });
});
