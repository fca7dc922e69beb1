import { describe, expect, it } from 'vitest';
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { EcsSandboxControl } from '../aws/ecs/control-client.ts';
import { uniqueName } from './helpers.ts';
import {
  NETWORK,
  describeService,
  describeTasks,
  ecsClient,
  image,
  newCluster,
  registerWeb,
  waitFor,
  waitRollout,
} from './ecs-helpers.ts';

const ecs = ecsClient();
const ctl = new EcsSandboxControl();

async function createService(
  cluster: string,
  taskDefinition: string,
  opts: { desiredCount?: number; rollback?: boolean; circuitBreaker?: boolean } = {},
): Promise<string> {
  const out = await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'web',
      taskDefinition,
      desiredCount: opts.desiredCount ?? 2,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: opts.circuitBreaker ?? true, rollback: opts.rollback ?? true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
    }),
  );
  const id = out.service!.deployments![0]!.id!;
  await waitRollout(ecs, cluster, 'web', id, 'COMPLETED');
  return id;
}

async function stoppedTasksOf(cluster: string, startedBy: string): Promise<Task[]> {
  const arns =
    (await ecs.send(new ListTasksCommand({ cluster, desiredStatus: 'STOPPED', startedBy }))).taskArns ?? [];
  return (await describeTasks(ecs, cluster, arns)).filter((t) => t.lastStatus === 'STOPPED');
}

describe('ECS rolling deployments', () => {
  it('rolls a new task definition out: PRIMARY beside ACTIVE, old tasks drained, events, COMPLETED', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('web');
    const td1 = await registerWeb(ecs, family);
    const first = await createService(cluster, td1);
    const td2 = await registerWeb(ecs, family, { environment: [{ name: 'V', value: '2' }] });

    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: td2 }),
    );
    const deployments = updated.service!.deployments!;
    expect(deployments.map((d) => [d.status, d.rolloutState, d.taskDefinition])).toEqual([
      ['PRIMARY', 'IN_PROGRESS', td2],
      ['ACTIVE', 'COMPLETED', td1],
    ]);
    const id = deployments[0]!.id!;
    expect(id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(id).not.toBe(first);
    expect(deployments[0]!.rolloutStateReason).toBe(`ECS deployment ${id} in progress.`);

    // minimumHealthyPercent 100: the service never drops below 2 running, healthy tasks during the rollout.
    let minRunning = Number.POSITIVE_INFINITY;
    const done = await waitFor('completion', async () => {
      const svc = await describeService(ecs, cluster, 'web');
      minRunning = Math.min(minRunning, svc.runningCount ?? 0);
      return svc.deployments?.[0]?.rolloutState === 'COMPLETED' ? svc : undefined;
    });
    expect(minRunning).toBeGreaterThanOrEqual(2);
    expect(done.deployments).toHaveLength(1);
    expect(done.deployments![0]).toMatchObject({
      id,
      status: 'PRIMARY',
      runningCount: 2,
      desiredCount: 2,
      rolloutStateReason: `ECS deployment ${id} completed.`,
    });
    expect(done.taskDefinition).toBe(td2);
    const messages = done.events!.map((e) => e.message);
    expect(messages[0]).toBe('(service web) has reached a steady state.');
    expect(messages[1]).toBe(`(service web) (deployment ${id}) deployment completed.`);
    expect(
      messages.some((m) =>
        /^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m!),
      ),
    ).toBe(true);
    expect(
      messages.some((m) => /^\(service web\) has stopped \d running tasks: \(task [0-9a-f]{32}\)/.test(m!)),
    ).toBe(true);

    const running = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web' }))).taskArns!;
    const tasks = await describeTasks(ecs, cluster, running);
    expect(
      tasks.map((t) => [t.taskDefinitionArn, t.lastStatus, t.healthStatus, t.startedBy, t.group]),
    ).toEqual([
      [td2, 'RUNNING', 'HEALTHY', id, 'service:web'],
      [td2, 'RUNNING', 'HEALTHY', id, 'service:web'],
    ]);
    expect(tasks[0]!.containers![0]!.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const drained = await waitFor('old tasks stopped', async () => {
      const s = await stoppedTasksOf(cluster, first);
      return s.length === 2 ? s : undefined;
    });
    for (const t of drained) {
      expect(t.stopCode).toBe('ServiceSchedulerInitiated');
      expect(t.stoppedReason).toBe(`Scaling activity initiated by (deployment ${first})`);
      expect(t.stoppedAt!.getTime()).toBeGreaterThanOrEqual(t.stoppingAt!.getTime());
    }

    const list = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service: 'web' }));
    expect(list.serviceDeployments!.map((d) => d.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    const detail = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [done.currentServiceDeployment!] }),
    );
    expect(detail.serviceDeployments![0]).toMatchObject({
      status: 'SUCCESSFUL',
      deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', threshold: 3 },
    });

    const timeline = await ctl.deploymentTimeline({ cluster, service: 'web' });
    const entry = timeline.find((d) => d.id === id)!;
    expect(Date.parse(entry.completedAt!)).toBeGreaterThan(Date.parse(entry.createdAt));
  });

  it('stops tasks whose image is missing with CannotPullContainerError and rolls back via the circuit breaker', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('pull');
    const good = await registerWeb(ecs, family);
    const completed = await createService(cluster, good);
    const bad = await registerWeb(ecs, family, { image: image('busybox:does-not-exist') });
    const id = (await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: bad })))
      .service!.deployments![0]!.id!;

    const svc = await waitRollout(ecs, cluster, 'web', id, 'FAILED');
    const failed = svc.deployments!.find((d) => d.id === id)!;
    expect(failed.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(failed.failedTasks).toBeGreaterThanOrEqual(3);
    const rollback = svc.deployments![0]!;
    expect(rollback.taskDefinition).toBe(good);
    expect(rollback.rolloutStateReason).toBe(
      `ECS deployment circuit breaker: rolling back to deploymentId ${completed}.`,
    );
    const messages = svc.events!.map((e) => e.message);
    expect(messages).toContain(`(service web) (deployment ${id}) deployment failed: tasks failed to start.`);
    expect(messages).toContain(`(service web) rolling back to deployment ${completed}.`);

    const stopped = await waitFor('3 failed tasks STOPPED', async () => {
      const s = await stoppedTasksOf(cluster, id);
      return s.length >= 3 ? s : undefined;
    });
    const ref = image('busybox:does-not-exist');
    for (const t of stopped) {
      expect(t.stopCode).toBe('TaskFailedToStart');
      expect(t.stoppedReason).toBe(
        `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${ref}: ${ref}: not found`,
      );
      expect(t.containers![0]!.reason).toBe(t.stoppedReason);
      expect(t.startedAt).toBeUndefined();
    }
    const back = await waitRollout(ecs, cluster, 'web', rollback.id!, 'COMPLETED');
    expect(back.taskDefinition).toBe(good);
    expect(back.deployments).toHaveLength(1);
    const record = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service: 'web' })))
      .serviceDeployments![0]!;
    expect(record.status).toBe('ROLLBACK_SUCCESSFUL');

    const entry = (await ctl.deploymentTimeline({ cluster, service: 'web' })).find((d) => d.id === id)!;
    expect(entry.firstTaskStopCode).toBe('TaskFailedToStart');
    expect(Date.parse(entry.failedAt!)).toBeGreaterThanOrEqual(Date.parse(entry.firstTaskStoppedAt!));
  });

  it('marks a crashing deployment FAILED without rollback and stops launching (essential container exit 1)', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('crash');
    const good = await registerWeb(ecs, family);
    await createService(cluster, good, { rollback: false });
    const crash = await registerWeb(ecs, family, {
      command: ['sh', '-c', 'echo boom; exit 1'],
      healthCheck: undefined,
    });
    const id = (await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: crash })))
      .service!.deployments![0]!.id!;
    const svc = await waitRollout(ecs, cluster, 'web', id, 'FAILED');
    expect(svc.deployments![0]!.id).toBe(id);
    expect(svc.deployments![0]!.status).toBe('PRIMARY');
    // The old tasks keep serving.
    expect(svc.deployments![1]!.runningCount).toBe(2);
    const stopped = await waitFor('3 crashed tasks STOPPED', async () => {
      const s = await stoppedTasksOf(cluster, id);
      return s.length >= 3 ? s : undefined;
    });
    for (const t of stopped) {
      expect(t.stopCode).toBe('EssentialContainerExited');
      expect(t.stoppedReason).toBe('Essential container in task exited');
      expect(t.containers![0]).toMatchObject({ exitCode: 1, lastStatus: 'STOPPED' });
      expect(t.startedAt).toBeInstanceOf(Date);
    }
    await new Promise((r) => setTimeout(r, 500));
    const live = (await ecs.send(new ListTasksCommand({ cluster, startedBy: id }))).taskArns ?? [];
    expect(live).toEqual([]);
  });

  it('fails a rollout whose tasks, without a health check, crash 20 s after RUNNING (inside the 40 s window)', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('late-crash');
    const good = await registerWeb(ecs, family);
    await createService(cluster, good, { rollback: false });
    const late = await registerWeb(ecs, family, {
      command: ['sh', '-c', 'echo up; sleep 20; exit 1'],
      healthCheck: undefined,
    });
    const id = (await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: late })))
      .service!.deployments![0]!.id!;
    const svc = await waitRollout(ecs, cluster, 'web', id, 'FAILED');
    const failed = svc.deployments!.find((d) => d.id === id)!;
    expect(failed.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(failed.failedTasks).toBeGreaterThanOrEqual(3);
    // The old deployment was never drained: none of the new tasks counted as healthy.
    expect(svc.deployments!.find((d) => d.taskDefinition === good)!.runningCount).toBe(2);
    const stopped = await stoppedTasksOf(cluster, id);
    expect(stopped.length).toBeGreaterThanOrEqual(1);
    for (const t of stopped) {
      expect(t.stopCode).toBe('EssentialContainerExited');
      // It ran 20 simulated seconds: half of the window, far longer than the old 10 s one.
      const ranMs = t.executionStoppedAt!.getTime() - t.startedAt!.getTime();
      const scale = await ctl.timeScale();
      expect(ranMs).toBeGreaterThanOrEqual(20_000 * scale - 50);
      expect(ranMs).toBeLessThan(40_000 * scale);
    }
  });

  it('replaces tasks that fail their container health check', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('hc');
    const td = await registerWeb(ecs, family, {
      healthCheck: { command: ['CMD-SHELL', 'exit 1'], interval: 5, retries: 2 },
    });
    const out = await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: td,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    const id = out.service!.deployments![0]!.id!;
    const stopped = await waitFor('an unhealthy task stopped', async () => {
      const s = await stoppedTasksOf(cluster, id);
      return s.length > 0 ? s : undefined;
    });
    expect(stopped[0]).toMatchObject({
      healthStatus: 'UNHEALTHY',
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
    });
    const svc = await describeService(ecs, cluster, 'web');
    expect(svc.events!.map((e) => e.message)).toContain(
      `(service web) (task ${stopped[0]!.taskArn!.split('/').pop()}) failed container health checks.`,
    );
    expect(svc.deployments![0]!.rolloutState).toBe('IN_PROGRESS');
  });

  it('supersedes a rollout when someone else updates the service mid-rollout', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('race');
    const td1 = await registerWeb(ecs, family);
    await createService(cluster, td1);
    const td2 = await registerWeb(ecs, family, { environment: [{ name: 'V', value: '2' }] });
    const td3 = await registerWeb(ecs, family, { environment: [{ name: 'V', value: '3' }] });
    const ours = (await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: td2 })))
      .service!.deployments![0]!.id!;
    const theirs = (
      await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: td3 }))
    ).service!.deployments!;
    expect(theirs.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE', 'ACTIVE']);
    expect(theirs[1]!.id).toBe(ours);
    const done = await waitRollout(ecs, cluster, 'web', theirs[0]!.id!, 'COMPLETED');
    expect(done.deployments!.map((d) => d.id)).toEqual([theirs[0]!.id]);
    expect(done.taskDefinition).toBe(td3);
    const records = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service: 'web' })))
      .serviceDeployments!;
    expect(records.map((r) => r.status)).toEqual(['SUCCESSFUL', 'STOPPED', 'SUCCESSFUL']);
    const entry = (await ctl.deploymentTimeline({ cluster, service: 'web' })).find((d) => d.id === ours)!;
    expect(entry.supersededAt).toBeDefined();
    expect(entry.completedAt).toBeUndefined();
  });

  it('fails the next tasks of a task definition as scripted through the ECS control operations', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('scripted');
    const td = await registerWeb(ecs, family);
    await ctl.failNextTasks(`${family}:1`, 'exit', { count: 1, exitCode: 137 });
    const run = await ecs.send(
      new RunTaskCommand({
        cluster,
        taskDefinition: td,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        count: 2,
      }),
    );
    const arns = run.tasks!.map((t) => t.taskArn!);
    expect(run.tasks![0]).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      group: `family:${family}`,
    });
    const tasks = await waitFor('one stopped, one running', async () => {
      const ts = await describeTasks(ecs, cluster, arns);
      return ts.some((t) => t.lastStatus === 'STOPPED') && ts.some((t) => t.lastStatus === 'RUNNING')
        ? ts
        : undefined;
    });
    const crashed = tasks.find((t) => t.lastStatus === 'STOPPED')!;
    expect(crashed.containers![0]!.exitCode).toBe(137);
    expect(crashed.stopCode).toBe('EssentialContainerExited');
    const alive = tasks.find((t) => t.lastStatus === 'RUNNING')!;
    const stop = await ecs.send(
      new StopTaskCommand({ cluster, task: alive.taskArn!, reason: 'done testing' }),
    );
    expect(stop.task!.desiredStatus).toBe('STOPPED');
    const stopped = await waitFor('user stop', async () => {
      const [t] = await describeTasks(ecs, cluster, [alive.taskArn!]);
      return t?.lastStatus === 'STOPPED' ? t : undefined;
    });
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'done testing' });
  });
});

describe('ECS RunTask one-off commands', () => {
  it('runs a command override to completion and reports its exit code', async () => {
    const cluster = await newCluster(ecs);
    const td = await registerWeb(ecs, uniqueName('oneoff'), { healthCheck: undefined });
    const run = await ecs.send(
      new RunTaskCommand({
        cluster,
        taskDefinition: td,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        overrides: {
          containerOverrides: [{ name: 'web', command: ['sh', '-c', 'echo migrating; sleep 1; exit 3'] }],
        },
      }),
    );
    const arn = run.tasks![0]!.taskArn!;
    const t = await waitFor('task stopped', async () => {
      const [x] = await describeTasks(ecs, cluster, [arn]);
      return x?.lastStatus === 'STOPPED' ? x : undefined;
    });
    expect(t.stopCode).toBe('EssentialContainerExited');
    expect(t.containers![0]!.exitCode).toBe(3);
    expect(t.overrides!.containerOverrides![0]!.command).toEqual([
      'sh',
      '-c',
      'echo migrating; sleep 1; exit 3',
    ]);
    expect(t.startedAt!.getTime()).toBeGreaterThanOrEqual(t.pullStoppedAt!.getTime());
    expect(t.stoppedAt!.getTime()).toBeGreaterThan(t.startedAt!.getTime());
  });

  it('refuses RunTask with a container override for a container that does not exist', async () => {
    const cluster = await newCluster(ecs);
    const td = await registerWeb(ecs, uniqueName('bad-override'));
    await expect(
      ecs.send(
        new RunTaskCommand({
          cluster,
          taskDefinition: td,
          launchType: 'FARGATE',
          networkConfiguration: NETWORK,
          overrides: { containerOverrides: [{ name: 'nope', command: ['true'] }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
