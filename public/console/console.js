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

/** A value shown once, with a button that copies it. */
function copyable(label, value, { block = false } = {}) {
  const text = el(block ? 'pre' : 'code', { 'aria-label': label }, value);
  const button = el('button', { type: 'button', 'aria-label': `Copy ${label.toLowerCase()}` }, 'Copy');
  button.addEventListener('click', () => void navigator.clipboard?.writeText(value).then(() => { button.textContent = 'Copied'; }, () => {}));
  return el('div', { class: 'copyable' }, el('h3', {}, label), text, button);
}

/** The Create app form: a name, one or more redirect URIs, public or not; the credentials are shown once. */
function createAppForm(done) {
  const uris = el('div', { class: 'uris' });
  const addUri = () => {
    const n = uris.querySelectorAll('input').length + 1;
    const id = `redirect-uri-${n}`;
    uris.append(el('label', { for: id }, n === 1 ? 'Redirect URI' : `Redirect URI ${n}`),
      el('input', { id, name: 'redirectUri', type: 'url', required: '', maxlength: '2048' }));
  };
  addUri();
  const more = el('button', { type: 'button' }, 'Add redirect URI');
  more.addEventListener('click', addUri);
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const form = el('form', { 'aria-label': 'Create app' },
    el('label', { for: 'app-name' }, 'Name'), el('input', { id: 'app-name', name: 'name', required: '', maxlength: '200' }),
    uris, more,
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'publicClient' }), ' Public client'),
    error, el('button', { type: 'submit' }, 'Create'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const redirectUris = [...form.querySelectorAll('input[name="redirectUri"]')].map((i) => i.value.trim()).filter(Boolean);
    const answer = await api.call('/apps', {
      method: 'POST', json: { name: form.elements.name.value, redirectUris, publicClient: form.elements.publicClient.checked },
    });
    if (answer.status !== 201) {
      error.textContent = answer.body.message ?? 'The app could not be created.';
      error.hidden = false;
      return;
    }
    const made = answer.body;
    done(el('section', { 'aria-label': 'New app credentials' },
      el('h2', {}, `${made.name} is ready`),
      el('p', {}, 'These are shown only now: carport keeps only hashes of the secret and the token.'),
      copyable('Client ID', made.clientId),
      ...(made.publicClient ? [] : [copyable('Client secret', made.clientSecret)]),
      copyable('Management token', made.managementToken),
      copyable('Environment', made.env, { block: true })));
  });
  return form;
}

/** Rotate secret: a new client secret, shown once; the previous one keeps working for a day. */
function rotateButton(app) {
  const button = el('button', { type: 'button', 'aria-label': `Rotate secret of ${app.name}` }, 'Rotate secret');
  button.addEventListener('click', async () => {
    const answer = await api.call(`/apps/${encodeURIComponent(app.clientId)}/secret`, { method: 'POST' });
    if (answer.status !== 200) return;
    $('#view').prepend(el('section', { 'aria-label': 'New app credentials' },
      el('h2', {}, `New secret for ${app.name}`),
      el('p', {}, `Shown only now. The previous secret works until ${new Date(answer.body.previousValidUntil).toLocaleString()}.`),
      copyable('Client secret', answer.body.clientSecret),
      copyable('Environment', answer.body.env, { block: true })));
  });
  return button;
}

const views = {
  async apps() {
    const { body } = await api.call('/apps');
    const apps = body.apps ?? [];
    const slot = el('div');
    const create = el('button', { type: 'button' }, 'Create app');
    create.addEventListener('click', () => {
      slot.replaceChildren(createAppForm(async (credentials) => {
        const list = await views.apps();
        $('#view').replaceChildren(...list);
        $('#view').prepend(credentials);
      }));
      create.hidden = true;
    });
    return [
      el('h1', {}, 'Apps'),
      create,
      slot,
      apps.length === 0
        ? el('p', {}, 'You have no apps yet.')
        : table('Your apps', ['Name', 'Client ID', 'Redirect URIs', 'Created', 'Credentials'],
          apps.map((a) => [a.name, el('code', {}, a.clientId), a.redirectUris.join(' '), new Date(a.createdAt).toLocaleString(), rotateButton(a)])),
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
