/** Registers every v3 route (smartcar-v3.md §1.3), in one readable list. */
import type { FastifyInstance } from 'fastify';
import type { V3Deps } from './access.js';
import { registerGetConnection } from './get-connection.js';
import { registerGetSignal } from './get-signal.js';
import { registerGetVehicle } from './get-vehicle.js';
import { registerListConnections } from './list-connections.js';
import { registerListSignals } from './list-signals.js';

export function registerV3Api(app: FastifyInstance, deps: V3Deps): void {
  registerGetVehicle(app, deps);
  registerListSignals(app, deps);
  registerGetSignal(app, deps);
  registerListConnections(app, deps);
  registerGetConnection(app, deps);
}
