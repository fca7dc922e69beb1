import {
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { describeAwsError } from '../aws/errors.ts';
import type { Clock } from '../deploy/clock.ts';
import { formatDuration } from '../deploy/duration.ts';
import type { Log } from '../deploy/log.ts';
import { Backoff, classifyError } from '../deploy/retry.ts';
import { classifyStoppedTask } from './rollout.ts';
import { toStoppedTask } from './service-api.ts';

export class PreDeployFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreDeployFailedError';
  }
}

export interface PreDeployOptions {
  readonly ecs: ECSClient;
  readonly cluster: string;
  /** The first service: its network configuration and launch settings are the task's. */
  readonly service: Service;
  readonly taskDefinitionArn: string;
  /** The container whose command is replaced (the first that runs the new image). */
  readonly container: string;
  readonly command: readonly string[];
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly log: Log;
}

/** Runs the one-off task (migrations) and requires it to stop with exit code 0 before any service changes. */
export async function runPreDeployTask(options: PreDeployOptions): Promise<void> {
  const { ecs, cluster, service, clock, log } = options;
  let taskArn: string | undefined;
  try {
    const out = await ecs.send(
      new RunTaskCommand({
        cluster,
        taskDefinition: options.taskDefinitionArn,
        count: 1,
        startedBy: 'ecr-deploy/pre-deploy',
        networkConfiguration: service.networkConfiguration,
        ...(service.capacityProviderStrategy?.length
          ? { capacityProviderStrategy: service.capacityProviderStrategy }
          : { launchType: service.launchType }),
        ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
        overrides: { containerOverrides: [{ name: options.container, command: [...options.command] }] },
      }),
    );
    taskArn = out.tasks?.[0]?.taskArn;
    if (!taskArn) {
      const failure = out.failures?.[0];
      throw new PreDeployFailedError(
        `The pre-deploy task could not start: ${failure?.reason ?? 'no task'}${failure?.detail ? ` (${failure.detail})` : ''}. No service was updated.`,
      );
    }
  } catch (error) {
    if (error instanceof PreDeployFailedError) throw error;
    throw describeAwsError('RunTask', error, {
      permission: 'ecs:RunTask and iam:PassRole',
      subject: 'the pre-deploy task',
    });
  }
  log.info(
    `Pre-deploy task ${taskArn.split('/').at(-1)} started: ${JSON.stringify(options.command)} in ${options.container}`,
  );
  const deadline = clock.now() + options.timeoutMs;
  let last = '';
  // Polled every 2 s; throttling and transient errors slow it down and are asked again until the deadline.
  const backoff = new Backoff({ initialMs: 4000, maxMs: 16_000 });
  let delay = 2000;
  while (clock.now() < deadline) {
    await clock.sleep(Math.min(delay, Math.max(0, deadline - clock.now())));
    let task: Task | undefined;
    try {
      task = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }))).tasks?.[0];
      backoff.reset();
      delay = 2000;
    } catch (error) {
      const described = describeAwsError('DescribeTasks', error, {
        permission: 'ecs:DescribeTasks',
        subject: 'the pre-deploy task',
      });
      if (classifyError(error) === 'permanent') throw described;
      delay = backoff.next();
      log.warning(`${described.message} (asking again in ${formatDuration(delay)})`);
      continue;
    }
    if (!task) continue;
    if (task.lastStatus !== last) {
      last = task.lastStatus ?? '';
      log.info(`Pre-deploy task: ${last}`);
    }
    if (task.lastStatus !== 'STOPPED') continue;
    const container = task.containers?.find((c) => c.name === options.container);
    const summary = classifyStoppedTask(toStoppedTask(task), new Set([options.container])).summary;
    if (container?.exitCode === 0) {
      log.info(`Pre-deploy task finished with exit code 0 (${summary}).`);
      return;
    }
    throw new PreDeployFailedError(
      `The pre-deploy task did not succeed (${summary}). No service was updated.`,
    );
  }
  try {
    await ecs.send(
      new StopTaskCommand({ cluster, task: taskArn, reason: 'ecr-deploy: pre-deploy task timed out' }),
    );
  } catch (error) {
    log.warning(`Could not stop the pre-deploy task ${taskArn}: ${(error as Error).message}`);
  }
  throw new PreDeployFailedError(
    `The pre-deploy task did not stop within ${formatDuration(options.timeoutMs)} (last status ${last || 'unknown'}); it was stopped. No service was updated.`,
  );
}
