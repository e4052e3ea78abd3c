/**
 * Binds a Connect interaction to the browser that started it: a signed, HttpOnly, SameSite=Lax
 * cookie names the interaction, and every form carries a CSRF token derived from it (RFC 9700 §4.7;
 * SameSite alone does not stop same-site sibling origins).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionRecord, InteractionsRepository } from '../store/index.js';
import { ConnectPageError, type AuthorizeRequest } from './authorize-request.js';

export const COOKIE = 'carport_connect';
export const INTERACTION_MINUTES = 30;

export interface Interaction extends InteractionRecord {
  authorize: AuthorizeRequest;
}

export function csrfToken(key: string, interactionId: string): string {
  return createHmac('sha256', key).update(`csrf:${interactionId}`).digest('base64url');
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, interactionId: string): void {
  reply.setCookie(COOKIE, interactionId, {
    path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', signed: true,
    maxAge: INTERACTION_MINUTES * 60,
  });
}

const EXPIRED = 'This sign-in session has ended. Go back to the application and start again.';

/**
 * The interaction in the URL, if it is live and this browser's; on POST also checks the form's
 * CSRF token (constant time).
 */
export async function loadInteraction(
  repo: InteractionsRepository, key: string, request: FastifyRequest, id: string, now: Date,
): Promise<Interaction> {
  const cookie = request.cookies[COOKIE];
  const unsigned = cookie ? request.unsignCookie(cookie) : undefined;
  if (!unsigned?.valid || unsigned.value !== id) throw new ConnectPageError('This page belongs to another sign-in session. Go back to the application and start again.');
  if (request.method === 'POST') {
    const presented = Buffer.from(String((request.body as Record<string, unknown> | undefined)?._csrf ?? ''));
    const expected = Buffer.from(csrfToken(key, id));
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new ConnectPageError('This form has expired. Go back to the application and start again.');
    }
  }
  const record = await repo.find(id);
  if (!record || record.finishedAt !== null || record.expiresAt <= now.toISOString()) throw new ConnectPageError(EXPIRED);
  return { ...record, authorize: JSON.parse(record.request) as AuthorizeRequest };
}
