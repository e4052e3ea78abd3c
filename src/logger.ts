/** Logger options shared by the server and the CLI. Credentials never reach a log line. */
import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a logged object. Request bodies and query strings
 * (where authorization codes travel) are never logged at all.
 */
const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
  '*.client_secret', '*.clientSecret', '*.refresh_token', '*.refreshToken', '*.access_token', '*.accessToken',
  '*.password', '*.managementToken', '*.token', '*.code_verifier',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      // The query string can carry codes, tokens or states; only the path is logged.
      req: (req: FastifyRequest) => ({ method: req.method, path: req.url.split('?')[0], reqId: req.id }),
    },
  };
}
