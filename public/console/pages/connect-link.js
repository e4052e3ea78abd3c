// The Connect link builder on an app's page: mode, an optional brand, a redirect URI, a state and
// the permissions (each may be required) make the authorize URL to open, and a preview of the
// consent screen it leads to. Both come from the API, which builds them with Connect's own module.
import { api, copyable, el } from '../lib.js';

/** A random state, as an app would make per owner, to show where it goes. */
function randomState() {
  const bytes = window.crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function select(id, label, options, value) {
  const node = el('select', { id, name: id }, ...options.map(([v, text]) => el('option', { value: v }, text)));
  node.value = value;
  return [el('label', { for: id }, label), node];
}

/** One permission: include it (named by Connect's words for it) and, if included, make it required. */
function permissionRow(p, chosen) {
  const include = el('input', { type: 'checkbox', id: `perm-${p.permission}`, name: 'permission', value: p.permission });
  const required = el('input', { type: 'checkbox', name: 'required', value: p.permission, 'aria-label': `Required: ${p.text}` });
  include.checked = chosen.includes(p.permission);
  required.disabled = !include.checked;
  include.addEventListener('change', () => {
    required.disabled = !include.checked;
    if (!include.checked) required.checked = false;
  });
  return el('div', { class: 'permission-row' },
    include, el('label', { for: `perm-${p.permission}` }, p.text, ' ', el('code', {}, p.permission)),
    el('label', { class: 'check' }, required, ' Required'));
}

/** The consent screen the chosen permissions produce, as the owner will see it. */
function consentPreview(consent) {
  return el('section', { class: 'consent-preview', 'aria-label': 'Consent preview' },
    el('h3', {}, 'Consent preview'),
    el('div', { class: 'consent-screen' },
      el('p', { class: 'consent-heading' }, consent.heading),
      el('ul', { 'aria-label': 'Permissions on the consent screen' }, ...consent.permissions.map((p) => el('li', {},
        el('span', {}, p.text), ' ',
        el('span', { class: p.required ? 'badge required' : 'badge' }, p.required ? 'required' : 'optional'))))),
    el('p', { class: 'note' }, 'A required permission is locked on; the owner may untick an optional one.'));
}

export async function connectLinkSection(app) {
  const { body: options } = await api.call('/connect-options');
  const permissions = options.permissions ?? [];
  const [modeLabel, mode] = select('link-mode', 'Mode', [['live', 'Live'], ['simulated', 'Simulated'], ['test', 'Test']], 'simulated');
  const [makeLabel, make] = select('link-make', 'Make', [], '');
  const fillMakes = () => {
    make.replaceChildren(el('option', { value: '' }, 'Any brand (the owner picks)'),
      ...(options.makes?.[mode.value] ?? []).map((b) => el('option', { value: b.make }, b.displayName)));
  };
  fillMakes();
  mode.addEventListener('change', fillMakes);
  const [uriLabel, redirectUri] = select('link-redirect-uri', 'Redirect URI', app.redirectUris.map((u) => [u, u]), app.redirectUris[0]);
  const state = el('input', { id: 'link-state', name: 'state', maxlength: '512' });
  state.value = randomState();
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const result = el('div', { 'aria-live': 'polite' });
  const form = el('form', { class: 'link-builder', 'aria-labelledby': 'connect-link-heading' },
    modeLabel, mode, makeLabel, make, uriLabel, redirectUri,
    el('label', { for: 'link-state' }, 'State'), state,
    el('fieldset', {}, el('legend', {}, 'Permissions'),
      ...permissions.map((p) => permissionRow(p, ['read_vehicle_info', 'read_odometer']))),
    error, el('button', { type: 'submit' }, 'Build link'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const required = new Set([...form.querySelectorAll('input[name="required"]:checked')].map((i) => i.value));
    const scope = [...form.querySelectorAll('input[name="permission"]:checked')]
      .map((i) => (required.has(i.value) ? `required:${i.value}` : i.value)).join(' ');
    const query = new window.URLSearchParams({ mode: mode.value, scope, redirectUri: redirectUri.value, state: state.value });
    if (make.value) query.set('make', make.value);
    const answer = await api.call(`/apps/${encodeURIComponent(app.clientId)}/connect-link?${query}`);
    if (answer.status !== 200) {
      error.textContent = answer.body.message ?? 'The link could not be built.';
      error.hidden = false;
      result.replaceChildren();
      return;
    }
    error.hidden = true;
    result.replaceChildren(
      copyable('Connect link', answer.body.url),
      el('a', { href: answer.body.url, target: '_blank', rel: 'noopener' }, 'Open Connect'),
      ...(answer.body.needsPkce ? [el('p', { class: 'note' }, 'A public client adds code_challenge and code_challenge_method=S256 (PKCE) per owner.')] : []),
      consentPreview(answer.body.consent));
  });
  return el('section', {},
    el('h2', { id: 'connect-link-heading' }, 'Connect link builder'),
    el('p', {}, 'Choose what the app asks for; the link opens Connect as an owner would see it.'),
    form, result);
}
