// Simulator: the developer's simulated cars, Add vehicle (the owner's Connect sign-in shown once),
// and a car's page: its state live, its trip as an SVG track, and its controls.
import { api, copyable, el, table } from '../lib.js';
import { trackView } from './simulator-track.js';
import { carControls } from './simulator-controls.js';

const POLL_MS = 1000;
/** Positions kept for the track: enough for a long drive seen while the page is open. */
const MAX_TRAIL = 600;

const path = (vehicleId, rest = '') => `/simulator/vehicles/${encodeURIComponent(vehicleId)}${rest}`;

function errorLine() {
  return el('p', { class: 'error', role: 'alert', hidden: '' });
}

function refused(line, answer, fallback) {
  line.textContent = answer.body.message ?? fallback;
  line.hidden = false;
}

function options(select, values, label = (v) => v) {
  select.replaceChildren(...values.map((v) => el('option', { value: v }, label(v))));
}

/** Add vehicle: app, make, model and scenario from the simulator's catalog; Create shows the owner's sign-in once. */
function addVehicleForm(apps, catalog, done) {
  const app = el('select', { id: 'sim-app', name: 'clientId', required: '' });
  options(app, apps.map((a) => a.clientId), (id) => apps.find((a) => a.clientId === id).name);
  const make = el('select', { id: 'sim-make', name: 'make', required: '' });
  options(make, catalog.makes.map((m) => m.make));
  const model = el('select', { id: 'sim-model', name: 'model', required: '' });
  const models = () => options(model, catalog.makes.find((m) => m.make === make.value)?.models ?? []);
  make.addEventListener('change', models);
  models();
  const scenario = el('select', { id: 'sim-scenario', name: 'scenario' });
  options(scenario, catalog.startingScenarios, (s) => s.replace('_', ' '));
  const error = errorLine();
  const form = el('form', { 'aria-label': 'Add vehicle' },
    el('label', { for: 'sim-app' }, 'App'), app,
    el('label', { for: 'sim-make' }, 'Make'), make,
    el('label', { for: 'sim-model' }, 'Model'), model,
    el('label', { for: 'sim-scenario' }, 'Scenario'), scenario,
    error, el('button', { type: 'submit' }, 'Create'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await api.call('/simulator/vehicles', {
      method: 'POST', json: { clientId: app.value, make: make.value, model: model.value, scenario: scenario.value },
    });
    if (answer.status !== 201) return refused(error, answer, 'The vehicle could not be created.');
    const car = answer.body;
    done(el('section', { 'aria-label': 'New vehicle credentials' },
      el('h2', {}, `${car.year} ${car.make} ${car.model} is ready`),
      el('p', {}, 'Its owner signs in to Connect (mode simulated) with these. The password is shown only now.'),
      car.scenarioRefused ? el('p', { role: 'status' }, `It starts parked: ${car.scenarioRefused}.`) : '',
      copyable('Email', car.email),
      copyable('Password', car.password),
      copyable('VIN', car.vin),
      el('p', {}, el('a', { href: `#simulator/${car.vehicleId}` }, `Open ${car.make} ${car.model}`))));
  });
  return form;
}

async function carList() {
  const [{ body: mine }, { body: cars }, { body: catalog }] = await Promise.all([
    api.call('/apps'), api.call('/simulator/vehicles'), api.call('/simulator/catalog'),
  ]);
  const apps = mine.apps ?? [];
  const slot = el('div');
  const add = el('button', { type: 'button' }, 'Add vehicle');
  add.disabled = apps.length === 0;
  add.addEventListener('click', () => {
    add.hidden = true;
    slot.replaceChildren(addVehicleForm(apps, catalog, async (credentials) => {
      const view = document.querySelector('#view');
      view.replaceChildren(...await carList());
      view.prepend(credentials);
    }));
  });
  const list = cars.vehicles ?? [];
  const appName = (clientId) => apps.find((a) => a.clientId === clientId)?.name ?? clientId;
  return [
    el('h1', {}, 'Simulator'),
    apps.length === 0 ? el('p', {}, 'Create an app first: simulated cars belong to one of your apps.') : add,
    slot,
    list.length === 0 ? el('p', {}, 'No simulated vehicles yet.')
      : table('Your simulated vehicles', ['Vehicle', 'VIN', 'Mode', 'App'], list.map((v) => [
        el('a', { href: `#simulator/${v.vehicleId}` }, `${v.year} ${v.make} ${v.model}`), el('code', {}, v.vin), v.mode, appName(v.clientId),
      ])),
  ];
}

const percent = (fraction) => (fraction === null || fraction === undefined ? '—' : `${Math.round(fraction * 1000) / 10} %`);

/** The state rows a developer watches, from the simulator's snapshot. */
function stateRows(shown) {
  const s = shown.state;
  const faults = (s.faults ?? []).map((f) => `${f.kind} (${Math.round(f.probability * 100)} %${f.until ? `, until ${new Date(f.until).toLocaleString()}` : ''})`);
  return [
    ['Car time', new Date(shown.carTime).toLocaleString()],
    ['Activity', s.activity],
    ['Scenario', s.scenario ? `${s.scenario.name.replace('_', ' ')} (${s.scenario.steps.length} steps left)` : 'none'],
    ['Odometer', `${s.odometerKm.toFixed(1)} km`],
    ['Battery', percent(s.soc)],
    ['Fuel', percent(s.fuelLevel)],
    ['Location', `${s.location.latitude.toFixed(5)}, ${s.location.longitude.toFixed(5)}`],
    ['Locked', s.isLocked ? 'yes' : 'no'],
    ['Plugged in', s.isPluggedIn ? 'yes' : 'no'],
    ['Time scale', `${s.timeScale ?? 1}×`],
    ['Faults', faults.join(', ') || 'none'],
  ];
}

function stateTable(shown) {
  return el('div', { class: 'scroll' }, el('table', { class: 'state' },
    el('caption', { class: 'visually-hidden' }, 'State now'),
    el('tbody', {}, ...stateRows(shown).map(([name, value]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, value))))));
}

/** A car's page: polls its state every second while it is shown, and stops once the page is left. */
async function carPage(vehicleId) {
  const first = await api.call(path(vehicleId));
  if (first.status !== 200) return [el('h1', {}, 'Simulator'), el('p', { role: 'alert' }, first.body.message ?? 'No such car.')];
  const { body: catalog } = await api.call('/simulator/catalog');
  const trail = [];
  const state = el('section', { 'aria-label': 'State' });
  const track = el('section', { 'aria-label': 'Trip' });
  const root = el('div', { class: 'car' });

  function render(shown) {
    const { latitude, longitude } = shown.state.location;
    const last = trail[trail.length - 1];
    if (!last || last.latitude !== latitude || last.longitude !== longitude) trail.push({ latitude, longitude });
    if (trail.length > MAX_TRAIL) trail.shift();
    state.replaceChildren(el('h2', {}, 'State'), stateTable(shown));
    track.replaceChildren(el('h2', {}, 'Trip'), trackView(trail, shown.state.scenario?.steps ?? []));
  }

  const v = first.body.vehicle;
  root.append(
    el('h1', {}, `${v.year} ${v.make} ${v.model}`),
    el('p', {}, 'VIN ', el('code', {}, v.vin), ` · ${v.mode} mode · `, el('a', { href: '#simulator' }, 'All simulated vehicles')),
    state, track,
    carControls(vehicleId, catalog, (answer) => { if (answer.status === 200) render(answer.body); }));
  render(first.body);

  let busy = false;
  const timer = window.setInterval(async () => {
    // The router replaces the page on navigation: a page no longer shown stops asking.
    if (!root.isConnected) return window.clearInterval(timer);
    if (busy || document.hidden) return;
    busy = true;
    try {
      const answer = await api.call(path(vehicleId));
      if (answer.status === 200 && root.isConnected) render(answer.body);
    } finally {
      busy = false;
    }
  }, POLL_MS);
  return [root];
}

export async function simulator(vehicleId) {
  return vehicleId ? carPage(vehicleId) : carList();
}
