import { describe, expect, it } from 'vitest';
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type TargetTrackingScalingPolicyConfiguration,
} from '@aws-sdk/client-application-auto-scaling';
import { CreateServiceCommand } from '@aws-sdk/client-ecs';
import { control, uniqueName } from './helpers.ts';
import { NETWORK, describeService, ecsClient, newCluster, registerWeb, waitFor } from './ecs-helpers.ts';
import { EcsSandboxControl } from '../aws/ecs/control-client.ts';

const ecs = ecsClient();
const aas = (overrides: ConstructorParameters<typeof ApplicationAutoScalingClient>[0] = {}) =>
  new ApplicationAutoScalingClient({ maxAttempts: 1, ...overrides });
const DIMENSION = 'ecs:service:DesiredCount' as const;
const LABEL = 'app/web-alb/50dc6c495c0c9188/targetgroup/web-tg/943f017f100becff';

async function service(desiredCount = 2): Promise<{ cluster: string; resourceId: string }> {
  const cluster = await newCluster(ecs);
  const td = await registerWeb(ecs, uniqueName('scaling'));
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'web',
      taskDefinition: td,
      desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
    }),
  );
  return { cluster, resourceId: `service/${cluster}/web` };
}

async function describeTarget(resourceId: string) {
  const out = await aas().send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId] }),
  );
  return out.ScalableTargets ?? [];
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('Application Auto Scaling (sandbox, through @aws-sdk/client-application-auto-scaling)', () => {
  it('registers an ECS scalable target, describes it and moves the service into the new range', async () => {
    const { cluster, resourceId } = await service(1);
    const out = await aas().send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: resourceId,
        ScalableDimension: DIMENSION,
        MinCapacity: 2,
        MaxCapacity: 5,
      }),
    );
    expect(out.ScalableTargetARN).toMatch(
      /^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\/[0-9a-z]{36}$/,
    );
    const [target, ...rest] = await describeTarget(resourceId);
    expect(rest).toEqual([]);
    expect(target).toMatchObject({
      ServiceNamespace: 'ecs',
      ResourceId: resourceId,
      ScalableDimension: DIMENSION,
      MinCapacity: 2,
      MaxCapacity: 5,
      ScalableTargetARN: out.ScalableTargetARN,
      SuspendedState: {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
      },
    });
    expect(target!.RoleARN).toContain('AWSServiceRoleForApplicationAutoScaling_ECSService');
    expect(target!.CreationTime).toBeInstanceOf(Date);
    // Desired count 1 is below the new minimum: Application Auto Scaling raises it to 2.
    expect((await describeService(ecs, cluster, 'web')).desiredCount).toBe(2);
  });

  it('updates only what a re-registration gives (suspended state kept unless given)', async () => {
    const { resourceId } = await service();
    const register = (extra: object) =>
      aas().send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: resourceId,
          ScalableDimension: DIMENSION,
          ...extra,
        }),
      );
    await register({ MinCapacity: 1, MaxCapacity: 4 });
    await register({ SuspendedState: { DynamicScalingInSuspended: true } });
    let [t] = await describeTarget(resourceId);
    expect(t).toMatchObject({
      MinCapacity: 1,
      MaxCapacity: 4,
      SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: false },
    });
    await register({ MaxCapacity: 6 });
    [t] = await describeTarget(resourceId);
    expect(t).toMatchObject({
      MinCapacity: 1,
      MaxCapacity: 6,
      SuspendedState: { DynamicScalingInSuspended: true },
    });
  });

  it('refuses what AWS refuses: min above max, a first registration without capacities, a missing service', async () => {
    const { resourceId } = await service();
    const base = { ServiceNamespace: 'ecs' as const, ResourceId: resourceId, ScalableDimension: DIMENSION };
    expect(
      await errorOf(
        aas().send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 5, MaxCapacity: 2 })),
      ),
    ).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(
      await errorOf(aas().send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 1 }))),
    ).toMatchObject({
      name: 'ValidationException',
    });
    const missing = await errorOf(
      aas().send(
        new RegisterScalableTargetCommand({
          ...base,
          ResourceId: `service/${uniqueName('nope')}/web`,
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    );
    expect(missing.name).toBe('ValidationException');
    expect(missing.message).toMatch(/ECS service doesn't exist/);
  });

  it('puts, replaces, describes and deletes target-tracking policies', async () => {
    const { resourceId } = await service();
    const base = { ServiceNamespace: 'ecs' as const, ResourceId: resourceId, ScalableDimension: DIMENSION };
    const noTarget = await errorOf(
      aas().send(
        new PutScalingPolicyCommand({
          ...base,
          PolicyName: 'cpu',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 60,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          },
        }),
      ),
    );
    expect(noTarget.name).toBe('ObjectNotFoundException');
    await aas().send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 1, MaxCapacity: 4 }));
    const put = (name: string, config: TargetTrackingScalingPolicyConfiguration) =>
      aas().send(
        new PutScalingPolicyCommand({
          ...base,
          PolicyName: name,
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: config,
        }),
      );
    const cpu = await put('cpu', {
      TargetValue: 60,
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    });
    expect(cpu.PolicyARN).toMatch(
      new RegExp(
        `^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource/ecs/${resourceId}:policyName/cpu$`,
      ),
    );
    expect(cpu.Alarms?.map((a) => a.AlarmName!.replace(/-[0-9a-f-]{36}$/, ''))).toEqual([
      `TargetTracking-${resourceId}-AlarmHigh`,
      `TargetTracking-${resourceId}-AlarmLow`,
    ]);
    await put('requests', {
      TargetValue: 500,
      PredefinedMetricSpecification: {
        PredefinedMetricType: 'ALBRequestCountPerTarget',
        ResourceLabel: LABEL,
      },
    });
    // Same name again: replaced in place, same ARN.
    const again = await put('cpu', {
      TargetValue: 70,
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    });
    expect(again.PolicyARN).toBe(cpu.PolicyARN);
    const described = await aas().send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId }),
    );
    expect(
      described.ScalingPolicies?.map((p) => [
        p.PolicyName,
        p.TargetTrackingScalingPolicyConfiguration?.TargetValue,
      ]),
    ).toEqual([
      ['cpu', 70],
      ['requests', 500],
    ]);
    expect(
      described.ScalingPolicies?.[1]?.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification,
    ).toEqual({
      PredefinedMetricType: 'ALBRequestCountPerTarget',
      ResourceLabel: LABEL,
    });
    await aas().send(new DeleteScalingPolicyCommand({ ...base, PolicyName: 'cpu' }));
    expect(
      await errorOf(aas().send(new DeleteScalingPolicyCommand({ ...base, PolicyName: 'cpu' }))),
    ).toMatchObject({ name: 'ObjectNotFoundException' });
    const left = await aas().send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId }),
    );
    expect(left.ScalingPolicies?.map((p) => p.PolicyName)).toEqual(['requests']);
  });

  it('validates target-tracking configurations: ResourceLabel only and always with ALBRequestCountPerTarget', async () => {
    const { resourceId } = await service();
    const base = { ServiceNamespace: 'ecs' as const, ResourceId: resourceId, ScalableDimension: DIMENSION };
    await aas().send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 1, MaxCapacity: 4 }));
    const put = (spec: object) =>
      errorOf(
        aas().send(
          new PutScalingPolicyCommand({
            ...base,
            PolicyName: 'p',
            PolicyType: 'TargetTrackingScaling',
            TargetTrackingScalingPolicyConfiguration: {
              TargetValue: 50,
              PredefinedMetricSpecification: spec as never,
            },
          }),
        ),
      );
    for (const spec of [
      { PredefinedMetricType: 'ALBRequestCountPerTarget' },
      { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: 'targetgroup/web/1' },
      { PredefinedMetricType: 'ECSServiceAverageCPUUtilization', ResourceLabel: LABEL },
      { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' },
    ]) {
      expect(await put(spec), JSON.stringify(spec)).toMatchObject({
        name: 'ValidationException',
        status: 400,
      });
    }
  });

  it('deregistering removes the target and its policies', async () => {
    const { resourceId } = await service();
    const base = { ServiceNamespace: 'ecs' as const, ResourceId: resourceId, ScalableDimension: DIMENSION };
    await aas().send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 1, MaxCapacity: 4 }));
    await aas().send(
      new PutScalingPolicyCommand({
        ...base,
        PolicyName: 'memory',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 70,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
        },
      }),
    );
    await aas().send(new DeregisterScalableTargetCommand(base));
    expect(await describeTarget(resourceId)).toEqual([]);
    const policies = await aas().send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId }),
    );
    expect(policies.ScalingPolicies).toEqual([]);
    expect(await errorOf(aas().send(new DeregisterScalableTargetCommand(base)))).toMatchObject({
      name: 'ObjectNotFoundException',
    });
  });

  it('turns scale-in off while an ECS deployment is in progress; scale-out goes on', async () => {
    const before = await new EcsSandboxControl().timeScale();
    await new EcsSandboxControl().setTimeScale(1);
    try {
      const { resourceId } = await service(2);
      await aas().send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: resourceId,
          ScalableDimension: DIMENSION,
          MinCapacity: 1,
          MaxCapacity: 4,
        }),
      );
      await expect(control().scale(resourceId, 'in', 1)).rejects.toThrow(
        /HTTP 409.*turned off while an ECS deployment .* is in progress/,
      );
      expect(await control().scale(resourceId, 'out', 3)).toMatchObject({ from: 2, to: 3 });
    } finally {
      await new EcsSandboxControl().setTimeScale(before);
    }
  });

  it('scales the ECS service when told to: clamped to min/max, refused while that direction is suspended', async () => {
    const { cluster, resourceId } = await service(2);
    await waitFor('the first deployment to complete', async () => {
      const svc = await describeService(ecs, cluster, 'web');
      return svc.deployments?.every((d) => d.rolloutState === 'COMPLETED') ? svc : undefined;
    });
    const base = { ServiceNamespace: 'ecs' as const, ResourceId: resourceId, ScalableDimension: DIMENSION };
    await aas().send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 2, MaxCapacity: 4 }));
    expect(await control().scale(resourceId, 'out', 9)).toMatchObject({ from: 2, to: 4, requested: 9 });
    expect((await describeService(ecs, cluster, 'web')).desiredCount).toBe(4);

    await aas().send(
      new RegisterScalableTargetCommand({ ...base, SuspendedState: { DynamicScalingInSuspended: true } }),
    );
    await expect(control().scale(resourceId, 'in', 2)).rejects.toThrow(/HTTP 409.*scaling in is suspended/);
    expect((await describeService(ecs, cluster, 'web')).desiredCount).toBe(4);
    // Scale-out still works while only scale-in is suspended (it is already at max: stays at 4).
    await aas().send(new RegisterScalableTargetCommand({ ...base, MaxCapacity: 6 }));
    expect(await control().scale(resourceId, 'out', 5)).toMatchObject({ from: 4, to: 5 });

    await aas().send(
      new RegisterScalableTargetCommand({ ...base, SuspendedState: { DynamicScalingInSuspended: false } }),
    );
    expect(await control().scale(resourceId, 'in', 0)).toMatchObject({ from: 5, to: 2 });
    expect((await describeService(ecs, cluster, 'web')).desiredCount).toBe(2);
    await expect(control().scale(resourceId, 'in', 3)).rejects.toThrow(/HTTP 409.*not a scale-in/);
  });

  it('verifies SigV4 like every sandbox service (wrong secret → InvalidSignatureException)', async () => {
    const err = await errorOf(
      aas({
        credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: 'wrong-secret' },
      }).send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' })),
    );
    expect(err).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
  });

  it('pages DescribeScalableTargets with MaxResults and NextToken', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { resourceId } = await service(1);
      ids.push(resourceId);
      await aas().send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: resourceId,
          ScalableDimension: DIMENSION,
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      );
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = await aas().send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: 'ecs',
          ResourceIds: ids,
          MaxResults: 2,
          NextToken: token,
        }),
      );
      expect(out.ScalableTargets!.length).toBeLessThanOrEqual(2);
      seen.push(...out.ScalableTargets!.map((t) => t.ResourceId!));
      token = out.NextToken;
    } while (token);
    expect(seen.sort()).toEqual([...ids].sort());
  });
});
