// The console in the browser: signs in through /console/api/session and shows what the JSON API
// answers. No framework and no build step: plain modules carport serves as they are.

const api = {
  csrf: '',
  async call(path, { method = 'GET', json } = {}) {
    const headers = {};
    if (json !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['x-csrf-token'] = api.csrf;
    const response = await fetch(`/console/api${path}`, {
      method, headers, body: json === undefined ? undefined : JSON.stringify(json), credentials: 'same-origin',
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  },
};

const $ = (selector) => document.querySelector(selector);

/** An element with text children only: nothing from an answer is ever parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

function table(caption, headings, rows) {
  return el('div', { class: 'scroll' }, el('table', {},
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c)))))));
}

function show(section) {
  $('#sign-in').hidden = section !== 'sign-in';
  $('#view').hidden = section === 'sign-in';
  document.querySelector('nav').hidden = section === 'sign-in';
}

const views = {
  async apps() {
    const { body } = await api.call('/apps');
    const apps = body.apps ?? [];
    return [
      el('h1', {}, 'Apps'),
      apps.length === 0
        ? el('p', {}, 'You have no apps yet.')
        : table('Your apps', ['Name', 'Client ID', 'Redirect URIs', 'Created'],
          apps.map((a) => [a.name, el('code', {}, a.clientId), a.redirectUris.join(' '), new Date(a.createdAt).toLocaleString()])),
    ];
  },
  async vehicles() {
    const { body } = await api.call('/apps');
    const parts = [el('h1', {}, 'Vehicles')];
    for (const app of body.apps ?? []) {
      const { body: page } = await api.call(`/apps/${encodeURIComponent(app.clientId)}/vehicles`);
      parts.push(el('h2', {}, app.name));
      const vehicles = page.vehicles ?? [];
      parts.push(vehicles.length === 0 ? el('p', {}, 'No vehicles connected.')
        : table(`Vehicles connected to ${app.name}`, ['Vehicle', 'VIN', 'Mode', 'Permissions', 'Since'],
          vehicles.map((v) => [`${v.make} ${v.model} ${v.year}`, el('code', {}, v.vin), v.mode, v.permissions.join(' '), new Date(v.connectedAt).toLocaleString()])));
    }
    return parts;
  },
};

async function route() {
  const name = location.hash.slice(1) in views ? location.hash.slice(1) : 'apps';
  const view = $('#view');
  view.replaceChildren(...await views[name]());
  show('view');
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · carport console`;
}

async function start() {
  const session = await api.call('/session');
  if (session.status !== 200) {
    show('sign-in');
    return;
  }
  api.csrf = session.body.csrfToken;
  await route();
}

$('#sign-in form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const error = form.querySelector('.error');
  const answer = await api.call('/session', { method: 'POST', json: { email: form.email.value, password: form.password.value } });
  if (answer.status !== 200) {
    error.textContent = answer.body.message ?? 'Sign-in failed.';
    error.hidden = false;
    return;
  }
  error.hidden = true;
  form.reset();
  api.csrf = answer.body.csrfToken;
  await route();
});

document.querySelector('[data-action="sign-out"]').addEventListener('click', async () => {
  await api.call('/session', { method: 'DELETE' });
  show('sign-in');
});

window.addEventListener('hashchange', () => void route());
void start();
