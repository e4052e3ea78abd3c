export { registerAccountApi, ACCOUNT_COOKIE, type AccountApiDeps } from './api.js';
