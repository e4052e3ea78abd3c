/**
 * Live mode's sign-in step: the form's fields go to the brand's provider, which checks them
 * upstream; its account and vehicles are then recorded like any other mode's.
 */
import type { FastifyRequest } from 'fastify';
import { SignInError, type LiveAccount, type LiveSignIn } from '../providers/index.js';
import type { VehicleService } from '../vehicles/index.js';
import { formValues } from './steps.js';

/** The longest value any live sign-in field takes. */
export const MAX_FIELD_LENGTH = 2048;

export interface LiveProvider {
  provider: string;
  signIn: LiveSignIn;
}

/** What the owner typed, by field name (first value of each, absent ones empty). */
export function liveFieldValues(request: FastifyRequest, live: LiveProvider): Record<string, string> {
  return Object.fromEntries(live.signIn.fields.map((f) => [f.name, formValues(request, f.name)[0] ?? '']));
}

/** Values safe to show again on the form: everything but passwords. */
export function shownAgain(live: LiveProvider, values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(live.signIn.fields.filter((f) => f.type !== 'password').map((f) => [f.name, values[f.name] ?? '']));
}

/**
 * The provider's account for these values, or the message the owner has something to fix by. Only
 * checks upstream: recording the account is the caller's choice (Connect does, the owner's page never).
 */
export async function checkLiveSignIn(
  live: LiveProvider, values: Readonly<Record<string, string>>,
): Promise<{ account: LiveAccount } | { error: string }> {
  const missing = live.signIn.fields.find((f) => (values[f.name] ?? '') === '');
  if (missing) return { error: `Fill in “${missing.label}”.` };
  if (Object.values(values).some((v) => v.length > MAX_FIELD_LENGTH)) return { error: 'One of the fields is too long.' };
  try {
    return { account: await live.signIn.signIn(values) };
  } catch (error) {
    if (error instanceof SignInError) return { error: error.message };
    throw error;
  }
}

/** The account id on success, the account recorded with its vehicles; the provider's message when the owner has something to fix. */
export async function signInLive(
  vehicles: VehicleService, live: LiveProvider, values: Readonly<Record<string, string>>,
): Promise<{ accountId: string } | { error: string }> {
  const outcome = await checkLiveSignIn(live, values);
  if ('error' in outcome) return outcome;
  return { accountId: await vehicles.saveLiveAccount(live.provider, live.signIn.brand.make, outcome.account) };
}
