/** POST commands: lock/unlock, start/stop charge, charge limit, navigation destination. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { COMMANDS, type ApiOperation, type CommandArgs, type CommandName } from '../core/index.js';
import { ApiError } from './errors/index.js';
import { CommandSent, VEHICLE_ERRORS, v2Operation } from './openapi-parts.js';
import { accessibleVehicle, authenticate, requirePermission, takeVehicleBudget, type ApiDeps } from './vehicle-access.js';

type VehicleRequest = FastifyRequest<{ Params: { id: string } }>;

/** Each POST path: its body schema and the command (with arguments) the body asks for. */
export interface CommandRoute {
  path: string;
  /** The compatibility matrix's name for it. */
  name: string;
  /** The commands its bodies can ask for. */
  commands: readonly [CommandName, ...CommandName[]];
  body: z.ZodType;
  toCommand(body: never): { [C in CommandName]: { name: C; args: CommandArgs[C] } }[CommandName];
}

const action = <T extends readonly [string, ...string[]]>(values: T) => z.object({ action: z.enum(values) });
// The Node SDK sends the limit as a string ("0.6"); the others send a number. The length check
// aborts before the pattern sees a long string.
const DECIMAL = /^(?:\d+|\d*\.\d+)$/;
const limitText = z.string().max(32, { abort: true }).trim().regex(DECIMAL).transform(Number);
const limit = z.object({ limit: z.union([z.number(), limitText]).pipe(z.number().min(0.5).max(1)) });
const destination = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });

export const COMMAND_ROUTES: readonly CommandRoute[] = [
  {
    path: '/security',
    name: 'Lock & unlock',
    commands: ['lock', 'unlock'],
    body: action(['LOCK', 'UNLOCK'] as const),
    toCommand: (b: { action: 'LOCK' | 'UNLOCK' }) => ({ name: b.action === 'LOCK' ? 'lock' : 'unlock', args: {} }),
  },
  {
    path: '/charge',
    // Smartcar's own matrix spells this one "EV start & stop charge".
    name: 'EV start & stop charge',
    commands: ['startCharge', 'stopCharge'],
    body: action(['START', 'STOP'] as const),
    toCommand: (b: { action: 'START' | 'STOP' }) => ({ name: b.action === 'START' ? 'startCharge' : 'stopCharge', args: {} }),
  },
  {
    path: '/charge/limit',
    name: 'Set EV charge limit',
    commands: ['setChargeLimit'],
    body: limit,
    toCommand: (b: { limit: number }) => ({ name: 'setChargeLimit', args: { limit: b.limit } }),
  },
  {
    path: '/navigation/destination',
    name: 'Navigation',
    commands: ['sendDestination'],
    body: destination,
    toCommand: (b: { latitude: number; longitude: number }) => ({ name: 'sendDestination', args: b }),
  },
];

export const openapi: readonly ApiOperation[] = COMMAND_ROUTES.map((route) => v2Operation({
  method: 'post', path: `/v2.0/vehicles/:id${route.path}`, tag: 'Vehicle commands', summary: route.name,
  description: `Needs ${COMMANDS[route.commands[0]].permission}.`,
  credentials: ['accessToken'],
  body: route.body,
  responses: { 200: { description: 'The car took the command.', body: CommandSent } },
  errors: VEHICLE_ERRORS,
}));

function parseBody(schema: z.ZodType, body: unknown): unknown {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new ApiError('VALIDATION', {
    detail: parsed.error.issues.map((issue) => ({ field: issue.path.map(String), message: issue.message })),
  });
}

export function registerVehicleCommands(app: FastifyInstance, deps: ApiDeps): void {
  for (const route of COMMAND_ROUTES) {
    app.post(`/v2.0/vehicles/:id${route.path}`, async (request: VehicleRequest) => {
      const context = await authenticate(deps, request);
      const vehicle = await accessibleVehicle(deps, context, request.params.id);
      const command = route.toCommand(parseBody(route.body, request.body) as never);
      requirePermission(context, vehicle.id, COMMANDS[command.name].permission);
      const spending = takeVehicleBudget(deps, vehicle.id);
      if (spending) await spending;
      await deps.vehicles.command(vehicle, command.name, command.args as never);
      return { status: 'success', message: 'Successfully sent request to vehicle' };
    });
  }
}
