// Pure helpers of bench/eks-wait.ts: kubectl's rollout-status rule, rollout-timeline lookup, request-counter
// windows. Statistics, verdicts and the table are in lib.ts.
import type { RolloutRecord } from '../sandbox/eks/controller.ts';

export interface DeploymentView {
  readonly metadata: { readonly generation?: number; readonly annotations?: Record<string, string> };
  readonly spec?: { readonly replicas?: number; readonly progressDeadlineSeconds?: number };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly availableReplicas?: number;
    readonly conditions?: readonly {
      readonly type: string;
      readonly status: string;
      readonly reason?: string;
      readonly message?: string;
      readonly lastTransitionTime?: string;
    }[];
  };
}

export type RolloutStatus =
  | { readonly state: 'waiting'; readonly message: string }
  | { readonly state: 'complete'; readonly message: string }
  | { readonly state: 'failed'; readonly message: string };

/**
 * `kubectl rollout status deployment/x` for one observation (kubectl's DeploymentStatusViewer): failure only
 * on Progressing reason ProgressDeadlineExceeded; success when observedGeneration ≥ generation, updatedReplicas
 * = spec.replicas, replicas = updatedReplicas and availableReplicas = updatedReplicas. It never looks at pods.
 */
export function kubectlRolloutStatus(d: DeploymentView, name: string): RolloutStatus {
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0))
    return { state: 'waiting', message: 'Waiting for deployment spec update to be observed...' };
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  const want = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const replicas = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  if (updated < want)
    return {
      state: 'waiting',
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`,
    };
  if (replicas > updated)
    return {
      state: 'waiting',
      message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`,
    };
  if (available < updated)
    return {
      state: 'waiting',
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
}

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
