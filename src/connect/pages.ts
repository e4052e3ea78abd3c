/** The Connect pages, one renderer each. Every control has an accessible name; forms POST with a CSRF token. */
import type { Permission } from '../core/index.js';
import type { SignInField } from '../providers/index.js';
import type { Vehicle } from '../vehicles/index.js';
import { html, type Html } from './html.js';
import { grantHeading } from './connect-link.js';
import { PERMISSION_TEXT } from './permission-text.js';

export interface BrandChoice {
  make: string;
  displayName: string;
  /** VIN manufacturer codes, to recognise the brand of a single_select_vin. */
  wmis: readonly string[];
}

const csrf = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

export function preamblePage(appName: string, permissions: Permission[], next: string): Html {
  return html`<h1>${appName} wants to connect to your vehicle</h1>
<p>You will sign in to your car account, choose which vehicles to share, and review what ${appName} may do:</p>
<ul>${permissions.map((p) => html`<li>${PERMISSION_TEXT[p]}</li>`)}</ul>
<a class="button" href="${next}">Continue</a>`;
}

export function brandsPage(action: string, token: string, brands: BrandChoice[], query: string, searchAction: string): Html {
  const shown = brands.filter((b) => !query || b.displayName.toLowerCase().includes(query.toLowerCase()));
  return html`<h1>Select your vehicle’s brand</h1>
<form method="get" action="${searchAction}" role="search"><label for="q">Search brands</label>
<input type="search" id="q" name="q" value="${query}" autocomplete="off"></form>
<form method="post" action="${action}">${csrf(token)}
<div class="brands">${shown.map((b) => html`<button type="submit" name="make" value="${b.make}">${b.displayName}</button>`)}</div>
${shown.length === 0 ? html`<p>No brand matches “${query}”.</p>` : ''}
<button type="submit" class="secondary" name="make" value="">I don’t see my brand</button></form>`;
}

export function signInPage(action: string, token: string, brandName: string, testMode: boolean, error: string | null): Html {
  return html`<h1>Sign in to your ${brandName} account</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${action}">${csrf(token)}
<label for="email">Email</label><input type="email" id="email" name="email" autocomplete="username" required>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Continue</button></form>
${testMode ? html`<p class="note">Test mode: any email and password work; the same email always brings the same vehicles.</p>` : ''}`;
}

/** A live provider's own sign-in form: its fields, with what the owner typed kept (never a password). */
export function liveSignInPage(
  action: string, token: string, brandName: string, fields: readonly SignInField[], values: Readonly<Record<string, string>>, error: string | null,
): Html {
  return html`<h1>Sign in to ${brandName}</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${action}">${csrf(token)}
${fields.map((f) => html`<label for="f-${f.name}">${f.label}</label>
<input type="${f.type}" id="f-${f.name}" name="${f.name}" required ${f.type === 'password' ? html`autocomplete="current-password"` : html`value="${values[f.name] ?? ''}"`}${f.hint ? html` aria-describedby="h-${f.name}"` : ''}>
${f.hint ? html`<p class="note" id="h-${f.name}">${f.hint}</p>` : ''}`)}
<button type="submit">Continue</button></form>`;
}

export function vehiclesPage(action: string, token: string, vehicles: Vehicle[], single: boolean, error: string | null): Html {
  const type = single ? 'radio' : 'checkbox';
  return html`<h1>${single ? 'Select the vehicle to share' : 'Select the vehicles to share'}</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${action}">${csrf(token)}
<fieldset><legend class="note">Vehicles in your account</legend>
${vehicles.map((v, i) => html`<div class="choice"><input type="${type}" id="v${i}" name="vehicle" value="${v.id}" ${vehicles.length === 1 ? html`checked` : ''}>
<label for="v${i}">${v.year} ${v.make} ${v.model} <span class="note">VIN ${v.vin}</span></label></div>`)}
</fieldset><button type="submit">Continue</button></form>`;
}

export function grantPage(action: string, token: string, appName: string, scopes: Permission[], required: Permission[]): Html {
  return html`<h1>${grantHeading(appName)}</h1>
<form method="post" action="${action}">${csrf(token)}
${scopes.map((p, i) => {
    const locked = required.includes(p);
    return html`<div class="choice"><input type="checkbox" id="p${i}" name="permission" value="${p}" checked ${locked ? html`disabled aria-describedby="req${i}"` : ''}>
${locked ? html`<input type="hidden" name="permission" value="${p}">` : ''}
<label for="p${i}">${PERMISSION_TEXT[p]}${locked ? html` <span class="required" id="req${i}">(required)</span>` : ''}</label></div>`;
  })}
<button type="submit" name="action" value="allow">Allow</button>
<button type="submit" class="secondary" name="action" value="deny">Deny</button></form>`;
}

export function errorPage(message: string, exit: { action: string; token: string } | null): Html {
  return html`<h1>Something went wrong</h1><p role="alert">${message}</p>
${exit ? html`<form method="post" action="${exit.action}">${csrf(exit.token)}<input type="hidden" name="reason" value="configuration_error">
<button type="submit">Exit</button></form>` : ''}`;
}

export function callbackPage(params: URLSearchParams): Html {
  const code = params.get('code');
  const error = params.get('error');
  return html`<h1>${code ? 'Connected' : 'Not connected'}</h1>
${code ? html`<p>Exchange this code for tokens within ten minutes (POST /oauth/token, grant_type=authorization_code):</p>
<p><code id="code">${code}</code></p>` : html`<p role="alert">${error ?? 'No code was returned.'}: ${params.get('error_description') ?? ''}</p>`}
${params.get('state') ? html`<p class="note">state: ${params.get('state')}</p>` : ''}`;
}
