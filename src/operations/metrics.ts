/**
 * What a node tells Prometheus: its HTTP requests by route, method and status (with latency), the
 * providers' reads and commands by outcome, rate-limit refusals and store failures, the webhook outbox (depth, oldest
 * pending, attempts by result, deliveries in flight), the database pool, and the process defaults.
 * Each node keeps its own registry; counters on a request's path are resolved to their labelled
 * child once, so counting costs an addition.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type LabelValues } from 'prom-client';

/** Latency buckets (seconds) from a cached read to a slow upstream. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Distinct label sets kept per metric: routes are templates, but a flood of odd statuses must not grow memory. */
const MAX_CHILDREN = 2000;

export interface OutboxLook {
  /** Deliveries waiting (pending) and the age in seconds of the oldest, or 0 with none. */
  pending(): Promise<{ depth: number; oldestAgeSeconds: number }>;
}

export interface PoolLook {
  /** Connections open, idle, and requests waiting for one (PostgreSQL's pool). */
  pool(): { total: number; idle: number; waiting: number } | null;
}

function childCache<T extends string, C>(make: (labels: LabelValues<T>) => C) {
  const children = new Map<string, C>();
  return (key: string, labels: LabelValues<T>): C => {
    let child = children.get(key);
    if (!child) {
      child = make(labels);
      if (children.size < MAX_CHILDREN) children.set(key, child);
    }
    return child;
  };
}

export function platformMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const http = new Histogram({
    name: 'carport_http_request_duration_seconds', help: 'HTTP requests by route template, method and status, with their latency.',
    labelNames: ['route', 'method', 'status'] as const, buckets: LATENCY_BUCKETS, registers: [registry],
  });
  const httpChild = childCache<'route' | 'method' | 'status', ReturnType<typeof http.labels>>((labels) => http.labels(labels));

  const providerOps = new Counter({
    name: 'carport_provider_operations_total', help: 'Provider reads and commands by provider, kind (read or command) and outcome (ok or failed).',
    labelNames: ['provider', 'kind', 'outcome'] as const, registers: [registry],
  });
  const providerChild = childCache<'provider' | 'kind' | 'outcome', ReturnType<typeof providerOps.labels>>((labels) => providerOps.labels(labels));

  const refusals = new Counter({
    name: 'carport_rate_limit_refusals_total', help: 'Requests refused by a rate limit, by limit.', labelNames: ['limit'] as const, registers: [registry],
  });
  const storeFailures = new Counter({
    name: 'carport_rate_limit_store_failures_total',
    help: 'Requests let through unchecked because the shared rate-limit store (Redis) failed or answered late.', registers: [registry],
  });
  const attempts = new Counter({
    name: 'carport_webhook_attempts_total', help: 'Webhook delivery attempts by result (delivered, retry, dead, gone).',
    labelNames: ['result'] as const, registers: [registry],
  });

  let outbox: OutboxLook | undefined;
  let inFlight: (() => number) | undefined;
  let pool: PoolLook | undefined;

  // One look at the outbox serves both of a scrape's gauges.
  let look: Promise<{ depth: number; oldestAgeSeconds: number }> | undefined;
  const pending = () => {
    look ??= (outbox?.pending() ?? Promise.resolve({ depth: 0, oldestAgeSeconds: 0 })).finally(() => {
      setImmediate(() => { look = undefined; });
    });
    return look;
  };
  new Gauge({
    name: 'carport_webhook_outbox_depth', help: 'Webhook deliveries waiting to be sent.', registers: [registry],
    async collect() {
      this.set((await pending()).depth);
    },
  });
  new Gauge({
    name: 'carport_webhook_outbox_oldest_pending_seconds', help: 'Age of the oldest webhook delivery waiting to be sent.', registers: [registry],
    async collect() {
      this.set((await pending()).oldestAgeSeconds);
    },
  });
  new Gauge({
    name: 'carport_webhook_deliveries_in_flight', help: 'Webhook deliveries this node\'s worker has out now.', registers: [registry],
    collect() {
      this.set(inFlight?.() ?? 0);
    },
  });
  new Gauge({
    name: 'carport_db_pool_connections', help: 'Database pool connections by state (PostgreSQL; none on SQLite).',
    labelNames: ['state'] as const, registers: [registry],
    collect() {
      const now = pool?.pool();
      if (!now) return;
      this.set({ state: 'total' }, now.total);
      this.set({ state: 'idle' }, now.idle);
      this.set({ state: 'waiting' }, now.waiting);
    },
  });

  return {
    registry,
    /** One finished request; `route` is the matched template, or `unmatched`. */
    request(route: string, method: string, status: number, seconds: number): void {
      httpChild(`${method} ${status} ${route}`, { route, method, status: String(status) }).observe(seconds);
    },
    providerOperation(provider: string, kind: 'read' | 'command', ok: boolean): void {
      providerChild(`${provider} ${kind} ${ok}`, { provider, kind, outcome: ok ? 'ok' : 'failed' }).inc();
    },
    refused(limit: string): void {
      refusals.inc({ limit });
    },
    /** A request passed a shared limit unchecked: its store failed (fail open). */
    rateLimitStoreFailed(): void {
      storeFailures.inc();
    },
    attempt(result: string): void {
      attempts.inc({ result });
    },
    /** The outbox is shared: any node can report its depth. */
    watchOutbox(look: OutboxLook): void {
      outbox = look;
    },
    /** This node's delivery worker, when it runs one. */
    watchWorker(deliveriesInFlight: () => number): void {
      inFlight = deliveriesInFlight;
    },
    watchPool(look: PoolLook): void {
      pool = look;
    },
  };
}

export type PlatformMetrics = ReturnType<typeof platformMetrics>;
