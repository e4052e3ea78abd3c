// The app a per-app page shows: a labelled select of the developer's apps that moves the address
// to #<page>/<clientId>, so the choice survives a reload and the back button.
import { api, el } from '../lib.js';

/** The developer's apps and the chosen one (the address's, else the first); null when they have none. */
export async function pickApp(page, clientId) {
  const { body } = await api.call('/apps');
  const apps = body.apps ?? [];
  const chosen = apps.find((a) => a.clientId === clientId) ?? apps[0] ?? null;
  const select = el('select', { id: `${page}-app` }, ...apps.map((a) => {
    const option = el('option', { value: a.clientId }, a.name);
    option.selected = a === chosen;
    return option;
  }));
  select.addEventListener('change', () => { location.hash = `#${page}/${encodeURIComponent(select.value)}`; });
  const picker = el('div', { class: 'picker' }, el('label', { for: `${page}-app` }, 'App'), select);
  return { app: chosen, picker };
}
