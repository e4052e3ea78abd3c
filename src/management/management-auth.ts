/**
 * The application management token, sent as Basic `default:<token>` (any username is accepted),
 * then the app's management request budget: one app cannot crowd the management API for others.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError, chargeManagementBudget } from '../api/index.js';
import type { AppService } from '../oauth/index.js';
import type { AppRecord } from '../store/index.js';

/** Far above any Basic header a 43-character token makes; longer ones are refused before parsing. */
const MAX_AUTHORIZATION_LENGTH = 1024;

/** The token as presented, or undefined when the header is not Basic with a token. */
export function presentedManagementToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? '';
  if (header.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const token = decoded.slice(decoded.indexOf(':') + 1);
  return decoded.includes(':') && token ? token : undefined;
}

export async function authenticateManagement(apps: AppService, request: FastifyRequest): Promise<AppRecord> {
  const token = presentedManagementToken(request);
  const app = token ? await apps.byManagementToken(token) : undefined;
  if (!app) throw new ApiError('AUTHENTICATION', { challenge: 'Basic' });
  const charging = chargeManagementBudget(request, app.id);
  if (charging) await charging;
  return app;
}
