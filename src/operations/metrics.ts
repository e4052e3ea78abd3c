/**
 * What a node tells Prometheus: its HTTP requests by route, method and status (with latency), the
 * providers' reads and commands by outcome, rate-limit refusals and store failures, the webhook outbox (depth, oldest
 * pending, attempts by result, deliveries in flight), the database pool, and the process defaults.
 * Each node keeps its own registry; what a request counts (its latency, its provider read) costs
 * a few map lookups and additions, and reaches prom-client's form only when a scrape asks.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { RequestHistogram } from './request-histogram.js';

/** Latency buckets (seconds) from a cached read to a slow upstream. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export interface OutboxLook {
  /** Deliveries waiting (pending) and the age in seconds of the oldest, or 0 with none. */
  pending(): Promise<{ depth: number; oldestAgeSeconds: number }>;
}

export interface PoolLook {
  /** Connections open, idle, and requests waiting for one (PostgreSQL's pool). */
  pool(): { total: number; idle: number; waiting: number } | null;
}

export function platformMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const http = new RequestHistogram(
    'carport_http_request_duration_seconds', 'HTTP requests by route template, method and status, with their latency.', LATENCY_BUCKETS, registry,
  );

  // A provider's reads count into a plain number, added to the counter when a scrape collects:
  // prom-client hashes a child's labels again on every increment.
  const pendingProviderCounts: { child: { inc(n: number): void }; n: number }[] = [];
  const providerOps = new Counter({
    name: 'carport_provider_operations_total', help: 'Provider reads and commands by provider, kind (read or command) and outcome (ok or failed).',
    labelNames: ['provider', 'kind', 'outcome'] as const, registers: [registry],
    collect() {
      for (const pending of pendingProviderCounts) {
        if (pending.n === 0) continue;
        pending.child.inc(pending.n);
        pending.n = 0;
      }
    },
  });
  const providerCount = (provider: string, kind: string, outcome: string) => {
    const pending = { child: providerOps.labels({ provider, kind, outcome }), n: 0 };
    pendingProviderCounts.push(pending);
    return pending;
  };

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
      http.observe(route, method, status, seconds);
    },
    /** The count of one provider's reads or commands: call it with each one's outcome. */
    providerOperations(provider: string, kind: 'read' | 'command'): (ok: boolean) => void {
      const ok = providerCount(provider, kind, 'ok');
      const failed = providerCount(provider, kind, 'failed');
      return (succeeded) => {
        (succeeded ? ok : failed).n += 1;
      };
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
