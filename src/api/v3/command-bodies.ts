/**
 * What each v3 command's JSON:API-style body asks for (smartcar-v3.md §6.1): the arguments the
 * vehicle service takes, and the `parameters` the command-execution resource echoes back.
 */
import { z } from 'zod';
import type { CommandArgs, CommandName } from '../../core/index.js';
import { ApiError } from '../errors/index.js';

export interface ParsedCommand<C extends CommandName> {
  args: CommandArgs[C];
  parameters: Record<string, unknown>;
}

type BodyReader<C extends CommandName> = (body: unknown) => ParsedCommand<C>;

/** `{data: {attributes: {...}}}`; other members of `data` (a JSON:API `type`) are allowed and ignored. */
const attributes = <T extends z.ZodRawShape>(shape: T) => z.object({ data: z.object({ attributes: z.object(shape) }) });

const percentBody = attributes({ percent: z.number().int().min(50).max(100) });
const destinationBody = attributes({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

/** The bodies the commands that take one expect, for the OpenAPI document. */
export const BODY_SCHEMAS: Partial<Record<CommandName, z.ZodType>> = { setChargeLimit: percentBody, sendDestination: destinationBody };

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new ApiError('VALIDATION', {
    detail: parsed.error.issues.map((issue) => ({ field: issue.path.map(String), message: issue.message })),
  });
}

// Bodiless commands ignore whatever body comes: Home Assistant sends none, other clients send `{}`.
const none = (): { args: Record<string, never>; parameters: Record<string, never> } => ({ args: {}, parameters: {} });

export const BODY_READERS: { readonly [C in CommandName]: BodyReader<C> } = {
  lock: none,
  unlock: none,
  startCharge: none,
  stopCharge: none,
  setChargeLimit: (body) => {
    const { percent } = parse(percentBody, body).data.attributes;
    return { args: { limit: percent / 100 }, parameters: { percent } };
  },
  sendDestination: (body) => {
    const { latitude, longitude } = parse(destinationBody, body).data.attributes;
    return { args: { latitude, longitude }, parameters: { latitude, longitude } };
  },
};
