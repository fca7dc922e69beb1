import { describe, expect, it } from 'vitest';
import {
  classifyStoppedTask,
  evaluateRollout,
  type DeploymentSnapshot,
  type RolloutContext,
  type ServiceSnapshot,
} from '../../src/ecs/rollout.ts';

const OLD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6';
const NEW = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7';

function d(over: Partial<DeploymentSnapshot>): DeploymentSnapshot {
  return {
    id: 'ecs-svc/ours',
    status: 'PRIMARY',
    taskDefinition: NEW,
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: undefined,
    createdAt: 0,
    ...over,
  };
}
const old = (over: Partial<DeploymentSnapshot> = {}) =>
  d({
    id: 'ecs-svc/old',
    status: 'ACTIVE',
    taskDefinition: OLD,
    runningCount: 2,
    rolloutState: 'COMPLETED',
    ...over,
  });
const svc = (...deployments: DeploymentSnapshot[]): ServiceSnapshot => ({ status: 'ACTIVE', deployments });
const ctx: RolloutContext = {
  deploymentId: 'ecs-svc/ours',
  previousTaskDefinition: OLD,
  definitiveFailures: 0,
  failFastAfter: 2,
  lastFailure: undefined,
  ecsRollbackEvidence: undefined,
};

describe('evaluateRollout', () => {
  it.each<[string, ServiceSnapshot, Partial<RolloutContext>, string, RegExp?]>([
    ['starting', svc(d({ pendingCount: 2 }), old()), {}, 'in-progress'],
    ['running but old tasks not drained yet', svc(d({ runningCount: 2 }), old()), {}, 'in-progress'],
    [
      'COMPLETED with all tasks running',
      svc(d({ runningCount: 2, rolloutState: 'COMPLETED' })),
      {},
      'completed',
    ],
    ['COMPLETED but a task short', svc(d({ runningCount: 1, rolloutState: 'COMPLETED' })), {}, 'in-progress'],
    [
      'no rollout state: ours alone, all running',
      svc(d({ runningCount: 2, rolloutState: undefined })),
      {},
      'completed',
    ],
    [
      'no rollout state: old still there',
      svc(d({ runningCount: 2, rolloutState: undefined }), old()),
      {},
      'in-progress',
    ],
    [
      'FAILED by the circuit breaker',
      svc(
        d({
          status: 'ACTIVE',
          rolloutState: 'FAILED',
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        }),
        old({ status: 'PRIMARY', id: 'ecs-svc/rb' }),
      ),
      { lastFailure: 'task 1: CannotPullContainerError' },
      'failed',
      /circuit breaker: tasks failed to start.*last stopped task: task 1: CannotPullContainerError/,
    ],
    [
      'ECS rollback after ours vanished, with evidence',
      svc(old({ status: 'PRIMARY', id: 'ecs-svc/rb', rolloutState: 'IN_PROGRESS' })),
      { ecsRollbackEvidence: 'ROLLBACK_IN_PROGRESS' },
      'failed',
      /ECS rolled the service back to .*web:6 \(deployment ecs-svc\/rb\): ROLLBACK_IN_PROGRESS/,
    ],
    [
      'someone else deployed the old revision while ours was healthy',
      svc(
        d({ status: 'ACTIVE', runningCount: 1 }),
        old({ status: 'PRIMARY', id: 'ecs-svc/theirs', rolloutState: 'IN_PROGRESS' }),
      ),
      {},
      'failed',
      /another deployment \(ecs-svc\/theirs.*someone else updated the service/,
    ],
    [
      'someone else deployed a third revision',
      svc(d({ status: 'ACTIVE' }), d({ id: 'ecs-svc/theirs', taskDefinition: 'arn:x:8' })),
      {},
      'failed',
      /another deployment/,
    ],
    [
      'ours gone without trace',
      svc(old({ status: 'PRIMARY', id: 'ecs-svc/x', taskDefinition: 'arn:x:9' })),
      {},
      'failed',
      /another deployment/,
    ],
    [
      'fail fast after 2 definitive failures',
      svc(d({ failedTasks: 2 }), old()),
      { definitiveFailures: 2, lastFailure: 'exit 1' },
      'failed',
      /2 task\(s\) of the new revision failed for good \(last: exit 1\)/,
    ],
    [
      'fail-fast disabled',
      svc(d({ failedTasks: 5 }), old()),
      { definitiveFailures: 5, failFastAfter: 0 },
      'in-progress',
    ],
    ['service deleted', { status: 'DRAINING', deployments: [d({})] }, {}, 'failed', /service is DRAINING/],
  ])('%s → %s', (_name, service, over, kind, reason) => {
    const verdict = evaluateRollout(service, { ...ctx, ...over });
    expect(verdict.kind).toBe(kind);
    if (reason && verdict.kind === 'failed') expect(verdict.reason).toMatch(reason);
  });

  it('marks ECS rollbacks so the action waits for them instead of starting its own', () => {
    const verdict = evaluateRollout(
      svc(d({ status: 'ACTIVE', rolloutState: 'FAILED' }), old({ status: 'PRIMARY', id: 'ecs-svc/rb' })),
      ctx,
    );
    expect(verdict).toMatchObject({ kind: 'failed', ecsRollbackId: 'ecs-svc/rb' });
    const theirs = evaluateRollout(
      svc(d({ status: 'ACTIVE' }), old({ status: 'PRIMARY', id: 'ecs-svc/t' })),
      ctx,
    );
    expect(theirs).not.toHaveProperty('ecsRollbackId');
  });
});

describe('classifyStoppedTask', () => {
  const task = (over: object) => ({
    taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/c/0123abcd',
    taskDefinitionArn: NEW,
    stopCode: undefined,
    stoppedReason: undefined,
    containers: [],
    ...over,
  });
  const essential = new Set(['app']);
  it.each<[string, object, boolean, string]>([
    [
      'image cannot be pulled',
      {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: not found',
        containers: [{ name: 'app', exitCode: undefined, reason: 'CannotPullContainerError: not found' }],
      },
      true,
      'task 0123abcd: TaskFailedToStart: CannotPullContainerError: not found',
    ],
    [
      'essential container exits 1',
      {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'app', exitCode: 1, reason: undefined }],
      },
      true,
      'task 0123abcd: EssentialContainerExited: Essential container in task exited; app: exit 1',
    ],
    [
      'non-essential sidecar exits 1',
      {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [
          { name: 'log', exitCode: 1, reason: undefined },
          { name: 'app', exitCode: 0, reason: undefined },
        ],
      },
      false,
      'task 0123abcd: EssentialContainerExited: Essential container in task exited; log: exit 1; app: exit 0',
    ],
    [
      'secrets could not be fetched',
      { stopCode: 'TaskFailedToStart', stoppedReason: 'ResourceInitializationError: unable to pull secrets' },
      true,
      'task 0123abcd: TaskFailedToStart: ResourceInitializationError: unable to pull secrets',
    ],
    [
      'failed health checks (may pass on a retry)',
      { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks' },
      false,
      'task 0123abcd: ServiceSchedulerInitiated: Task failed container health checks',
    ],
    [
      'scaled in by the deployment',
      {
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
        containers: [{ name: 'app', exitCode: 0, reason: undefined }],
      },
      false,
      'task 0123abcd: ServiceSchedulerInitiated: Scaling activity initiated by (deployment ecs-svc/1); app: exit 0',
    ],
  ])('%s', (_name, over, definitive, summary) => {
    const verdict = classifyStoppedTask(task(over), essential);
    expect(verdict).toEqual({ definitive, summary });
  });
});
