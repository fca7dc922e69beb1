// ECS deployment alarms in the sandbox: an alarm that goes to ALARM fails the deployment and starts the
// rollback; the rollback is not failed by the same transition that started it.
import { describe, expect, it } from 'vitest';
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { uniqueName } from './helpers.ts';
import {
  NETWORK,
  describeService,
  ecsClient,
  newCluster,
  registerWeb,
  waitFor,
  waitRollout,
} from './ecs-helpers.ts';

const ecs = ecsClient();
const cloudwatch = new CloudWatchClient({ maxAttempts: 1, endpoint: process.env.AWS_ENDPOINT_URL_ECS });

async function setAlarm(name: string, state: 'OK' | 'ALARM'): Promise<void> {
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: state }));
}

describe('ECS deployment alarms', () => {
  it('fails the deployment on ALARM and rolls back to completion while the alarm stays in ALARM', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('web');
    const alarm = uniqueName('latency');
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: alarm,
        MetricName: 'TargetResponseTime',
        Namespace: 'AWS/ApplicationELB',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await setAlarm(alarm, 'OK');
    const td1 = await registerWeb(ecs, family);
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: td1,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        deploymentConfiguration: { alarms: { alarmNames: [alarm], enable: true, rollback: true } },
      }),
    );
    const first = created.service!.deployments![0]!.id!;
    await waitRollout(ecs, cluster, 'web', first, 'COMPLETED');

    const td2 = await registerWeb(ecs, family, { environment: [{ name: 'V', value: '2' }] });
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: td2 }),
    );
    const second = updated.service!.deployments![0]!.id!;
    await setAlarm(alarm, 'ALARM');
    const failed = await waitRollout(ecs, cluster, 'web', second, 'FAILED');
    const bad = failed.deployments!.find((d) => d.id === second)!;
    expect(bad.rolloutStateReason).toBe(`ECS deployment failed: alarm(s) detected: ${alarm}.`);
    const rollback = failed.deployments!.find((d) => d.status === 'PRIMARY')!;
    expect(rollback.id).not.toBe(second);
    expect(rollback.taskDefinition).toBe(td1);

    // The alarm is still in ALARM: the rollback is judged by its tasks, not by the transition that started it.
    const done = await waitRollout(ecs, cluster, 'web', rollback.id!, 'COMPLETED');
    expect(done.taskDefinition).toBe(td1);
    const record = await waitFor('the rollback recorded', async () => {
      const svc = await describeService(ecs, cluster, 'web');
      const out = await ecs.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [svc.currentServiceDeployment!] }),
      );
      const r = out.serviceDeployments?.[0];
      return r?.status === 'ROLLBACK_SUCCESSFUL' ? r : undefined;
    });
    expect(record.rollback?.reason).toMatch(new RegExp(`CloudWatch alarm\\(s\\) ${alarm} went into ALARM`));
  });
});
