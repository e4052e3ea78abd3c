export { webhookService, TRIGGERS, WebhookNotFoundError, type WebhookService, type NewWebhook, type Trigger } from './webhook-service.js';
export { signature } from './signing.js';
export { verifyReceiver, DELIVERY_TIMEOUT_MS, type VerifyResult } from './verify.js';
export { startWorker, type WorkerDeps, type WorkerOptions } from './worker.js';
export { retryDelayMs } from './backoff.js';
export { stateWriteEvents, type StateEventsDeps } from './state-events.js';
export type { VehicleReader } from './evaluation.js';
