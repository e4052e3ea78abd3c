/**
 * Charge signals from the OVMS charge metrics (`v.c.*`, metrics_standard.h), in the catalog's
 * units: `v.c.power` is kW in the firmware and watts in the catalog; the rest keep their unit.
 */
import { UpstreamError, VehicleStateError, type SignalBody } from '../../core/index.js';
import type { MetricReader } from './metrics.js';

export type Mapper = (r: MetricReader) => SignalBody;

/** `v.c.state` values that mean energy is flowing into the pack (topoff: the slow final phase). */
const CHARGING_STATES = new Set(['charging', 'topoff', 'heating']);

export type ChargeStatus = 'CHARGING' | 'NOT_CHARGING' | 'FULLY_CHARGED';

/** From `v.c.state` and `v.c.charging`; either is enough (modules publish one or both). */
export function chargeStatus(r: MetricReader): ChargeStatus {
  const state = r.optionalText('v.c.state')?.toLowerCase();
  const charging = r.optionalBoolean('v.c.charging');
  if (state === undefined && charging === undefined) r.missing('v.c.state');
  if (charging === true || (state !== undefined && CHARGING_STATES.has(state))) return 'CHARGING';
  return state === 'done' ? 'FULLY_CHARGED' : 'NOT_CHARGING';
}

/** A charger's current and power are magnitudes: some modules sign them as the pack's current (into it negative). */
const measure = (value: number, unit: string) => ({ value: Math.abs(value), unit });

/**
 * `v.c.type` (lower-cased: modules write `CHAdeMO`, `Type2`) as the connector the car is using,
 * and the fast (DC) charger standard where it is one. The connector names follow the reference's
 * example (`J1772`, `CCS`); the others are written the same way.
 */
const CONNECTIONS: Readonly<Record<string, { connector: string; fastCharger?: string }>> = {
  type1: { connector: 'J1772' },
  type2: { connector: 'TYPE_2' },
  ccs: { connector: 'CCS', fastCharger: 'CCS' },
  chademo: { connector: 'CHADEMO', fastCharger: 'CHADEMO' },
  roadster: { connector: 'TESLA_ROADSTER' },
  teslaus: { connector: 'NACS' },
  supercharger: { connector: 'NACS', fastCharger: 'SUPERCHARGER' },
};

function connection(r: MetricReader) {
  const type = r.text('v.c.type').toLowerCase();
  const known = Object.hasOwn(CONNECTIONS, type) ? CONNECTIONS[type] : undefined;
  // `undefined` is the firmware's own word for "no connection type known".
  if (!known) throw new UpstreamError('INVALID_DATA', 'the OVMS module does not say which connector the car is using (v.c.type)');
  return known;
}

/**
 * The charge target: `v.c.limit.soc`, the module's "sufficient SOC" at which the charge stops.
 * 0 means none is set, so the charge runs to full: no limit listed and 100 % active.
 */
function chargeLimit(r: MetricReader): number | null {
  const limit = Math.min(100, r.number('v.c.limit.soc'));
  return limit > 0 ? limit : null;
}

export const CHARGE_MAPPERS: Readonly<Record<string, Mapper>> = {
  'charge-ischargingcableconnected': (r) => ({ value: r.boolean('v.c.pilot') }),
  'charge-ischarging': (r) => ({ value: chargeStatus(r) === 'CHARGING' }),
  'charge-detailedchargingstatus': (r) => ({ value: chargeStatus(r) }),
  'charge-ischargingportflapopen': (r) => ({ value: r.boolean('v.d.cp') }),
  'charge-voltage': (r) => measure(r.number('v.c.voltage'), 'volts'),
  'charge-amperage': (r) => measure(r.number('v.c.current'), 'ampere'),
  // "Maximum charger output current": what the charging station offers, or the owner's limit on it.
  'charge-amperagemax': (r) => measure(r.number('v.c.climit'), 'ampere'),
  'charge-wattage': (r) => measure(Math.round(r.number('v.c.power') * 10_000) / 10, 'watts'),
  'charge-energyadded': (r) => ({ value: r.number('v.c.kwh'), unit: 'kWh' }),
  // Range gained per hour (the firmware's `v.b.range.speed`, negative while it is being spent).
  'charge-chargerate': (r) => ({ value: Math.max(0, r.number('v.b.range.speed')), unit: 'km/h' }),
  /**
   * Minutes to the active limit: to the module's sufficient SOC when one is set and it estimates
   * the time to it (`v.c.duration.soc`), otherwise to full (`v.c.duration.full`).
   */
  'charge-timetocomplete': (r) => {
    const limit = r.optionalNumber('v.c.limit.soc');
    const toLimit = limit !== undefined && limit > 0 ? r.optionalNumber('v.c.duration.soc') : undefined;
    return { value: toLimit ?? r.number('v.c.duration.full'), unit: 'minutes' };
  },
  'charge-chargelimits': (r) => {
    const limit = chargeLimit(r);
    return {
      values: limit === null ? [] : [{ type: 'GLOBAL', limit, condition: null }],
      activeLimit: limit ?? 100,
      unit: 'percent',
    };
  },
  'charge-activelimit': (r) => ({ value: chargeLimit(r) ?? 100, unit: 'percent' }),
  'charge-chargingconnectortype': (r) => ({ value: connection(r).connector }),
  'charge-isfastchargerpresent': (r) => ({ value: r.boolean('v.c.pilot') && connection(r).fastCharger !== undefined }),
  'charge-fastchargertype': (r) => {
    if (!r.boolean('v.c.pilot')) throw new VehicleStateError('CHARGING_PLUG_NOT_CONNECTED');
    const { fastCharger } = connection(r);
    if (fastCharger === undefined) throw new VehicleStateError('UNKNOWN', 'the car is not connected to a fast charger');
    return { value: fastCharger };
  },
};
