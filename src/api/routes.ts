/** Registers every Vehicle API route, in one readable list. */
import type { FastifyInstance } from 'fastify';
import { registerUserAndVehicles } from './user-and-vehicles.js';
import { registerV3Api, type V3Deps } from './v3/index.js';
import { registerVehicleBatch } from './vehicle-batch.js';
import { registerVehicleCommands } from './vehicle-commands.js';
import { registerVehicleDisconnect } from './vehicle-disconnect.js';
import { registerVehicleReads } from './vehicle-reads.js';

export function registerVehicleApi(app: FastifyInstance, deps: V3Deps): void {
  registerUserAndVehicles(app, deps);
  registerVehicleReads(app, deps);
  registerVehicleCommands(app, deps);
  registerVehicleBatch(app, deps);
  registerVehicleDisconnect(app, deps);
  registerV3Api(app, deps);
}
