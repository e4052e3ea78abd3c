/**
 * What the OAuth endpoints' OpenAPI descriptions share: RFC 6749 §5.2 errors, form bodies, and the
 * client credentials a body may carry instead of the Basic header.
 */
import { z } from 'zod';
import { OAUTH_ERROR_CODES } from './oauth-error.js';

export const OAuthErrorBody = z.object({
  error: z.enum(OAUTH_ERROR_CODES),
  error_description: z.string(),
}).meta({ id: 'OAuthError', description: 'An OAuth 2.0 error (RFC 6749 §5.2).' });

export const FORM = ['application/x-www-form-urlencoded'];
export const CLIENT_IN_BODY = {
  client_id: z.string().optional().describe('With client_secret, instead of the Basic header (as the Ruby SDK sends them).'),
  client_secret: z.string().optional(),
};

