/**
 * Who is asking on a v3 route, and which vehicle they reach (smartcar-v3.md §2, §8.5). Two kinds of
 * bearer token are accepted: a v2 access token (what every SDK sends, no `sc-user-id`), which
 * reaches the vehicles its consent covered; and an application token with `sc-user-id` naming a
 * user connected to the app, which reaches what that user granted the app, vehicle by vehicle.
 * Either way the request ends up with the same `AccessContext` the v2 routes use.
 */
import type { FastifyRequest } from 'fastify';
import { isPermission, isUuid, RateLimitedError } from '../../core/index.js';
import {
  isApplicationToken, type AccessContext, type ApplicationContext, type ApplicationTokenService, type Mode,
} from '../../oauth/index.js';
import type { Vehicle } from '../../vehicles/index.js';
import { noteApp } from '../../request-log/index.js';
import { ApiError } from '../errors/index.js';
import { accessibleVehicle, authenticate, bearerToken, type ApiDeps } from '../vehicle-access.js';

export interface V3Deps extends ApiDeps {
  applicationTokens: ApplicationTokenService;
}

export interface VehicleAccess {
  context: AccessContext;
  vehicle: Vehicle;
}

/** Longer than any user id (a UUID): not worth looking at. */
const MAX_USER_ID_LENGTH = 64;

/** The `sc-user-id` header, or undefined when absent or empty. */
export function userIdOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['sc-user-id'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value.slice(0, MAX_USER_ID_LENGTH + 1) : undefined;
}

/**
 * Any vehicle miss, whatever its reason (malformed id, unknown id, another user's or app's vehicle,
 * a user not connected to the app), is the same 404, so ids leak nothing. Carport's vehicle ids
 * are UUIDs: a path with any other id routes, and finds nothing.
 */
function vehicleNotFound(): ApiError {
  return new ApiError('RESOURCE_NOT_FOUND.VEHICLE_NOT_FOUND');
}

/** The path's vehicle as a v2 token reaches it, refusing with v3's 404. */
async function coveredVehicle(deps: ApiDeps, context: AccessContext, vehicleId: string): Promise<Vehicle> {
  if (!isUuid(vehicleId)) throw vehicleNotFound();
  try {
    return await accessibleVehicle(deps, context, vehicleId);
  } catch (error) {
    if (error instanceof ApiError && error.entry.type === 'RESOURCE_NOT_FOUND') throw vehicleNotFound();
    throw error;
  }
}

/** A live application token's app, its request budget spent; 401 for anything else. */
export async function authenticateApplication(deps: V3Deps, request: FastifyRequest): Promise<ApplicationContext> {
  const token = bearerToken(request);
  const app = token ? await deps.applicationTokens.resolve(token) : undefined;
  if (!app) {
    throw new ApiError('AUTHENTICATION', {
      description: 'This endpoint takes an application token: POST /oauth2/token with grant_type=client_credentials.',
    });
  }
  noteApp(request, app.appId);
  const taken = deps.appLimiter.take(app.appId, deps.clock.now().getTime());
  const retryAfter = typeof taken === 'number' ? taken : await taken;
  if (retryAfter > 0) throw new RateLimitedError('APPLICATION', retryAfter);
  return app;
}

/** An application token acts for the user `sc-user-id` names, on a vehicle that user granted the app. */
async function applicationVehicle(deps: V3Deps, request: FastifyRequest, vehicleId: string): Promise<VehicleAccess> {
  const app = await authenticateApplication(deps, request);
  const userId = userIdOf(request);
  if (userId === undefined) {
    throw new ApiError('VALIDATION.PARAMETER', { detail: [{ field: 'sc-user-id', message: 'required with an application token' }] });
  }
  if (!isUuid(userId) || !isUuid(vehicleId)) throw vehicleNotFound();
  const accountId = userId.toLowerCase();
  const id = vehicleId.toLowerCase();
  const scopes = await deps.tokens.scopesOf(app.appId, accountId, id);
  const vehicle = scopes ? await deps.vehicles.find(id) : undefined;
  if (!scopes || !vehicle) throw vehicleNotFound();
  const context: AccessContext = {
    authorizationId: 'application',
    appId: app.appId,
    accountId,
    mode: vehicle.mode as Mode,
    vehicles: new Map([[id, new Set(scopes.filter(isPermission))]]),
  };
  return { context, vehicle };
}

/**
 * Resolves a v3 vehicle request to its access context and vehicle, spending the app's request
 * budget once (the vehicle's is the route's to spend, as on v2). With a v2 token, an `sc-user-id`
 * naming anyone but the token's own user finds nothing.
 */
export async function resolveVehicleAccess(deps: V3Deps, request: FastifyRequest, vehicleId: string): Promise<VehicleAccess> {
  const token = bearerToken(request);
  if (token !== undefined && isApplicationToken(token)) return applicationVehicle(deps, request, vehicleId);
  const context = await authenticate(deps, request);
  const userId = userIdOf(request);
  if (userId !== undefined && userId.toLowerCase() !== context.accountId) throw vehicleNotFound();
  return { context, vehicle: await coveredVehicle(deps, context, vehicleId) };
}
