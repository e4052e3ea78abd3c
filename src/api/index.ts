export { registerVehicleApi, vehicleApiOperations } from './routes.js';
export { registerCors } from './cors.js';
export {
  clientErrorHandler, frameworkErrorHandler, registerErrorHandling, rewriteVersion, sendApiError, toApiError, type ErrorFace,
} from './error-handling.js';
export { ApiError, CATALOG, envelope, type CatalogKey } from './errors/index.js';
export type { ApiDeps } from './vehicle-access.js';
export type { V3Deps } from './v3/index.js';
export { chargeManagementBudget, limitManagementRequests, type ManagementBudget } from './management-budget.js';
export { registerVehicleWebhooks } from './vehicle-webhooks.js';
export { codesOfData, PATH_SIGNALS, signalsOfPath, webhookReaderFor, webhookReadersFor } from './webhook-data.js';
export { CommandSent, managementOperation, StatusSuccess, v2Operation, v3Operation } from './openapi-parts.js';
