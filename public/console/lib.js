// What every page of the console shares: the JSON API with its CSRF token, and small builders of
// elements that only ever hold text (nothing from an answer is parsed as HTML).

export const api = {
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

export const $ = (selector) => document.querySelector(selector);

/** An element with text children only: nothing from an answer is ever parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

export function table(caption, headings, rows) {
  return el('div', { class: 'scroll' }, el('table', {},
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c)))))));
}

export function show(section) {
  $('#sign-in').hidden = section !== 'sign-in';
  $('#view').hidden = section === 'sign-in';
  document.querySelector('nav').hidden = section === 'sign-in';
}

/** A value shown once, with a button that copies it. */
export function copyable(label, value, { block = false } = {}) {
  const text = el(block ? 'pre' : 'code', { 'aria-label': label }, value);
  const button = el('button', { type: 'button', 'aria-label': `Copy ${label.toLowerCase()}` }, 'Copy');
  button.addEventListener('click', () => void navigator.clipboard?.writeText(value).then(() => { button.textContent = 'Copied'; }, () => {}));
  return el('div', { class: 'copyable' }, el('h3', {}, label), text, button);
}

