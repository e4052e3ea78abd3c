// An app's credentials and redirect URIs on its page: rotate the client secret and the management
// token (each new value shown once, copyable) and edit the redirect URIs. Owners only; others read.
import { api, copyable, el } from '../lib.js';

const path = (app, rest) => `/apps/${encodeURIComponent(app.clientId)}${rest}`;

/** The place a new credential is shown once, above everything else on the page. */
function shownOnce(slot, heading, note, ...values) {
  slot.replaceChildren(el('section', { 'aria-label': 'New app credentials' }, el('h2', {}, heading), el('p', {}, note), ...values));
  slot.scrollIntoView?.({ block: 'nearest' });
}

const until = (iso) => (iso ? `The previous one works until ${new Date(iso).toLocaleString()}.` : 'The previous one no longer works.');

export function credentialsSection(app, slot) {
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const failed = (answer) => {
    error.textContent = answer.body.message ?? 'That did not work; try again.';
    error.hidden = false;
  };
  const secret = el('button', { type: 'button', 'aria-label': `Rotate secret of ${app.name}` }, 'Rotate secret');
  secret.addEventListener('click', async () => {
    const answer = await api.call(path(app, '/secret'), { method: 'POST' });
    if (answer.status !== 200) return failed(answer);
    error.hidden = true;
    shownOnce(slot, `New secret for ${app.name}`, `Shown only now. ${until(answer.body.previousValidUntil)}`,
      copyable('Client secret', answer.body.clientSecret), copyable('Environment', answer.body.env, { block: true }));
  });
  const token = el('button', { type: 'button' }, 'Rotate management token');
  token.addEventListener('click', async () => {
    const answer = await api.call(path(app, '/management-token'), { method: 'POST' });
    if (answer.status !== 200) return failed(answer);
    error.hidden = true;
    shownOnce(slot, `New management token for ${app.name}`, `Shown only now. ${until(answer.body.previousValidUntil)}`,
      copyable('Management token', answer.body.managementToken));
  });
  return el('section', { 'aria-labelledby': 'credentials-heading' },
    el('h2', { id: 'credentials-heading' }, 'Credentials'),
    copyable('Client ID', app.clientId),
    ...(app.role === 'owner'
      ? [el('p', {}, 'A new secret or token is shown once; the previous one keeps working for a day.'),
        el('div', { class: 'actions' }, ...(app.publicClient ? [] : [secret]), token), error]
      : [el('p', {}, 'Only the app\'s owners rotate its secret and management token.')]));
}

/** One redirect URI's field with its Remove button. */
function uriRow(list, value) {
  const input = el('input', { type: 'url', name: 'redirectUri', required: '', maxlength: '2048' });
  input.value = value;
  const remove = el('button', { type: 'button', class: 'secondary' }, 'Remove');
  const row = el('div', { class: 'uri-row' }, input, remove);
  remove.addEventListener('click', () => {
    row.remove();
    renumber(list);
  });
  return row;
}

/** Each field and Remove button named by its place, so every control says which URI it is. */
function renumber(list) {
  [...list.children].forEach((row, i) => {
    const [input, remove] = row.children;
    input.setAttribute('aria-label', `Redirect URI ${i + 1}`);
    remove.setAttribute('aria-label', `Remove redirect URI ${i + 1}`);
    remove.disabled = list.children.length === 1;
  });
}

export function redirectUrisSection(app, changed) {
  const heading = el('h2', { id: 'redirect-uris-heading' }, 'Redirect URIs');
  if (app.role !== 'owner') {
    return el('section', { 'aria-labelledby': 'redirect-uris-heading' }, heading, el('ul', {}, ...app.redirectUris.map((u) => el('li', {}, el('code', {}, u)))));
  }
  const list = el('div', { class: 'uris' });
  list.append(...app.redirectUris.map((u) => uriRow(list, u)));
  renumber(list);
  const add = el('button', { type: 'button', class: 'secondary' }, 'Add redirect URI');
  add.addEventListener('click', () => {
    list.append(uriRow(list, ''));
    renumber(list);
    list.lastElementChild.firstElementChild.focus();
  });
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const status = el('p', { role: 'status' });
  const form = el('form', { 'aria-label': 'Redirect URIs' }, list, add, error, el('button', { type: 'submit' }, 'Save redirect URIs'), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    const redirectUris = [...list.querySelectorAll('input')].map((i) => i.value.trim()).filter(Boolean);
    const answer = await api.call(path(app, '/redirect-uris'), { method: 'PUT', json: { redirectUris } });
    if (answer.status !== 200) {
      error.textContent = answer.body.message ?? 'The redirect URIs could not be saved.';
      error.hidden = false;
      return;
    }
    error.hidden = true;
    status.textContent = 'Saved.';
    changed(answer.body.redirectUris);
  });
  return el('section', { 'aria-labelledby': 'redirect-uris-heading' }, heading, form);
}
