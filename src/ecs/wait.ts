import * as core from '@actions/core';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { AwsCallError, describeAwsError, errorName } from '../aws/errors.ts';
import type { Clock } from '../deploy/clock.ts';
import { formatDuration } from '../deploy/duration.ts';
import { classifyStoppedTask, evaluateRollout, type RolloutVerdict } from './rollout.ts';
import {
  describeServices,
  ecsRollbackSince,
  stoppedTasksOf,
  toServiceSnapshot,
  toStoppedTask,
} from './service-api.ts';

export type WaitOutcome = RolloutVerdict | { readonly kind: 'timed-out'; readonly reason: string };

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
  lastProgress: string;
  lastState: string;
  ecsRollbackEvidence: string | undefined;
  outcome: WaitOutcome | undefined;
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
    lastProgress: '',
    lastState: 'no answer yet',
    ecsRollbackEvidence: undefined,
    outcome: undefined,
  };
}

export interface WaitOptions {
  readonly ecs: ECSClient;
  readonly cluster: string;
  readonly rollouts: readonly TrackedRollout[];
  readonly timeoutMs: number;
  readonly failFastAfter: number;
  readonly clock: Clock;
  /** How often to ask (DESIGN.md: a fresh answer about every 2 s). */
  readonly intervalMs?: number;
}

function printNewEvents(rollout: TrackedRollout, service: Service): void {
  const fresh = (service.events ?? [])
    .filter((e) => e.id && !rollout.seenEvents.has(e.id) && (e.createdAt?.getTime() ?? 0) >= rollout.since)
    .reverse();
  for (const e of fresh) {
    rollout.seenEvents.add(e.id ?? '');
    core.info(`${rollout.service}: ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`);
  }
}

async function collectStoppedTasks(ecs: ECSClient, cluster: string, rollout: TrackedRollout): Promise<void> {
  const tasks = await stoppedTasksOf(ecs, cluster, rollout.deploymentId);
  for (const task of tasks.map(toStoppedTask)) {
    if (rollout.seenStopped.has(task.taskArn) || task.taskDefinitionArn !== rollout.taskDefinitionArn)
      continue;
    rollout.seenStopped.add(task.taskArn);
    const verdict = classifyStoppedTask(task, rollout.essential);
    rollout.failures.push(verdict.summary);
    if (verdict.definitive) rollout.definitiveFailures += 1;
    core.info(`${rollout.service}: stopped ${verdict.definitive ? '(definitive) ' : ''}${verdict.summary}`);
  }
}

async function observe(
  options: WaitOptions,
  rollout: TrackedRollout,
  service: Service | undefined,
): Promise<void> {
  if (!service) {
    rollout.outcome = {
      kind: 'failed',
      reason: `service ${rollout.service} is no longer in cluster ${options.cluster}`,
    };
    return;
  }
  printNewEvents(rollout, service);
  const snapshot = toServiceSnapshot(service);
  const ours = snapshot.deployments.find((d) => d.id === rollout.deploymentId);
  if (ours) {
    // New failed or vanished tasks: look at the stopped ones (few calls, only when something stopped).
    if (ours.failedTasks !== rollout.lastFailedTasks || ours.runningCount < rollout.lastRunning) {
      await collectStoppedTasks(options.ecs, options.cluster, rollout);
    }
    rollout.lastFailedTasks = ours.failedTasks;
    rollout.lastRunning = ours.runningCount;
    rollout.lastState = `${ours.runningCount}/${ours.desiredCount} running, ${ours.pendingCount} pending, ${ours.failedTasks} failed (${ours.id} ${ours.status} ${ours.rolloutState ?? 'no rollout state'})`;
    if (rollout.lastState !== rollout.lastProgress) {
      core.info(`${rollout.service}: ${rollout.lastState}`);
      rollout.lastProgress = rollout.lastState;
    }
  }
  const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
  if (
    !ours &&
    primary &&
    primary.taskDefinition === rollout.previousTaskDefinition &&
    !rollout.ecsRollbackEvidence
  ) {
    // Ours is gone and the old revision is back: ask the service deployments API whether ECS rolled back;
    // without an answer, failed tasks of ours are the evidence.
    if (rollout.seenStopped.size === 0) await collectStoppedTasks(options.ecs, options.cluster, rollout);
    const api = await ecsRollbackSince(options.ecs, options.cluster, rollout.service, rollout.since);
    rollout.ecsRollbackEvidence = api.answered
      ? api.rollback
      : rollout.lastFailedTasks > 0 || rollout.failures.length > 0
        ? 'after failed tasks'
        : undefined;
  }
  const verdict = evaluateRollout(snapshot, {
    ecsRollbackEvidence: rollout.ecsRollbackEvidence,
    deploymentId: rollout.deploymentId,
    previousTaskDefinition: rollout.previousTaskDefinition,
    definitiveFailures: rollout.definitiveFailures,
    failFastAfter: options.failFastAfter,
    lastFailure: rollout.failures.at(-1),
  });
  if (verdict.kind === 'failed' && rollout.seenStopped.size === 0) {
    // Say why before reporting: the stopped tasks carry the reasons.
    await collectStoppedTasks(options.ecs, options.cluster, rollout);
  }
  if (verdict.kind !== 'in-progress') rollout.outcome = verdict;
}

// When each cluster was last asked: consecutive waits (the rollout's, then a rollback's) share the pace.
const lastAsked = new Map<string, number>();

/**
 * Polls every service with a pending rollout (DescribeServices, 10 per call) until each has an outcome or
 * the budget runs out. Throttling slows the polling down within the deadline; other API errors are reported
 * and retried a few times, then fail the step — never swallowed.
 */
export async function waitForRollouts(options: WaitOptions): Promise<void> {
  const { clock } = options;
  const base = options.intervalMs ?? 2000;
  const deadline = clock.now() + options.timeoutMs;
  let interval = base;
  let errors = 0;
  let last = false;
  for (;;) {
    const pending = options.rollouts.filter((r) => !r.outcome);
    if (pending.length === 0) return;
    if (last) {
      for (const r of pending) {
        r.outcome = {
          kind: 'timed-out',
          reason: `not done after ${formatDuration(options.timeoutMs)}; last state: ${r.lastState}${r.failures.length ? `; stopped tasks: ${r.failures.slice(-3).join(' | ')}` : ''}`,
        };
      }
      return;
    }
    // At most one DescribeServices per interval per cluster (a little over it, so network jitter never
    // puts two answers inside one interval).
    const since = clock.now() - (lastAsked.get(options.cluster) ?? -Infinity);
    if (since < base + 50) await clock.sleep(base + 50 - since);
    lastAsked.set(options.cluster, clock.now());
    try {
      const services = await describeServices(
        options.ecs,
        options.cluster,
        pending.map((r) => r.service),
      );
      for (const r of pending) await observe(options, r, services.get(r.service));
      interval = base;
      errors = 0;
    } catch (error) {
      const name = error instanceof AwsCallError ? error.code : errorName(error);
      const described =
        error instanceof AwsCallError
          ? error
          : describeAwsError('DescribeServices', error, {
              permission: 'ecs:DescribeServices',
              subject: `cluster ${options.cluster}`,
            });
      if (name === 'ThrottlingException' || name === 'TooManyRequestsException') {
        interval = Math.min(interval * 2, 16_000);
        core.info(`ECS throttled the status calls; asking again in ${formatDuration(interval)}.`);
      } else if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException') {
        throw described;
      } else {
        errors += 1;
        if (errors >= 5) throw described;
        core.warning(`${described.message} (attempt ${errors} of 5; retrying)`);
      }
    }
    if (options.rollouts.every((r) => r.outcome)) return; // decided: no sleep before reporting it
    // One more look at the deadline itself, so a rollout that finished in the last interval is not timed out.
    if (clock.now() >= deadline) last = true;
    else await clock.sleep(Math.min(interval, Math.max(0, deadline - clock.now())));
  }
}
