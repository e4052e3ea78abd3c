/**
 * What each v2.0 GET endpoint answers (wire spec §3.4–3.17), by its vehicle-relative path, for the
 * OpenAPI document. Values are in the caller's `sc-unit-system`; a signal the car could not give
 * is null where the shape allows it.
 */
import { z } from 'zod';

const reading = z.number().nullable();
const opening = z.object({ type: z.string(), status: z.enum(['OPEN', 'CLOSED', 'UNKNOWN']) });
const paging = z.object({ count: z.number().int(), offset: z.number().int() });

export const READ_RESPONSES: Readonly<Record<string, z.ZodType>> = {
  '/': z.object({ id: z.string(), make: z.string(), model: z.string(), year: z.number().int() }),
  '/vin': z.object({ vin: z.string() }),
  '/permissions': z.object({ permissions: z.array(z.string()), paging }),
  '/odometer': z.object({ distance: z.number().describe('km, or miles when imperial') }),
  '/location': z.object({ latitude: z.number(), longitude: z.number() }),
  '/fuel': z.object({
    range: reading.describe('km, or miles when imperial'),
    percentRemaining: reading.describe('a fraction, 0 to 1'),
    amountRemaining: reading.describe('litres, or gallons when imperial'),
  }),
  '/battery': z.object({ range: reading, percentRemaining: reading.describe('a fraction, 0 to 1') }),
  '/battery/capacity': z.object({ capacity: reading.describe('usable kWh') }),
  '/battery/nominal_capacity': z.object({
    availableCapacities: z.array(z.object({ capacity: z.number(), description: z.string().nullable() })),
    capacity: z.object({ nominal: z.number(), source: z.string() }),
    url: z.null(),
  }),
  '/charge': z.object({ isPluggedIn: z.boolean(), state: z.enum(['CHARGING', 'FULLY_CHARGED', 'NOT_CHARGING']) }),
  '/charge/limit': z.object({ limit: reading.describe('a fraction, 0.5 to 1') }),
  '/tires/pressure': z.object({
    frontLeft: reading, frontRight: reading, backLeft: reading, backRight: reading,
  }).describe('kPa, or psi when imperial'),
  '/engine/oil': z.object({ lifeRemaining: reading.describe('a fraction, 0 to 1') }),
  '/security': z.object({
    isLocked: z.boolean(),
    doors: z.array(opening),
    windows: z.array(opening),
    sunroof: z.array(opening),
    storage: z.array(opening),
    chargingPort: z.array(opening),
  }),
  '/diagnostics/system_status': z.object({
    systems: z.array(z.object({ systemId: z.string(), status: z.enum(['OK', 'ALERT']), description: z.string().nullable() })),
  }),
  '/diagnostics/dtcs': z.object({ activeCodes: z.array(z.object({ code: z.string(), timestamp: z.string().nullable() })) }),
  '/service/history': z.array(z.object({
    serviceId: z.number().nullable(),
    serviceDate: z.string(),
    odometerDistance: reading,
    serviceTasks: z.array(z.object({ taskId: z.number().nullable(), taskDescription: z.string().nullable() })),
    serviceDetails: z.array(z.object({ type: z.string(), value: z.string().nullable() })),
    serviceCost: z.object({ totalCost: z.number().nullable(), currency: z.string().nullable() }).nullable(),
  })),
};
