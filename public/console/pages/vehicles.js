// Vehicles: an app's connected vehicles, filtered by mode and a piece of make, model or VIN, a page
// at a time, each with Disconnect (confirmed first); a vehicle's page shows its latest values and
// its connection history with why each connection ended.
import { api, el, table } from '../lib.js';

const PAGE = 25;
const REASONS = { owner_revoked: 'owner revoked', app_disconnected: 'app disconnected', expired: 'expired' };
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const name = (v) => `${v.year ?? ''} ${v.make ?? ''} ${v.model ?? ''}`.trim();
const view = () => document.querySelector('#view');

/** Disconnect, asked twice: the first press offers Confirm disconnect and Cancel. */
function disconnectButton(clientId, vehicle, done) {
  // The VIN's last six tell apart two cars of a model, without repeating the VIN cell's name.
  const label = `${name(vehicle)} …${(vehicle.vin ?? vehicle.vehicleId).slice(-6)}`;
  const slot = el('div', { class: 'confirm' });
  const ask = el('button', { type: 'button', 'aria-label': `Disconnect ${label}` }, 'Disconnect');
  const error = el('span', { class: 'error', role: 'alert', hidden: '' });
  ask.addEventListener('click', () => {
    const confirm = el('button', { type: 'button', 'aria-label': `Confirm disconnect of ${label}` }, 'Confirm disconnect');
    const cancel = el('button', { type: 'button' }, 'Cancel');
    cancel.addEventListener('click', () => slot.replaceChildren(ask, error));
    confirm.addEventListener('click', async () => {
      const answer = await api.call(`/apps/${encodeURIComponent(clientId)}/vehicles/${encodeURIComponent(vehicle.vehicleId)}`, { method: 'DELETE' });
      if (answer.status !== 200) {
        error.textContent = answer.body.message ?? 'The vehicle could not be disconnected.';
        error.hidden = false;
        return slot.replaceChildren(ask, error);
      }
      await done();
    });
    slot.replaceChildren(el('span', {}, 'Disconnect?'), confirm, cancel);
    confirm.focus();
  });
  slot.append(ask, error);
  return slot;
}

/** The filter form: the app, the mode and a piece of make, model or VIN. */
function filterForm(apps, filter, apply) {
  const app = el('select', { id: 'vehicles-app' }, ...apps.map((a) => el('option', { value: a.clientId }, a.name)));
  app.value = filter.clientId;
  const mode = el('select', { id: 'vehicles-mode' }, ...[['', 'any'], ['live', 'live'], ['simulated', 'simulated'], ['test', 'test']]
    .map(([value, text]) => el('option', { value }, text)));
  mode.value = filter.mode;
  const q = el('input', { id: 'vehicles-q', type: 'search', maxlength: '64', value: filter.q });
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter vehicles' },
    el('div', {}, el('label', { for: 'vehicles-app' }, 'App'), app),
    el('div', {}, el('label', { for: 'vehicles-mode' }, 'Mode'), mode),
    el('div', {}, el('label', { for: 'vehicles-q' }, 'Make, model or VIN'), q),
    el('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void apply({ clientId: app.value, mode: mode.value, q: q.value.trim().slice(0, 64), offset: 0 });
  });
  return form;
}

async function listPage(apps, filter) {
  const query = new window.URLSearchParams({ limit: String(PAGE), offset: String(filter.offset) });
  if (filter.mode) query.set('mode', filter.mode);
  if (filter.q) query.set('q', filter.q);
  const answer = await api.call(`/apps/${encodeURIComponent(filter.clientId)}/vehicles?${query}`);
  const rerender = async (next) => view().replaceChildren(...await listPage(apps, { ...filter, ...next }));
  const rows = answer.body.vehicles ?? [];
  const pager = el('div', { class: 'pager' });
  if (filter.offset > 0) {
    const previous = el('button', { type: 'button' }, 'Previous page');
    previous.addEventListener('click', () => void rerender({ offset: Math.max(0, filter.offset - PAGE) }));
    pager.append(previous);
  }
  if (answer.body.next !== null && answer.body.next !== undefined) {
    const next = el('button', { type: 'button' }, 'Next page');
    next.addEventListener('click', () => void rerender({ offset: answer.body.next }));
    pager.append(next);
  }
  const appName = apps.find((a) => a.clientId === filter.clientId)?.name ?? '';
  return [
    el('h1', {}, 'Vehicles'),
    filterForm(apps, filter, rerender),
    answer.status !== 200 ? el('p', { class: 'error', role: 'alert' }, answer.body.message ?? 'The vehicles could not be listed.')
      : rows.length === 0 ? el('p', {}, filter.q || filter.mode ? 'No connected vehicle matches.' : 'No vehicles connected.')
        : table(`Vehicles connected to ${appName}`, ['Vehicle', 'VIN', 'Mode', 'Owner', 'Permissions', 'Since', ''], rows.map((v) => [
          el('a', { href: `#vehicles/${encodeURIComponent(filter.clientId)}/${encodeURIComponent(v.vehicleId)}` }, name(v)),
          el('code', {}, v.vin ?? ''), v.mode, el('code', {}, v.userId), v.permissions.join(' '), when(v.connectedAt),
          disconnectButton(filter.clientId, v, () => rerender({})),
        ])),
    pager,
  ];
}

/** A signal's value as a person reads it. */
function shownValue(value) {
  if (value && 'latitude' in value) return `${value.latitude.toFixed(5)}, ${value.longitude.toFixed(5)}`;
  if (value && 'value' in value) return `${typeof value.value === 'boolean' ? (value.value ? 'yes' : 'no') : value.value}${value.unit && value.unit !== 'percent' ? ` ${value.unit}` : value.unit === 'percent' ? ' %' : ''}`;
  return JSON.stringify(value);
}

async function vehiclePage(clientId, vehicleId) {
  const answer = await api.call(`/apps/${encodeURIComponent(clientId)}/vehicles/${encodeURIComponent(vehicleId)}`);
  const back = el('p', {}, el('a', { href: '#vehicles' }, 'All vehicles'));
  if (answer.status !== 200) return [el('h1', {}, 'Vehicles'), el('p', { role: 'alert' }, answer.body.message ?? 'No such vehicle.'), back];
  const { vehicle, connected, permissions, latest, history } = answer.body;
  const latestPart = !latest ? el('p', {}, 'Not connected: no values are read for it.')
    : latest.unreachable ? el('p', { role: 'status' }, `The car did not answer (${latest.unreachable.category} ${latest.unreachable.code}).`)
      : table('Latest values', ['Value', 'Reading', 'Observed'], latest.values.map((v) => [v.name, shownValue(v.value), when(v.observedAt)]));
  return [
    el('h1', {}, name(vehicle)),
    el('p', {}, 'VIN ', el('code', {}, vehicle.vin ?? ''), ` · ${vehicle.mode} mode · owner `, el('code', {}, vehicle.userId)),
    el('p', {}, connected ? `Connected with ${permissions.join(' ')}` : 'Not connected now.'),
    connected ? disconnectButton(clientId, vehicle, async () => view().replaceChildren(...await vehiclePage(clientId, vehicleId))) : '',
    el('h2', {}, 'Latest values'),
    latestPart,
    el('h2', {}, 'Connection history'),
    table('Connection history', ['Started', 'Ended', 'Reason'], history.map((c) => [
      when(c.startedAt), c.endedAt ? when(c.endedAt) : 'connected', c.endReason ? REASONS[c.endReason] ?? c.endReason : '—',
    ])),
    back,
  ];
}

export async function vehicles(clientId, vehicleId) {
  if (clientId && vehicleId) return vehiclePage(clientId, vehicleId);
  const { body } = await api.call('/apps');
  const apps = body.apps ?? [];
  if (apps.length === 0) return [el('h1', {}, 'Vehicles'), el('p', {}, 'You have no apps yet.')];
  const chosen = apps.find((a) => a.clientId === clientId) ?? apps[0];
  return listPage(apps, { clientId: chosen.clientId, mode: '', q: '', offset: 0 });
}
