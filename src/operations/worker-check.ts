/** Readiness of the webhook delivery worker this node runs: its loop has finished a pass lately. */
import { ReadinessFailure, type ReadinessCheck } from './readiness.js';

/** An idle worker passes every poll interval; this many intervals (and at least half a minute) without one is a stuck worker. */
const MISSED_PASSES = 50;
const AT_LEAST_MS = 30_000;

export function workerCheck(worker: { lastPassAt(): number }, pollMs: number, now: () => number = () => performance.now()): ReadinessCheck {
  const staleAfterMs = Math.max(AT_LEAST_MS, MISSED_PASSES * pollMs);
  return {
    name: 'webhookWorker',
    async check() {
      const sinceMs = now() - worker.lastPassAt();
      if (sinceMs > staleAfterMs) throw new ReadinessFailure(`no pass for ${Math.round(sinceMs / 1000)} s`);
    },
  };
}
