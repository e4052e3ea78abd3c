/** The owner's steps: preamble → brand → sign in → vehicles → grant, then back to the app. */
import type { FastifyInstance } from 'fastify';
import { featuresOf, RECORD_PERMISSIONS, type Permission } from '../core/index.js';
import { ConnectRedirectError } from './authorize-request.js';
import type { ConnectDeps } from './connect-deps.js';
import { isEmailShaped } from './email.js';
import { sendPage, setConnectHeaders } from './html.js';
import { liveFieldValues, shownAgain, signInLive, type LiveProvider } from './live-sign-in.js';
import { brandsPage, grantPage, liveSignInPage, preamblePage, signInPage, vehiclesPage } from './pages.js';
import { redirectBack } from './redirects.js';
import { formValues, step, StepOrderError, type StepContext } from './steps.js';
import { signInTestAccount } from './test-sign-in.js';
import { signInSimulated } from '../vehicles/index.js';

/** 303 to the interaction's next page (RFC 9700 §4.12), with the headers every Connect answer has. */
function nextStep(ctx: StepContext, page: string) {
  setConnectHeaders(ctx.reply);
  return ctx.reply.redirect(`${ctx.base}/${page}`, 303);
}

const SKIPPED = 'This step was reached out of order.';

function brandName(deps: ConnectDeps, ctx: StepContext): string {
  const make = ctx.interaction.make;
  return deps.brandsFor(ctx.interaction.authorize.mode, null).find((b) => b.make === make)?.displayName ?? make ?? '';
}

/**
 * The signed-in account's vehicles Connect may offer: of the chosen brand, and the VIN's only with
 * single_select_vin. A live account belongs to the brand's provider, whose cars carry their own makes.
 */
async function ownedVehicles(deps: ConnectDeps, ctx: StepContext) {
  const { accountId, authorize, make } = ctx.interaction;
  if (!accountId) throw new StepOrderError(SKIPPED);
  const ofBrand = (v: { make: string }) => authorize.mode === 'live' || v.make === make;
  return (await deps.vehicles.accountVehicles(accountId))
    .filter((v) => ofBrand(v) && (!authorize.singleSelectVin || v.vin === authorize.singleSelectVin));
}

/** The live provider the interaction's brand signs in with; none outside live mode. */
function liveProviderOf(deps: ConnectDeps, ctx: StepContext): LiveProvider | undefined {
  const { authorize, make } = ctx.interaction;
  return authorize.mode === 'live' ? deps.liveSignIns.find((l) => l.signIn.brand.make === make) : undefined;
}

async function selectedVehicles(deps: ConnectDeps, ctx: StepContext) {
  const { interaction } = ctx;
  if (!interaction.accountId || !interaction.vehicleIds) throw new StepOrderError(SKIPPED);
  const all = await deps.vehicles.accountVehicles(interaction.accountId);
  return all.filter((v) => interaction.vehicleIds!.includes(v.id));
}

/** Issues the code for the chosen vehicles and permissions, after checking every required one is possible. */
async function finishWithCode(deps: ConnectDeps, ctx: StepContext, scopes: Permission[]) {
  const { authorize, id } = ctx.interaction;
  const vehicles = await selectedVehicles(deps, ctx);
  for (const vehicle of vehicles) {
    const matrix = deps.vehicles.capabilities(vehicle);
    const unsupported = authorize.required.find((p) => {
      if (RECORD_PERMISSIONS.has(p)) return false;
      const { signals, commands } = featuresOf(p);
      return !signals.some((s) => matrix.signals[s] === 'supported') && !commands.some((c) => matrix.commands[c] === 'supported');
    });
    if (unsupported) {
      throw new ConnectRedirectError('vehicle_incompatible', 'The user\'s vehicle is not compatible.', {
        vin: vehicle.vin, make: vehicle.make, model: vehicle.model, year: String(vehicle.year),
      });
    }
  }
  if (!(await deps.interactions.finish(id, deps.clock.now().toISOString()))) throw new StepOrderError(SKIPPED);
  await deps.funnel.count(authorize.appId, 'finished');
  const code = await deps.codes.issue({
    appId: authorize.appId, accountId: ctx.interaction.accountId!, mode: authorize.mode, redirectUri: authorize.redirectUri, redirectUriExplicit: authorize.redirectUriExplicit,
    vehicleIds: vehicles.map((v) => v.id), scopes, codeChallenge: authorize.codeChallenge,
  });
  // v3 apps name the owner in `sc-user-id` with this id (smartcar-v3.md §7.2); v2 apps ignore it.
  return redirectBack(deps, ctx.reply, authorize, { code, user_id: ctx.interaction.accountId! });
}

export function registerStepRoutes(app: FastifyInstance, deps: ConnectDeps): void {
  app.get('/connect/:id', step(deps, async (ctx) => {
    const next = ctx.interaction.make ? `${ctx.base}/sign-in` : `${ctx.base}/brands`;
    return sendPage(ctx.reply, { title: 'Connect your vehicle', appName: ctx.appName }, preamblePage(ctx.appName, ctx.interaction.authorize.scopes, next));
  }));

  app.get('/connect/:id/brands', step(deps, async (ctx) => {
    const q = String((ctx.request.query as Record<string, unknown>).q ?? '').slice(0, 100);
    const brands = deps.brandsFor(ctx.interaction.authorize.mode, ctx.interaction.authorize.country);
    return sendPage(ctx.reply, { title: 'Select your brand', appName: ctx.appName }, brandsPage(`${ctx.base}/brand`, ctx.token, brands, q, `${ctx.base}/brands`));
  }));

  app.post('/connect/:id/brand', step(deps, async (ctx) => {
    const make = formValues(ctx.request, 'make')[0] ?? '';
    const brands = deps.brandsFor(ctx.interaction.authorize.mode, ctx.interaction.authorize.country);
    if (!brands.some((b) => b.make === make)) {
      throw new ConnectRedirectError('vehicle_incompatible', 'The user\'s vehicle is not compatible.');
    }
    await deps.interactions.update(ctx.interaction.id, { make });
    await deps.funnel.count(ctx.interaction.authorize.appId, 'brand');
    return nextStep(ctx, 'sign-in');
  }));

  app.get('/connect/:id/sign-in', step(deps, async (ctx) => {
    if (!ctx.interaction.make) throw new StepOrderError(SKIPPED);
    const live = liveProviderOf(deps, ctx);
    return sendPage(ctx.reply, { title: 'Sign in', appName: ctx.appName }, live
      ? liveSignInPage(`${ctx.base}/sign-in`, ctx.token, brandName(deps, ctx), live.signIn.fields, {}, null)
      : signInPage(`${ctx.base}/sign-in`, ctx.token, brandName(deps, ctx), ctx.interaction.authorize.mode !== 'live', null));
  }));

  app.post('/connect/:id/sign-in', step(deps, async (ctx) => {
    const { interaction } = ctx;
    const { authorize } = interaction;
    if (!interaction.make) throw new StepOrderError(SKIPPED);
    const live = liveProviderOf(deps, ctx);
    const typed = live ? liveFieldValues(ctx.request, live) : {};
    const retry = (error: string, status: number) => sendPage(ctx.reply, { title: 'Sign in', appName: ctx.appName, status }, live
      ? liveSignInPage(`${ctx.base}/sign-in`, ctx.token, brandName(deps, ctx), live.signIn.fields, shownAgain(live, typed), error)
      : signInPage(`${ctx.base}/sign-in`, ctx.token, brandName(deps, ctx), authorize.mode !== 'live', error));
    const taken = deps.signInLimiter.take(ctx.request.ip, deps.clock.now().getTime());
    const wait = typeof taken === 'number' ? taken : await taken;
    if (wait > 0) return retry(`Too many sign-in attempts. Try again in ${wait} seconds.`, 429);
    // The attempt is taken before the credentials are checked, so parallel submissions cannot exceed the cap.
    const attempt = await deps.interactions.takeSignInAttempt(interaction.id, deps.signInAttempts);
    const tooMany = () => new ConnectRedirectError('access_denied', 'Too many failed sign-in attempts.');
    if (attempt === null) throw tooMany();
    const refuse = async (message: string) => {
      if (attempt >= deps.signInAttempts) throw tooMany();
      return retry(message, 400);
    };
    let accountId: string | undefined;
    if (authorize.mode === 'live') {
      if (!live) throw new ConnectRedirectError('vehicle_incompatible', 'The user\'s vehicle is not compatible.');
      const outcome = await signInLive(deps.vehicles, live, typed);
      if ('error' in outcome) return refuse(outcome.error);
      accountId = outcome.accountId;
    } else {
      const email = formValues(ctx.request, 'email')[0]?.trim() ?? '';
      const password = formValues(ctx.request, 'password')[0] ?? '';
      if (!isEmailShaped(email) || password.length === 0 || password.length > 1024) {
        return refuse('Enter the email and password of your car account.');
      }
      accountId = authorize.mode === 'simulated'
        ? await signInSimulated(deps.vehicles, email, password)
        : await signInTestAccount(deps.vehicles, { appId: authorize.appId, make: interaction.make, email, mode: authorize.mode, vin: authorize.singleSelectVin });
      if (!accountId) return refuse('The email or password is incorrect.');
    }
    if (authorize.kind === 'reauthenticate') {
      // Only the account that holds the vehicle may answer for it.
      const vehicle = await deps.vehicles.find(authorize.vehicleId!);
      if (vehicle?.accountId !== accountId) return refuse('This account does not hold the vehicle to sign in again for.');
      await deps.interactions.finish(interaction.id, deps.clock.now().toISOString());
      return redirectBack(deps, ctx.reply, authorize, { vehicle_id: authorize.vehicleId! });
    }
    await deps.interactions.update(interaction.id, { accountId, signInFailures: 0 });
    await deps.funnel.count(authorize.appId, 'signed_in');
    return nextStep(ctx, 'vehicles');
  }));

  app.get('/connect/:id/vehicles', step(deps, async (ctx) => {
    const vehicles = await ownedVehicles(deps, ctx);
    if (vehicles.length === 0) throw new ConnectRedirectError('no_vehicles', 'No vehicles found. Please add vehicles to your account and try again.');
    return sendPage(ctx.reply, { title: 'Select vehicles', appName: ctx.appName },
      vehiclesPage(`${ctx.base}/vehicles`, ctx.token, vehicles, ctx.interaction.authorize.singleSelect, null));
  }));

  app.post('/connect/:id/vehicles', step(deps, async (ctx) => {
    const { authorize } = ctx.interaction;
    const owned = await ownedVehicles(deps, ctx);
    const accountId = ctx.interaction.accountId!;
    const chosen = formValues(ctx.request, 'vehicle').filter((id) => owned.some((v) => v.id === id));
    if (chosen.length === 0 || (authorize.singleSelect && chosen.length > 1)) {
      return sendPage(ctx.reply, { title: 'Select vehicles', appName: ctx.appName, status: 400 },
        vehiclesPage(`${ctx.base}/vehicles`, ctx.token, owned, authorize.singleSelect, authorize.singleSelect ? 'Select one vehicle.' : 'Select at least one vehicle.'));
    }
    const vehicleIds = owned.filter((v) => chosen.includes(v.id)).map((v) => v.id);
    await deps.interactions.update(ctx.interaction.id, { vehicleIds });
    await deps.funnel.count(authorize.appId, 'vehicles');
    // approval_prompt=auto: an owner who already granted these permissions on these vehicles is not asked again.
    if (authorize.approvalPrompt === 'auto') {
      const grants = await deps.tokens.grantsOf(authorize.appId, accountId);
      const covered = vehicleIds.every((id) => authorize.scopes.every((p) => grants.get(id)?.includes(p)));
      if (covered) return finishWithCode(deps, { ...ctx, interaction: { ...ctx.interaction, vehicleIds } }, authorize.scopes);
    }
    return nextStep(ctx, 'grant');
  }));

  app.get('/connect/:id/grant', step(deps, async (ctx) => {
    await selectedVehicles(deps, ctx);
    const { scopes, required } = ctx.interaction.authorize;
    return sendPage(ctx.reply, { title: 'Allow access', appName: ctx.appName }, grantPage(`${ctx.base}/grant`, ctx.token, ctx.appName, scopes, required));
  }));

  app.post('/connect/:id/grant', step(deps, async (ctx) => {
    const { authorize } = ctx.interaction;
    await selectedVehicles(deps, ctx);
    if (formValues(ctx.request, 'action')[0] !== 'allow') {
      await deps.funnel.count(authorize.appId, 'denied');
      throw new ConnectRedirectError('access_denied', 'User denied access to application.');
    }
    const chosen = new Set(formValues(ctx.request, 'permission'));
    const scopes = authorize.scopes.filter((p) => authorize.required.includes(p) || chosen.has(p));
    if (scopes.length === 0) {
      await deps.funnel.count(authorize.appId, 'denied');
      throw new ConnectRedirectError('access_denied', 'User granted no permissions.');
    }
    return finishWithCode(deps, ctx, scopes);
  }));

  app.post('/connect/:id/exit', step(deps, async () => {
    throw new ConnectRedirectError('configuration_error', 'There has been an error in the configuration of your application.', {
      status_code: '400', error_message: 'The user left Connect from an error page.',
    });
  }));
}
