/** What the Vehicle API's operation descriptions share: their documents' error bodies, headers and answers. */
import { z } from 'zod';
import type { ApiOperation } from '../core/index.js';
import { SmartcarErrorBody, SmartcarV3ErrorBody } from './errors/index.js';

type Described = Omit<ApiOperation, 'document' | 'errorBody'>;

/** An operation of the Smartcar v2.0 document, refused in the v2 envelope. */
export function v2Operation(operation: Described): ApiOperation {
  return { document: 'v2', errorBody: SmartcarErrorBody, ...operation };
}

/** An operation of the v3 document, refused in the v3 error body. */
export function v3Operation(operation: Described): ApiOperation {
  return { document: 'v3', errorBody: SmartcarV3ErrorBody, ...operation };
}

/** An operation of the management document (its paths are v2.0's, so are its errors). */
export function managementOperation(operation: Described): ApiOperation {
  return { document: 'management', errorBody: SmartcarErrorBody, ...operation };
}

/** The failures any request about one vehicle may meet (wire spec §5.2). */
export const VEHICLE_ERRORS = [400, 401, 403, 404, 409, 429, 430, 500, 501, 502] as const;

/** The units the caller wants its values in. */
export const UNIT_SYSTEM_HEADER = z.object({
  'sc-unit-system': z.enum(['metric', 'imperial']).optional().describe('Units of the answer; metric unless imperial is asked for.'),
});

/** Headers on an answer read from the car (wire spec §4.2). */
export const DATA_HEADERS = {
  'sc-data-age': 'When the car last reported the data, ISO 8601.',
  'sc-fetched-at': 'When carport fetched it, ISO 8601.',
  'sc-unit-system': 'The unit system of the values.',
};

export const StatusSuccess = z.object({ status: z.literal('success') });
export const CommandSent = z.object({ status: z.literal('success'), message: z.string() });

export const PAGING_QUERY = (defaultLimit: number, maxLimit: number) => z.object({
  limit: z.number().int().min(1).max(maxLimit).optional().describe(`Page size, ${defaultLimit} unless given.`),
  offset: z.number().int().min(0).optional(),
});
