export { readiness, ReadinessFailure, type Readiness, type ReadinessCheck, type ReadinessReport } from './readiness.js';
export { registerHealthRoutes } from './health-routes.js';
export { databaseChecks } from './store-checks.js';
export { workerCheck } from './worker-check.js';
