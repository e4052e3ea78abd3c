export { registerVehicleApi } from './routes.js';
export {
  clientErrorHandler, frameworkErrorHandler, registerErrorHandling, rewriteVersion, sendApiError, toApiError, type ErrorFace,
} from './error-handling.js';
export { ApiError, CATALOG, envelope, type CatalogKey } from './errors/index.js';
export type { ApiDeps } from './vehicle-access.js';
export type { V3Deps } from './v3/index.js';
export { chargeManagementBudget, limitManagementRequests, type ManagementBudget } from './management-budget.js';
export { registerVehicleWebhooks } from './vehicle-webhooks.js';
export { webhookReaderFor, type VehicleData, type VehicleRead, type WebhookReader } from './webhook-data.js';
export { SIGNAL_PATHS } from './webhook-signals.js';
