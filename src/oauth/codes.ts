/**
 * Authorization codes (RFC 6749 §4.1.2–4.1.3): 256 random bits, ten minutes, bound to the client,
 * the redirect URI and the PKCE challenge, consumed atomically once. A reused code revokes the
 * tokens it produced.
 */
import type { Clock, Permission } from '../core/index.js';
import type { CodesRepository } from '../store/index.js';
import { OAuthError } from './oauth-error.js';
import { verifierMatches } from './pkce.js';
import { hashSecret, newSecret } from './secrets.js';
import type { IssuedTokens, Mode, TokenService } from './tokens.js';

export const CODE_SECONDS = 600;

export interface NewCode {
  appId: string;
  accountId: string;
  mode: Mode;
  redirectUri: string;
  /** The authorize request named the redirect URI (rather than defaulting to the app's first). */
  redirectUriExplicit: boolean;
  vehicleIds: string[];
  scopes: Permission[];
  codeChallenge: string | null;
}

export interface Redemption {
  code: string;
  appId: string;
  redirectUri?: string;
  codeVerifier?: string;
}

export function codeService(repo: CodesRepository, tokens: TokenService, clock: Clock) {
  return {
    async issue(input: NewCode): Promise<string> {
      const code = newSecret();
      const now = clock.now();
      await repo.insert({
        ...input, hash: hashSecret(code), createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + CODE_SECONDS * 1000).toISOString(),
      });
      return code;
    },

    async redeem(r: Redemption): Promise<IssuedTokens> {
      const invalid = (internal: string) => new OAuthError('invalid_grant', `Invalid code: ${r.code}.`, { internal });
      const now = clock.now();
      const result = await repo.consume(hashSecret(r.code), now.toISOString());
      if (result.status === 'unknown') throw invalid('unknown code');
      if (result.status === 'reused') {
        if (result.authorizationId) await tokens.revokeAuthorization(result.authorizationId, result.code.appId, result.code.accountId);
        throw invalid('code reused: its tokens are revoked');
      }
      const { code } = result;
      if (code.appId !== r.appId) throw invalid('code issued to another client');
      if (code.expiresAt <= now.toISOString()) throw invalid('code expired');
      // RFC 6749 §4.1.3: the same redirect URI, and present whenever the authorize request had one.
      if (r.redirectUri !== undefined ? r.redirectUri !== code.redirectUri : code.redirectUriExplicit) {
        throw new OAuthError('invalid_grant', `Unauthorized redirect_uri: ${r.redirectUri ?? '(missing)'}`);
      }
      if (code.codeChallenge === null && r.codeVerifier !== undefined) {
        // RFC 9700 §4.8: a verifier without a challenge is a downgrade attempt.
        throw invalid('code_verifier without a code_challenge');
      }
      if (code.codeChallenge !== null && !(r.codeVerifier && verifierMatches(r.codeVerifier, code.codeChallenge))) {
        throw invalid('PKCE verification failed');
      }
      const issued = await tokens.grant({
        appId: code.appId, accountId: code.accountId, mode: code.mode as Mode,
        vehicleIds: code.vehicleIds, scopes: code.scopes as Permission[], codeHash: code.hash,
      });
      return { accessToken: issued.accessToken, refreshToken: issued.refreshToken, expiresIn: issued.expiresIn };
    },
  };
}

export type CodeService = ReturnType<typeof codeService>;
