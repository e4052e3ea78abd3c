/**
 * GET /oauth/authorize parameters (spec §1.1) checked in order, as small steps. Until the client and
 * its redirect URI are known good, failures show an error page and never redirect (RFC 6749
 * §4.1.2.1, RFC 9700 §4.11); after that they redirect back with `error`.
 */
import { isUuid, parseScope, type Permission } from '../core/index.js';
import { isValidChallenge, type AppService, type Mode } from '../oauth/index.js';
import type { AppRecord } from '../store/index.js';

export interface AuthorizeRequest {
  kind: 'authorize' | 'reauthenticate';
  appId: string;
  redirectUri: string;
  redirectUriExplicit: boolean;
  state: string | null;
  scopes: Permission[];
  required: Permission[];
  approvalPrompt: 'auto' | 'force';
  mode: Mode;
  make: string | null;
  singleSelect: boolean;
  singleSelectVin: string | null;
  country: string | null;
  user: string | null;
  codeChallenge: string | null;
  /** Re-authentication: the vehicle whose account signs in again. */
  vehicleId: string | null;
}

type Query = Record<string, string | string[] | undefined>;

/** A failure shown as a page: the client or redirect URI cannot be trusted. */
export class ConnectPageError extends Error {}

export interface RedirectTarget {
  redirectUri: string;
  state: string | null;
}

/** A failure sent back to the app's redirect URI (`target`, once the request has shown it is trustworthy). */
export class ConnectRedirectError extends Error {
  target: RedirectTarget | null = null;

  constructor(
    readonly error: string,
    readonly description: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
  }
}

/** Longer than any parameter of a Connect link (a redirect URI, a state, a scope list). */
const MAX_PARAM_LENGTH = 2048;

/** First value of a parameter; SDKs repeat some (Java sends single_select twice). */
export function param(query: Query, name: string): string | undefined {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value !== undefined && value.length > MAX_PARAM_LENGTH) throw new ConnectPageError(`The parameter ${name} in this link is too long.`);
  return value === '' ? undefined : value;
}

async function checkClient(apps: AppService, query: Query): Promise<AppRecord> {
  // The JavaScript SDK sends application_id; the others client_id.
  const id = param(query, 'client_id') ?? param(query, 'application_id');
  const app = id ? await apps.find(id) : undefined;
  if (!app) throw new ConnectPageError('The application in this link is not registered.');
  return app;
}

function checkRedirectUri(app: AppRecord, query: Query): string {
  const given = param(query, 'redirect_uri');
  if (given === undefined) return app.redirectUris[0]!;
  // Exact string match only (RFC 9700 §4.1.3).
  if (!app.redirectUris.includes(given)) throw new ConnectPageError('The redirect URI in this link is not registered for the application.');
  return given;
}

function checkScope(query: Query, required: boolean): { scopes: Permission[]; required: Permission[] } {
  const raw = param(query, 'scope');
  if (raw === undefined && !required) return { scopes: [], required: [] };
  const parsed = parseScope(raw ?? '');
  if (parsed.unknown.length > 0) throw new ConnectRedirectError('invalid_scope', `Unknown permission: ${parsed.unknown.join(' ')}.`);
  if (parsed.permissions.length === 0) throw new ConnectRedirectError('invalid_scope', 'Request at least one permission.');
  return { scopes: parsed.permissions, required: parsed.required };
}

function checkMode(query: Query): Mode {
  const mode = param(query, 'mode') ?? 'live';
  if (mode !== 'live' && mode !== 'test' && mode !== 'simulated') throw new ConnectRedirectError('invalid_request', `Unknown mode: ${mode}.`);
  return mode;
}

function checkPkce(app: AppRecord, query: Query): string | null {
  const challenge = param(query, 'code_challenge');
  const method = param(query, 'code_challenge_method') ?? (challenge ? 'plain' : undefined);
  if (challenge === undefined) {
    if (app.publicClient) throw new ConnectRedirectError('invalid_request', 'This application must use PKCE (code_challenge with S256).');
    return null;
  }
  if (method !== 'S256') throw new ConnectRedirectError('invalid_request', 'code_challenge_method must be S256.');
  if (!isValidChallenge(challenge)) throw new ConnectRedirectError('invalid_request', 'code_challenge is not a base64url SHA-256 digest.');
  return challenge;
}

/** `flags=country:DE color:00819D` — space- (or `+`-) separated name:value pairs; unknown flags are ignored. */
export function countryFlag(query: Query): string | null {
  const flags = param(query, 'flags') ?? '';
  const country = /(?:^|[\s+])country:([A-Za-z]{2})(?:$|[\s+])/.exec(flags)?.[1];
  return country ? country.toUpperCase() : null;
}

export async function parseAuthorizeRequest(apps: AppService, query: Query): Promise<AuthorizeRequest> {
  const app = await checkClient(apps, query);
  const redirectUri = checkRedirectUri(app, query);
  const state = param(query, 'state') ?? null;
  try {
    if (param(query, 'response_type') !== 'code') {
      throw new ConnectRedirectError('unsupported_response_type', 'Only response_type=code is supported.');
    }
    const vin = param(query, 'single_select_vin')?.toUpperCase() ?? null;
    // Any 17 letters and digits: Smartcar's test VINs (0SCAUDI037A5ADB1C) use I and O, which real VINs never do.
    if (vin !== null && !/^[A-Z0-9]{17}$/.test(vin)) throw new ConnectRedirectError('invalid_request', 'single_select_vin is not a VIN.');
    return {
      kind: 'authorize',
      appId: app.id,
      redirectUri,
      redirectUriExplicit: param(query, 'redirect_uri') !== undefined,
      state,
      ...checkScope(query, true),
      approvalPrompt: param(query, 'approval_prompt') === 'force' ? 'force' : 'auto',
      mode: checkMode(query),
      make: param(query, 'make')?.toUpperCase() ?? null,
      singleSelect: param(query, 'single_select') === 'true' || vin !== null,
      singleSelectVin: vin,
      country: countryFlag(query),
      user: param(query, 'user') ?? null,
      codeChallenge: checkPkce(app, query),
      vehicleId: null,
    };
  } catch (error) {
    if (error instanceof ConnectRedirectError) error.target = { redirectUri, state };
    throw error;
  }
}

/** GET /oauth/reauthenticate (spec §1.5): sign in again for one vehicle, answer with its id. */
export async function parseReauthenticateRequest(apps: AppService, query: Query): Promise<AuthorizeRequest> {
  const app = await checkClient(apps, query);
  const redirectUri = checkRedirectUri(app, query);
  const state = param(query, 'state') ?? null;
  const vehicleId = param(query, 'vehicle_id')?.toLowerCase() ?? '';
  try {
    if (param(query, 'response_type') !== 'vehicle_id') {
      throw new ConnectRedirectError('unsupported_response_type', 'Re-authentication needs response_type=vehicle_id.');
    }
    if (!isUuid(vehicleId)) {
      throw new ConnectRedirectError('invalid_request', 'vehicle_id is not a vehicle id.');
    }
  } catch (error) {
    if (error instanceof ConnectRedirectError) error.target = { redirectUri, state };
    throw error;
  }
  return {
    kind: 'reauthenticate', appId: app.id, redirectUri, redirectUriExplicit: param(query, 'redirect_uri') !== undefined, state, scopes: [], required: [], approvalPrompt: 'force',
    mode: 'live', make: null, singleSelect: true, singleSelectVin: null, country: null, user: param(query, 'user') ?? null,
    codeChallenge: null, vehicleId,
  };
}
