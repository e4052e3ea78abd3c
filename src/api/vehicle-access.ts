/**
 * The gate every Vehicle API request passes: bearer token → access context, vehicle id → a vehicle
 * this token covers, permission → granted, then the app's and the vehicle's rate budgets.
 */
import type { FastifyRequest } from 'fastify';
import { isUuid, RateLimitedError, refuseWhenSpent, type Clock, type Permission, type RateLimiter } from '../core/index.js';
import type { AccessContext, TokenService } from '../oauth/index.js';
import type { Vehicle, VehicleService } from '../vehicles/index.js';
import { noteApp } from '../request-log/index.js';
import { ApiError } from './errors/index.js';

export interface ApiDeps {
  tokens: TokenService;
  vehicles: VehicleService;
  appLimiter: RateLimiter;
  vehicleLimiter: RateLimiter;
  clock: Clock;
  /** How long a v3 command may take before it answers 202 and streams its outcome. */
  commandSyncMs: number;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer +([^\s]+) *$/i.exec(header) : null;
  return match?.[1];
}

export async function authenticate(deps: ApiDeps, request: FastifyRequest): Promise<AccessContext> {
  const token = bearerToken(request);
  const context = token ? await deps.tokens.resolve(token) : undefined;
  if (!context) throw new ApiError('AUTHENTICATION');
  noteApp(request, context.appId);
  const taken = deps.appLimiter.take(context.appId, deps.clock.now().getTime());
  const retryAfter = typeof taken === 'number' ? taken : await taken;
  if (retryAfter > 0) throw new RateLimitedError('APPLICATION', retryAfter);
  return context;
}

/**
 * Resolves the path's vehicle id for this token. A malformed id is a VALIDATION error; an id this
 * token does not cover is RESOURCE_NOT_FOUND whether or not the vehicle exists, so ids leak nothing.
 */
export async function accessibleVehicle(deps: ApiDeps, context: AccessContext, vehicleId: string): Promise<Vehicle> {
  if (!isUuid(vehicleId)) {
    throw new ApiError('VALIDATION', { detail: [{ field: 'vehicle_id', message: 'must be a UUID' }] });
  }
  const id = vehicleId.toLowerCase();
  const vehicle = context.vehicles.has(id) ? await deps.vehicles.find(id) : undefined;
  if (!vehicle || vehicle.mode !== context.mode) throw new ApiError('RESOURCE_NOT_FOUND.PATH');
  return vehicle;
}

export function requirePermission(context: AccessContext, vehicleId: string, permission: Permission | null): void {
  if (permission !== null && !context.vehicles.get(vehicleId)?.has(permission)) throw new ApiError('PERMISSION');
}

/** Takes one request from the vehicle's budget; a promise (to await) only from a shared store. */
export function takeVehicleBudget(deps: ApiDeps, vehicleId: string): Promise<void> | undefined {
  return refuseWhenSpent(deps.vehicleLimiter.take(vehicleId, deps.clock.now().getTime()), (retryAfter) => {
    throw new RateLimitedError('VEHICLE', retryAfter);
  });
}
