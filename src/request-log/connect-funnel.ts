/**
 * The Connect funnel per app and UTC day: how many sessions reached each step. Counted as it
 * happens into one row per (app, day, step) rather than derived from the interactions table,
 * because interactions are purged an hour after they expire and record neither the consent page
 * reached nor a denial; a counter costs one upsert on a step that already writes its interaction.
 * A session that spans midnight counts its later steps on the later day.
 */
import type { Clock } from '../core/index.js';
import type { RequestLogRepository } from '../store/index.js';
import { lastDays } from './log-queries.js';

/** In the order an owner meets them. */
export const FUNNEL_STEPS = ['started', 'brand', 'signed_in', 'vehicles', 'finished', 'denied'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export interface ConnectFunnel {
  count(appId: string, step: FunnelStep): Promise<void>;
}

export const noFunnel: ConnectFunnel = { count: async () => {} };

export interface FunnelDay {
  day: string;
  started: number;
  /** A code was issued (or a re-authentication finished). */
  finished: number;
  /** The owner declined on the permissions page. */
  denied: number;
  /** Sessions whose last step reached was this one: brand choice, sign-in, vehicle choice, permissions. */
  gaveUp: { brand: number; signIn: number; vehicles: number; permissions: number };
}

export function connectFunnel(repo: RequestLogRepository, clock: Clock): ConnectFunnel {
  return { count: (appId, step) => repo.countFunnelStep(appId, clock.now().toISOString().slice(0, 10), step) };
}

export async function funnelDays(repo: RequestLogRepository, clock: Clock, appId: string, days: number): Promise<FunnelDay[]> {
  const span = lastDays(clock, days);
  const counts = new Map<string, number>();
  for (const row of await repo.funnel(appId, span[0]!)) counts.set(`${row.day} ${row.step}`, row.count);
  return span.map((day) => {
    const n = (step: FunnelStep) => counts.get(`${day} ${step}`) ?? 0;
    const left = (from: number, to: number) => Math.max(0, from - to);
    return {
      day,
      started: n('started'),
      finished: n('finished'),
      denied: n('denied'),
      gaveUp: {
        brand: left(n('started'), n('brand')),
        signIn: left(n('brand'), n('signed_in')),
        vehicles: left(n('signed_in'), n('vehicles')),
        permissions: left(n('vehicles'), n('finished') + n('denied')),
      },
    };
  });
}
