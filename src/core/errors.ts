/**
 * The domain error taxonomy. Providers and services throw these; only the API edge turns them into
 * wire errors (one table in api/errors). Codes are API: append only, never reuse.
 */

export const VEHICLE_STATE_CODES = [
  'ASLEEP', 'CHARGING_IN_PROGRESS', 'CHARGING_PLUG_CONNECTED', 'CHARGING_PLUG_NOT_CONNECTED',
  'CHARGE_FAULT', 'DOOR_OPEN', 'FULLY_CHARGED', 'HOOD_OPEN', 'IGNITION_ON', 'IN_MOTION', 'LOW_BATTERY',
  'NOT_CHARGING', 'REMOTE_ACCESS_DISABLED', 'TRUNK_OPEN', 'UNKNOWN', 'UNREACHABLE',
  'VEHICLE_OFFLINE_FOR_SERVICE',
] as const;
export type VehicleStateCode = (typeof VEHICLE_STATE_CODES)[number];

export const UPSTREAM_CODES = ['INVALID_DATA', 'KNOWN_ISSUE', 'NO_RESPONSE', 'RATE_LIMIT', 'UNKNOWN_ISSUE'] as const;
export type UpstreamCode = (typeof UPSTREAM_CODES)[number];

export const ACCOUNT_CODES = [
  'ACCOUNT_ISSUE', 'AUTHENTICATION_FAILED', 'NO_VEHICLES', 'PERMISSION', 'SUBSCRIPTION', 'VEHICLE_MISSING',
  'VIRTUAL_KEY_REQUIRED',
] as const;
export type AccountCode = (typeof ACCOUNT_CODES)[number];

/** Why a data point or command is unavailable: the car itself lacks it, or its provider cannot reach it. */
export type NotCapableReason = 'VEHICLE_NOT_CAPABLE' | 'SMARTCAR_NOT_CAPABLE' | 'MAKE_NOT_COMPATIBLE';

export abstract class DomainError extends Error {
  abstract readonly category: 'VehicleState' | 'NotCapable' | 'Upstream' | 'RateLimited' | 'Account';
  abstract readonly code: string;
}

/** The car's current state forbids the request (asleep, unplugged, in motion…). */
export class VehicleStateError extends DomainError {
  readonly category = 'VehicleState';
  constructor(readonly code: VehicleStateCode, message = `vehicle state: ${code}`) {
    super(message);
  }
}

export class NotCapableError extends DomainError {
  readonly category = 'NotCapable';
  constructor(readonly code: NotCapableReason, message = `not capable: ${code}`) {
    super(message);
  }
}

const NOT_CAPABLE: Readonly<Record<NotCapableReason, NotCapableError>> = {
  VEHICLE_NOT_CAPABLE: new NotCapableError('VEHICLE_NOT_CAPABLE'),
  SMARTCAR_NOT_CAPABLE: new NotCapableError('SMARTCAR_NOT_CAPABLE'),
  MAKE_NOT_COMPATIBLE: new NotCapableError('MAKE_NOT_COMPATIBLE'),
};

/**
 * The error a reading carries for a signal the car cannot report: one shared instance per reason,
 * as readings are values, never thrown (an Error built per signal per read costs its stack trace).
 * A support that is not a reason (a provider that said `supported` but read nothing) is SMARTCAR's.
 */
export function notCapable(reason: string | undefined): NotCapableError {
  return NOT_CAPABLE[reason as NotCapableReason] ?? NOT_CAPABLE.SMARTCAR_NOT_CAPABLE;
}

/** The vehicle's source (carmaker cloud, module, broker) failed or returned nonsense. */
export class UpstreamError extends DomainError {
  readonly category = 'Upstream';
  constructor(readonly code: UpstreamCode, message = `upstream: ${code}`) {
    super(message);
  }
}

/** A request budget is spent; `retryAfterSeconds` says when the next one will be accepted. */
export class RateLimitedError extends DomainError {
  readonly category = 'RateLimited';
  constructor(
    readonly code: 'VEHICLE' | 'APPLICATION',
    readonly retryAfterSeconds: number,
  ) {
    super(`rate limited: ${code}, retry after ${retryAfterSeconds}s`);
  }
}

/** The owner's connected-services account needs attention. */
export class AccountError extends DomainError {
  readonly category = 'Account';
  constructor(readonly code: AccountCode, message = `account: ${code}`) {
    super(message);
  }
}
