/** The compatibility API (spec §8.3): by VIN and the matrix by region, answered from the simulator's catalog. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseScope, PERMISSIONS, systemClock, type Clock, type Permission, type Powertrain } from '../core/index.js';
import type { AppService } from '../oauth/index.js';
import {
  brandOfVin, brandSupport, candidateModels, catalog, modelYearOf, REGIONS, rowSupport, testVehicleMatrix,
  type Capability, type CatalogBrand, type CatalogModel, type EndpointRow,
} from '../vehicles/index.js';
import { COMMANDS, type ApiOperation } from '../core/index.js';
import { ApiError } from './errors/index.js';
import { READ_ENDPOINTS } from './read-endpoints.js';
import { COMMAND_ROUTES } from './vehicle-commands.js';
import { v2Operation } from './openapi-parts.js';
import { queryValue } from './request.js';

/** Every endpoint the Vehicle API serves, GETs in READ_ENDPOINTS order, then the POST commands. */
export const ENDPOINTS: readonly EndpointRow[] = [
  ...READ_ENDPOINTS.flatMap((e) => (e.name !== null && e.permission !== null
    ? [{ path: e.path, permission: e.permission, name: e.name, signals: e.signals, required: e.required, commands: [] }] : [])),
  ...COMMAND_ROUTES.map((r) => ({
    path: r.path, permission: COMMANDS[r.commands[0]].permission, name: r.name, signals: [], required: [], commands: r.commands,
  })),
];

const MODES = ['live', 'simulated', 'test'];
const TEST_LEVELS = ['compatible', 'phev', 'incompatible', 'fuel', 'dinosaur', 'bev'] as const;
type TestLevel = (typeof TEST_LEVELS)[number];
const POWERTRAINS: readonly Powertrain[] = ['ICE', 'BEV', 'PHEV', 'HEV'];

type Reason = 'VEHICLE_NOT_COMPATIBLE' | 'MAKE_NOT_COMPATIBLE';

interface CapabilityRow {
  capable: boolean;
  endpoint: string;
  permission: Permission;
  reason: Exclude<Capability, 'supported'> | null;
}

interface Compatibility {
  compatible: boolean;
  reason: Reason | null;
  capabilities: CapabilityRow[];
}

function invalid(field: string, message: string): ApiError {
  return new ApiError('VALIDATION', { detail: [{ field, message }] });
}

/** Basic client_id:client_secret of a registered app; every failure is the v2 AUTHENTICATION envelope. */
async function authenticateApp(apps: AppService, request: FastifyRequest): Promise<void> {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(request.headers.authorization ?? '');
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const app = colon > 0 && colon < decoded.length - 1
    ? await apps.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1))
    : undefined;
  if (!app) throw new ApiError('AUTHENTICATION', { challenge: 'Basic' });
}

function modeOf(request: FastifyRequest): string {
  const mode = queryValue(request, 'mode')?.toLowerCase();
  if (mode !== undefined && !MODES.includes(mode)) throw invalid('mode', 'Field must be one of: [live,simulated,test]');
  // The SDKs force mode=test with a level; a bare level can only mean test mode too.
  return mode ?? (queryValue(request, 'test_mode_compatibility_level') ? 'test' : 'live');
}

function permissionsOf(raw: string | undefined): Permission[] | undefined {
  if (raw === undefined) return undefined;
  const { permissions, unknown } = parseScope(raw);
  if (unknown.length > 0) throw invalid('scope', `Unknown permission(s): ${unknown.join(', ')}`);
  return permissions.length > 0 ? permissions : undefined;
}

/** Rows in the order of the requested permissions, each (endpoint, permission) pair once. */
function capabilities(permissions: readonly Permission[], support: (row: EndpointRow) => Capability): CapabilityRow[] {
  return permissions.flatMap((permission) => ENDPOINTS.filter((row) => row.permission === permission).map((row) => {
    const capability = support(row);
    return {
      capable: capability === 'supported',
      endpoint: row.path,
      permission,
      reason: capability === 'supported' ? null : capability,
    };
  }));
}

function notCompatible(reason: Reason): Compatibility {
  return { compatible: false, reason, capabilities: [] };
}

const LEVEL_POWERTRAIN: Readonly<Record<Exclude<TestLevel, 'incompatible' | 'dinosaur'>, Powertrain>> = {
  compatible: 'PHEV', phev: 'PHEV', bev: 'BEV', fuel: 'ICE',
};

/**
 * Test mode answers by level, whatever the VIN. A plug-in hybrid has every part, so it stands for
 * "compatible". Of the two refusals, a dinosaur is a car too old to be connected (the vehicle's
 * fault), which leaves "incompatible" with the make's reason.
 */
function testModeAnswer(level: TestLevel, permissions: readonly Permission[]): Compatibility {
  if (level === 'dinosaur') return notCompatible('VEHICLE_NOT_COMPATIBLE');
  if (level === 'incompatible') return notCompatible('MAKE_NOT_COMPATIBLE');
  const matrix = testVehicleMatrix(LEVEL_POWERTRAIN[level]);
  return { compatible: true, reason: null, capabilities: capabilities(permissions, (row) => rowSupport(matrix, row)) };
}

function testLevelOf(request: FastifyRequest): TestLevel {
  const level = queryValue(request, 'test_mode_compatibility_level')?.toLowerCase();
  if (!TEST_LEVELS.includes(level as TestLevel)) {
    throw invalid('test_mode_compatibility_level', `Field must be one of: [${TEST_LEVELS.join(',')}]`);
  }
  return level as TestLevel;
}

function byVin(request: FastifyRequest, now: Date): Compatibility {
  const mode = modeOf(request);
  const level = mode === 'test' ? testLevelOf(request) : undefined;
  const vin = queryValue(request, 'vin')?.trim().toUpperCase();
  // Test-mode VINs are any 17 characters (Smartcar's own include I and O); others must be real VINs.
  const wellFormed = vin !== undefined && (level ? /^[A-Z0-9]{17}$/.test(vin) : catalog.isWellFormedVin(vin));
  if (!wellFormed) throw invalid('vin', 'Field must be a 17-character VIN');
  const permissions = permissionsOf(queryValue(request, 'scope'));
  if (!permissions) throw invalid('scope', 'Field is required: a space-separated list of permissions');
  const country = (queryValue(request, 'country') ?? 'US').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw invalid('country', 'Field must be an ISO 3166-1 alpha-2 country code');

  if (level) return testModeAnswer(level, permissions);
  const brand = brandOfVin(vin);
  // Smartcar's MAKE_NOT_COMPATIBLE means "not compatible with this make in the country you specified".
  if (!brand || !brand.countries.includes(country)) return notCompatible('MAKE_NOT_COMPATIBLE');
  const models = candidateModels(brand, modelYearOf(vin, now));
  return { compatible: true, reason: null, capabilities: capabilities(permissions, (row) => brandSupport(brand, models, row)) };
}

interface MatrixEntry {
  model: string;
  startYear: number;
  endYear: number;
  type: Powertrain;
  endpoints: string[];
  permissions: Permission[];
}

/** Endpoints by name, alphabetically as Smartcar lists them; permissions in the order their endpoints come. */
function matrixEntry(brand: CatalogBrand, spec: CatalogModel, wanted: ReadonlySet<Permission>): MatrixEntry {
  const matrix = catalog.capabilityMatrix(brand, spec);
  const rows = ENDPOINTS
    .filter((row) => wanted.has(row.permission) && rowSupport(matrix, row) === 'supported')
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return {
    model: spec.model,
    startYear: spec.years[0],
    endYear: spec.years[1],
    type: spec.powertrain,
    endpoints: [...new Set(rows.map((row) => row.name))],
    permissions: [...new Set(rows.map((row) => row.permission))],
  };
}

function oneOf<T extends string>(raw: string | undefined, values: readonly T[], field: string): T | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toUpperCase() as T;
  if (!values.includes(value)) throw invalid(field, `Field must be one of: [${values.join(',')}]`);
  return value;
}

function matrix(request: FastifyRequest): Record<string, MatrixEntry[]> {
  modeOf(request); // validated only: every mode is served by the same catalog
  const region = oneOf(queryValue(request, 'region'), Object.keys(REGIONS), 'region');
  if (!region) throw invalid('region', `Field is required, one of: [${Object.keys(REGIONS).join(',')}]`);
  const type = oneOf(queryValue(request, 'type'), POWERTRAINS, 'type');
  // Makes are matched case-insensitively, with `_` for `-` as in MERCEDES_BENZ.
  const makes = queryValue(request, 'make')?.split(/[\s+,]+/).filter(Boolean).map((m) => m.toUpperCase().replace(/_/g, '-'));
  const wanted = new Set(permissionsOf(queryValue(request, 'scope')) ?? PERMISSIONS);
  const inRegion = REGIONS[region]!;

  const result: Record<string, MatrixEntry[]> = {};
  for (const brand of catalog.brands) {
    if (!brand.countries.some(inRegion) || (makes && !makes.includes(brand.make))) continue;
    const entries = catalog.modelsOf(brand.make)
      .filter((spec) => type === undefined || spec.powertrain === type)
      .map((spec) => matrixEntry(brand, spec, wanted))
      .filter((entry) => entry.permissions.length > 0);
    if (entries.length > 0) result[brand.make] = entries;
  }
  return result;
}

const MODE_QUERY = z.enum(['live', 'simulated', 'test']).optional().describe('live unless test_mode_compatibility_level is given.');

export const openapi: readonly ApiOperation[] = [
  v2Operation({
    method: 'get', path: '/v2.0/compatibility', tag: 'Compatibility', summary: 'Whether a VIN can give the permissions asked for',
    credentials: ['clientCredentials'],
    query: z.object({
      vin: z.string().length(17),
      scope: z.string().max(2048).describe('Space-separated permissions.'),
      country: z.string().length(2).optional().describe('ISO 3166-1 alpha-2; US unless given.'),
      mode: MODE_QUERY,
      test_mode_compatibility_level: z.enum(TEST_LEVELS).optional(),
    }),
    responses: {
      200: {
        description: 'The answer, with one row per endpoint of each permission asked for.',
        body: z.object({
          compatible: z.boolean(),
          reason: z.enum(['VEHICLE_NOT_COMPATIBLE', 'MAKE_NOT_COMPATIBLE']).nullable(),
          capabilities: z.array(z.object({
            capable: z.boolean(), endpoint: z.string(), permission: z.string(), reason: z.string().nullable(),
          })),
        }),
      },
    },
    errors: [400, 401, 429, 500],
  }),
  v2Operation({
    method: 'get', path: '/v2.0/compatibility/matrix', tag: 'Compatibility', summary: 'Which models of a region support what',
    credentials: ['clientCredentials'],
    query: z.object({
      region: z.enum(Object.keys(REGIONS) as [string, ...string[]]),
      type: z.enum(POWERTRAINS as [Powertrain, ...Powertrain[]]).optional(),
      make: z.string().max(2048).optional().describe('Makes, separated by spaces or commas.'),
      scope: z.string().max(2048).optional().describe('Space-separated permissions; all unless given.'),
      mode: MODE_QUERY,
    }),
    responses: {
      200: {
        description: 'Models by make.',
        body: z.record(z.string(), z.array(z.object({
          model: z.string(), startYear: z.number().int(), endYear: z.number().int(), type: z.enum(POWERTRAINS as [Powertrain, ...Powertrain[]]),
          endpoints: z.array(z.string()), permissions: z.array(z.string()),
        }))),
      },
    },
    errors: [400, 401, 429, 500],
  }),
];

export function registerCompatibility(app: FastifyInstance, apps: AppService, clock: Clock = systemClock): void {
  app.get('/v2.0/compatibility', async (request) => {
    await authenticateApp(apps, request);
    return byVin(request, clock.now());
  });
  app.get('/v2.0/compatibility/matrix', async (request) => {
    await authenticateApp(apps, request);
    return matrix(request);
  });
}
