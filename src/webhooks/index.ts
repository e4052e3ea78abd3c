export { webhookService, WebhookNotFoundError, type WebhookService, type NewWebhook } from './webhook-service.js';
export { TRIGGERS, TRIGGER_CODES, triggersProblem, type NamedTrigger } from './triggers.js';
export { signature } from './signing.js';
export { verifyReceiver, DELIVERY_TIMEOUT_MS, type VerifyResult } from './verify.js';
export { startWorker, type WorkerDeps, type WorkerOptions } from './worker.js';
export { retryDelayMs } from './backoff.js';
export { stateWriteEvents, type StateEventsDeps } from './state-events.js';
export type { SignalError, SignalRead, VehicleData, VehicleReader } from './reader.js';
