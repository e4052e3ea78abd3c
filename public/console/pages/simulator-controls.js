// A simulated car's controls: scenario, clock (advance, time scale), faults (inject, clear) and
// values. Each answers the car's new state, handed to `shown` so the page updates at once.
import { api, el } from '../lib.js';

let forms = 0;

/** A labelled form that sends what `body` reads from it; a refusal is shown in the form. */
function controlForm(name, fields, button, send, shown) {
  const n = ++forms;
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const inputs = {};
  const parts = fields.flatMap(([key, label, input]) => {
    const id = `control-${n}-${key}`;
    input.id = id;
    inputs[key] = input;
    return [el('label', { for: id }, label), input];
  });
  const form = el('form', { 'aria-label': name }, el('h3', {}, name), ...parts, error, el('button', { type: 'submit' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await send(inputs);
    error.hidden = answer.status === 200;
    if (answer.status !== 200) error.textContent = answer.body.message ?? 'Refused.';
    shown(answer);
  });
  return form;
}

const select = (values) => el('select', {}, ...values.map((v) => el('option', { value: v }, v.replaceAll('_', ' '))));
const number = (attributes) => el('input', { type: 'number', inputmode: 'decimal', ...attributes });
const numberOr = (input, scale = 1) => (input.value.trim() === '' ? undefined : Number(input.value) * scale);

export function carControls(vehicleId, catalog, shown) {
  const post = (rest, json, method = 'POST') => api.call(`/simulator/vehicles/${encodeURIComponent(vehicleId)}${rest}`, { method, json });
  const scenarios = catalog.scenarios.filter((s) => s !== 'custom');

  const clear = el('button', { type: 'button' }, 'Clear faults');
  clear.addEventListener('click', async () => shown(await post('/faults', undefined, 'DELETE')));

  const lock = el('select', {}, el('option', { value: '' }, 'as it is'), el('option', { value: 'true' }, 'locked'), el('option', { value: 'false' }, 'unlocked'));
  return el('section', { 'aria-label': 'Controls', class: 'controls' },
    el('h2', {}, 'Controls'),
    controlForm('Change scenario', [['name', 'Scenario', select(scenarios)]], 'Apply scenario',
      (i) => post('/scenario', { name: i.name.value }), shown),
    controlForm('Move the clock', [['minutes', 'Advance by minutes', number({ min: '1', max: '525600', step: 'any', value: '30' })]], 'Advance clock',
      (i) => post('/clock', { advanceSeconds: numberOr(i.minutes, 60) ?? 0 }), shown),
    controlForm('Change the time scale', [['scale', 'Time scale', number({ min: '0.01', max: '10000', step: 'any', value: '1' })]], 'Set time scale',
      (i) => post('/clock', { timeScale: numberOr(i.scale) }), shown),
    el('div', {},
      controlForm('Inject a fault', [
        ['kind', 'Fault', select(catalog.faults)],
        ['minutes', 'Duration in minutes (empty: until cleared)', number({ min: '1', max: '525600', step: 'any' })],
        ['probability', 'Probability', number({ min: '0.01', max: '1', step: '0.01', value: '1' })],
      ], 'Inject fault', (i) => post('/faults', { kind: i.kind.value, forSeconds: numberOr(i.minutes, 60), probability: numberOr(i.probability) }), shown),
      clear),
    controlForm('Change values', [
      ['odometer', 'Odometer (km)', number({ min: '0', max: '5000000', step: 'any' })],
      ['battery', 'Battery (%)', number({ min: '0', max: '100', step: 'any' })],
      ['fuel', 'Fuel (%)', number({ min: '0', max: '100', step: 'any' })],
      ['lock', 'Lock', lock],
    ], 'Set values', (i) => post('/values', {
      odometerKm: numberOr(i.odometer), soc: numberOr(i.battery, 0.01), fuelLevel: numberOr(i.fuel, 0.01),
      isLocked: i.lock.value === '' ? undefined : i.lock.value === 'true',
    }), shown));
}
