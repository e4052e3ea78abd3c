/** The one error a route throws to answer with a catalog entry, and the envelope it renders to. */
import { CATALOG, docUrl, type CatalogEntry, type CatalogKey } from './catalog.js';

export interface ErrorDetail {
  field?: string | string[];
  message: string;
  [key: string]: unknown;
}

export interface ApiErrorOptions {
  detail?: ErrorDetail[];
  retryAfterSeconds?: number;
  description?: string;
  /** HTTP status when it must differ from the entry's (413, 415 for VALIDATION). */
  status?: number;
  /** The scheme an AUTHENTICATION error challenges for (RFC 7235): Bearer unless the face takes Basic. */
  challenge?: 'Basic' | 'Bearer';
}

export class ApiError extends Error {
  readonly entry: CatalogEntry;

  constructor(
    key: CatalogKey,
    readonly options: ApiErrorOptions = {},
  ) {
    const entry = CATALOG[key];
    if (!entry) throw new Error(`no catalog entry ${key}`);
    super(options.description ?? entry.description);
    this.entry = entry;
  }

  get statusCode(): number {
    return this.options.status ?? this.entry.status;
  }
}

/** The v2 envelope (spec §5.1, §5.4): optional keys are omitted, never null. */
export function envelope(error: ApiError, requestId: string): Record<string, unknown> {
  const { entry, options } = error;
  const body: Record<string, unknown> = {
    type: entry.type,
    code: entry.code,
    description: options.description ?? entry.description,
    docURL: docUrl(entry),
    statusCode: error.statusCode,
    requestId,
    resolution: { type: entry.resolution },
  };
  if (entry.suggestedUserMessage) body.suggestedUserMessage = entry.suggestedUserMessage;
  if (options.detail && options.detail.length > 0) body.detail = options.detail;
  return body;
}
