/**
 * OAuth 2.0 errors (RFC 6749 §5.2), a family of their own: they answer the token endpoint as
 * `{error, error_description}`, never as the v2 envelope. `internal` is for the log only.
 */
export type OAuthErrorCode =
  | 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type'
  | 'invalid_scope' | 'temporarily_unavailable' | 'server_error';

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  temporarily_unavailable: 429,
  server_error: 500,
};

/** Every `error` this server answers with. */
export const OAUTH_ERROR_CODES = Object.keys(STATUS) as [OAuthErrorCode, ...OAuthErrorCode[]];

export class OAuthError extends Error {
  readonly status: number;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly options: { internal?: string; retryAfterSeconds?: number } = {},
  ) {
    super(`${error}: ${description}`);
    this.status = STATUS[error];
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
