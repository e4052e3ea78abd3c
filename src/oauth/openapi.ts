/**
 * The OAuth endpoints as the OpenAPI documents show them: the token and revoke endpoints with the
 * v2.0 face the SDKs use them from, the client-credentials grant with v3's. Form-encoded bodies,
 * RFC 6749 §5.2 errors.
 */
import { z } from 'zod';
import type { ApiOperation } from '../core/index.js';

const OAuthErrorBody = z.object({
  error: z.enum([
    'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
    'temporarily_unavailable', 'server_error',
  ]),
  error_description: z.string(),
}).meta({ id: 'OAuthError', description: 'An OAuth 2.0 error (RFC 6749 §5.2).' });

const FORM = ['application/x-www-form-urlencoded'];
const CLIENT_IN_BODY = {
  client_id: z.string().optional().describe('With client_secret, instead of the Basic header (as the Ruby SDK sends them).'),
  client_secret: z.string().optional(),
};

const TokenBody = z.union([
  z.object({ grant_type: z.literal('authorization_code'), code: z.string(), redirect_uri: z.string().optional(), code_verifier: z.string().optional(), ...CLIENT_IN_BODY }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string(), ...CLIENT_IN_BODY }),
]);

export const tokenOperations: readonly ApiOperation[] = [
  {
    document: 'v2', method: 'post', path: '/oauth/token', tag: 'Authorization', summary: 'Exchange a code or a refresh token for tokens',
    credentials: ['clientCredentials'],
    body: TokenBody, bodyTypes: FORM,
    responses: {
      200: {
        description: 'The tokens; every refresh gives a new refresh token.',
        body: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), refresh_token: z.string() }),
      },
    },
    errors: [400, 401, 429, 500], errorBody: OAuthErrorBody,
  },
  {
    document: 'v2', method: 'post', path: '/oauth/revoke', tag: 'Authorization', summary: 'End a token the app holds (RFC 7009)',
    credentials: ['clientCredentials'],
    body: z.object({ token: z.string(), token_type_hint: z.string().optional(), ...CLIENT_IN_BODY }), bodyTypes: FORM,
    responses: { 200: { description: 'Ended, or never known: the answer is the same.', body: z.object({}) } },
    errors: [400, 401, 429, 500], errorBody: OAuthErrorBody,
  },
  {
    document: 'v3', method: 'post', path: '/oauth2/token', tag: 'Authorization', summary: 'An application token (client_credentials)',
    credentials: ['clientCredentials'],
    body: z.object({ grant_type: z.literal('client_credentials'), ...CLIENT_IN_BODY }), bodyTypes: [...FORM, 'application/json'],
    responses: {
      200: {
        description: 'The application token; there is no refresh token.',
        body: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }),
      },
    },
    errors: [400, 401, 429, 500], errorBody: OAuthErrorBody,
  },
];
