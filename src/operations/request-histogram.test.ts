import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { RequestHistogram } from './request-histogram.js';

const BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

test('exports exactly the text prom-client\'s Histogram gives for the same observations', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const histogram = new RequestHistogram('carport_http_request_duration_seconds', 'HTTP requests.', BOUNDS, ours);
  const reference = new Histogram({
    name: 'carport_http_request_duration_seconds', help: 'HTTP requests.', labelNames: ['route', 'method', 'status'] as const,
    buckets: BOUNDS, registers: [theirs],
  });
  const observations: [string, string, number, number][] = [
    ['/v2.0/vehicles/:id/odometer', 'GET', 200, 0.0004],
    ['/v2.0/vehicles/:id/odometer', 'GET', 200, 0.001],
    ['/v2.0/vehicles/:id/odometer', 'GET', 200, 0.0011],
    ['/v2.0/vehicles/:id/odometer', 'GET', 429, 0.3],
    ['/v2.0/vehicles/:id/security', 'POST', 200, 12],
    ['unmatched', 'GET', 404, 0],
    ['/v2.0/vehicles/:id/odometer', 'GET', 200, 10],
  ];
  for (const [route, method, status, seconds] of observations) {
    histogram.observe(route, method, status, seconds);
    reference.labels({ route, method, status: String(status) }).observe(seconds);
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
});

test('an empty histogram exports its help and type only, as prom-client\'s does', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  new RequestHistogram('requests', 'Requests.', BOUNDS, ours);
  new Histogram({ name: 'requests', help: 'Requests.', labelNames: ['route', 'method', 'status'] as const, buckets: BOUNDS, registers: [theirs] });
  assert.equal(await ours.metrics(), await theirs.metrics());
});
