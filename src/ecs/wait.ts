import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Clock } from '../deploy/clock.ts';
import { formatDuration } from '../deploy/duration.ts';
import { Heartbeat } from '../deploy/log.ts';
import type { Log } from '../deploy/log.ts';
import { unlessAborted } from '../cancel.ts';
import { classifyError } from '../deploy/retry.ts';
import type { Verdict, WaitBudget } from '../deploy/target.ts';
import type { ServicePoller } from './poller.ts';
import { classifyStoppedTask, evaluateRollout } from './rollout.ts';
import { ecsRollbackSince, stoppedTasksOf, toServiceSnapshot, toStoppedTask } from './service-api.ts';

/** One deployment being waited for, and what the wait has learned about it. */
export interface TrackedRollout {
  readonly service: string;
  readonly deploymentId: string;
  readonly taskDefinitionArn: string;
  readonly previousTaskDefinition: string | undefined;
  /** Essential containers of our revision: their non-zero exits are definitive failures. */
  readonly essential: ReadonlySet<string>;
  /** Events older than this (epoch ms) were there before us and are not printed. */
  readonly since: number;
  seenEvents: Set<string>;
  seenStopped: Set<string>;
  definitiveFailures: number;
  failures: string[];
  lastFailedTasks: number;
  lastRunning: number;
  lastState: string;
  ecsRollbackEvidence: string | undefined;
  /** ECS's own rollback deployment (circuit breaker), once the wait has seen it. */
  ecsRollbackId: string | undefined;
}

export function trackRollout(init: {
  service: string;
  deploymentId: string;
  taskDefinitionArn: string;
  previousTaskDefinition: string | undefined;
  essential: ReadonlySet<string>;
  since: number;
}): TrackedRollout {
  return {
    ...init,
    seenEvents: new Set(),
    seenStopped: new Set(),
    definitiveFailures: 0,
    failures: [],
    lastFailedTasks: 0,
    lastRunning: 0,
    lastState: '',
    ecsRollbackEvidence: undefined,
    ecsRollbackId: undefined,
  };
}

export interface EcsWaitContext {
  readonly ecs: ECSClient;
  readonly cluster: string;
  readonly poller: ServicePoller;
  readonly clock: Clock;
  readonly log: Log;
  /** What ECS does on its own with a deployment nobody watches, for an unverified result. */
  readonly onItsOwn: string;
}

function printNewEvents(ctx: EcsWaitContext, rollout: TrackedRollout, service: Service): void {
  const fresh = (service.events ?? [])
    .filter((e) => e.id && !rollout.seenEvents.has(e.id) && (e.createdAt?.getTime() ?? 0) >= rollout.since)
    .reverse();
  for (const e of fresh) {
    rollout.seenEvents.add(e.id ?? '');
    ctx.log.info(`${rollout.service}: ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`);
  }
}

/** Reads the stopped tasks of our deployment; false when they could not be read this time. */
async function collectStoppedTasks(ctx: EcsWaitContext, rollout: TrackedRollout): Promise<boolean> {
  let tasks;
  try {
    tasks = await stoppedTasksOf(ctx.ecs, ctx.cluster, rollout.deploymentId);
  } catch (error) {
    ctx.log.info(`${rollout.service}: ${(error as Error).message}; looking again at the next poll.`);
    return false;
  }
  for (const task of tasks.map(toStoppedTask)) {
    if (rollout.seenStopped.has(task.taskArn) || task.taskDefinitionArn !== rollout.taskDefinitionArn)
      continue;
    rollout.seenStopped.add(task.taskArn);
    const verdict = classifyStoppedTask(task, rollout.essential);
    rollout.failures.push(verdict.summary);
    if (verdict.definitive) rollout.definitiveFailures += 1;
    ctx.log.info(
      `${rollout.service}: stopped ${verdict.definitive ? '(definitive) ' : ''}${verdict.summary}`,
    );
  }
  return true;
}

type Observation = Verdict | { readonly kind: 'in-progress' };

async function observe(
  ctx: EcsWaitContext,
  rollout: TrackedRollout,
  service: Service | undefined,
  failFastAfter: number,
): Promise<Observation> {
  if (!service) {
    return {
      kind: 'failed',
      reason: `service ${rollout.service} is no longer in cluster ${ctx.cluster}`,
      superseded: true,
    };
  }
  printNewEvents(ctx, rollout, service);
  const snapshot = toServiceSnapshot(service);
  const ours = snapshot.deployments.find((d) => d.id === rollout.deploymentId);
  if (ours) {
    // New failed or vanished tasks: look at the stopped ones (few calls, only when something stopped). The
    // counts move on only once they were read, so a failed read is tried again at the next poll.
    const changed = ours.failedTasks !== rollout.lastFailedTasks || ours.runningCount < rollout.lastRunning;
    if (!changed || (await collectStoppedTasks(ctx, rollout))) {
      rollout.lastFailedTasks = ours.failedTasks;
      rollout.lastRunning = ours.runningCount;
    }
    const state = `${ours.runningCount}/${ours.desiredCount} running, ${ours.pendingCount} pending, ${ours.failedTasks} failed (${ours.id} ${ours.status} ${ours.rolloutState ?? 'no rollout state'})`;
    if (state !== rollout.lastState) ctx.log.info(`${rollout.service}: ${state}`);
    rollout.lastState = state;
  }
  const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
  if (
    !ours &&
    primary &&
    primary.taskDefinition === rollout.previousTaskDefinition &&
    !rollout.ecsRollbackEvidence
  ) {
    // Ours is gone and the old revision is back: ask the service deployments API whether ECS rolled back;
    // without an answer, failed tasks of ours are the evidence. Unreadable now: decide at the next poll.
    if (rollout.seenStopped.size === 0 && !(await collectStoppedTasks(ctx, rollout))) {
      return { kind: 'in-progress' };
    }
    let api;
    try {
      api = await ecsRollbackSince(ctx.ecs, ctx.cluster, rollout.service, rollout.since);
    } catch (error) {
      ctx.log.info(`${rollout.service}: ${(error as Error).message}; looking again at the next poll.`);
      return { kind: 'in-progress' };
    }
    rollout.ecsRollbackEvidence = api.answered
      ? api.rollback
      : rollout.lastFailedTasks > 0 || rollout.failures.length > 0
        ? 'after failed tasks'
        : undefined;
  }
  const judge = () =>
    evaluateRollout(snapshot, {
      ecsRollbackEvidence: rollout.ecsRollbackEvidence,
      deploymentId: rollout.deploymentId,
      previousTaskDefinition: rollout.previousTaskDefinition,
      definitiveFailures: rollout.definitiveFailures,
      failFastAfter,
      lastFailure: rollout.failures.at(-1),
    });
  let verdict = judge();
  // Say why before reporting: the stopped tasks carry the reasons (best effort: the verdict stands).
  if (
    verdict.kind === 'failed' &&
    rollout.seenStopped.size === 0 &&
    (await collectStoppedTasks(ctx, rollout))
  ) {
    verdict = judge();
  }
  if (verdict.kind !== 'failed') return verdict;
  rollout.ecsRollbackId = verdict.ecsRollbackId;
  return { kind: 'failed', reason: verdict.reason, ...(verdict.superseded ? { superseded: true } : {}) };
}

function lastSeen(rollout: TrackedRollout): string {
  return `${rollout.lastState || 'no answer yet'}${rollout.failures.length ? `; stopped tasks: ${rollout.failures.slice(-3).join(' | ')}` : ''}`;
}

/**
 * Polls (through the cluster's shared poller) until our deployment has an outcome or the budget runs out.
 * An answer that does not come (throttling, 5xx, network) is asked again until the deadline; if the state
 * could not be read at the end, or a permanent error says it cannot be read at all, the verdict is
 * `unverified`, never `failed`.
 */
export async function waitForDeployment(
  ctx: EcsWaitContext,
  rollout: TrackedRollout,
  budget: WaitBudget,
): Promise<Verdict> {
  const { clock } = ctx;
  const started = clock.now();
  // Everything this wait prints goes through the heartbeat, which speaks up only when it was quiet.
  const heartbeat = new Heartbeat({ log: ctx.log, clock, name: rollout.service });
  ctx = { ...ctx, log: heartbeat };
  let unreadable: { since: number; error: string } | undefined;
  const unverified = (why: string): Verdict => ({
    kind: 'unverified',
    reason: `${why}; last seen: ${lastSeen(rollout)}; ${ctx.onItsOwn}`,
  });
  const { signal } = budget;
  const stopped = (): Verdict => unverified('the wait was stopped (the step was cancelled)');
  for (;;) {
    if (signal?.aborted) return stopped();
    const last = clock.now() >= budget.deadline;
    let service: Service | undefined;
    try {
      const answer = await unlessAborted(ctx.poller.next(rollout.service), signal, () => 'stopped' as const);
      if (answer === 'stopped') return stopped();
      service = answer;
    } catch (error) {
      const text = (error as Error).message;
      const kind = classifyError(error);
      if (kind === 'permanent') return unverified(`the service's state cannot be read (${text})`);
      if (!unreadable) {
        unreadable = { since: clock.now(), error: text };
        ctx.log.warning(`${rollout.service}: could not read the service (${text}); asking again.`);
      }
      unreadable.error = text;
      if (last) {
        return unverified(
          `the service's state could not be read for the last ${formatDuration(clock.now() - unreadable.since)} of the ${formatDuration(budget.deadline - started)} wait (${unreadable.error})`,
        );
      }
      heartbeat.beat(
        `the service could not be read for ${formatDuration(clock.now() - unreadable.since)} (${unreadable.error}); last seen: ${lastSeen(rollout)}`,
      );
      continue;
    }
    if (unreadable) {
      ctx.log.info(
        `${rollout.service}: the service answers again (after ${formatDuration(clock.now() - unreadable.since)}).`,
      );
      unreadable = undefined;
    }
    const seen = await observe(ctx, rollout, service, budget.failFastAfter);
    if (seen.kind === 'completed') {
      ctx.log.info(`${rollout.service}: deployment ${rollout.deploymentId} completed.`);
      return seen;
    }
    if (seen.kind !== 'in-progress') return seen;
    if (last) {
      return {
        kind: 'timed-out',
        reason: `not done after ${formatDuration(budget.deadline - started)}; last state: ${lastSeen(rollout)}`,
      };
    }
    heartbeat.beat(lastSeen(rollout));
  }
}
