/**
 * The v3 error body (smartcar-v3.md §5.4): the v3 `errors[]` array beside the v2 envelope's
 * top-level fields, so every SDK raises a typed error and v3-native clients read `errors[0]`.
 */
import { envelope, type ApiError } from './api-error.js';

const TITLES: Readonly<Record<string, string>> = {
  AUTHENTICATION: 'Authentication error',
  BILLING: 'Billing error',
  COMPATIBILITY: 'Compatibility error',
  CONNECTED_SERVICES_ACCOUNT: 'Connected services account error',
  PERMISSION: 'Permission error',
  RATE_LIMIT: 'Rate limit error',
  RESOURCE_NOT_FOUND: 'Resource not found',
  SERVER: 'Server error',
  UPSTREAM: 'Upstream error',
  VALIDATION: 'Validation error',
  VEHICLE_STATE: 'Vehicle state error',
};

/** A short human title for an error type. */
export function errorTitle(type: string): string {
  return TITLES[type] ?? 'Error';
}

export function hybridEnvelope(error: ApiError, requestId: string): Record<string, unknown> {
  const v2 = envelope(error, requestId);
  const messages = error.options.detail?.map((d) => d.message) ?? [];
  const item: Record<string, unknown> = {
    status: String(error.statusCode),
    type: error.entry.type,
    code: error.entry.code,
    title: errorTitle(error.entry.type),
    detail: [v2.description, ...messages].join(' '),
    resolution: v2.resolution,
    meta: { debug: { requestId } },
  };
  if (v2.suggestedUserMessage) item.suggestedUserMessage = v2.suggestedUserMessage;
  return { errors: [item], ...v2 };
}
