export { vehicleService, providerStateStore, type VehicleService, type Vehicle, type NewAccount } from './vehicle-service.js';
export { tokenBucketLimiter, noRateLimit, type RateLimiter } from './rate-limiter.js';
