/** How the OAuth endpoints describe themselves, for the OpenAPI documents. */
import type { ApiOperation } from '../core/index.js';
import { openapi as applicationToken } from './application-token-route.js';
import { openapi as revoke } from './revoke-route.js';
import { openapi as token } from './token-route.js';

export const tokenOperations: readonly ApiOperation[] = [...token, ...revoke, ...applicationToken];
