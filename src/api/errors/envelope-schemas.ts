/** The error bodies as schemas for the OpenAPI documents: the v2 envelope (§5.1) and v3's (§5.4). */
import { z } from 'zod';

const RESOLUTION = z.object({
  type: z.enum(['RETRY_LATER', 'REAUTHENTICATE', 'CONTACT_SUPPORT', 'ACTION_REQUIRED', 'FINANCE']).nullable(),
});

const V2_FIELDS = {
  type: z.string().describe('The error category, e.g. VEHICLE_STATE.'),
  code: z.string().nullable().describe('The specific code; null for AUTHENTICATION, PERMISSION and VALIDATION.'),
  description: z.string(),
  docURL: z.string(),
  statusCode: z.number().int().describe('Equals the HTTP status.'),
  requestId: z.string().describe('Equals the sc-request-id header.'),
  resolution: RESOLUTION,
  suggestedUserMessage: z.string().optional(),
  detail: z.array(z.looseObject({
    field: z.union([z.string(), z.array(z.string())]).optional(),
    message: z.string(),
  })).optional(),
};

export const SmartcarErrorBody = z.object(V2_FIELDS).meta({
  id: 'SmartcarError',
  description: 'The Smartcar v2.0 error envelope; optional members are left out, never null.',
});

const V3_ERROR = z.object({
  status: z.string(),
  type: z.string(),
  code: z.string().nullable(),
  title: z.string(),
  detail: z.string(),
  resolution: RESOLUTION,
  suggestedUserMessage: z.string().optional(),
  meta: z.object({ debug: z.object({ requestId: z.string() }) }),
});

export const SmartcarV3ErrorBody = z.object({ errors: z.array(V3_ERROR).length(1), ...V2_FIELDS }).meta({
  id: 'SmartcarV3Error',
  description: 'The v3 error: the errors[] array beside the v2 envelope, so every SDK raises a typed error.',
});
