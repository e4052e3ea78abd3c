/** The application management token, sent as Basic `default:<token>` (any username is accepted). */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../api/index.js';
import type { AppService } from '../oauth/index.js';
import type { AppRecord } from '../store/index.js';

export async function authenticateManagement(apps: AppService, request: FastifyRequest): Promise<AppRecord> {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(request.headers.authorization ?? '');
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const token = decoded.slice(decoded.indexOf(':') + 1);
  const app = decoded.includes(':') && token ? await apps.byManagementToken(token) : undefined;
  if (!app) throw new ApiError('AUTHENTICATION', { challenge: 'Basic' });
  return app;
}
