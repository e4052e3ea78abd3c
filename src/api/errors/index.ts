export { ApiError, envelope, type ErrorDetail, type ApiErrorOptions } from './api-error.js';
export { CATALOG, docUrl, type CatalogEntry, type CatalogKey } from './catalog.js';
export { apiErrorOf } from './from-domain.js';
export { errorTitle, hybridEnvelope } from './hybrid-envelope.js';
export { SmartcarErrorBody, SmartcarV3ErrorBody } from './envelope-schemas.js';
