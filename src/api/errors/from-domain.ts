/** The one mapping from core domain errors to catalog entries. */
import type { DomainError} from '../../core/index.js';
import { RateLimitedError } from '../../core/index.js';
import { ApiError } from './api-error.js';
import type { CatalogKey } from './catalog.js';

const TYPE_OF_CATEGORY: Record<DomainError['category'], string> = {
  VehicleState: 'VEHICLE_STATE',
  NotCapable: 'COMPATIBILITY',
  Upstream: 'UPSTREAM',
  RateLimited: 'RATE_LIMIT',
  Account: 'CONNECTED_SERVICES_ACCOUNT',
};

export function apiErrorOf(error: DomainError): ApiError {
  if (error instanceof RateLimitedError) {
    const key = error.code === 'VEHICLE' ? 'RATE_LIMIT.VEHICLE' : 'RATE_LIMIT.SMARTCAR_API';
    return new ApiError(key, { retryAfterSeconds: error.retryAfterSeconds });
  }
  return new ApiError(`${TYPE_OF_CATEGORY[error.category]}.${error.code}` as CatalogKey);
}
