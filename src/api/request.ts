/** Parsing what every API request shares: unit system, query values as the SDKs send them. */
import type { FastifyRequest } from 'fastify';
import { UNIT_SYSTEMS, type UnitSystem } from '../core/index.js';
import { ApiError } from './errors/index.js';

export function unitSystemOf(request: FastifyRequest): UnitSystem {
  const raw = request.headers['sc-unit-system'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase();
  if (!value) return 'metric';
  if ((UNIT_SYSTEMS as readonly string[]).includes(value)) return value as UnitSystem;
  throw new ApiError('VALIDATION', { detail: [{ field: 'sc-unit-system', message: 'must be metric or imperial' }] });
}

/** Longer than any value a query parameter of the API takes (a scope list, a cursor, a VIN). */
export const MAX_QUERY_VALUE_LENGTH = 2048;

/**
 * One query parameter. SDKs repeat parameters (Java sends single_select twice) and the Node SDK
 * sends the literal `undefined` for an unset argument: the first value counts, `undefined` is absent.
 */
export function queryValue(request: FastifyRequest, ...names: string[]): string | undefined {
  const query = (request.query ?? {}) as Record<string, string | string[] | undefined>;
  for (const name of names) {
    const raw = query[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value.length > MAX_QUERY_VALUE_LENGTH) {
      throw new ApiError('VALIDATION', { detail: [{ field: name, message: `must be at most ${MAX_QUERY_VALUE_LENGTH} characters` }] });
    }
    if (value !== undefined && value !== '' && value !== 'undefined') return value;
  }
  return undefined;
}

export function boundedInt(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ApiError('VALIDATION', { detail: [{ field: name, message: `must be an integer from ${min} to ${max}` }] });
  }
  return value;
}

/** `limit`/`offset` paging as on /vehicles and /permissions. */
export function paging(
  query: (name: string) => string | undefined, defaultLimit: number, maxLimit: number,
): { limit: number; offset: number } {
  return {
    limit: boundedInt(query('limit'), 'limit', defaultLimit, 1, maxLimit),
    offset: boundedInt(query('offset'), 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
}
