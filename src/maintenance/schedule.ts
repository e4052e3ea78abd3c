/**
 * Runs the purge periodically on every node that has a worker or serves: the lease lets one of them
 * purge at a time, and the others' passes find it taken and skip. Timers are unref'd, so they never
 * keep a process alive, and real time paces them whatever clock the purge measures ages with.
 */
import { purgeOnce, type PurgeDeps, type PurgeResult } from './purge.js';

/** The first pass waits a minute after start, so a start-up is never slowed by a backlog. */
export const PURGE_FIRST_DELAY_MS = 60_000;
export const PURGE_EVERY_MS = 3_600_000;

export interface PurgeLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PurgeSchedule {
  stop(): Promise<void>;
}

/** Spreads nodes' passes (±10 %) so they do not all reach for the lease at the same instant. */
function jittered(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

export function startPurgeSchedule(deps: PurgeDeps, log: PurgeLog, firstDelayMs = PURGE_FIRST_DELAY_MS, everyMs = PURGE_EVERY_MS): PurgeSchedule {
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout;

  function report(result: PurgeResult): void {
    const total = Object.values(result.deleted).reduce((a, b) => a + b, 0);
    if (total > 0) log.info({ deleted: result.deleted }, 'purge removed expired and finished rows');
  }

  function schedule(ms: number): void {
    timer = setTimeout(() => {
      running = purgeOnce(deps)
        .then(report, (error: unknown) => log.error({ err: error }, 'purge pass failed; the next one tries again'))
        .finally(() => {
          running = null;
          if (!stopped) schedule(jittered(everyMs));
        });
    }, ms);
    timer.unref();
  }

  schedule(jittered(firstDelayMs));
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
