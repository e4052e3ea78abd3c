/** Registers every Vehicle API route, in one readable list. */
import type { FastifyInstance } from 'fastify';
import type { ApiOperation } from '../core/index.js';
import * as compatibility from './compatibility.js';
import * as userAndVehicles from './user-and-vehicles.js';
import * as v3Commands from './v3/commands.js';
import { registerV3Api, v3Operations, type V3Deps } from './v3/index.js';
import * as vehicleBatch from './vehicle-batch.js';
import * as vehicleCommands from './vehicle-commands.js';
import * as vehicleDisconnect from './vehicle-disconnect.js';
import * as vehicleReads from './vehicle-reads.js';
import * as vehicleWebhooks from './vehicle-webhooks.js';

export function registerVehicleApi(app: FastifyInstance, deps: V3Deps): void {
  userAndVehicles.registerUserAndVehicles(app, deps);
  vehicleReads.registerVehicleReads(app, deps);
  vehicleCommands.registerVehicleCommands(app, deps);
  vehicleBatch.registerVehicleBatch(app, deps);
  vehicleDisconnect.registerVehicleDisconnect(app, deps);
  registerV3Api(app, deps);
  v3Commands.registerV3Commands(app, deps);
}

/** How every Vehicle API route (v2.0 and v3, compatibility and webhook subscriptions included) describes itself. */
export const vehicleApiOperations: readonly ApiOperation[] = [
  ...userAndVehicles.openapi, ...vehicleReads.openapi, ...vehicleCommands.openapi, ...vehicleBatch.openapi,
  ...vehicleDisconnect.openapi, ...vehicleWebhooks.openapi, ...compatibility.openapi, ...v3Operations, ...v3Commands.openapi,
];
