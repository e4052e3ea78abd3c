/**
 * POST /v3/vehicles/:id/commands/<group>/<action>, one route per command of the catalog
 * (smartcar-v3.md §6): the catalog gives the path, permission, powertrains and commandType. A v2
 * access token or an application token with `sc-user-id` reaches the vehicle, as on the v3 reads.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COMMAND_SPECS, NotCapableError, type ApiOperation, type CommandSpec } from '../../core/index.js';
import { v3Operation } from '../openapi-parts.js';
import { requirePermission, takeVehicleBudget } from '../vehicle-access.js';
import { resolveVehicleAccess, type V3Deps } from './access.js';
import { BODY_READERS, BODY_SCHEMAS } from './command-bodies.js';
import { CommandExecutionSchema, USER_HEADER, withData } from './resource-schemas.js';
import { answerCommand } from './command-response.js';

type VehicleRequest = FastifyRequest<{ Params: { id: string } }>;

async function runCommand(deps: V3Deps, spec: CommandSpec, request: VehicleRequest, reply: FastifyReply): Promise<unknown> {
  const { context, vehicle } = await resolveVehicleAccess(deps, request, request.params.id);
  requirePermission(context, vehicle.id, spec.permission);
  if (!spec.powertrains.includes(vehicle.powertrain)) throw new NotCapableError('VEHICLE_NOT_CAPABLE');
  const { args, parameters } = BODY_READERS[spec.name](request.body);
  const spending = takeVehicleBudget(deps, vehicle.id);
  if (spending) await spending;
  const execution = { spec, parameters, executedAt: deps.clock.now() };
  return answerCommand(request, reply, deps, execution, () => deps.vehicles.command(vehicle, spec.name, args as never));
}

export const openapi: readonly ApiOperation[] = COMMAND_SPECS.map((spec) => v3Operation({
  method: 'post', path: `/v3/vehicles/:id/commands/${spec.v3Path}`, tag: 'Commands', summary: spec.commandType,
  description: `Needs ${spec.permission}. Answered 200 when the car answers within the sync bound; otherwise 202 at once, `
    + 'the connection held open and the final command-execution written as the body when the car answers.',
  credentials: ['accessToken', 'applicationToken'],
  headers: USER_HEADER,
  ...(BODY_SCHEMAS[spec.name] && { body: BODY_SCHEMAS[spec.name] }),
  responses: {
    200: { description: 'The command ran.', body: withData(CommandExecutionSchema) },
    202: { description: 'The car is slow: the finished command-execution follows in this body (its status may be ERROR).', body: withData(CommandExecutionSchema) },
  },
  errors: [400, 401, 403, 404, 409, 429, 430, 500, 501, 502],
}));

export function registerV3Commands(app: FastifyInstance, deps: V3Deps): void {
  for (const spec of COMMAND_SPECS) {
    app.post(`/v3/vehicles/:id/commands/${spec.v3Path}`, (request: VehicleRequest, reply) => runCommand(deps, spec, request, reply));
  }
}
