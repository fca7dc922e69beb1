// Auto scaling end to end: the bundled dist/ with the auto-scaling input against the sandbox's ECS and
// Application Auto Scaling (registered and idempotent, scale-in suspended during the rollout and restored
// after success and failure, a scale-out during the deploy kept).
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { SandboxControl } from '../sandbox/control-client.ts';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';
import { E2E_TEST_MS, branchPush, repoName, sandbox, sha, workspace } from './helpers.ts';
import { describeService, ecsService } from './ecs.ts';

const control = () => new SandboxControl();
const aas = () => new ApplicationAutoScalingClient({ region: process.env.AWS_REGION, maxAttempts: 1 });
const WRITES = [
  'RegisterScalableTarget',
  'PutScalingPolicy',
  'DeleteScalingPolicy',
  'DeregisterScalableTarget',
];
let host: string;
let repository: string;
let digest: string;
let v1: string;

function deploy(inputs: Record<string, string>) {
  return runAction({
    inputs: {
      image: `${host}/${repository}@${digest}`,
      'ecs-service': 'web',
      timeout: '2m',
      'auto-scaling': 'min=2\nmax=5\ncpu=60\nmemory=75',
      ...inputs,
    },
    event: branchPush('main', sha(0x300)),
    workspace: workspace(),
    env: sandbox(),
  });
}

async function target(resourceId: string) {
  const out = await aas().send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId] }),
  );
  return out.ScalableTargets?.[0];
}

async function writes(resourceId: string): Promise<string[]> {
  return (await control().calls({ service: 'application-autoscaling' }))
    .filter((c) => WRITES.includes(c.operation) && c.status === 200)
    .filter((c) => JSON.stringify(c.params).includes(resourceId))
    .map((c) => c.operation);
}

/** Polls until scale-in is seen suspended (the rollout is under way); returns false if the run ended first. */
async function untilSuspended(resourceId: string, running: Promise<unknown>): Promise<boolean> {
  let done = false;
  void running.then(() => (done = true));
  while (!done) {
    if ((await target(resourceId))?.SuspendedState?.DynamicScalingInSuspended) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

beforeAll(async () => {
  host = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('ecs-scaling');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x2ff)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  digest = built.outputs['image-digest']!;
  v1 = `${host}/${repository}:v1`;
});

afterEach(async () => {
  await control().clearFaults();
  await new EcsSandboxControl().setTimeScale(0.02);
});

describe('ECS auto scaling, end to end through dist/ against the sandbox', { timeout: E2E_TEST_MS }, () => {
  it('registers the scalable target and policies; the same deploy again writes nothing', async () => {
    const f = await ecsService(`aas-idem-${Date.now().toString(36)}`, v1);
    const resourceId = `service/${f.cluster}/web`;
    await control().clearCalls();
    const run = await deploy({ 'ecs-cluster': f.cluster });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    expect(JSON.parse(run.outputs.results!)[0].autoScaling).toBe('2–5 tasks, cpu 60 %, memory 75 %');
    expect(await target(resourceId)).toMatchObject({
      MinCapacity: 2,
      MaxCapacity: 5,
      SuspendedState: { DynamicScalingInSuspended: false },
    });
    const policies = await aas().send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId }),
    );
    expect(
      policies.ScalingPolicies?.map((p) => [
        p.PolicyName,
        p.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification?.PredefinedMetricType,
        p.TargetTrackingScalingPolicyConfiguration?.TargetValue,
      ]),
    ).toEqual([
      ['ecr-deploy-cpu', 'ECSServiceAverageCPUUtilization', 60],
      ['ecr-deploy-memory', 'ECSServiceAverageMemoryUtilization', 75],
    ]);
    expect(await writes(resourceId)).toEqual([
      'RegisterScalableTarget',
      'PutScalingPolicy',
      'PutScalingPolicy',
      'RegisterScalableTarget',
    ]);

    await control().clearCalls();
    const again = await deploy({ 'ecs-cluster': f.cluster });
    expect(again.main.exitCode, again.main.stdout).toBe(0);
    expect(again.outputs['rollout-status']).toBe('unchanged');
    expect(await writes(resourceId)).toEqual([]);
    expect(await control().calls({ service: 'ecs', operation: 'UpdateService' })).toEqual([]);
  });

  it('suspends scale-in during the rollout, keeps a scale-out made meanwhile, and restores scale-in', async () => {
    const f = await ecsService(`aas-roll-${Date.now().toString(36)}`, v1);
    const resourceId = `service/${f.cluster}/web`;
    await new EcsSandboxControl().setTimeScale(0.3);
    const running = deploy({ 'ecs-cluster': f.cluster });
    expect(await untilSuspended(resourceId, running)).toBe(true);
    // Mid-rollout: scale-in is refused, scale-out goes through (clamped to max 5).
    await expect(control().scale(resourceId, 'in', 2)).rejects.toThrow(/HTTP 409.*suspended/);
    expect(await control().scale(resourceId, 'out', 9)).toMatchObject({ to: 5 });
    const run = await running;
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    expect(run.main.stdout).toMatch(/dynamic scale-in suspended for the rollout/);
    expect(run.main.stdout).toMatch(/dynamic scale-in restored/);
    expect((await target(resourceId))?.SuspendedState).toEqual({
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false,
    });
    // The action never set desiredCount: the count auto scaling chose stays.
    const svc = await describeService(f.cluster, 'web');
    expect(svc.desiredCount).toBe(5);
    expect(svc.taskDefinition).toBe(run.outputs['task-definition-arn']);
  });

  it('restores scale-in after a failed rollout that was rolled back', async () => {
    const f = await ecsService(`aas-fail-${Date.now().toString(36)}`, v1, { circuitBreaker: false });
    const resourceId = `service/${f.cluster}/web`;
    const running = deploy({ 'ecs-cluster': f.cluster, containers: `app=${host}/${repository}:no-such-tag` });
    expect(await untilSuspended(resourceId, running)).toBe(true);
    const run = await running;
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('rolled-back');
    expect((await target(resourceId))?.SuspendedState?.DynamicScalingInSuspended).toBe(false);
    expect(run.main.stdout).toMatch(/dynamic scale-in suspended for the rollback/);
  });

  it('desired-count with a scalable target: a warning, and the count clamped to max', async () => {
    const f = await ecsService(`aas-count-${Date.now().toString(36)}`, v1);
    const run = await deploy({ 'ecs-cluster': f.cluster, 'desired-count': '9' });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.stdout).toMatch(
      /::warning::web: desired-count 9 is set while Application Auto Scaling owns the count \(2–5 tasks\), clamped to 5/,
    );
    expect((await describeService(f.cluster, 'web')).desiredCount).toBe(5);
  });

  it('AccessDenied on Application Auto Scaling fails before the service is changed, naming the permission', async () => {
    const f = await ecsService(`aas-denied-${Date.now().toString(36)}`, v1);
    await control().clearCalls();
    await control().addFaults({
      service: 'application-autoscaling',
      operation: 'DescribeScalableTargets',
      kind: 'error',
      errorType: 'AccessDeniedException',
      httpStatus: 400,
      message:
        'User: arn:aws:iam::123456789012:user/sandbox is not authorized to perform: application-autoscaling:DescribeScalableTargets',
    });
    const run = await deploy({ 'ecs-cluster': f.cluster });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.stdout).toMatch(/Allow application-autoscaling:DescribeScalableTargets/);
    expect(await control().calls({ service: 'ecs', operation: 'UpdateService' })).toEqual([]);
    expect((await describeService(f.cluster, 'web')).taskDefinition).toBe(f.taskDefinitionArn);
  });
});
