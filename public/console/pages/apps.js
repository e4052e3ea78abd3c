// Apps: the developer's apps, Create app (credentials shown once) and Rotate secret per app; an
// app's own page (#apps/<client id>) with its credentials, redirect URIs, Connect link builder and team.
import { $, api, copyable, el, table } from '../lib.js';
import { credentialsSection, redirectUrisSection } from './app-credentials.js';
import { connectLinkSection } from './connect-link.js';
import { teamSection } from './team.js';

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

/** An app's page: what the developer's role lets them see and change. */
async function appPage(clientId) {
  const answer = await api.call(`/apps/${encodeURIComponent(clientId)}`);
  const back = el('a', { href: '#apps' }, 'All apps');
  if (answer.status !== 200) return [back, el('h1', {}, 'App not found'), el('p', {}, answer.body.message ?? 'You have no app with that client id.')];
  const app = answer.body;
  const shownOnce = el('div');
  const [builder, team] = await Promise.all([connectLinkSection(app), teamSection(app)]);
  const builderSlot = el('div', {}, builder);
  // After a save, the builder offers the redirect URIs just saved.
  const refreshBuilder = (redirectUris) => void connectLinkSection({ ...app, redirectUris }).then((fresh) => builderSlot.replaceChildren(fresh));
  return [
    back,
    el('h1', {}, app.name),
    el('p', {}, `Your role: ${app.role}. Created ${new Date(app.createdAt).toLocaleString()}.`),
    shownOnce,
    credentialsSection(app, shownOnce),
    redirectUrisSection(app, refreshBuilder),
    builderSlot,
    team,
  ];
}

export async function apps(clientId) {
  if (clientId) return appPage(clientId);
  const { body } = await api.call('/apps');
  const mine = body.apps ?? [];
  const slot = el('div');
  const create = el('button', { type: 'button' }, 'Create app');
  create.addEventListener('click', () => {
    slot.replaceChildren(createAppForm(async (credentials) => {
      const list = await apps();
      $('#view').replaceChildren(...list);
      $('#view').prepend(credentials);
    }));
    create.hidden = true;
  });
  return [
    el('h1', {}, 'Apps'),
    create,
    slot,
    mine.length === 0
      ? el('p', {}, 'You have no apps yet.')
      : table('Your apps', ['Name', 'Role', 'Client ID', 'Redirect URIs', 'Created', 'Credentials'], mine.map((a) => [
        el('a', { href: `#apps/${encodeURIComponent(a.clientId)}` }, a.name), a.role, el('code', {}, a.clientId), a.redirectUris.join(' '),
        new Date(a.createdAt).toLocaleString(), a.role === 'owner' && !a.publicClient ? rotateButton(a) : '',
      ])),
  ];
}
