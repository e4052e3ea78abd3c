/**
 * Commands as pure snapshot transitions. Each returns the next snapshot or throws the
 * VehicleStateError a real car would answer with.
 */
import { VehicleStateError } from '../../core/index.js';
import { chargeState } from './derive.js';
import type { SimSnapshot } from './state.js';

function assertParkedForSecurity(s: SimSnapshot): void {
  if (s.activity === 'driving') throw new VehicleStateError('IN_MOTION');
}

export function lock(s: SimSnapshot): SimSnapshot {
  assertParkedForSecurity(s);
  if (Object.values(s.doors).includes('OPEN')) throw new VehicleStateError('DOOR_OPEN');
  if (s.storage.rear === 'OPEN') throw new VehicleStateError('TRUNK_OPEN');
  if (s.storage.front === 'OPEN') throw new VehicleStateError('HOOD_OPEN');
  return { ...s, isLocked: true };
}

export function unlock(s: SimSnapshot): SimSnapshot {
  assertParkedForSecurity(s);
  return { ...s, isLocked: false };
}

export function startCharge(s: SimSnapshot): SimSnapshot {
  if (!s.isPluggedIn) throw new VehicleStateError('CHARGING_PLUG_NOT_CONNECTED');
  if (s.activity === 'charging' && chargeState(s) === 'CHARGING') throw new VehicleStateError('CHARGING_IN_PROGRESS');
  if (s.soc !== null && s.soc >= s.chargeLimit) throw new VehicleStateError('FULLY_CHARGED');
  return { ...s, activity: 'charging' };
}

export function stopCharge(s: SimSnapshot): SimSnapshot {
  if (!s.isPluggedIn) throw new VehicleStateError('CHARGING_PLUG_NOT_CONNECTED');
  if (s.activity !== 'charging') throw new VehicleStateError('NOT_CHARGING');
  return { ...s, activity: 'parked' };
}

export function setChargeLimit(s: SimSnapshot, limit: number): SimSnapshot {
  return { ...s, chargeLimit: limit };
}

export function sendDestination(s: SimSnapshot, latitude: number, longitude: number): SimSnapshot {
  return { ...s, destination: { latitude, longitude } };
}
