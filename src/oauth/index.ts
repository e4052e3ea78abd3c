export {
  appService, checkRedirectUri, InvalidRedirectUriError, ManagementTokenRotationError, MAX_KEEP_PREVIOUS_HOURS,
  type AppService, type CreatedApp, type NewApp, type RotatedManagementToken,
} from './apps.js';
export {
  tokenService, grantKey, ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS, REFRESH_GRACE_SECONDS, REFRESH_RACE_MS,
  type TokenService, type AccessContext, type IssuedTokens, type GrantRequest, type Mode,
} from './tokens.js';
export { systemClock, type Clock } from '../core/index.js';
export { hashSecret, newSecret, secretMatches } from './secrets.js';
export { codeService, CODE_SECONDS, type CodeService, type NewCode } from './codes.js';
export { OAuthError, type OAuthErrorCode } from './oauth-error.js';
export { registerTokenRoute, type TokenRouteDeps } from './token-route.js';
export { isValidChallenge, verifierMatches } from './pkce.js';
export { registerRevokeRoute, type RevokeRouteDeps } from './revoke-route.js';
export { sealer, type Sealer } from './sealing.js';
export { oauthErrorFace } from './error-face.js';
export {
  applicationTokenService, isApplicationToken, APPLICATION_TOKEN_SECONDS,
  type ApplicationTokenService, type ApplicationContext, type IssuedApplicationToken,
} from './application-tokens.js';
export { registerApplicationTokenRoute, type ApplicationTokenRouteDeps } from './application-token-route.js';
export { envSnippet, type AppEnvironment } from './env-snippet.js';
export { tokenOperations } from './operations.js';
