/** How every management route describes itself, for the management OpenAPI document. */
import type { ApiOperation } from '../core/index.js';
import { openapi as connections } from './connections.js';
import { openapi as simulatorControl } from './simulator-control.js';
import { openapi as tokenRotation } from './token-rotation.js';
import { openapi as webhooks } from './webhooks.js';

export const managementOperations: readonly ApiOperation[] = [...connections, ...tokenRotation, ...webhooks, ...simulatorControl];
