// Logs: an app's recent Vehicle API and token-endpoint requests, newest first, filtered by status,
// vehicle and path prefix, a page at a time (Older follows the API's next cursor).
import { api, el, table } from '../lib.js';
import { pickApp } from './app-picker.js';

const HEADINGS = ['Time', 'Method', 'Path', 'Vehicle', 'Status', 'Error', 'Latency', 'Request id'];

function field(id, label, attributes) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), el('input', { id, name: id.replace('logs-', ''), ...attributes }));
}

function rowOf(entry) {
  const error = entry.errorType ? [entry.errorType, entry.errorCode].filter(Boolean).join(' · ') : '';
  return [
    new Date(entry.time).toLocaleString(), entry.method, el('code', {}, entry.path), entry.vehicleId ? el('code', {}, entry.vehicleId) : '',
    el('span', { class: entry.status >= 400 ? 'status failed' : 'status' }, entry.status), error, `${entry.latencyMs} ms`,
    el('code', {}, entry.requestId),
  ];
}

export async function logs(clientId) {
  const { app, picker } = await pickApp('logs', clientId);
  if (!app) return [el('h1', {}, 'Logs'), el('p', {}, 'You have no apps yet.')];

  const form = el('form', { class: 'filters', 'aria-label': 'Filter requests' },
    field('logs-status', 'Status', { maxlength: '3', placeholder: '4xx, 5xx or 404', autocomplete: 'off' }),
    field('logs-vehicle', 'Vehicle', { maxlength: '36', placeholder: 'vehicle id', autocomplete: 'off' }),
    field('logs-path', 'Path', { maxlength: '256', placeholder: '/v2.0/vehicles', autocomplete: 'off' }),
    el('button', { type: 'submit' }, 'Filter'));
  const results = el('div', { 'aria-live': 'polite' });
  const older = el('button', { type: 'button', hidden: '' }, 'Older');
  let next = null;

  async function load(append) {
    const query = new window.URLSearchParams({ limit: '50' });
    for (const [name, input] of [['status', form.elements.status], ['vehicleId', form.elements.vehicle], ['path', form.elements.path]]) {
      if (input.value.trim()) query.set(name, input.value.trim());
    }
    if (append && next) query.set('before', next);
    const answer = await api.call(`/apps/${encodeURIComponent(app.clientId)}/logs?${query}`);
    if (answer.status !== 200) {
      results.replaceChildren(el('p', { class: 'error', role: 'alert' }, answer.body.message ?? 'The requests could not be read.'));
      older.hidden = true;
      return;
    }
    next = answer.body.next;
    older.hidden = next === null;
    const entries = answer.body.logs;
    if (!append && entries.length === 0) {
      results.replaceChildren(el('p', {}, 'No requests recorded match.'));
      return;
    }
    if (append) results.querySelector('tbody').append(...entries.map((e) => el('tr', {}, ...rowOf(e).map((c) => el('td', {}, c)))));
    else results.replaceChildren(table(`Requests of ${app.name}, newest first`, HEADINGS, entries.map(rowOf)));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(false);
  });
  older.addEventListener('click', () => void load(true));
  await load(false);
  return [el('h1', {}, 'Logs'), picker, form, results, older];
}
