/** The environment an app built on the official SDK needs to use carport: printed by `serve`, shown by the console. */

export interface AppEnvironment {
  clientId: string;
  /** Absent for a public client, which has none. */
  clientSecret?: string;
  redirectUri: string;
  /** carport's origin as apps reach it. */
  origin: string;
}

export function envSnippet(env: AppEnvironment): string {
  return [
    `SMARTCAR_CLIENT_ID=${env.clientId}`,
    ...(env.clientSecret === undefined ? [] : [`SMARTCAR_CLIENT_SECRET=${env.clientSecret}`]),
    `SMARTCAR_REDIRECT_URI=${env.redirectUri}`,
    `SMARTCAR_API_ORIGIN=${env.origin}`,
    `SMARTCAR_AUTH_ORIGIN=${env.origin}`,
    `SMARTCAR_MANAGEMENT_API_ORIGIN=${env.origin}`,
  ].join('\n');
}
