/** `carport sim set` flags, each checked, as simulator values. */
import type { simulator } from '../providers/index.js';

function fraction(name: string, value: unknown, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= min && n <= 1)) throw new Error(`--${name} must be a number from ${min} to 1`);
  return n;
}

/** The `sim set` flags as simulator values, each checked. */
export function simValues(opts: Record<string, string | number | undefined>): simulator.SimValues {
  const values: simulator.SimValues = {};
  const soc = fraction('soc', opts.soc);
  const fuel = fraction('fuel', opts.fuel);
  const limit = fraction('charge-limit', opts.chargeLimit, 0.5);
  if (soc !== undefined) values.soc = soc;
  if (fuel !== undefined) values.fuelLevel = fuel;
  if (limit !== undefined) values.chargeLimit = limit;
  if (opts.plugged !== undefined) {
    if (!['yes', 'no'].includes(String(opts.plugged))) throw new Error('--plugged is yes or no');
    const charger = /^(\d+(?:\.\d+)?)(dc)?$/i.exec(String(opts.charger));
    if (!charger) throw new Error('--charger is a power in kW, with "dc" for a fast charger: 11, 150dc');
    values.isPluggedIn = opts.plugged === 'yes';
    values.charger = values.isPluggedIn ? { powerKw: Number(charger[1]), dc: Boolean(charger[2]) } : null;
  }
  if (opts.ambient !== undefined) {
    if (!(Number(opts.ambient) >= -50 && Number(opts.ambient) <= 60)) throw new Error('--ambient must be from -50 to 60 °C');
    values.ambientC = Number(opts.ambient);
  }
  if (opts.realism !== undefined) {
    if (!['on', 'off'].includes(String(opts.realism))) throw new Error('--realism is on or off');
    values.realism = opts.realism === 'on';
  }
  if (Object.keys(values).length === 0) throw new Error('nothing to set: see carport sim set --help');
  return values;
}
