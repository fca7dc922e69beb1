import {
  ListServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { describeAwsError, errorName } from '../aws/errors.ts';
import type { DeploymentSnapshot, ServiceSnapshot, StoppedTaskSnapshot } from './rollout.ts';

export function toServiceSnapshot(service: Service): ServiceSnapshot {
  return {
    status: service.status ?? 'UNKNOWN',
    deployments: (service.deployments ?? []).map((d): DeploymentSnapshot => ({
      id: d.id ?? '',
      status: d.status ?? '',
      taskDefinition: d.taskDefinition ?? '',
      desiredCount: d.desiredCount ?? 0,
      runningCount: d.runningCount ?? 0,
      pendingCount: d.pendingCount ?? 0,
      failedTasks: d.failedTasks ?? 0,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
      createdAt: d.createdAt?.getTime(),
    })),
  };
}

export function toStoppedTask(task: Task): StoppedTaskSnapshot {
  return {
    taskArn: task.taskArn ?? '',
    taskDefinitionArn: task.taskDefinitionArn ?? '',
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    containers: (task.containers ?? []).map((c) => ({
      name: c.name ?? '',
      exitCode: c.exitCode,
      reason: c.reason,
    })),
  };
}

/** DescribeServices, at most 10 services per call (the API's limit); missing services are absent. */
export async function describeServices(
  ecs: ECSClient,
  cluster: string,
  names: readonly string[],
): Promise<Map<string, Service>> {
  const found = new Map<string, Service>();
  for (let i = 0; i < names.length; i += 10) {
    const chunk = names.slice(i, i + 10);
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: chunk }));
    for (const s of out.services ?? []) {
      const key = chunk.find((n) => n === s.serviceName || n === s.serviceArn);
      if (key) found.set(key, s);
    }
  }
  return found;
}

/** The stopped tasks a deployment started (ECS sets `startedBy` to the deployment id). */
export async function stoppedTasksOf(ecs: ECSClient, cluster: string, deploymentId: string): Promise<Task[]> {
  try {
    const list = await ecs.send(
      new ListTasksCommand({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100 }),
    );
    const arns = list.taskArns ?? [];
    if (arns.length === 0) return [];
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) }));
    return out.tasks ?? [];
  } catch (error) {
    throw describeAwsError('ListTasks/DescribeTasks', error, {
      permission: 'ecs:ListTasks and ecs:DescribeTasks',
      subject: `the stopped tasks of ${deploymentId}`,
    });
  }
}

/**
 * Whether ECS rolled a deployment back on its own (circuit breaker), from the service deployments API: used
 * when our deployment has already left `deployments[]`. `answered: false` when the API cannot be asked.
 */
export async function ecsRollbackSince(
  ecs: ECSClient,
  cluster: string,
  service: string,
  since: number,
): Promise<{ readonly answered: boolean; readonly rollback?: string }> {
  try {
    const out = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster, service, createdAt: { after: new Date(since) } }),
    );
    const rolled = (out.serviceDeployments ?? []).find((d) => d.status?.startsWith('ROLLBACK_'));
    return rolled
      ? {
          answered: true,
          rollback: `${rolled.status}${rolled.statusReason ? ` (${rolled.statusReason})` : ''}`,
        }
      : { answered: true };
  } catch (error) {
    // Without ecs:ListServiceDeployments (or on an API without it) the wait falls back; other errors count.
    if (
      ['AccessDeniedException', 'UnknownOperationException', 'UnsupportedOperation'].includes(
        errorName(error) ?? '',
      )
    ) {
      return { answered: false };
    }
    throw describeAwsError('ListServiceDeployments', error, {
      permission: 'ecs:ListServiceDeployments',
      subject: `service ${service}`,
    });
  }
}
