// An app's team on its page: the members with their roles; owners invite an address with a role,
// change roles and remove members. The app's owning user stays owner. An address with no account
// yet waits as invited and joins when an account with that address is made.
import { api, el, table } from '../lib.js';

const ROLES = ['viewer', 'developer', 'owner'];

function roleSelect(attributes, value) {
  const node = el('select', attributes, ...ROLES.map((r) => el('option', { value: r }, r)));
  node.value = value;
  return node;
}

export async function teamSection(app) {
  const base = `/apps/${encodeURIComponent(app.clientId)}/members`;
  const owner = app.role === 'owner';
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const listing = el('div');
  const fail = (answer) => {
    error.textContent = answer.body.message ?? 'That did not work; try again.';
    error.hidden = false;
  };
  const render = (members) => {
    error.hidden = true;
    listing.replaceChildren(table('Team members', ['Email', 'Role', 'Status', ...(owner ? [''] : [])], members.map((m) => {
      const status = m.userId ? (m.appOwner ? 'Owns the app' : 'Member') : 'Invited (no account yet)';
      if (!owner) return [m.email, m.role, status];
      if (m.appOwner) return [m.email, m.role, status, ''];
      const role = roleSelect({ 'aria-label': `Role of ${m.email}` }, m.role);
      role.addEventListener('change', async () => {
        const answer = await api.call(`${base}/${encodeURIComponent(m.email)}`, { method: 'PUT', json: { role: role.value } });
        if (answer.status !== 200) return fail(answer);
        render(answer.body.members);
      });
      const remove = el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${m.email}` }, 'Remove');
      remove.addEventListener('click', async () => {
        const answer = await api.call(`${base}/${encodeURIComponent(m.email)}`, { method: 'DELETE' });
        if (answer.status !== 200) return fail(answer);
        render(answer.body.members);
      });
      return [m.email, role, status, remove];
    })));
  };
  const answer = await api.call(base);
  if (answer.status === 200) render(answer.body.members);

  const heading = el('h2', { id: 'team-heading' }, 'Team');
  if (!owner) return el('section', { 'aria-labelledby': 'team-heading' }, heading, listing, el('p', { class: 'note' }, 'Owners invite and remove members.'));
  const form = el('form', { 'aria-label': 'Invite a team member' },
    el('label', { for: 'invite-email' }, 'Email'), el('input', { id: 'invite-email', name: 'email', type: 'email', required: '', maxlength: '254' }),
    el('label', { for: 'invite-role' }, 'Role'), roleSelect({ id: 'invite-role', name: 'role' }, 'developer'),
    el('button', { type: 'submit' }, 'Invite'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const invited = await api.call(base, { method: 'POST', json: { email: form.elements.email.value, role: form.elements.role.value } });
    if (invited.status !== 201) return fail(invited);
    form.reset();
    form.elements.role.value = 'developer';
    render(invited.body.members);
  });
  return el('section', { 'aria-labelledby': 'team-heading' }, heading,
    el('p', { class: 'note' }, 'A viewer reads; a developer also changes cars, the simulator and webhooks; an owner also credentials and the team.'),
    listing, error, form);
}
