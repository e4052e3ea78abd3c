// The console in the browser: signs in through /console/api/session and shows, per page, what the
// JSON API answers. No framework and no build step: plain modules carport serves as they are.
import { $, api, show } from './lib.js';
import { apps } from './pages/apps.js';
import { logs } from './pages/logs.js';
import { simulator } from './pages/simulator.js';
import { usage } from './pages/usage.js';
import { vehicles } from './pages/vehicles.js';
import { webhooks } from './pages/webhooks.js';

/** The pages by the name in the address's fragment (#apps, #vehicles/…): each returns its elements. */
const views = { apps, vehicles, simulator, webhooks, logs, usage };

/** Counts addresses asked for, so a slow page that answers after a later one does not replace it. */
let asked = 0;

async function route() {
  const address = location.hash;
  const turn = ++asked;
  const [first, ...rest] = address.slice(1).split('/');
  const name = first in views ? first : 'apps';
  const view = $('#view');
  view.setAttribute('aria-busy', 'true');
  const shown = await views[name](...rest.map(decodeURIComponent));
  if (turn !== asked) return;
  view.replaceChildren(...shown);
  view.dataset.address = address;
  view.setAttribute('aria-busy', 'false');
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
