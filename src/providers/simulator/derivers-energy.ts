/** Charge, TractionBattery, InternalCombustionEngine and LowVoltageBattery signals. */
import type { SignalBody } from '../../core/index.js';
import { timerDays } from './car-identity.js';
import type { ModelSpec } from './catalog-types.js';
import * as derive from './derive.js';
import { temperatureFactor } from './physics/consumption.js';
import { ambientOf, homeOf, lvSocOf } from './physics/environment.js';
import { measure, percent, round, type Deriver, type SignalContext } from './signal-context.js';

/** Tesla's "ideal" range assumes gentler driving than the rated figure: about 8 % more. */
const IDEAL_OVER_RATED = 1.08;
/** The traction battery heats itself when charging below this, °C. */
const PACK_HEATING_BELOW_C = 5;
/** Electricity prices for charge records, per kWh from the grid: at home, and at a public fast charger. */
const PRICES: Readonly<Record<string, { currency: string; home: number; public: number }>> = {
  US: { currency: 'USD', home: 0.17, public: 0.48 },
  CA: { currency: 'CAD', home: 0.14, public: 0.55 },
};
const EURO_PRICES = { currency: 'EUR', home: 0.35, public: 0.59 };
const GRID_EFFICIENCY = 0.9;

/** A model's packs never change: one body per model. */
const NOMINAL_CAPACITY = new WeakMap<ModelSpec, SignalBody>();

function nominalCapacity(spec: ModelSpec): SignalBody {
  let body = NOMINAL_CAPACITY.get(spec);
  if (!body) {
    const { available, nominal } = derive.nominalCapacity(spec);
    // Shared by every read of the model, so frozen.
    body = Object.freeze({
      source: nominal?.source ?? 'SMARTCAR',
      capacity: nominal?.capacityKwh ?? spec.batteryKwh ?? 0,
      availableCapacities: Object.freeze(available.map((a) => Object.freeze({ capacity: a.capacityKwh, description: a.description }))),
      unit: 'kWh',
    });
    NOMINAL_CAPACITY.set(spec, body);
  }
  return body;
}

function ranges({ s, spec }: SignalContext) {
  const rated = derive.battery(s, spec).rangeKm ?? 0;
  return {
    rated,
    ideal: round(rated * IDEAL_OVER_RATED, 1),
    // What recent driving predicts: the weather's cost on consumption (physics/consumption.ts).
    estimated: round(rated / temperatureFactor(ambientOf(s)), 1),
  };
}

function chargeTimers(c: SignalContext) {
  const timer = c.identity.chargeTimer;
  if (!timer) return { values: [] };
  const home = homeOf(c.s);
  return {
    values: [{
      type: timer.atHomeOnly ? 'LOCATION' : 'GLOBAL',
      condition: timer.atHomeOnly
        ? { name: 'Home', address: null, latitude: home.latitude, longitude: home.longitude, connectorType: c.plugs.ac }
        : null,
      schedules: [{ start: timer.start, end: timer.end, days: [...timer.days] }],
      departureTimers: timer.departure ? [{ days: [...timerDays.WORKDAYS], time: timer.departure }] : [],
      isOEMOptimizationEnabled: timer.isOEMOptimizationEnabled,
    }],
  };
}

function chargeRecords(c: SignalContext) {
  const prices = PRICES[c.homeCity.country] ?? EURO_PRICES;
  return {
    values: (c.s.chargeRecords ?? []).map((r) => {
      const isPublicCharger = r.dc || !r.atHome;
      return {
        id: `charge-${Date.parse(r.startedAt).toString(36)}`,
        cost: {
          currency: prices.currency,
          energyAmount: round((r.energyKwh / GRID_EFFICIENCY) * (isPublicCharger ? prices.public : prices.home), 2),
          otherAmount: null,
        },
        startTime: r.startedAt,
        endTime: r.endedAt,
        location: { name: r.atHome ? 'Home' : null, address: null, latitude: r.location.latitude, longitude: r.location.longitude },
        energyAdded: round(r.energyKwh, 2),
        connectorType: r.dc ? (c.plugs.dc ?? c.plugs.ac) : c.plugs.ac,
        isPublicCharger,
        startStateOfCharge: percent(r.startSoc),
        endStateOfCharge: percent(r.endSoc),
      };
    }),
  };
}

export const ENERGY_DERIVERS: Readonly<Record<string, Deriver>> = {
  'charge-amperage': (c) => measure(c.charge.amperage, 'ampere'),
  'charge-amperagemax': (c) => measure(c.charge.amperageMax, 'ampere'),
  'charge-amperagerequested': (c) => measure(c.charge.amperageRequested, 'ampere'),
  'charge-chargelimits': ({ s }) => ({
    values: [{ type: 'GLOBAL', limit: percent(s.chargeLimit), condition: null }],
    activeLimit: percent(s.chargeLimit),
    unit: 'percent',
  }),
  'charge-activelimit': ({ s }) => measure(percent(s.chargeLimit), 'percent'),
  'charge-chargeportstatuscolor': (c) => ({ value: c.charge.portStatusColor }),
  'charge-chargerate': (c) => measure(c.charge.rateKmh, 'km/h'),
  'charge-chargerecords': chargeRecords,
  'charge-chargetimers': chargeTimers,
  'charge-chargerphases': (c) => measure(c.charge.phases, 'count'),
  'charge-chargingconnectortype': (c) => ({ value: c.charge.connectorType }),
  'charge-detailedchargingstatus': ({ s }) => ({ value: derive.chargeState(s) }),
  'charge-energyadded': (c) => measure(c.charge.energyAddedKwh, 'kWh'),
  'charge-fastchargertype': (c) => ({ value: c.plugs.dc ?? c.plugs.ac }),
  'charge-ischarging': ({ s }) => ({ value: derive.chargeState(s) === 'CHARGING' }),
  'charge-ischargingcableconnected': ({ s }) => ({ value: s.isPluggedIn }),
  'charge-ischargingcablelatched': ({ s }) => ({ value: s.isPluggedIn }),
  'charge-ischargingportflapopen': ({ s }) => ({ value: s.isPluggedIn || s.chargingPort === 'OPEN' }),
  'charge-isfastchargerpresent': (c) => ({ value: c.charge.isFastChargerPresent }),
  'charge-timetocomplete': (c) => measure(c.charge.timeToCompleteMinutes, 'minutes'),
  'charge-voltage': (c) => measure(c.charge.voltage, 'volts'),
  'charge-wattage': (c) => measure(c.charge.wattage, 'watts'),

  // Whole percent, as carmakers report it (and v2.0's two-decimal fraction).
  'tractionbattery-stateofcharge': ({ s }) => measure(Math.round((s.soc ?? 0) * 100), 'percent'),
  'tractionbattery-range': (c) => {
    const r = ranges(c);
    const detailed = c.exposes('tractionbattery-ratedrange');
    return {
      value: r.rated, unit: 'km',
      additionalValues: detailed
        ? [{ type: 'RATED', value: r.rated }, { type: 'IDEAL_CONDITIONS', value: r.ideal }, { type: 'ESTIMATED', value: r.estimated }]
        : [],
    };
  },
  'tractionbattery-ratedrange': (c) => measure(ranges(c).rated, 'km'),
  'tractionbattery-idealrange': (c) => measure(ranges(c).ideal, 'km'),
  'tractionbattery-estimatedrange': (c) => measure(ranges(c).estimated, 'km'),
  'tractionbattery-nominalcapacity': ({ spec }) => nominalCapacity(spec),
  'tractionbattery-usablecapacity': ({ spec }) => measure(spec.batteryKwh ?? 0, 'kWh'),
  'tractionbattery-isheateractive': ({ s }) => ({
    value: derive.chargeState(s) === 'CHARGING' && ambientOf(s) < PACK_HEATING_BELOW_C,
  }),
  'tractionbattery-maxrangechargecounter': (c) => measure(c.identity.maxRangeChargesBefore + (c.s.maxRangeCharges ?? 0), 'count'),

  'internalcombustionengine-oillife': ({ s }) => measure(percent(s.oilLife ?? 0), 'percent'),
  'internalcombustionengine-fuellevel': ({ s }) => measure(Math.round((s.fuelLevel ?? 0) * 100), 'percent'),
  'internalcombustionengine-range': ({ s, spec }) => measure(derive.fuel(s, spec).rangeKm ?? 0, 'km'),
  'internalcombustionengine-amountremaining': ({ s, spec }) => measure(derive.fuel(s, spec).amountLiters ?? 0, 'liters'),

  'lowvoltagebattery-stateofcharge': ({ s }) => measure(percent(lvSocOf(s)), 'percent'),
  'lowvoltagebattery-status': ({ s }) => {
    const soc = lvSocOf(s);
    return { value: soc >= 0.5 ? 'GOOD' : soc >= 0.3 ? 'WARN' : 'BAD' };
  },
};
