/**
 * The simulator's catalog signals: each code a pure function of one look at the car (its snapshot
 * at the present, its record, its model and brand). A code without a function here is one the
 * simulator does not report (SMARTCAR_NOT_CAPABLE), whatever the brand.
 */
import { SIGNALS } from '../../core/index.js';
import type { SignalSupport, Support } from '../provider.js';
import type { BrandProfile, ModelSpec } from './catalog-types.js';
import { BODY_DERIVERS } from './derivers-body.js';
import { CAR_DERIVERS } from './derivers-car.js';
import { ENERGY_DERIVERS } from './derivers-energy.js';
import type { Deriver } from './signal-context.js';

export { SignalContext } from './signal-context.js';

export const DERIVERS: Readonly<Record<string, Deriver>> = { ...ENERGY_DERIVERS, ...BODY_DERIVERS, ...CAR_DERIVERS };

/**
 * Fixed attributes of the car (the catalog's static signals: VIN, trim, colour, pack size, …): the
 * platform's records and the car's seed answer them, never the car, so no wake-up and no quota.
 */
export const STATIC_CODES: ReadonlySet<string> = new Set(SIGNALS.filter((s) => s.static).map((s) => s.code));

/** Parts a model may lack although its powertrain could have them. */
function lacksHardware(code: string, spec: ModelSpec): boolean {
  switch (code) {
    case 'closure-sunroof': return !spec.hasSunroof;
    // A pickup has a tailgate where other cars have a trunk lid.
    case 'closure-tailgate': return !spec.hasTailgate;
    case 'closure-reartrunk': return Boolean(spec.hasTailgate);
    // Plug-in hybrids here charge on AC only.
    case 'charge-fastchargertype':
    case 'charge-isfastchargerpresent':
      return !spec.dcChargeKw;
    default: return false;
  }
}

const exposedBy = (brand: BrandProfile) => brand.signalCodes;

/** Every catalog code's support on this model: its hardware first, then the brand, then the simulator. */
export function signalSupport(brand: BrandProfile, spec: ModelSpec): SignalSupport {
  return Object.fromEntries(SIGNALS.map((signal): [string, Support] => {
    if (!signal.powertrains.includes(spec.powertrain) || lacksHardware(signal.code, spec)) return [signal.code, 'VEHICLE_NOT_CAPABLE'];
    const exposed = DERIVERS[signal.code] !== undefined && exposedBy(brand).has(signal.code);
    return [signal.code, exposed ? 'supported' : 'SMARTCAR_NOT_CAPABLE'];
  }));
}
