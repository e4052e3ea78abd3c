/**
 * The console's view of an app's connected vehicles: a filtered page of them, one vehicle's latest
 * values and its connection history (each connection with why it ended), and Disconnect. Grants
 * are listed and ended through the token service, as the management API does; values are read
 * through the vehicle service, as the Vehicle API does.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError, isUuid, type Clock } from '../core/index.js';
import type { TokenService } from '../oauth/index.js';
import type { ConnectionHistoryRepository } from '../store/index.js';
import type { Vehicle, VehicleService } from '../vehicles/index.js';
import { parsed, type ConsoleContext } from './context.js';
import { Refusal } from './refusals.js';

export interface VehicleRoutesDeps {
  tokens: TokenService;
  vehicles: VehicleService;
  connectionHistory: ConnectionHistoryRepository;
  clock: Clock;
}

const vehiclesQuery = z.object({
  mode: z.enum(['live', 'simulated', 'test']).optional(),
  /** A piece of the make, model or VIN. */
  q: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** The offset of the page, as the previous page's `next` gave it. */
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

/** The values a vehicle's page shows, as catalog signals: each read only where the car reports it. */
export const LATEST_SIGNALS: readonly { code: string; name: string }[] = [
  { code: 'odometer-traveleddistance', name: 'Odometer' },
  { code: 'tractionbattery-stateofcharge', name: 'Battery' },
  { code: 'tractionbattery-range', name: 'Range' },
  { code: 'internalcombustionengine-fuellevel', name: 'Fuel' },
  { code: 'charge-ischarging', name: 'Charging' },
  { code: 'location-preciselocation', name: 'Location' },
  { code: 'closure-islocked', name: 'Locked' },
];

/** Connections kept on a vehicle's page: its story with one app rarely runs longer. */
const HISTORY_SHOWN = 50;

type AppParams = { Params: { clientId: string } };
type VehicleParams = { Params: { clientId: string; vehicleId: string } };

const NOT_CONNECTED = () => new Refusal(404, 'not_found', 'That vehicle is not connected to this app.');

function describe(vehicle: Vehicle | undefined) {
  return {
    make: vehicle?.make ?? null, model: vehicle?.model ?? null, year: vehicle?.year ?? null, vin: vehicle?.vin ?? null,
  };
}

/** The latest values the car reports, each with when it was observed; a car that cannot be reached says why. */
async function latestValues(vehicles: VehicleService, vehicle: Vehicle) {
  const support = vehicles.signalSupport(vehicle);
  const wanted = LATEST_SIGNALS.filter((s) => support[s.code] === 'supported');
  try {
    const readings = await vehicles.readSignals(vehicle, wanted.map((s) => s.code));
    return {
      values: wanted.flatMap(({ code, name }) => {
        const reading = readings.get(code);
        return reading?.status === 'SUCCESS'
          ? [{ code, name, value: reading.body, observedAt: reading.observedAt.getTime() > 0 ? reading.observedAt.toISOString() : null }]
          : [];
      }),
      unreachable: null,
    };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { values: [], unreachable: { category: error.category, code: error.code } };
  }
}

export function registerVehicleRoutes(api: FastifyInstance, ctx: ConsoleContext, deps: VehicleRoutesDeps): void {
  /**
   * The app's connected vehicles, newest connection first, a page at a time, filtered by mode and a
   * piece of make, model or VIN: each with what it is, its owner, the permissions granted and since when.
   */
  api.get<AppParams>('/console/api/apps/:clientId/vehicles', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    const query = parsed(vehiclesQuery, request.query);
    const rows = await deps.tokens.listConnections(app.id, { mode: query.mode, text: query.q || undefined }, query.limit + 1, query.offset);
    const page = rows.slice(0, query.limit);
    const vehicles = await Promise.all(page.map(async (c) => {
      const [vehicle, scopes] = await Promise.all([deps.vehicles.find(c.vehicleId), deps.tokens.scopesOf(app.id, c.accountId, c.vehicleId)]);
      return { vehicleId: c.vehicleId, ...describe(vehicle), mode: c.mode, userId: c.accountId, permissions: scopes ?? [], connectedAt: c.connectedAt };
    }));
    return { vehicles, next: rows.length > query.limit ? query.offset + query.limit : null };
  });

  /** One vehicle of the app (connected now or before): its latest values and its connections to the app. */
  api.get<VehicleParams>('/console/api/apps/:clientId/vehicles/:vehicleId', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'viewer');
    const { vehicleId } = request.params;
    if (!isUuid(vehicleId)) throw NOT_CONNECTED();
    const id = vehicleId.toLowerCase();
    const history = await deps.connectionHistory.historyOf(app.id, id, deps.clock.now().toISOString(), HISTORY_SHOWN);
    const vehicle = await deps.vehicles.find(id);
    if (history.length === 0 || !vehicle) throw NOT_CONNECTED();
    const live = history.find((c) => c.endedAt === null);
    const permissions = live ? await deps.tokens.scopesOf(app.id, live.accountId, id) : undefined;
    return {
      vehicle: { vehicleId: id, ...describe(vehicle), mode: vehicle.mode, userId: vehicle.accountId },
      connected: live !== undefined,
      permissions: permissions ?? [],
      // Values are read only while the app can reach the car, as its own requests would.
      latest: live ? await latestValues(deps.vehicles, vehicle) : null,
      history,
    };
  });

  /** Disconnect: the app's grants on the vehicle end (its tokens stop reaching it), as the management API's DELETE. */
  api.delete<VehicleParams>('/console/api/apps/:clientId/vehicles/:vehicleId', async (request) => {
    const { app } = await ctx.appFor(request, request.params.clientId, 'developer');
    const { vehicleId } = request.params;
    if (!isUuid(vehicleId)) throw NOT_CONNECTED();
    const ended = await deps.tokens.revokeConnections(app.id, { vehicleId: vehicleId.toLowerCase() });
    if (ended.length === 0) throw NOT_CONNECTED();
    return { disconnected: ended.map((c) => ({ userId: c.accountId, vehicleId: c.vehicleId })) };
  });
}
