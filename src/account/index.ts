export { registerAccountApi, ACCOUNT_COOKIE, type AccountApiDeps } from './api.js';
export { registerAccountPages } from './pages.js';
