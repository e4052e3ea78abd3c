/** The v3 resources as schemas for the OpenAPI document (smartcar-v3.md §3, §6.2); each route's answer is built from them. */
import { z } from 'zod';

const RESOLUTION = z.object({ type: z.string().nullable() });

export const VehicleResourceSchema = z.object({
  id: z.string(),
  type: z.literal('vehicle'),
  attributes: z.object({ make: z.string(), model: z.string(), year: z.number().int(), powertrainType: z.string(), mode: z.string() }),
  links: z.object({ self: z.string() }),
}).meta({ id: 'Vehicle' });

const SignalErrorSchema = z.object({
  type: z.string(), code: z.string().nullable(), title: z.string(), detail: z.string(), description: z.string(), resolution: RESOLUTION,
});

export const SignalResourceSchema = z.object({
  id: z.string(),
  type: z.literal('signal'),
  attributes: z.object({
    code: z.string(),
    name: z.string(),
    group: z.string(),
    status: z.union([
      z.object({ value: z.literal('SUCCESS') }),
      z.object({ value: z.literal('ERROR'), error: SignalErrorSchema }),
    ]),
    body: z.record(z.string(), z.unknown()).optional().describe('The value, shaped by the signal\'s code (see the signal catalog).'),
  }),
  meta: z.object({ retrievedAt: z.number().int(), oemUpdatedAt: z.number().int().describe('0 when the car gave no time.') }),
  links: z.object({ self: z.string() }),
}).meta({ id: 'Signal' });

export const ConnectionResourceSchema = z.object({
  id: z.string(),
  type: z.literal('connection'),
  attributes: z.object({
    permissions: z.array(z.string()),
    vehicle: z.object({ make: z.string(), model: z.string(), year: z.number().int(), mode: z.string(), powertrainType: z.string() }),
    user: z.object({ id: z.string() }),
  }),
  relationships: z.object({
    vehicle: z.object({ data: z.object({ id: z.string(), type: z.literal('vehicle') }), links: z.object({ related: z.string() }) }),
    user: z.object({ data: z.object({ id: z.string(), type: z.literal('user') }) }),
  }),
  meta: z.object({ createdAt: z.string(), updatedAt: z.string() }),
  links: z.object({ self: z.string() }),
}).meta({ id: 'Connection' });

const ExecutionErrorSchema = z.object({
  status: z.string(), type: z.string(), code: z.string().nullable(), title: z.string(), detail: z.string(), description: z.string(),
  docURL: z.string(), resolution: RESOLUTION, suggestedUserMessage: z.string().optional(),
});

export const CommandExecutionSchema = z.object({
  id: z.string(),
  type: z.literal('command-execution'),
  attributes: z.object({
    commandType: z.string(),
    status: z.union([
      z.object({ value: z.literal('SUCCESS') }),
      z.object({ value: z.literal('ERROR'), error: ExecutionErrorSchema }),
    ]),
    executionMode: z.enum(['sync', 'async']),
    parameters: z.record(z.string(), z.unknown()),
  }),
  meta: z.object({ executedAt: z.string(), completedAt: z.string(), durationInSeconds: z.number() }),
}).meta({ id: 'CommandExecution' });

/** A resource bare at the top level with the same resource under `data` (what each reader finds). */
export const withData = <T extends z.ZodObject>(resource: T, extra: z.ZodRawShape = {}) =>
  resource.extend({ data: resource, ...extra });

/** How a v3 request names the vehicle's user when it carries an application token. */
export const USER_HEADER = z.object({
  'sc-user-id': z.string().max(64).optional().describe('The vehicle\'s user, with an application token.'),
});
