/**
 * Faults a developer injects into a simulated car, for the error cases every app must handle. Each
 * is on until a moment of the car's clock (or until cleared) and fires with a probability.
 */
import type { DomainError} from '../../core/index.js';
import {
  AccountError, RateLimitedError, UpstreamError, VehicleStateError,
} from '../../core/index.js';

export const FAULT_KINDS = [
  'asleep', 'unreachable', 'remote_access_disabled', 'offline_for_service',
  'account_issue', 'authentication_failed', 'subscription', 'virtual_key_required',
  'upstream_error', 'upstream_invalid_data', 'upstream_timeout', 'upstream_rate_limit', 'rate_limited',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SimFault {
  kind: FaultKind;
  /** Car time the fault ends (ISO); null: until cleared. */
  until: string | null;
  /** Chance that a request meets it, 0–1. */
  probability: number;
}

export function isFaultKind(kind: string): kind is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(kind);
}

/** The error a request meets under a fault, as the wire reference documents it. */
export function faultError(fault: SimFault, carNowMs: number): DomainError {
  switch (fault.kind) {
    case 'asleep': return new VehicleStateError('ASLEEP');
    case 'unreachable': return new VehicleStateError('UNREACHABLE');
    case 'remote_access_disabled': return new VehicleStateError('REMOTE_ACCESS_DISABLED');
    case 'offline_for_service': return new VehicleStateError('VEHICLE_OFFLINE_FOR_SERVICE');
    case 'account_issue': return new AccountError('ACCOUNT_ISSUE');
    case 'authentication_failed': return new AccountError('AUTHENTICATION_FAILED');
    case 'subscription': return new AccountError('SUBSCRIPTION');
    case 'virtual_key_required': return new AccountError('VIRTUAL_KEY_REQUIRED');
    case 'upstream_error': return new UpstreamError('UNKNOWN_ISSUE');
    case 'upstream_invalid_data': return new UpstreamError('INVALID_DATA');
    case 'upstream_timeout': return new UpstreamError('NO_RESPONSE');
    case 'upstream_rate_limit': return new UpstreamError('RATE_LIMIT');
    case 'rate_limited': {
      const seconds = fault.until === null ? 60 : Math.ceil((Date.parse(fault.until) - carNowMs) / 1000);
      return new RateLimitedError('VEHICLE', Math.max(1, seconds));
    }
  }
}

/** The fault a request meets now, if any (`roll` is a uniform draw in [0, 1)). */
export function activeFault(faults: readonly SimFault[] | undefined, carNowMs: number, roll: () => number): SimFault | undefined {
  return faults?.find((f) => (f.until === null || Date.parse(f.until) > carNowMs) && roll() < f.probability);
}
