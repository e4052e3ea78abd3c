/**
 * How a v3 command answers (smartcar-v3.md §6.2): the finished command-execution with 200 when the
 * car has answered within the sync bound; otherwise 202 at once, headers only (chunked, no
 * Content-Length), the connection held open, and the final command-execution written as the body
 * when the car answers. A client that leaves meanwhile does not stop the command.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/index.js';
import { logRefusal, toApiError } from '../error-handling.js';
import {
  commandExecution, executionDocument, executionError, newExecutionId, type Execution, type ExecutionError,
} from './command-execution.js';

export interface CommandResponseDeps {
  clock: Clock;
  /** How long a command may take before it is answered with 202 and streamed. */
  commandSyncMs: number;
}

/** The command's end: `null` when it succeeded. */
type Failure = { error: unknown } | null;

const PENDING = Symbol('pending');

function within<T>(work: Promise<T>, ms: number): Promise<T | typeof PENDING> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<typeof PENDING>((resolve) => {
    timer = setTimeout(resolve, ms, PENDING);
  });
  return Promise.race([work, bound]).finally(() => clearTimeout(timer));
}

export async function answerCommand(
  request: FastifyRequest, reply: FastifyReply, deps: CommandResponseDeps, execution: Execution, run: () => Promise<void>,
): Promise<unknown> {
  const id = newExecutionId();
  const ended: Promise<Failure> = run().then(() => null, (error: unknown) => ({ error }));
  const early = await within(ended, deps.commandSyncMs);
  if (early === PENDING) return streamOutcome(request, reply, deps, execution, id, ended);
  // Failing within the bound is a plain error answer, in the face's error form and status.
  if (early) throw early.error;
  return executionDocument(commandExecution(id, execution, 'sync', deps.clock.now()));
}

function streamOutcome(
  request: FastifyRequest, reply: FastifyReply, deps: CommandResponseDeps, execution: Execution, id: string,
  ended: Promise<Failure>,
): FastifyReply {
  const body = new PassThrough();
  const log = { executionId: id, commandType: execution.spec.commandType };
  // Fastify writes a stream's headers with its first chunk; the client must see the 202 now.
  reply.raw.once('pipe', () => reply.raw.flushHeaders());
  request.log.info({ ...log, syncMs: deps.commandSyncMs }, 'command outlasts the sync bound: answering 202');
  ended.then((failure) => {
    const error = failure ? failureOf(request, failure.error, id) : undefined;
    const document = executionDocument(commandExecution(id, execution, 'async', deps.clock.now(), error));
    if (body.destroyed) {
      request.log.info({ ...log, status: error ? 'ERROR' : 'SUCCESS' }, 'command finished after its client left');
      return;
    }
    body.end(JSON.stringify(document));
  }).catch((error: unknown) => {
    request.log.error({ ...log, err: error }, 'command outcome could not be written');
    body.destroy();
  });
  return reply.code(202).type('application/json; charset=utf-8').send(body);
}

function failureOf(request: FastifyRequest, cause: unknown, executionId: string): ExecutionError {
  const apiError = toApiError(cause);
  logRefusal(request, apiError, cause, { executionId });
  return executionError(apiError);
}
