export { registerConnections, type ManagementDeps } from './connections.js';
export { authenticateManagement } from './management-auth.js';
export { registerSimulatorControl, type SimulatorControlDeps } from './simulator-control.js';
export { WEBHOOK_LIMITS } from './webhooks.js';
export {
  registerWebhookManagement, describeWebhook, checkedDefinition, definitionOf, WebhookDefinitionBody, WebhookDefinitionError,
  type WebhookManagementDeps,
} from './webhooks.js';
export { registerManagementTokenRotation, type TokenRotationDeps } from './token-rotation.js';
export {
  simulatorService, simulatorCatalog, SimulatorBodies, SimulatorControlError, STARTING_SCENARIOS,
  type SimulatorService, type SimulatorServiceDeps, type ControlProblem,
} from './simulator-service.js';
export { managementOperations } from './operations.js';
