/**
 * A live car's owner on the owner's page: the same fields Connect's live sign-in takes, checked
 * upstream by the brand's provider. Only an account that connected through Connect opens; the page
 * never creates one (it would hold no grant to show). Whatever fails — a wrong password, a server
 * that does not answer, an account never connected — reads the same, so the answer tells nothing of
 * the network behind carport nor of which accounts exist; the provider logs what the operator needs.
 */
import { z } from 'zod';
import { checkLiveSignIn, MAX_LIVE_FIELD_LENGTH, type LiveProvider } from '../connect/index.js';
import { Refusal } from '../console/refusals.js';
import type { VehicleService } from '../vehicles/index.js';

export const liveCredentials = z.object({
  provider: z.string().min(1).max(64),
  fields: z.record(z.string().max(64), z.string().max(MAX_LIVE_FIELD_LENGTH)),
});

export const LIVE_REFUSED = 'Those details do not open a car account connected here, or its server did not answer.';

/** What GET /account/api/sign-in-options lists: each live brand and its fields, never a value. */
export function signInOptions(liveSignIns: readonly LiveProvider[]) {
  return {
    live: liveSignIns.map(({ provider, signIn }) => ({
      provider, make: signIn.brand.make, displayName: signIn.brand.displayName,
      fields: signIn.fields.map((f) => ({ name: f.name, label: f.label, type: f.type, ...(f.hint ? { hint: f.hint } : {}) })),
    })),
  };
}

/** The id of the live account these fields open, or undefined; 400 for an unknown provider or a field left empty. */
export async function liveAccountId(
  vehicles: VehicleService, liveSignIns: readonly LiveProvider[], body: z.infer<typeof liveCredentials>,
): Promise<string | undefined> {
  const live = liveSignIns.find((l) => l.provider === body.provider);
  if (!live) throw new Refusal(400, 'invalid_request', 'No live provider of that name signs in here; see /account/api/sign-in-options.');
  const values = Object.fromEntries(live.signIn.fields.map((f) => [f.name, Object.hasOwn(body.fields, f.name) ? body.fields[f.name]! : '']));
  const missing = live.signIn.fields.find((f) => values[f.name] === '');
  if (missing) throw new Refusal(400, 'invalid_request', `Fill in “${missing.label}”.`);
  const outcome = await checkLiveSignIn(live, values);
  if ('error' in outcome) return undefined;
  const account = await vehicles.findAccount('live', outcome.account.accountKey);
  // Keys are the provider's own: an account recorded under another brand is not this one.
  return account?.make === live.signIn.brand.make ? account.id : undefined;
}
