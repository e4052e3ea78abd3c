/**
 * The token endpoints (v2's, and v3's for application tokens) and the revocation endpoint answer
 * every refusal as an RFC 6749 §5.2 error, including the framework's own (a URL that does not
 * decode, a body too large) and a method they do not serve.
 */
import type { FastifyError, FastifyReply } from 'fastify';
import type { ErrorFace } from '../api/index.js';
import { noStore } from './form.js';

const ENDPOINTS = new Set(['/oauth/token', '/oauth/revoke', '/oauth2/token']);

export const oauthErrorFace: ErrorFace = {
  owns: (path) => ENDPOINTS.has(path),
  refuse: (reply: FastifyReply, status: number, error: Partial<FastifyError> | null) => {
    noStore(reply);
    if (status >= 500) return reply.code(500).send({ error: 'server_error', error_description: 'Unexpected server error.' });
    // Both endpoints exist; only their method can have been wrong.
    if (status === 404) {
      return reply.code(405).header('allow', 'POST').send({ error: 'invalid_request', error_description: 'Use POST.' });
    }
    const description = error?.code === 'FST_ERR_BAD_URL' ? 'The URL is not validly percent-encoded.'
      : 'Send a form-encoded body (application/x-www-form-urlencoded) of at most 1 MB.';
    return reply.code(status).send({ error: 'invalid_request', error_description: description });
  },
};
