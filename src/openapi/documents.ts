/**
 * The three OpenAPI documents, each made from what its routes say of themselves: the Smartcar v2.0
 * Vehicle API (with the OAuth token endpoint), carport's v3 face, and the management API.
 */
import { vehicleApiOperations } from '../api/index.js';
import type { ApiDocument, ApiOperation } from '../core/index.js';
import { managementOperations } from '../management/index.js';
import { tokenOperations } from '../oauth/index.js';
import { buildDocument, type DocumentInfo } from './document.js';
import type { JsonSchema } from './json-schema.js';

const INFO: Readonly<Record<ApiDocument, Omit<DocumentInfo, 'version'>>> = {
  v2: {
    title: 'carport Vehicle API v2.0',
    description: 'The Smartcar v2.0 Vehicle API as carport serves it, wire-compatible with Smartcar\'s SDKs, and its token endpoint.',
  },
  v3: {
    title: 'carport Vehicle API v3',
    description: 'Signals, commands and connections in Smartcar\'s v3 form, and the application token that reaches them.',
  },
  management: {
    title: 'carport management API',
    description: 'An app\'s connections, webhooks, simulated vehicles and management token, behind its management token.',
  },
};

/** Every operation the platform describes, by document. */
export function operationsOf(document: ApiDocument): ApiOperation[] {
  return [...vehicleApiOperations, ...tokenOperations, ...managementOperations].filter((o) => o.document === document);
}

export function openApiDocument(document: ApiDocument, version: string): JsonSchema {
  return buildDocument({ ...INFO[document], version }, operationsOf(document));
}
