/** Catalog signals from OVMS standard metrics (metrics_standard.h), each with the metrics it was made of. */
import type { SignalBody } from '../../core/index.js';
import * as derive from './readers.js';
import type { Metrics } from './metrics.js';

export const OVMS_SIGNALS: Readonly<Record<string, (m: Metrics) => derive.Derived<SignalBody>>> = {
  'odometer-traveleddistance': (m) => {
    const { value, from } = derive.odometer(m);
    return { value: { value: value.distanceKm, unit: 'km' }, from };
  },
  'tractionbattery-stateofcharge': (m) => {
    const { value, from } = derive.battery(m);
    return { value: { value: Math.round(value.percentRemaining * 10_000) / 100, unit: 'percent' }, from };
  },
  'charge-ischargingcableconnected': (m) => {
    const { value, from } = derive.charge(m);
    return { value: { value: value.isPluggedIn }, from };
  },
  'charge-detailedchargingstatus': (m) => {
    const { value, from } = derive.charge(m);
    return { value: { value: value.state }, from };
  },
  'location-preciselocation': (m) => derive.location(m),
  'closure-islocked': (m) => {
    const { value, from } = derive.lockStatus(m);
    return { value: { value: value.isLocked }, from };
  },
};
