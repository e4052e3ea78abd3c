/**
 * The gate every Vehicle API request passes: bearer token → access context, vehicle id → a vehicle
 * this token covers, permission → granted, then the app's and the vehicle's rate budgets.
 */
import type { FastifyRequest } from 'fastify';
import { isUuid, nowMs, RateLimitedError, refuseWhenSpent, type Clock, type Permission, type RateLimiter } from '../core/index.js';
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

/**
 * The access context of the request's bearer token, its app noted for the request log and its
 * request taken from the app's budget. Without a promise when all of that is at hand (a cached
 * token, a local budget): each promise costs a small read a turn of the microtask queue.
 */
export function authenticate(deps: ApiDeps, request: FastifyRequest): AccessContext | Promise<AccessContext> {
  const token = bearerToken(request);
  if (!token) throw new ApiError('AUTHENTICATION');
  const context = deps.tokens.resolve(token);
  return context instanceof Promise ? context.then((resolved) => admit(deps, request, resolved)) : admit(deps, request, context);
}

function admit(deps: ApiDeps, request: FastifyRequest, context: AccessContext | undefined): AccessContext | Promise<AccessContext> {
  if (!context) throw new ApiError('AUTHENTICATION');
  noteApp(request, context.appId);
  const taken = deps.appLimiter.take(context.appId, nowMs(deps.clock));
  if (typeof taken !== 'number') return taken.then((retryAfter) => admitted(context, retryAfter));
  return admitted(context, taken);
}

function admitted(context: AccessContext, retryAfter: number): AccessContext {
  if (retryAfter > 0) throw new RateLimitedError('APPLICATION', retryAfter);
  return context;
}

/**
 * Resolves the path's vehicle id for this token. A malformed id is a VALIDATION error; an id this
 * token does not cover is RESOURCE_NOT_FOUND whether or not the vehicle exists, so ids leak nothing.
 * Without a promise when the vehicle is cached.
 */
export function accessibleVehicle(deps: ApiDeps, context: AccessContext, vehicleId: string): Vehicle | Promise<Vehicle> {
  if (!isUuid(vehicleId)) {
    throw new ApiError('VALIDATION', { detail: [{ field: 'vehicle_id', message: 'must be a UUID' }] });
  }
  const id = vehicleId.toLowerCase();
  if (!context.vehicles.has(id)) throw new ApiError('RESOURCE_NOT_FOUND.PATH');
  const vehicle = deps.vehicles.find(id);
  return vehicle instanceof Promise ? vehicle.then((found) => reachable(context, found)) : reachable(context, vehicle);
}

function reachable(context: AccessContext, vehicle: Vehicle | undefined): Vehicle {
  if (!vehicle || vehicle.mode !== context.mode) throw new ApiError('RESOURCE_NOT_FOUND.PATH');
  return vehicle;
}

export function requirePermission(context: AccessContext, vehicleId: string, permission: Permission | null): void {
  if (permission !== null && !context.vehicles.get(vehicleId)?.has(permission)) throw new ApiError('PERMISSION');
}

/** Takes one request from the vehicle's budget; a promise (to await) only from a shared store. */
export function takeVehicleBudget(deps: ApiDeps, vehicleId: string): Promise<void> | undefined {
  return refuseWhenSpent(deps.vehicleLimiter.take(vehicleId, nowMs(deps.clock)), (retryAfter) => {
    throw new RateLimitedError('VEHICLE', retryAfter);
  });
}
