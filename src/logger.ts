/** Logger options shared by the server and the CLI. Credentials never reach a log line. */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

/**
 * Paths pino blanks out. Explicit paths only: wildcards make pino clone every line. What is logged
 * is chosen instead — the request serializer below keeps no headers, bodies or query strings (where
 * codes and tokens travel) — and these catch a header object logged by mistake.
 */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

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

/** One line per request, written when it completes, with its method, path, status and time. */
export class CompletedRequestsLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
