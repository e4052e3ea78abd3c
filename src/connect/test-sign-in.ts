/**
 * Sign-in to a test-mode car account (spec §9.1): any email and password work, for one app the same
 * email always reaches the same simulated account (another app's owner with that email has other
 * cars), and special emails reach the Connect outcomes an app must handle.
 */
import type { VehicleService } from '../vehicles/index.js';
import { testAccountKey } from '../vehicles/index.js';
import { ConnectRedirectError } from './authorize-request.js';
import { seededCount } from './seeded-count.js';

export interface TestSignIn {
  /** The app the owner signs in for: test accounts are the app's own, never shared with another app. */
  appId: string;
  make: string;
  email: string;
  mode: 'test' | 'simulated';
  /** single_select_vin: the account's one vehicle carries this VIN. */
  vin: string | null;
}

export const SUBSCRIPTION_EMAIL = 'smartcar@invalid-subscription.com';
export const INCOMPATIBLE_EMAIL = 'smartcar@vehicle-incompatible.com';
/** `<N>-vehicles@…` gives at most this many: one sign-in must not create a fleet. */
export const MAX_TEST_VEHICLES = 10;

export async function signInTestAccount(vehicles: VehicleService, input: TestSignIn): Promise<string> {
  const email = input.email.trim().toLowerCase();
  if (email === SUBSCRIPTION_EMAIL) {
    throw new ConnectRedirectError('invalid_subscription', 'User does not have an active connected vehicle subscription.');
  }
  if (email === INCOMPATIBLE_EMAIL) {
    throw new ConnectRedirectError('vehicle_incompatible', 'The user\'s vehicle is not compatible.');
  }
  // `<N>-vehicles@…` gives N vehicles up to the maximum (0 → an account without vehicles); others 1–3, seeded by email.
  const counted = /^(\d{1,3})-vehicles@/.exec(email);
  const count = input.vin ? 1 : counted ? Math.min(Number(counted[1]), MAX_TEST_VEHICLES) : seededCount(`${input.make}:${email}`, 1, 3);
  if (count === 0) throw new ConnectRedirectError('no_vehicles', 'No vehicles found. Please add vehicles to your account and try again.');
  const account = await vehicles.ensureSimulatedAccount({
    mode: input.mode,
    make: input.make,
    accountKey: testAccountKey(input.make, email, { appId: input.appId, vin: input.vin ?? undefined }),
    vehicleCount: count,
    vins: input.vin ? [input.vin] : undefined,
  });
  return account.accountId;
}
