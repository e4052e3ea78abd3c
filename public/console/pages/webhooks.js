// Webhooks: an app's webhooks with their state (active, pending, paused and why), Create webhook
// and Verify; a webhook's page with its subscribed vehicles and its deliveries, each opening onto
// its attempts, with Redeliver on dead-lettered ones. Deliveries refresh while the page is open.
import { api, el, table } from '../lib.js';

const REFRESH_MS = 2000;
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
const appPath = (clientId) => `/apps/${encodeURIComponent(clientId)}/webhooks`;
const hookPath = (clientId, webhookId) => `${appPath(clientId)}/${encodeURIComponent(webhookId)}`;
const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

function stateOf(webhook) {
  if (webhook.paused) return `paused since ${when(webhook.paused.since)}: ${webhook.paused.reason}`;
  return webhook.status;
}

/** A labelled control, in one element so the form can hide both together. */
function field(id, label, control) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), control);
}

/** The Create webhook form: the management API's definition, field by field. */
function createWebhookForm(clientId, done) {
  const type = el('select', { id: 'webhook-type', name: 'type' }, el('option', { value: 'event' }, 'event'), el('option', { value: 'scheduled' }, 'scheduled'));
  const triggers = field('webhook-triggers', 'Triggers', el('input', { id: 'webhook-triggers', name: 'triggers', maxlength: '2000', placeholder: 'lock_state_changed, charge_state_changed' }));
  const interval = field('webhook-interval', 'Interval', el('input', { id: 'webhook-interval', name: 'interval', type: 'number', min: '60', max: '604800', value: '3600' }));
  const version = el('select', { id: 'webhook-version', name: 'version' }, el('option', { value: '2.0' }, '2.0'), el('option', { value: '4.0' }, '4.0'));
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const sync = () => {
    triggers.hidden = type.value !== 'event';
    interval.hidden = type.value === 'event';
  };
  type.addEventListener('change', sync);
  sync();
  const form = el('form', { 'aria-label': 'Create webhook' },
    field('webhook-name', 'Name', el('input', { id: 'webhook-name', name: 'name', maxlength: '200', placeholder: 'Webhook' })),
    field('webhook-url', 'URL', el('input', { id: 'webhook-url', name: 'url', type: 'url', required: '', maxlength: '2048' })),
    field('webhook-type', 'Type', type), triggers, interval,
    field('webhook-data', 'Data', el('input', { id: 'webhook-data', name: 'data', maxlength: '4000', placeholder: '/odometer, /location' })),
    field('webhook-version', 'Payload version', version),
    error, el('button', { type: 'submit' }, 'Create'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const json = { url: f.url.value.trim(), type: type.value, data: list(f.data.value), version: version.value };
    if (f.name.value.trim()) json.name = f.name.value.trim();
    if (type.value === 'event') json.triggers = list(f.triggers.value);
    else json.intervalSeconds = Number(f.interval.value);
    const answer = await api.call(appPath(clientId), { method: 'POST', json });
    if (answer.status !== 201) {
      error.textContent = answer.body.message ?? 'The webhook could not be created.';
      error.hidden = false;
      return;
    }
    done(answer.body);
  });
  return form;
}

function verifyButton(clientId, webhook, after) {
  const button = el('button', { type: 'button', 'aria-label': `Verify ${webhook.name}` }, 'Verify');
  button.addEventListener('click', async () => {
    const answer = await api.call(`${hookPath(clientId, webhook.webhookId)}/verify`, { method: 'POST' });
    after(answer.status === 200
      ? `${webhook.name}: ${answer.body.status}${answer.body.verification ? ` (${answer.body.verification})` : ''}`
      : answer.body.message ?? 'Verification failed.');
  });
  return button;
}

/** Delete webhook, then Confirm delete: its subscriptions end and what waited is dead-lettered. */
function deleteButton(clientId, webhook) {
  const ask = el('button', { type: 'button' }, 'Delete webhook');
  const confirm = el('button', { type: 'button', hidden: '' }, 'Confirm delete');
  ask.addEventListener('click', () => {
    ask.hidden = true;
    confirm.hidden = false;
  });
  confirm.addEventListener('click', async () => {
    const answer = await api.call(hookPath(clientId, webhook.webhookId), { method: 'DELETE' });
    if (answer.status === 204) location.hash = `#webhooks/${encodeURIComponent(clientId)}`;
  });
  return el('span', { class: 'actions' }, ask, confirm);
}

function resumeButton(clientId, webhook, after) {
  const button = el('button', { type: 'button', 'aria-label': `Resume ${webhook.name}` }, 'Resume');
  button.addEventListener('click', async () => {
    const answer = await api.call(`${hookPath(clientId, webhook.webhookId)}/resume`, { method: 'POST' });
    after(answer.status === 200 ? `${webhook.name} resumed: the deliveries that waited are going out.` : answer.body.message ?? 'Could not resume.');
  });
  return button;
}

/** A status line the page's actions report into. */
function notice() {
  return el('p', { role: 'status', class: 'notice' });
}

async function appWebhooks(apps, clientId) {
  const app = apps.find((a) => a.clientId === clientId) ?? apps[0];
  const chooser = el('select', { id: 'webhooks-app' }, ...apps.map((a) => {
    const option = el('option', { value: a.clientId }, a.name);
    option.selected = a === app;
    return option;
  }));
  chooser.addEventListener('change', () => { location.hash = `#webhooks/${encodeURIComponent(chooser.value)}`; });
  const parts = [el('h1', {}, 'Webhooks'), field('webhooks-app', 'App', chooser)];
  if (!app) return [...parts, el('p', {}, 'You have no apps yet.')];

  const status = notice();
  const reload = async (message) => {
    const view = document.querySelector('#view');
    view.replaceChildren(...await appWebhooks(apps, app.clientId));
    if (message) view.querySelector('.notice').textContent = message;
  };
  const slot = el('div');
  const create = el('button', { type: 'button' }, 'Create webhook');
  create.addEventListener('click', () => {
    create.hidden = true;
    slot.replaceChildren(createWebhookForm(app.clientId, (made) => void reload(
      `${made.name} created: ${made.status}${made.verification ? ` (${made.verification})` : ''}.`,
    )));
  });
  const { body } = await api.call(appPath(app.clientId));
  const webhooks = body.webhooks ?? [];
  return [...parts, status, create, slot,
    webhooks.length === 0 ? el('p', {}, 'This app has no webhooks yet.')
      : table(`Webhooks of ${app.name}`, ['Name', 'URL', 'Type', 'State', 'Actions'], webhooks.map((w) => [
        el('a', { href: `#webhooks/${encodeURIComponent(app.clientId)}/${encodeURIComponent(w.webhookId)}` }, w.name),
        el('code', {}, w.url),
        w.type === 'event' ? `event: ${w.triggers.join(', ')}` : `every ${w.intervalSeconds} s`,
        el('span', { class: w.paused ? 'state paused' : 'state' }, stateOf(w)),
        el('div', { class: 'actions' }, verifyButton(app.clientId, w, reload), ...(w.paused ? [resumeButton(app.clientId, w, reload)] : [])),
      ]))];
}

function attemptsTable(delivery) {
  if (delivery.attempts.length === 0) return el('p', {}, 'Not attempted yet.');
  return table(`Attempts of delivery ${delivery.deliveryId}`, ['Time', 'Status', 'Latency', 'Response'], delivery.attempts.map((a) => [
    when(a.startedAt), a.statusCode ?? a.error ?? 'no answer', a.latencyMs === null ? '' : `${a.latencyMs} ms`,
    el('code', {}, a.response ?? ''),
  ]));
}

/** One delivery, opening onto its attempts; `open` keeps it open across refreshes; `after` reports an action. */
function deliveryItem(clientId, webhookId, delivery, open, after) {
  const last = delivery.attempts.at(-1);
  const summary = el('summary', {},
    `${when(delivery.createdAt)} · ${delivery.status} · ${delivery.attempts.length} attempt${delivery.attempts.length === 1 ? '' : 's'}`
    + `${last ? ` · last ${last.statusCode ?? last.error}` : ''} · event ${delivery.eventId}`);
  const details = el('details', { 'data-delivery': delivery.deliveryId }, summary);
  details.open = open.has(delivery.deliveryId);
  details.addEventListener('toggle', () => (details.open ? open.add(delivery.deliveryId) : open.delete(delivery.deliveryId)));
  const body = [el('p', {}, `Vehicle ${delivery.vehicleId ?? '—'}${delivery.lastError ? ` · ${delivery.lastError}` : ''}`), attemptsTable(delivery)];
  if (delivery.status === 'dead') {
    const redeliver = el('button', { type: 'button', 'aria-label': `Redeliver event ${delivery.eventId}` }, 'Redeliver');
    redeliver.addEventListener('click', async () => {
      const answer = await api.call(`${hookPath(clientId, webhookId)}/deliveries/${encodeURIComponent(delivery.deliveryId)}/redeliver`, { method: 'POST' });
      after(answer.status === 200 ? `Event ${delivery.eventId} queued again.` : answer.body.message ?? 'Could not redeliver.');
    });
    body.push(redeliver);
  }
  details.append(...body);
  return details;
}

async function webhookPage(clientId, webhookId) {
  const answer = await api.call(hookPath(clientId, webhookId));
  if (answer.status !== 200) return [el('h1', {}, 'Webhook'), el('p', {}, answer.body.message ?? 'Not found.')];
  const webhook = answer.body;
  const status = notice();
  const header = el('div');
  const vehicles = el('section', { 'aria-label': 'Subscribed vehicles' });
  const deliveries = el('section', { 'aria-label': 'Deliveries' });
  const open = new Set();
  let shown = 20;

  const report = (message) => {
    status.textContent = message;
    void refresh();
  };
  const drawHeader = (w) => header.replaceChildren(
    el('p', {}, `${w.type === 'event' ? `Event: ${w.triggers.join(', ')}` : `Every ${w.intervalSeconds} s`} · payload v${w.version} · `, el('code', {}, w.url)),
    el('p', { class: w.paused ? 'state paused' : 'state' }, `State: ${stateOf(w)}`),
    el('div', { class: 'actions' }, verifyButton(clientId, w, report), ...(w.paused ? [resumeButton(clientId, w, report)] : []), deleteButton(clientId, w)),
  );

  async function refresh() {
    const [hook, subscribed, page] = await Promise.all([
      api.call(hookPath(clientId, webhookId)),
      api.call(`${hookPath(clientId, webhookId)}/vehicles?limit=100`),
      api.call(`${hookPath(clientId, webhookId)}/deliveries?limit=${shown}`),
    ]);
    if (hook.status === 200) drawHeader(hook.body);
    const cars = subscribed.body.vehicles ?? [];
    vehicles.replaceChildren(el('h2', {}, 'Subscribed vehicles'), cars.length === 0 ? el('p', {}, 'No vehicle is subscribed.')
      : table('Subscribed vehicles', ['Vehicle', 'VIN', 'Since'], cars.map((v) => [`${v.make ?? ''} ${v.model ?? ''}`.trim() || v.vehicleId, el('code', {}, v.vin ?? ''), when(v.since)])));
    const items = page.body.deliveries ?? [];
    const more = el('button', { type: 'button' }, 'Older deliveries');
    more.addEventListener('click', () => { shown += 20; void refresh(); });
    deliveries.replaceChildren(el('h2', {}, 'Deliveries'),
      items.length === 0 ? el('p', {}, 'No deliveries yet.') : el('div', { class: 'deliveries' }, ...items.map((d) => deliveryItem(clientId, webhookId, d, open, report))),
      ...(page.body.next === null || page.body.next === undefined ? [] : [more]));
  }

  drawHeader(webhook);
  await refresh();
  // Refresh while this page is what the console shows; stop once it is replaced.
  const timer = window.setInterval(() => {
    if (!deliveries.isConnected) window.clearInterval(timer);
    else void refresh();
  }, REFRESH_MS);
  return [
    el('p', {}, el('a', { href: `#webhooks/${encodeURIComponent(clientId)}` }, '← Webhooks')),
    el('h1', {}, webhook.name), status, header, vehicles, deliveries,
  ];
}

export async function webhooks(clientId, webhookId) {
  if (clientId && webhookId) return webhookPage(clientId, webhookId);
  const { body } = await api.call('/apps');
  return appWebhooks(body.apps ?? [], clientId);
}
