/**
 * The compatibility API's model: VIN decoding and each endpoint row's support, from the simulator's
 * catalog. The rows themselves are the Vehicle API's (api/compatibility builds them from its reads and commands).
 */
import {
  COMMAND_NAMES, SIGNAL_CODES, type CommandName, type Permission, type Powertrain,
} from '../core/index.js';
import {
  simulator, type CapabilityMatrix, type Support,
} from '../providers/index.js';

type BrandProfile = simulator.BrandProfile;
type ModelSpec = simulator.ModelSpec;
const { BRANDS, capabilityMatrix, modelsOf, modelYearCode } = simulator;

/** What the compatibility API reads of the catalog, so the API layer need not import providers. */
export const catalog = { brands: BRANDS, modelsOf, capabilityMatrix, isWellFormedVin: simulator.isWellFormedVin };
export type { BrandProfile as CatalogBrand, ModelSpec as CatalogModel };
// The catalog's capability rule is what the simulated vehicles obey; using it keeps both answers one answer.

export type Capability = 'supported' | 'VEHICLE_NOT_CAPABLE' | 'SMARTCAR_NOT_CAPABLE';

export interface EndpointRow {
  /** Vehicle-relative path; a GET and a POST on one path are two rows with different permissions. */
  path: string;
  permission: Permission;
  /** The compatibility matrix's name for it. */
  name: string;
  /** The catalog signals a read shows, and those it cannot answer without (all, or `any` one of them). */
  signals: readonly string[];
  required: readonly string[] | 'any';
  commands: readonly CommandName[];
}

/**
 * One answer from several: any supported part makes the whole capable (Smartcar's compatibility
 * API, too, leans towards false positives), and missing hardware is blamed only when every part lacks it.
 */
export function combine(supports: readonly Support[]): Capability {
  if (supports.includes('supported')) return 'supported';
  if (supports.length > 0 && supports.every((s) => s === 'VEHICLE_NOT_CAPABLE')) return 'VEHICLE_NOT_CAPABLE';
  return 'SMARTCAR_NOT_CAPABLE';
}

/** A read needs every required signal (the first missing one's reason is the row's); a command row any of its commands. */
export function rowSupport(matrix: CapabilityMatrix, row: EndpointRow): Capability {
  const signal = (code: string): Support => matrix.signals[code] ?? 'SMARTCAR_NOT_CAPABLE';
  if (row.commands.length > 0) return combine(row.commands.map((c) => matrix.commands[c]));
  if (row.required === 'any') return combine(row.signals.map(signal));
  const supports = row.required.map(signal);
  if (supports.every((s) => s === 'supported')) return 'supported';
  return supports.includes('VEHICLE_NOT_CAPABLE') ? 'VEHICLE_NOT_CAPABLE' : 'SMARTCAR_NOT_CAPABLE';
}

/** A VIN's brand, by its world manufacturer identifier (first three characters). */
const BRAND_BY_WMI = new Map(BRANDS.flatMap((brand) => brand.wmis.map((wmi) => [wmi, brand] as const)));

export function brandOfVin(vin: string): BrandProfile | undefined {
  return BRAND_BY_WMI.get(vin.slice(0, 3).toUpperCase());
}

const FIRST_CYCLE_YEAR = 1980;
const YEAR_CODE_OFFSET = new Map(Array.from({ length: 30 }, (_, i) => [modelYearCode(FIRST_CYCLE_YEAR + i), i] as const));

/**
 * Position 10's model year. Codes repeat every 30 years; the latest cycle not beyond next year's
 * models is taken (outside North America position 7 does not tell the cycles apart).
 */
export function modelYearOf(vin: string, now: Date): number | undefined {
  const offset = YEAR_CODE_OFFSET.get(vin.charAt(9).toUpperCase());
  if (offset === undefined) return undefined;
  const latest = now.getUTCFullYear() + 1;
  const cycles = Math.floor((latest - FIRST_CYCLE_YEAR - offset) / 30);
  return cycles < 0 ? undefined : FIRST_CYCLE_YEAR + offset + cycles * 30;
}

/**
 * The brand's models a VIN can be: those built in its model year, or, when the catalog has none
 * of that year, every model of the brand (the brand profile is then the best answer there is).
 */
export function candidateModels(brand: BrandProfile, year: number | undefined): readonly ModelSpec[] {
  const all = modelsOf(brand.make);
  const ofYear = all.filter((m) => year !== undefined && m.years[0] <= year && year <= m.years[1]);
  return ofYear.length > 0 ? ofYear : all;
}

/** Capable when any candidate model is: a VIN alone does not tell a brand's powertrains apart. */
export function brandSupport(brand: BrandProfile, models: readonly ModelSpec[], row: EndpointRow): Capability {
  return combine(models.map((spec) => rowSupport(capabilityMatrix(brand, spec), row)));
}

/** Test mode's made-up vehicle: a brand exposing everything, so only the powertrain's hardware decides. */
const TEST_BRAND: BrandProfile = {
  make: 'SMARTCAR',
  displayName: 'Smartcar test vehicle',
  countries: [],
  wmis: [],
  signalCodes: new Set(SIGNAL_CODES),
  commands: new Set(COMMAND_NAMES),
  quirks: { sleepAfterMinutes: 0, commandLatencyMs: [0, 0], upstreamRequestsPerDay: 0, reportIntervalSeconds: 0 },
};

export function testVehicleMatrix(powertrain: Powertrain): CapabilityMatrix {
  const spec: ModelSpec = { make: TEST_BRAND.make, model: powertrain, years: [FIRST_CYCLE_YEAR, FIRST_CYCLE_YEAR], powertrain, tirePlacardKpa: 0, hasSunroof: false };
  return capabilityMatrix(TEST_BRAND, spec);
}

// EU member states, the rest of the EEA, the UK and Switzerland.
const EUROPE = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO', 'GB', 'CH',
]);

export const REGIONS: Readonly<Record<string, (country: string) => boolean>> = {
  US: (country) => country === 'US',
  CA: (country) => country === 'CA',
  EUROPE: (country) => EUROPE.has(country),
};
