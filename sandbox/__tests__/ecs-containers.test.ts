// The fake ECS runs each task's essential container as a real container in the sandbox's Docker engine: exit
// codes, health checks and stops come from the engine. The simulated runtime stays available (opt-out).
import { describe, expect, it } from 'vitest';
import {
  CreateServiceCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { EcsSandboxControl } from '../aws/ecs/control-client.ts';
import { defaultRuntimeMode, ECS_TASK_LABEL } from '../aws/ecs/containers.ts';
import { run } from '../system.ts';
import { uniqueName } from './helpers.ts';
import {
  NETWORK,
  describeService,
  describeTasks,
  ecsClient,
  newCluster,
  registerWeb,
  waitFor,
} from './ecs-helpers.ts';

const ecs = ecsClient();
const ctl = new EcsSandboxControl();

/** Containers of the engine labelled with this task ARN: `id status` lines (`docker ps -a`). */
async function containersOf(taskArn: string): Promise<string[]> {
  const r = await run(
    'docker',
    ['ps', '-a', '--filter', `label=${ECS_TASK_LABEL}=${taskArn}`, '--format', '{{.ID}} {{.Status}}'],
    { timeoutMs: 15_000 },
  );
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

async function runTask(cluster: string, taskDefinition: string, command?: string[]): Promise<Task> {
  const out = await ecs.send(
    new RunTaskCommand({
      cluster,
      taskDefinition,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      ...(command ? { overrides: { containerOverrides: [{ name: 'web', command }] } } : {}),
    }),
  );
  return out.tasks![0]!;
}

async function waitTask(cluster: string, arn: string, ok: (t: Task) => boolean, what: string): Promise<Task> {
  return waitFor(
    what,
    async () => {
      const [t] = await describeTasks(ecs, cluster, [arn]);
      return t && ok(t) ? t : undefined;
    },
    30_000,
  );
}

describe('ECS tasks in real containers', () => {
  it('reports the exit code of a real container whose command exits 3', async () => {
    expect((await ctl.runtime()).engine).toBe(true);
    const cluster = await newCluster(ecs);
    const td = await registerWeb(ecs, uniqueName('exit'), { healthCheck: undefined }, 'real');
    // The simulated runtime would exit with 0 here (`exit $CODE` is not a literal it interprets).
    const task = await runTask(cluster, td, ['sh', '-c', 'echo real-output-$((40+2)); CODE=3; exit $CODE']);
    const seen = await waitFor('the task container in the engine', async () => {
      const c = await containersOf(task.taskArn!);
      return c.length > 0 ? c : undefined;
    });
    expect(seen).toHaveLength(1);
    const stopped = await waitTask(cluster, task.taskArn!, (t) => t.lastStatus === 'STOPPED', 'STOPPED');
    expect(stopped.stopCode).toBe('EssentialContainerExited');
    expect(stopped.containers![0]).toMatchObject({ exitCode: 3, lastStatus: 'STOPPED' });
    expect(stopped.startedAt).toBeInstanceOf(Date);
    // The container is removed once its task stopped.
    await waitFor('the container removed', async () =>
      (await containersOf(task.taskArn!)).length === 0 ? true : undefined,
    );
  });

  it('stops and removes the container of a running task on StopTask', async () => {
    const cluster = await newCluster(ecs);
    const td = await registerWeb(ecs, uniqueName('stop'), {}, 'real');
    const task = await runTask(cluster, td);
    const running = await waitTask(
      cluster,
      task.taskArn!,
      (t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY',
      'RUNNING and HEALTHY (a real wget of the real httpd)',
    );
    const id = running.containers![0]!.runtimeId!;
    const listed = await containersOf(task.taskArn!);
    expect(listed).toHaveLength(1);
    expect(id.startsWith(listed[0]!.split(' ')[0]!)).toBe(true);
    expect(listed[0]).toMatch(/ Up /);

    await ecs.send(new StopTaskCommand({ cluster, task: task.taskArn!, reason: 'done' }));
    const stopped = await waitTask(cluster, task.taskArn!, (t) => t.lastStatus === 'STOPPED', 'STOPPED');
    expect(stopped.stopCode).toBe('UserInitiated');
    // httpd as PID 1 ignores SIGTERM: the engine kills it (the exit code the container reports).
    expect(stopped.containers![0]!.exitCode).toBe(137);
    await waitFor('the container removed', async () =>
      (await containersOf(task.taskArn!)).length === 0 ? true : undefined,
    );
  });

  it('runs the health check in the container: a failing one marks the task UNHEALTHY and it is replaced', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('hc');
    // Passes in the simulated runtime (any command but exit/false passes there); fails for real (no such file).
    const td = await registerWeb(
      ecs,
      family,
      { healthCheck: { command: ['CMD-SHELL', 'test -e /no-such-file'], interval: 5, retries: 2 } },
      'real',
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: td,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
      }),
    );
    const svc = await waitFor(
      'a health-check replacement',
      async () => {
        const s = await describeService(ecs, cluster, 'web');
        const failed = s.events?.some((e) => e.message?.includes('failed container health checks'));
        const started = s.events?.filter((e) => e.message?.includes('has started 1 tasks')).length ?? 0;
        return failed && started > 1 ? s : undefined;
      },
      30_000,
    );
    const arns =
      (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web', desiredStatus: 'STOPPED' })))
        .taskArns ?? [];
    const stopped = await describeTasks(ecs, cluster, arns);
    const failed = stopped.find((t) => t.stoppedReason === 'Task failed container health checks');
    expect(failed, JSON.stringify(svc.events)).toBeDefined();
    expect(failed!.stopCode).toBe('ServiceSchedulerInitiated');
    expect(failed!.containers![0]!.healthStatus).toBe('UNHEALTHY');
    // Replaced: the scheduler started another task.
    expect(svc.events!.filter((e) => e.message?.includes('has started 1 tasks')).length).toBeGreaterThan(1);
  });

  it('keeps the simulated runtime as an opt-out (SANDBOX_ECS_RUNTIME=simulated or the control)', async () => {
    expect(defaultRuntimeMode({ SANDBOX_ECS_RUNTIME: 'simulated' })).toBe('simulated');
    expect(defaultRuntimeMode({})).toBe('real');
    const family = uniqueName('sim');
    await ctl.setRuntime('simulated', family);
    try {
      const cluster = await newCluster(ecs);
      const td = await registerWeb(ecs, family, { healthCheck: undefined });
      const task = await runTask(cluster, td, ['sh', '-c', 'echo simulated; exit 4']);
      const stopped = await waitTask(cluster, task.taskArn!, (t) => t.lastStatus === 'STOPPED', 'STOPPED');
      expect(stopped.containers![0]!.exitCode).toBe(4);
      // No container ever existed for it; the simulated runtime ids are not engine ids.
      expect(await containersOf(task.taskArn!)).toEqual([]);
      expect(stopped.containers![0]!.runtimeId).toMatch(new RegExp(`^${stopped.taskArn!.split('/').pop()}-`));
    } finally {
      await ctl.setRuntime('default', family);
    }
  });

  it('lets a scripted failure take precedence over the real container', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('scripted');
    const td = await registerWeb(ecs, family, { healthCheck: undefined }, 'real');
    await ctl.failNextTasks(`${family}:1`, 'exit', { count: 1, exitCode: 9 });
    const task = await runTask(cluster, td);
    const stopped = await waitTask(cluster, task.taskArn!, (t) => t.lastStatus === 'STOPPED', 'STOPPED');
    expect(stopped.stopCode).toBe('EssentialContainerExited');
    expect(stopped.containers![0]!.exitCode).toBe(9);
    expect(await containersOf(task.taskArn!)).toEqual([]);
  });
});
