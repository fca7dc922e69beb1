// Pure helpers of bench/ecs-wait.ts: call-log attribution and rates, timeline lookup. Statistics, verdicts and
// the table are in lib.ts.
import type { CallRecord } from '../sandbox/control-client.ts';
import type { DeploymentTimelineEntry } from '../sandbox/aws/ecs/control-client.ts';

/**
 * Whether a logged ECS call belongs to the world named `name` (each side of a run has its own cluster and
 * task-definition family, both called `name`): the name appears in the parameters as a whole ARN segment,
 * a JSON string, or a `family:revision` reference.
 */
export function callBelongsTo(call: CallRecord, name: string): boolean {
  const text = JSON.stringify(call.params ?? {});
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|["/])${escaped}(?=["/:])`).test(text);
}

export interface CallStats {
  /** Calls of this world in the waiting window, by operation. */
  readonly byOperation: Record<string, number>;
  readonly describeServices: number;
  readonly total: number;
  readonly windowMs: number;
  /** Most DescribeServices calls that started within any 2 s. */
  readonly maxDescribeServicesPer2s: number;
  readonly errors: number;
}

/** The world's ECS calls that started in [fromMs, toMs] (the wait: UpdateService → verdict/exit). */
export function callStats(
  calls: readonly CallRecord[],
  name: string,
  fromMs: number,
  toMs: number,
): CallStats {
  const mine = calls.filter((c) => {
    const t = Date.parse(c.time);
    return c.service === 'ecs' && t >= fromMs && t <= toMs && callBelongsTo(c, name);
  });
  const byOperation: Record<string, number> = {};
  for (const c of mine) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
  const ds = mine
    .filter((c) => c.operation === 'DescribeServices')
    .map((c) => Date.parse(c.time))
    .sort((a, b) => a - b);
  let maxPer2s = 0;
  for (let i = 0, j = 0; i < ds.length; i++) {
    while (ds[i]! - ds[j]! >= 2000) j++;
    maxPer2s = Math.max(maxPer2s, i - j + 1);
  }
  return {
    byOperation,
    describeServices: ds.length,
    total: mine.length,
    windowMs: toMs - fromMs,
    maxDescribeServicesPer2s: maxPer2s,
    errors: mine.filter((c) => c.status >= 400).length,
  };
}

/** Sums several runs' call stats into one (rates are then over the summed waiting time). */
export function sumStats(all: readonly CallStats[]): CallStats {
  const byOperation: Record<string, number> = {};
  for (const s of all)
    for (const [op, n] of Object.entries(s.byOperation)) byOperation[op] = (byOperation[op] ?? 0) + n;
  return {
    byOperation,
    describeServices: all.reduce((a, s) => a + s.describeServices, 0),
    total: all.reduce((a, s) => a + s.total, 0),
    windowMs: all.reduce((a, s) => a + s.windowMs, 0),
    maxDescribeServicesPer2s: Math.max(0, ...all.map((s) => s.maxDescribeServicesPer2s)),
    errors: all.reduce((a, s) => a + s.errors, 0),
  };
}

/**
 * The deployment an UpdateService call created: by id when known, else the first deployment (not a
 * circuit-breaker rollback) created at or after the call.
 */
export function deploymentOf(
  timeline: readonly DeploymentTimelineEntry[],
  updateAtMs: number,
  id?: string,
): DeploymentTimelineEntry | undefined {
  if (id) {
    const byId = timeline.find((d) => d.id === id);
    if (byId) return byId;
  }
  return [...timeline]
    .filter((d) => !d.rollbackOf && Date.parse(d.createdAt) >= updateAtMs - 5)
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))[0];
}
