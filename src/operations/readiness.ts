/**
 * Whether this node should be sent traffic: each part it needs answers, and it is not on its way
 * out. A load balancer asks often, so one look at the parts serves every probe for a moment; a node
 * that is draining says so at once.
 */
export interface ReadinessCheck {
  /** The part's name as `/readyz` reports it. */
  name: string;
  /** Resolves when the part is fine; rejects (or exceeds the time allowed) when it is not. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  /** Each part: `ok`, or why not, in words that say nothing of the network behind carport. */
  checks: Record<string, string>;
}

/** A part that has not answered by then is taken as failing: a probe must not hang with it. */
const CHECK_TIMEOUT_MS = 2000;
/** How long one look at the parts answers probes. */
const REUSE_MS = 500;

function withinTime(check: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('no answer in time')), ms);
  });
  return Promise.race([check, late]).finally(() => clearTimeout(timer));
}

export function readiness(checks: readonly ReadinessCheck[], now: () => number = Date.now) {
  let draining = false;
  let last: { at: number; report: Promise<Record<string, string>> } | undefined;

  async function look(): Promise<Record<string, string>> {
    const outcomes = await Promise.allSettled(checks.map((c) => withinTime(c.check(), CHECK_TIMEOUT_MS)));
    return Object.fromEntries(checks.map((c, i) => {
      const outcome = outcomes[i]!;
      return [c.name, outcome.status === 'fulfilled' ? 'ok' : failureText(outcome.reason)];
    }));
  }

  return {
    /** From now on the node reports itself unready, whatever its parts say. */
    drain(): void {
      draining = true;
    },
    get draining(): boolean {
      return draining;
    },
    async report(): Promise<ReadinessReport> {
      const at = now();
      if (!last || at - last.at >= REUSE_MS) last = { at, report: look() };
      const results = await last.report;
      return { ready: !draining && Object.values(results).every((r) => r === 'ok'), draining, checks: results };
    },
  };
}

export type Readiness = ReturnType<typeof readiness>;

/** A check's own words when it chose them (a `ReadinessFailure`); anything else is just "failing". */
function failureText(reason: unknown): string {
  if (reason instanceof ReadinessFailure) return reason.message;
  if (reason instanceof Error && reason.message === 'no answer in time') return 'no answer in time';
  return 'failing';
}

/** A failure whose message is safe to show a caller of /readyz. */
export class ReadinessFailure extends Error {}
