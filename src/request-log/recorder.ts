/**
 * Records requests off the request path: the response hook pushes one small array into a bounded
 * buffer, and a timer writes what gathered with one multi-row insert per batch, plus the apps'
 * daily counts. When the database cannot keep up, new requests are dropped and counted (logged
 * once per flush) rather than held without bound. `stop` writes what is left.
 */
import type { DayCount, RequestLogRecord, RequestLogRepository } from '../store/index.js';
import { rowOf, type CapturedRequest } from './recorded-row.js';

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

export const RECORDER_DEFAULTS: RecorderOptions = { flushMs: 1000, maxBuffered: 50_000, batchSize: 500 };

/** Requests and errors per app and UTC day among the rows. */
export function dailyCounts(rows: readonly RequestLogRecord[]): DayCount[] {
  const counts = new Map<string, DayCount>();
  for (const row of rows) {
    const day = row.at.slice(0, 10);
    const key = `${row.appId} ${day}`;
    let count = counts.get(key);
    if (!count) {
      count = { appId: row.appId, day, requests: 0, errors: 0 };
      counts.set(key, count);
    }
    count.requests += 1;
    if (row.status >= 400) count.errors += 1;
  }
  return [...counts.values()];
}

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
    const rows = captured.map(rowOf);
    try {
      for (let i = 0; i < rows.length; i += this.options.batchSize) {
        await this.repo.insert(rows.slice(i, i + this.options.batchSize));
      }
      await this.repo.addUsage(dailyCounts(rows));
    } catch (error) {
      // A failing database must not fail requests or grow memory: these rows are given up.
      this.log.warn({ lost: rows.length, err: error }, 'request log could not be written');
    }
  }
}
