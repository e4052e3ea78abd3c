/**
 * Who the car is, from what its module says: `v.vin` and the vehicle module type `v.type`. Modules
 * that do not know their VIN (some vehicle types never read it) are named by their vehicle id.
 */
import type { LiveVehicle } from '../provider.js';

/** OVMS vehicle module type codes (`vehicle module <code>`) of common modules; others show as the code. */
const MODULE_TYPES: Readonly<Record<string, { make: string; model: string }>> = {
  NL: { make: 'NISSAN', model: 'Leaf' },
  RT: { make: 'RENAULT', model: 'Twizy' },
  TR: { make: 'TESLA', model: 'Roadster' },
  KS: { make: 'KIA', model: 'Soul EV' },
  VWUP: { make: 'VOLKSWAGEN', model: 'e-Up' },
};

const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';

/** VIN position 10, the latest 30-year cycle not beyond next year's models. */
function modelYear(vin: string, now: Date): number | undefined {
  const offset = YEAR_CODES.indexOf(vin.charAt(9));
  if (vin.length !== 17 || offset < 0) return undefined;
  const latest = now.getUTCFullYear() + 1;
  return 1980 + offset + Math.floor((latest - 1980 - offset) / 30) * 30;
}

export function identify(metrics: ReadonlyMap<string, string>, vehicleId: string, now: Date): Omit<LiveVehicle, 'providerState'> {
  const reportedVin = metrics.get('v.vin')?.trim().toUpperCase() ?? '';
  const vin = /^[A-Z0-9]{17}$/.test(reportedVin) ? reportedVin : vehicleId.toUpperCase();
  const type = metrics.get('v.type')?.trim() ?? '';
  const known = MODULE_TYPES[type.toUpperCase()];
  return {
    vin,
    make: known?.make ?? 'OVMS',
    model: known?.model ?? (type || 'OVMS vehicle'),
    year: modelYear(vin, now) ?? now.getUTCFullYear(),
    powertrain: 'BEV',
  };
}
