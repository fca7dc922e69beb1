// Pure decisions of the ECS wait: is *our* deployment done, failed, or replaced — and which stopped tasks are
// definitive failures. Inputs are plain snapshots of DescribeServices/DescribeTasks answers.

export interface DeploymentSnapshot {
  readonly id: string;
  /** PRIMARY | ACTIVE | INACTIVE | DRAINING */
  readonly status: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly failedTasks: number;
  /** COMPLETED | FAILED | IN_PROGRESS; absent for deployments without rollout tracking (classic load balancers). */
  readonly rolloutState: string | undefined;
  readonly rolloutStateReason: string | undefined;
  readonly createdAt: number | undefined;
}

export interface ServiceSnapshot {
  readonly status: string;
  readonly deployments: readonly DeploymentSnapshot[];
}

export type RolloutVerdict =
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'completed' }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      /** ECS started a rollback deployment of its own (circuit breaker): wait for it instead of starting one. */
      readonly ecsRollbackId?: string;
      /** Ours is no longer the service's latest (someone else's deployment, or the service went away): never roll back over it. */
      readonly superseded?: boolean;
    };

export interface RolloutContext {
  readonly deploymentId: string;
  /** The task definition the service ran before: a new PRIMARY on it after ours is a rollback. */
  readonly previousTaskDefinition: string | undefined;
  /** Definitive failures of our revision seen so far, and how many end the wait (0 = never early). */
  readonly definitiveFailures: number;
  readonly failFastAfter: number;
  /** The latest stopped task of our revision, for the message. */
  readonly lastFailure: string | undefined;
  /**
   * Evidence that ECS itself rolled our deployment back once it vanished from `deployments[]`: the service
   * deployments API's rollback status, or failed tasks of ours seen before. Undefined: no evidence.
   */
  readonly ecsRollbackEvidence: string | undefined;
}

function isOurs(d: DeploymentSnapshot, ctx: RolloutContext): boolean {
  return d.id === ctx.deploymentId;
}

/**
 * Success is our deployment PRIMARY with rolloutState COMPLETED and all its tasks running; where rolloutState
 * is absent, ours as the only deployment with all tasks running. "Stable on the old task definition" is never
 * success: a FAILED rollout, an ECS rollback, a newer deployment by someone else, or ours gone inactive fails.
 */
export function evaluateRollout(service: ServiceSnapshot, ctx: RolloutContext): RolloutVerdict {
  if (service.status !== 'ACTIVE') {
    return {
      kind: 'failed',
      reason: `the service is ${service.status} (deleted or being deleted) during the rollout`,
    };
  }
  const ours = service.deployments.find((d) => isOurs(d, ctx));
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const newer = primary && !isOurs(primary, ctx) ? primary : undefined;
  const rollback =
    newer && ctx.previousTaskDefinition !== undefined && newer.taskDefinition === ctx.previousTaskDefinition
      ? newer
      : undefined;

  if (ours?.rolloutState === 'FAILED') {
    return {
      kind: 'failed',
      reason: `${ours.rolloutStateReason ?? 'ECS marked the deployment FAILED'}${ctx.lastFailure ? `; last stopped task: ${ctx.lastFailure}` : ''}`,
      ...(rollback ? { ecsRollbackId: rollback.id } : {}),
    };
  }
  if (newer) {
    // A newer PRIMARY on the previous task definition is ECS's rollback only when ECS failed ours first;
    // otherwise someone updated the service (perhaps back to the old revision) while we rolled out.
    // (Ours FAILED was handled above, so here ECS's rollback is known only from the evidence.)
    return ctx.ecsRollbackEvidence !== undefined && rollback
      ? {
          kind: 'failed',
          reason: `ECS rolled the service back to ${ctx.previousTaskDefinition} (deployment ${rollback.id})${ctx.ecsRollbackEvidence ? `: ${ctx.ecsRollbackEvidence}` : ''}${ctx.lastFailure ? `; last stopped task: ${ctx.lastFailure}` : ''}`,
          ecsRollbackId: rollback.id,
        }
      : {
          kind: 'failed',
          reason: `another deployment (${newer.id}, task definition ${newer.taskDefinition}) replaced ours while it rolled out: someone else updated the service`,
          superseded: true,
        };
  }
  if (!ours) {
    return {
      kind: 'failed',
      reason: `our deployment ${ctx.deploymentId} is no longer among the service's deployments`,
    };
  }
  if (ours.status !== 'PRIMARY') {
    return { kind: 'failed', reason: `our deployment ${ours.id} became ${ours.status}` };
  }
  if (ctx.failFastAfter > 0 && ctx.definitiveFailures >= ctx.failFastAfter) {
    return {
      kind: 'failed',
      reason: `${ctx.definitiveFailures} task(s) of the new revision failed for good${ctx.lastFailure ? ` (last: ${ctx.lastFailure})` : ''}`,
    };
  }
  const allRunning = ours.runningCount === ours.desiredCount && ours.pendingCount === 0;
  if (ours.rolloutState === 'COMPLETED' && allRunning) return { kind: 'completed' };
  if (ours.rolloutState === undefined && service.deployments.length === 1 && allRunning)
    return { kind: 'completed' };
  return { kind: 'in-progress' };
}

export interface StoppedTaskSnapshot {
  readonly taskArn: string;
  readonly taskDefinitionArn: string;
  readonly stopCode: string | undefined;
  readonly stoppedReason: string | undefined;
  readonly containers: readonly {
    readonly name: string;
    readonly exitCode: number | undefined;
    readonly reason: string | undefined;
  }[];
}

export interface StoppedTaskVerdict {
  readonly definitive: boolean;
  /** One line: task id, stop code and reason, each container's exit code and reason. */
  readonly summary: string;
}

const DEFINITIVE_REASONS = [
  'CannotPullContainerError',
  'ResourceInitializationError',
  'CannotStartContainerError',
];

/**
 * A stopped task of our revision is a definitive failure when it could never have worked: the image cannot
 * be pulled, the task could not be set up, or an essential container exited non-zero. Health-check and
 * scaling stops are not (they may pass on a retry).
 */
export function classifyStoppedTask(
  task: StoppedTaskSnapshot,
  essential: ReadonlySet<string>,
): StoppedTaskVerdict {
  const reasons = [task.stoppedReason ?? '', ...task.containers.map((c) => c.reason ?? '')];
  const pullOrInit = reasons.some((r) => DEFINITIVE_REASONS.some((d) => r.includes(d)));
  const crashed =
    task.stopCode === 'EssentialContainerExited' &&
    task.containers.some((c) => essential.has(c.name) && c.exitCode !== undefined && c.exitCode !== 0);
  const id = task.taskArn.split('/').at(-1) ?? task.taskArn;
  // Each container's exit code, and its reason where it adds to the task's.
  const containers = task.containers
    .map((c) => ({ ...c, reason: c.reason === task.stoppedReason ? undefined : c.reason }))
    .filter((c) => c.exitCode !== undefined || c.reason)
    .map(
      (c) =>
        `${c.name}: ${c.exitCode !== undefined ? `exit ${c.exitCode}` : 'no exit code'}${c.reason ? ` (${c.reason})` : ''}`,
    );
  const summary = `task ${id}: ${task.stopCode ?? 'stopped'}: ${task.stoppedReason ?? 'no reason given'}${containers.length ? `; ${containers.join('; ')}` : ''}`;
  return { definitive: pullOrInit || crashed, summary };
}
