/**
 * What a developer's chosen Connect parameters make: the authorize URL an app sends owners to
 * (spec §1.1, as the SDKs build it) and a preview of the grant screen it leads to, in the words
 * and with the required marks the grant page itself shows.
 */
import type { Permission } from '../core/index.js';
import type { Mode } from '../oauth/index.js';
import { PERMISSION_TEXT } from './permission-text.js';

export interface ConnectLinkInput {
  /** Where owners reach Connect: CONNECT_URL, else carport's own origin. */
  origin: string;
  clientId: string;
  redirectUri: string;
  permissions: readonly Permission[];
  /** Those of `permissions` the owner cannot untick (`required:` in the scope). */
  required: readonly Permission[];
  mode: Mode;
  make: string | null;
  state: string | null;
}

/** The scope parameter: space-separated names, each required one prefixed `required:`. */
export function scopeOf(permissions: readonly Permission[], required: readonly Permission[]): string {
  return permissions.map((p) => (required.includes(p) ? `required:${p}` : p)).join(' ');
}

export function connectLink(input: ConnectLinkInput): string {
  const params: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['scope', scopeOf(input.permissions, input.required)],
    ['mode', input.mode],
    ...(input.make ? [['make', input.make] as [string, string]] : []),
    ...(input.state ? [['state', input.state] as [string, string]] : []),
  ];
  // %20 between scope names, as the SDKs write them (Connect reads `+` too).
  return `${input.origin}/oauth/authorize?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

/** The grant screen's heading, shared by the page and its preview. */
export const grantHeading = (appName: string) => `Allow ${appName} to:`;

export interface ConsentPreview {
  heading: string;
  permissions: { permission: Permission; text: string; required: boolean }[];
}

/** The grant screen these permissions produce: each in Connect's words, required ones locked on. */
export function consentPreview(appName: string, permissions: readonly Permission[], required: readonly Permission[]): ConsentPreview {
  return {
    heading: grantHeading(appName),
    permissions: permissions.map((p) => ({ permission: p, text: PERMISSION_TEXT[p], required: required.includes(p) })),
  };
}
