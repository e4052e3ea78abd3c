/**
 * Connect's paths answer every refusal as its error page, whatever went wrong before a step ran:
 * a body that is not a form, a form over Connect's limit, a URL that does not decode, a page that
 * does not exist.
 */
import type { FastifyError, FastifyReply } from 'fastify';
import type { ErrorFace } from '../api/index.js';
import { sendPage } from './html.js';
import { errorPage } from './pages.js';

/** Connect's forms are small: a CSRF token, an email and password, a few vehicle ids. */
export const CONNECT_BODY_LIMIT = 64 * 1024;

const EXACT = new Set(['/oauth/authorize', '/oauth/reauthenticate', '/connect', '/demo/callback']);

/** Whether a routed path (no query, single slashes, no trailing slash) is one of Connect's. */
export function isConnectPath(path: string): boolean {
  return path.startsWith('/connect/') || EXACT.has(path);
}

function messageFor(status: number, error: Partial<FastifyError> | null): string {
  if (status === 404) return 'This page does not exist. Go back to the application and start again.';
  if (status === 415) return 'This page accepts only its own form (application/x-www-form-urlencoded).';
  if (status === 413) return 'The form is too large.';
  if (status >= 500) return 'Unexpected server error. Please try again.';
  if (error?.code === 'FST_ERR_BAD_URL') return 'The address of this page is malformed.';
  if (status === 414) return 'The address of this page is too long.';
  return 'The request is malformed. Go back to the application and start again.';
}

export const connectErrorFace: ErrorFace = {
  owns: isConnectPath,
  refuse: (reply: FastifyReply, status: number, error: Partial<FastifyError> | null) => (
    sendPage(reply, { title: 'Error', status }, errorPage(messageFor(status, error), null))
  ),
};
