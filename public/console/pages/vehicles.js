// Vehicles: each app's connected vehicles.
import { api, el, table } from '../lib.js';

export async function vehicles() {
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
}
