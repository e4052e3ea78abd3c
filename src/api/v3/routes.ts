/** Registers every v3 route (smartcar-v3.md §1.3), in one readable list. */
import type { FastifyInstance } from 'fastify';
import type { ApiOperation } from '../../core/index.js';
import type { V3Deps } from './access.js';
import * as getConnection from './get-connection.js';
import * as getSignal from './get-signal.js';
import * as getVehicle from './get-vehicle.js';
import * as listConnections from './list-connections.js';
import * as listSignals from './list-signals.js';

export function registerV3Api(app: FastifyInstance, deps: V3Deps): void {
  getVehicle.registerGetVehicle(app, deps);
  listSignals.registerListSignals(app, deps);
  getSignal.registerGetSignal(app, deps);
  listConnections.registerListConnections(app, deps);
  getConnection.registerGetConnection(app, deps);
}

export const v3Operations: readonly ApiOperation[] = [
  ...getVehicle.openapi, ...listSignals.openapi, ...getSignal.openapi, ...listConnections.openapi, ...getConnection.openapi,
];
