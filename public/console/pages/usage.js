// Usage: an app's requests and error rate per UTC day as charts (uPlot, from carport's own origin),
// each with the same figures as a table for screen readers, its rate-limit budget left, and the
// Connect funnel per day.
import { api, el, table } from '../lib.js';
import { pickApp } from './app-picker.js';

const DAYS = 30;

/**
 * uPlot, loaded when Usage is first shown rather than with the console: a browser it cannot run in
 * (Chromium under a POSIX locale refuses the Intl call uPlot makes as it loads) keeps every other
 * page and this page's tables.
 */
let loading;
const loadUPlot = () => (loading ??= import('/console/assets/vendor/uPlot.esm.js').then((m) => m.default, () => undefined));
const percent = (rate) => `${(rate * 100).toFixed(1)} %`;

/** A line chart of one daily series; its summary names the total and the busiest day. */
function chart(uPlot, title, days, values, format, summary) {
  const figure = el('figure', { class: 'chart' });
  const canvasHolder = el('div', { role: 'img', 'aria-label': `${title}: ${summary}` });
  figure.append(el('figcaption', {}, title), canvasHolder);
  if (!uPlot) {
    canvasHolder.append(el('p', {}, 'This browser could not draw the chart; the figures per day are below.'));
    return figure;
  }
  const xs = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
  const options = {
    width: 320,
    height: 200,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
    axes: [{}, { size: 56, values: (_u, ticks) => ticks.map(format) }],
    series: [{}, { label: title, stroke: '#1f6feb', fill: '#1f6feb22', width: 2 }],
  };
  const plot = new uPlot(options, [xs, values], canvasHolder);
  // Drawn at the width the page gives it once it is in the document (a phone's or a desk's).
  window.requestAnimationFrame(() => plot.setSize({ width: Math.max(280, figure.clientWidth), height: 200 }));
  return figure;
}

function budgetLine(budget) {
  if (!budget.limited) return 'Rate-limit budget: not limited (RATE_LIMITS=off).';
  return `Rate-limit budget: ${budget.left.toLocaleString()} of ${budget.perMinute.toLocaleString()} requests left this minute on this node.`;
}

function funnelSection(days) {
  const active = days.filter((d) => d.started > 0 || d.finished > 0);
  const parts = [el('h2', {}, 'Connect funnel')];
  if (active.length === 0) return [...parts, el('p', {}, `No Connect sessions in the last ${days.length} days.`)];
  return [...parts, table('Connect sessions per day and where owners gave up',
    ['Day', 'Started', 'Finished', 'Denied', 'Left at brand', 'Left at sign-in', 'Left at vehicles', 'Left at permissions'],
    active.reverse().map((d) => [d.day, d.started, d.finished, d.denied, d.gaveUp.brand, d.gaveUp.signIn, d.gaveUp.vehicles, d.gaveUp.permissions]))];
}

export async function usage(clientId) {
  const { app, picker } = await pickApp('usage', clientId);
  if (!app) return [el('h1', {}, 'Usage'), el('p', {}, 'You have no apps yet.')];
  const base = `/apps/${encodeURIComponent(app.clientId)}`;
  const [usageAnswer, funnelAnswer, uPlot] = await Promise.all([api.call(`${base}/usage?days=${DAYS}`), api.call(`${base}/funnel?days=${DAYS}`), loadUPlot()]);
  if (usageAnswer.status !== 200) return [el('h1', {}, 'Usage'), picker, el('p', { class: 'error', role: 'alert' }, usageAnswer.body.message ?? 'Usage could not be read.')];
  const { days, budget } = usageAnswer.body;
  const total = days.reduce((n, d) => n + d.requests, 0);
  const errors = days.reduce((n, d) => n + d.errors, 0);
  const busiest = days.reduce((a, d) => (d.requests > a.requests ? d : a), days[0]);
  const worst = days.reduce((a, d) => (d.errorRate > a.errorRate ? d : a), days[0]);
  return [
    el('h1', {}, 'Usage'),
    picker,
    el('p', { class: 'budget' }, budgetLine(budget)),
    el('p', {}, `${total.toLocaleString()} requests and ${errors.toLocaleString()} errors in the last ${days.length} days (UTC).`),
    el('div', { class: 'charts' },
      chart(uPlot, 'Requests per day', days, days.map((d) => d.requests), (v) => v.toLocaleString(),
        `${total} requests in ${days.length} days; most on ${busiest.day} (${busiest.requests}).`),
      chart(uPlot, 'Error rate per day', days, days.map((d) => d.errorRate * 100), (v) => `${+v.toFixed(1)} %`,
        `${total === 0 ? 'no requests' : `${percent(errors / total)} overall`}; highest on ${worst.day} (${percent(worst.errorRate)}).`)),
    el('details', {}, el('summary', {}, 'Figures per day'),
      table('Requests, errors and error rate per day', ['Day', 'Requests', 'Errors', 'Error rate'],
        [...days].reverse().map((d) => [d.day, d.requests, d.errors, percent(d.errorRate)]))),
    ...(funnelAnswer.status === 200 ? funnelSection(funnelAnswer.body.days) : []),
  ];
}
