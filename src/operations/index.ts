export { readiness, ReadinessFailure, type Readiness, type ReadinessCheck, type ReadinessReport } from './readiness.js';
export { registerHealthRoutes } from './health-routes.js';
export { databaseChecks } from './store-checks.js';
export { workerCheck } from './worker-check.js';
export { platformMetrics, type PlatformMetrics } from './metrics.js';
export { countRefusals, meterProvider } from './metered.js';
export { registerMetricsRoute } from './metrics-route.js';
export { outboxLook, poolLook } from './store-looks.js';
export { rateLimitStore } from './rate-limit-store.js';
