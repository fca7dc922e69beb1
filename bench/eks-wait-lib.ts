// Pure helpers of bench/eks-wait.ts: rollout-timeline lookup, request-counter windows. Statistics, verdicts
// and the table are in lib.ts.
import type { RolloutRecord } from '../sandbox/eks/controller.ts';

/**
 * The rollout a side started (the first record of the Deployment that started at or after `fromMs`), and the
 * one after it (a rollback restores an older template, which the controller records as a new revision).
 */
export function rolloutsOf(
  records: readonly RolloutRecord[],
  deployment: string,
  namespace: string,
  fromMs: number,
): { rollout?: RolloutRecord; next?: RolloutRecord } {
  const mine = records
    .filter(
      (r) =>
        r.deployment === deployment && r.namespace === namespace && Date.parse(r.startedAt) >= fromMs - 5,
    )
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  return { ...(mine[0] ? { rollout: mine[0] } : {}), ...(mine[1] ? { next: mine[1] } : {}) };
}

/** Cumulative request counts of one cluster at time t (see RequestCounter in eks-wait-kube.ts). */
export interface CounterReading {
  /** When the reading was requested and when it arrived: the server counted somewhere in between. */
  readonly sentAt: number;
  readonly t: number;
  readonly all: number;
  /** Requests that are not watches. */
  readonly nonWatch: number;
  readonly patch: number;
  readonly post: number;
}

export interface WindowCounts {
  /** Requests while waiting: all but PATCH/POST (the patch itself, access reviews, a rollback patch). */
  readonly waiting: number;
  /** Watch streams opened. */
  readonly watches: number;
  /** GET/LIST requests (non-watch, non-write). */
  readonly gets: number;
  readonly writes: number;
  readonly windowMs: number;
  /** How far the readings used lie outside [from, to] (sampling slack), ms. */
  readonly slackMs: number;
}

/**
 * Requests between `fromMs` and `toMs`: from the last reading that arrived by `fromMs` to the first requested
 * at or after `toMs` (so the window is never undercounted; `slackMs` says by how much it may be widened).
 */
export function windowCounts(
  readings: readonly CounterReading[],
  fromMs: number,
  toMs: number,
): WindowCounts | undefined {
  const sorted = [...readings].sort((a, b) => a.t - b.t);
  const before = sorted.filter((r) => r.t <= fromMs).at(-1);
  const after = sorted.find((r) => r.sentAt >= toMs) ?? sorted.at(-1);
  if (!before || !after || after.t < before.t) return undefined;
  const d = (k: keyof Omit<CounterReading, 't' | 'sentAt'>) => after[k] - before[k];
  const writes = d('patch') + d('post');
  const watches = d('all') - d('nonWatch');
  return {
    waiting: d('all') - writes,
    watches,
    gets: d('nonWatch') - writes,
    writes,
    windowMs: toMs - fromMs,
    slackMs: Math.max(0, fromMs - before.sentAt) + Math.max(0, after.t - toMs),
  };
}

export function sumCounts(all: readonly (WindowCounts | undefined)[]): WindowCounts | undefined {
  const xs = all.filter((x): x is WindowCounts => x !== undefined);
  if (xs.length === 0) return undefined;
  const sum = (k: keyof WindowCounts) => xs.reduce((a, x) => a + x[k], 0);
  return {
    waiting: sum('waiting'),
    watches: sum('watches'),
    gets: sum('gets'),
    writes: sum('writes'),
    windowMs: sum('windowMs'),
    slackMs: Math.max(...xs.map((x) => x.slackMs)),
  };
}
