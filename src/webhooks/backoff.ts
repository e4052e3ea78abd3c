/** When to try a failed delivery again: exponential from a base, with jitter, capped at an hour. */
const CAP_MS = 3_600_000;

/** `attempt` counts from 1 (the first retry); `random` is a uniform draw in [0, 1). */
export function retryDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  const exponential = Math.min(CAP_MS, baseMs * 2 ** (attempt - 1));
  // Full jitter on the upper half keeps retries of many receivers from marching in step.
  return Math.round(exponential * (0.5 + random() * 0.5));
}
