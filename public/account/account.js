// The owner's page: signs in through /account/api/session, lists per vehicle the apps that can
// reach it, and revokes an app's access. Plain module, no build step; nothing from an answer is
// ever parsed as HTML.

const session = { csrf: '' };

async function call(path, { method = 'GET', json } = {}) {
  const headers = {};
  if (json !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
  const response = await fetch(`/account/api${path}`, {
    method, headers, body: json === undefined ? undefined : JSON.stringify(json), credentials: 'same-origin',
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

const $ = (selector) => document.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

function show(signedIn) {
  $('#sign-in').hidden = signedIn;
  $('#vehicles').hidden = !signedIn;
  $('[data-action="sign-out"]').hidden = !signedIn;
}

const since = (iso) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

/** One app that can reach the vehicle: what it may do, since when, and Revoke access. */
function appItem(vehicle, app) {
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const revoke = el('button', { type: 'button', 'aria-label': `Revoke access of ${app.name}` }, 'Revoke access');
  const item = el('li', { 'aria-label': app.name },
    el('h3', {}, app.name),
    el('p', { class: 'since' }, `Since ${since(app.since)}`),
    el('ul', { class: 'permissions', 'aria-label': `What ${app.name} may do` },
      ...app.permissionTexts.map((text) => el('li', {}, text))),
    error, revoke);
  revoke.addEventListener('click', async () => {
    revoke.disabled = true;
    const answer = await call(`/vehicles/${encodeURIComponent(vehicle.vehicleId)}/apps/${encodeURIComponent(app.appId)}`, { method: 'DELETE' });
    // Already gone (404) is what the owner wanted too.
    if (answer.status === 204 || answer.status === 404) {
      const list = item.parentElement;
      item.remove();
      if (list && list.children.length === 0) list.replaceWith(el('p', {}, 'No app can reach this vehicle.'));
      return;
    }
    if (answer.status === 401) return void loadSignInOptions();
void start();
    error.textContent = answer.body.message ?? 'Access could not be revoked; try again.';
    error.hidden = false;
    revoke.disabled = false;
  });
  return item;
}

function vehicleSection(vehicle) {
  const title = [vehicle.year, vehicle.make, vehicle.model].filter(Boolean).join(' ');
  return el('section', { class: 'vehicle', 'aria-label': title },
    el('h2', {}, title),
    el('p', { class: 'vin' }, `VIN ${vehicle.vin}`),
    vehicle.apps.length === 0
      ? el('p', {}, 'No app can reach this vehicle.')
      : el('ul', { class: 'apps', 'aria-label': `Apps that can reach your ${title}` }, ...vehicle.apps.map((a) => appItem(vehicle, a))));
}

async function showVehicles() {
  const answer = await call('/vehicles');
  if (answer.status !== 200) return void show(false);
  const vehicles = answer.body.vehicles ?? [];
  $('#vehicles').replaceChildren(
    el('h1', {}, 'Apps with access to your vehicles'),
    ...(vehicles.length === 0 ? [el('p', {}, 'This account has no vehicles.')] : vehicles.map(vehicleSection)));
  show(true);
}

async function start() {
  const answer = await call('/session');
  if (answer.status !== 200) return void show(false);
  session.csrf = answer.body.csrfToken;
  await showVehicles();
}

// How owners sign in: a simulated car's email and password (the form's own fields), or a live
// brand's fields as its provider names them — the same ones Connect's live sign-in shows.
const liveBrands = [];
const simulatedFields = [...$('#sign-in .fields').children];

function liveFields(brand) {
  return brand.fields.flatMap((field) => {
    const id = `live-${field.name}`;
    const input = el('input', {
      id, name: field.name, type: field.type, required: '', maxlength: '2048',
      autocomplete: field.type === 'password' ? 'current-password' : 'on',
    });
    if (!field.hint) return [el('label', { for: id }, field.label), input];
    input.setAttribute('aria-describedby', `${id}-hint`);
    return [el('label', { for: id }, field.label), input, el('p', { class: 'hint', id: `${id}-hint` }, field.hint)];
  });
}

const chosenBrand = () => liveBrands.find((b) => b.provider === $('#car-account').value);

function showSignInFields() {
  const brand = chosenBrand();
  $('#sign-in .fields').replaceChildren(...(brand ? liveFields(brand) : simulatedFields));
}

async function loadSignInOptions() {
  const answer = await call('/sign-in-options');
  const live = answer.status === 200 ? answer.body.live ?? [] : [];
  liveBrands.splice(0, liveBrands.length, ...live);
  $('#car-account').replaceChildren(
    el('option', { value: '' }, 'Simulated car'), ...live.map((b) => el('option', { value: b.provider }, b.displayName)));
  // The first choice, a simulated car, stays selected: its fields are already on the form, and
  // replacing them now would pull them from under an owner already typing.
  $('#sign-in .choice').hidden = live.length === 0;
}

$('#car-account').addEventListener('change', showSignInFields);

$('#sign-in form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const error = form.querySelector('.error');
  const button = form.querySelector('button[type="submit"]');
  const brand = chosenBrand();
  const json = brand
    ? { provider: brand.provider, fields: Object.fromEntries(brand.fields.map((f) => [f.name, form.elements.namedItem(f.name).value])) }
    : { email: form.email.value, password: form.password.value };
  // A live sign-in waits on the brand's own server: one attempt at a time.
  button.disabled = true;
  const answer = await call('/session', { method: 'POST', json }).finally(() => { button.disabled = false; });
  if (answer.status !== 200) {
    error.textContent = answer.body.message ?? 'Sign-in failed.';
    error.hidden = false;
    return;
  }
  error.hidden = true;
  form.reset();
  showSignInFields();
  session.csrf = answer.body.csrfToken;
  await showVehicles();
});

$('[data-action="sign-out"]').addEventListener('click', async () => {
  await call('/session', { method: 'DELETE' });
  session.csrf = '';
  $('#vehicles').replaceChildren();
  show(false);
});

void loadSignInOptions();
void start();
