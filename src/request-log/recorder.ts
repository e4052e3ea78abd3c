/**
 * Records requests off the request path: the completion observer pushes one small array into a
 * bounded buffer, and a timer writes what gathered with one multi-row insert per batch (yielding
 * to requests between batches), plus the apps' daily counts. When the database cannot keep up, new
 * requests are dropped and counted (logged once per flush) rather than held without bound. `stop`
 * writes what is left.
 */
import type { DayCount, RequestLogRepository } from '../store/index.js';
import { pushRowValues, type CapturedRequest } from './recorded-row.js';

export interface RecorderLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface RecorderOptions {
  /** How often gathered requests are written. */
  flushMs: number;
  /** Most requests held while waiting to be written; past it they are dropped and counted. */
  maxBuffered: number;
  /** Rows per insert: 10 parameters a row stays far below SQLite's and PostgreSQL's limits. */
  batchSize: number;
}

export const RECORDER_DEFAULTS: RecorderOptions = { flushMs: 500, maxBuffered: 50_000, batchSize: 500 };

const DAY_MS = 86_400_000;

/** Requests and errors per app and UTC day among the captured requests (no allocation per request). */
export function dailyCounts(captured: readonly CapturedRequest[]): DayCount[] {
  const byApp = new Map<string, Map<number, DayCount>>();
  for (const [atMs, appId, , , status] of captured) {
    let days = byApp.get(appId);
    if (!days) byApp.set(appId, days = new Map());
    const dayNumber = Math.floor(atMs / DAY_MS);
    let count = days.get(dayNumber);
    if (!count) {
      count = { appId, day: new Date(dayNumber * DAY_MS).toISOString().slice(0, 10), requests: 0, errors: 0 };
      days.set(dayNumber, count);
    }
    count.requests += 1;
    if (status >= 400) count.errors += 1;
  }
  return [...byApp.values()].flatMap((days) => [...days.values()]);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class RequestRecorder {
  private buffer: CapturedRequest[] = [];
  private dropped = 0;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: RequestLogRepository,
    private readonly log: RecorderLog,
    private readonly options: RecorderOptions = RECORDER_DEFAULTS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    // Waiting rows never keep a process alive: stop() writes them on the way out.
    this.timer.unref();
  }

  record(captured: CapturedRequest): void {
    if (this.buffer.length >= this.options.maxBuffered) {
      this.dropped += 1;
      return;
    }
    this.buffer.push(captured);
  }

  /** Writes what has gathered, after any write already under way (one at a time). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeGathered());
    return this.writing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writeGathered(): Promise<void> {
    const captured = this.buffer;
    this.buffer = [];
    if (this.dropped > 0) {
      this.log.warn({ dropped: this.dropped }, 'request log dropped requests: the database did not keep up');
      this.dropped = 0;
    }
    if (captured.length === 0) return;
    const { batchSize } = this.options;
    try {
      for (let start = 0; start < captured.length; start += batchSize) {
        // SQLite writes on this thread: requests that arrived meanwhile go first.
        if (start > 0) await nextTurn();
        const values: unknown[] = [];
        const end = Math.min(captured.length, start + batchSize);
        for (let i = start; i < end; i++) pushRowValues(values, captured[i]!);
        await this.repo.insertFlat(values);
      }
      await this.repo.addUsage(dailyCounts(captured));
    } catch (error) {
      // A failing database must not fail requests or grow memory: these rows are given up.
      this.log.warn({ lost: captured.length, err: error }, 'request log could not be written');
    }
  }
}

