/** Signal resources serialized from cached fragments read back exactly as JSON.stringify would write them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorSignal, signalEntry, successSignal } from './resources.js';
import { signalsJson } from './signal-json.js';
import { NOT_CAPABLE_ERRORS, PERMISSION_ERROR } from './signal-errors.js';

const LINK = '/v3/vehicles/6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';

describe('signalsJson (api/v3/signal-json)', () => {
  test('success, error and last-known-body resources round-trip, twice (fragments cached)', () => {
    const odometer = signalEntry('odometer-traveleddistance')!;
    const vin = signalEntry('vehicleidentification-vin')!;
    const resources = [
      successSignal(odometer, LINK, { value: 1234.5, unit: 'km' }, new Date(1000), new Date(2000)),
      successSignal(vin, LINK, { value: 'Ünïcödé "quoted" \\ ✓' }, new Date(1000), new Date(2000)),
      errorSignal(signalEntry('charge-amperage')!, LINK, PERMISSION_ERROR, 3000),
      errorSignal(signalEntry('closure-sunroof')!, LINK, NOT_CAPABLE_ERRORS.SMARTCAR_NOT_CAPABLE, 3000, { body: { isOpen: null } }),
    ];
    for (let round = 0; round < 2; round++) {
      const json = signalsJson(resources);
      assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(resources)));
      assert.ok([...json.replace('Ünïcödé', '').replace('✓', '')].every((c) => c.charCodeAt(0) < 128), 'fragments are ASCII');
    }
    assert.equal(signalsJson([]), '[]');
  });
});
