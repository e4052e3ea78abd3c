/**
 * Zod shapes of the simulator values that came with the v3 signals, for the control surfaces that
 * validate what a developer may set (the HTTP values body, the CLI): spread into their object schema.
 */
import { z } from 'zod';

const point = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).strict();

export const SIM_VALUES_V3_SHAPE = {
  hvac: z.object({
    isActive: z.boolean(),
    targetC: z.number().min(15).max(30),
    frontDefroster: z.boolean(),
    rearDefroster: z.boolean(),
    steeringHeater: z.boolean(),
  }).partial().strict(),
  sentry: z.boolean(),
  home: point,
};
