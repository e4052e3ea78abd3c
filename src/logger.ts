/** Logger options shared by the server and the CLI. Credentials never reach a log line. */
import { once } from 'node:events';
import { writeSync } from 'node:fs';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type LoggerOptions } from 'pino';

/**
 * Paths pino blanks out. Explicit paths only: wildcards make pino clone every line. What is logged
 * is chosen instead — the request serializer below keeps no headers, bodies or query strings (where
 * codes and tokens travel) — and these catch a header object logged by mistake. No `req.headers.*`:
 * pino redacts what the `req` serializer returned, which never has headers, and such a path would
 * make it copy every request line to find that out.
 */
const REDACT = ['headers.authorization', 'headers.cookie'];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      // The query string can carry codes, tokens or states; only the path is logged.
      req: (req: FastifyRequest) => ({ method: req.method, path: pathOf(req.url), reqId: req.id }),
    },
  };
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

const { chindingsSym, needsMetadataGsym, streamSym, timeSym } = pino.symbols;
const INFO = 30;

type MetadataStream = DestinationStream & { lastLevel?: number };

/** A pino internal of a logger (pino exports the symbols): its time, its bindings, its stream. */
function internal<T>(log: unknown, symbol: symbol): T {
  return (log as Record<symbol, T>)[symbol] as T;
}

/**
 * One line per request, written when it completes, with its method, path, status and time. A
 * request that succeeded, the line of nearly every request, is written as the text pino would make
 * of it (its time, the request logger's bindings, then `req`, `res`, `responseTime` and `msg` as
 * the serializers above give them) without pino's per-line serializer and redaction passes: they
 * were a tenth of a small read's cost, for a line whose every field is known here. Errors go
 * through pino with their `err`.
 */
export class CompletedRequestsLog extends LogController {
  /**
   * `observe` sees every completed request first (the request log). Fastify calls this for each
   * request anyway; an onResponse hook would add its hook runner to every request.
   */
  constructor(private readonly observe: ((request: FastifyRequest, reply: FastifyReply) => void) | null = null) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.observe !== null) this.observe(request, reply);
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error({ req: request, res: reply, responseTime: reply.elapsedTime, err: error }, 'request errored');
      return;
    }
    const log = reply.log as FastifyBaseLogger & { isLevelEnabled(level: string): boolean };
    if (!log.isLevelEnabled('info')) return;
    const stream = internal<MetadataStream>(log, streamSym);
    if (internal<boolean | undefined>(stream, needsMetadataGsym)) stream.lastLevel = INFO;
    const time = internal<() => string>(log, timeSym).call(log);
    stream.write(`{"level":${INFO}${time}${internal<string>(log, chindingsSym)},"req":{"method":${JSON.stringify(request.method)},"path":${
      JSON.stringify(pathOf(request.url))},"reqId":${JSON.stringify(request.id)}},"res":{"statusCode":${reply.statusCode}},"responseTime":${
      reply.elapsedTime},"msg":"request completed"}\n`);
  }
}

export interface LogDestination extends DestinationStream {
  /** Writes out every line logged so far; resolves once written (or once the destination failed). */
  flush(): Promise<void>;
}

const FATAL = 60;
/**
 * How long a line may wait for its batch. Each batch costs a hand-off to a libuv worker thread:
 * once per turn of the event loop was measurably dearer.
 */
const BATCH_MS = 20;
/** The bytes lines gather in; a full one goes at once. */
const CHUNK_BYTES = 64 * 1024;
/** A chunk's rest below this is not worth keeping for the next lines. */
const MIN_ROOM = 4 * 1024;
/** The most bytes a line of UTF-16 code units can take in UTF-8. */
const UTF8_BYTES_PER_UNIT = 3;
/**
 * What may wait for a standard output that does not keep up (a stalled pipe, a slow collector):
 * past it lines are dropped, counted, and the count logged once output moves again, rather than
 * holding memory without bound.
 */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** Asks pino to set `lastLevel` on the stream before each write. */
const PINO_METADATA = Symbol.for('pino.metadata');

/**
 * Standard output off the request path: a request only encodes its line into a chunk of bytes;
 * every `BATCH_MS`, or when the chunk is full, what gathered goes to pino's asynchronous
 * destination (in its buffer mode), which writes it from a worker thread while requests go on.
 * Lines are encoded once, where they are added: a list of strings joined per batch, then measured
 * and encoded again by the destination, cost a request's line about twice as much. Nothing is
 * lost on the ways out: a fatal line writes everything synchronously before the process can die,
 * so does process exit, and `flush` drains it on shutdown. What waits is bounded by `maxBufferedBytes`.
 */
export function stdoutLogDestination(maxBufferedBytes = MAX_BUFFERED_BYTES): LogDestination {
  const sonic = pino.destination({ dest: 1, sync: false, maxLength: maxBufferedBytes, contentMode: 'buffer' });
  const state = sonic as unknown as { _writing: boolean; _len: number; write(bytes: Buffer): boolean };
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let scheduled = false;
  let droppedLines = 0;
  sonic.on('drop', (batch: Buffer) => {
    droppedLines += countLines(batch);
  });
  /**
   * The waiting lines, after the count of lines dropped since output last moved. The chunk's rest
   * takes the next lines: the bytes taken stay the destination's until written.
   */
  const takeBatch = () => {
    const lines = chunk.subarray(0, used);
    chunk = chunk.length - used >= MIN_ROOM ? chunk.subarray(used) : Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
    if (droppedLines > 0 && state._len === 0) {
      const note = `${JSON.stringify({ level: 40, time: Date.now(), droppedLines, msg: 'log lines dropped: standard output did not keep up' })}\n`;
      droppedLines = 0;
      return Buffer.concat([Buffer.from(note), lines]);
    }
    return lines;
  };
  const handOff = () => {
    scheduled = false;
    if (used > 0) state.write(takeBatch());
  };
  /**
   * Everything logged so far, written before returning. While the destination is idle the waiting
   * lines are written here directly: handed to it they would start an asynchronous write, which its
   * synchronous flush leaves to the worker thread, and a process killed right after would lose them.
   * While a write of its own is in flight, its flush writes the rest after it.
   */
  const writeAllNow = () => {
    try {
      if (!state._writing && state._len === 0 && used > 0) {
        const bytes = takeBatch();
        for (let written = 0; written < bytes.length;) written += writeSync(1, bytes, written);
        return;
      }
      handOff();
      sonic.flushSync();
    } catch {
      // Standard output is gone: nothing can be written any more.
    }
  };
  process.once('exit', writeAllNow);
  return {
    [PINO_METADATA]: true,
    lastLevel: 0,
    write(line: string) {
      if (used + line.length * UTF8_BYTES_PER_UNIT > chunk.length) {
        handOff();
        if (line.length * UTF8_BYTES_PER_UNIT > chunk.length) chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * UTF8_BYTES_PER_UNIT));
      }
      used += chunk.write(line, used);
      if (this.lastLevel >= FATAL) writeAllNow();
      else if (!scheduled) {
        scheduled = true;
        // Unreferenced: a batch never keeps the process alive; exit writes what is left.
        setTimeout(handOff, BATCH_MS).unref();
      }
    },
    async flush() {
      handOff();
      if (!state._writing && state._len === 0) return;
      const done = new AbortController();
      const drained = Promise.race([once(sonic, 'drain', { signal: done.signal }), once(sonic, 'error', { signal: done.signal })]);
      // A destination that failed (standard output closed) has nothing more to write.
      await drained.catch(() => undefined).finally(() => done.abort());
    },
  } as LogDestination & { lastLevel: number };
}

function countLines(bytes: Buffer): number {
  let lines = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines += 1;
  return lines;
}
