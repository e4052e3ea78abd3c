// A car's trip as an SVG track: the positions seen while its page was open, and the drives its
// scenario still plans, dashed. Drawn from coordinates alone: no map tiles, nothing fetched.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 200;
const PAD = 12;

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** Longitude shrinks with latitude: scaled by its cosine the track keeps its shape away from the equator. */
function projector(points) {
  const lats = points.map((p) => p.latitude);
  const mid = ((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180);
  const xy = points.map((p) => ({ x: p.longitude * Math.cos(mid), y: -p.latitude }));
  const xs = xy.map((p) => p.x);
  const ys = xy.map((p) => p.y);
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
  // A car that has not moved still gets a small box around it.
  const span = Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY, 0.002);
  const scale = Math.min((WIDTH - 2 * PAD) / span, (HEIGHT - 2 * PAD) / span);
  return (p) => ({
    x: PAD + (p.longitude * Math.cos(mid) - minX) * scale,
    y: PAD + (-p.latitude - minY) * scale,
  });
}

const pointsOf = (list, project) => list.map((p) => project(p)).map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

export function trackView(trail, steps) {
  const here = trail[trail.length - 1];
  const planned = [here, ...steps.filter((s) => s.kind === 'drive').map((s) => s.to)];
  const project = projector([...trail, ...planned]);
  const distance = trail.length > 1 ? `${trail.length} positions seen` : 'parked where it is';
  const drawing = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'track',
    'aria-label': `Trip track: ${distance}${planned.length > 1 ? `, ${planned.length - 1} drives planned` : ''}`,
  });
  if (planned.length > 1) drawing.append(svg('polyline', { class: 'track-plan', points: pointsOf(planned, project) }));
  if (trail.length > 1) drawing.append(svg('polyline', { class: 'track-trail', points: pointsOf(trail, project) }));
  const now = project(here);
  drawing.append(svg('circle', { class: 'track-car', cx: now.x.toFixed(1), cy: now.y.toFixed(1), r: 5 }));
  return drawing;
}
