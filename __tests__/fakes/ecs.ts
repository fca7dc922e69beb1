// A scripted Amazon ECS for in-process tests: the calls the ECS target makes, answered in the SDK's shapes,
// over a fake clock. A deployment provisions for 3 s, then one task starts (or fails) every 2 s; what a task
// of a revision does is scripted by its image: it runs, cannot be pulled, crashes, or never gets going.
// Faults: an error at the n-th call, or in a time window.
import type { FakeClock } from './clock.ts';

export type TaskBehaviour = 'healthy' | 'pull-fails' | 'crashes' | 'stuck';

export interface SdkLikeError extends Error {
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode: number; requestId: string };
}

function sdkError(name: string, status: number, message: string): SdkLikeError {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? ('server' as const) : ('client' as const),
    $metadata: { httpStatusCode: status, requestId: 'req-fake' },
  });
}

/** Errors as the SDK throws them once its own retries are spent. */
export const awsErrors = {
  unavailable: () => sdkError('ServiceUnavailable', 503, 'Service Unavailable'),
  server: () => sdkError('ServerException', 500, 'We encountered an internal error. Please try again.'),
  throttled: () => sdkError('ThrottlingException', 400, 'Rate exceeded'),
  expired: () =>
    sdkError('ExpiredTokenException', 400, 'The security token included in the request is expired'),
  denied: () =>
    sdkError('AccessDeniedException', 400, 'User is not authorized to perform ecs:DescribeServices'),
  network: () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', name: 'Error' }),
};

interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  createdAt: number;
  rollbackOf?: string;
}

interface ServiceState {
  cluster: string;
  serviceName: string;
  serviceArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
  deployments: Deployment[];
  events: { id: string; createdAt: number; message: string }[];
  records: { status: string; createdAt: number; statusReason?: string }[];
}

interface StoppedTask {
  taskArn: string;
  taskDefinitionArn: string;
  startedBy: string;
  lastStatus: string;
  stopCode?: string;
  stoppedReason?: string;
  containers: { name: string; exitCode?: number; reason?: string }[];
  stopsAt?: number;
  exitCode?: number;
}

interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  body: Record<string, unknown> & { containerDefinitions?: { name?: string; image?: string }[] };
  tags: { key: string; value: string }[];
}

export interface Call {
  readonly op: string;
  readonly input: Record<string, unknown>;
  readonly at: number;
  readonly error?: string;
}

type Fault = { readonly error: () => Error } & (
  | { readonly kind: 'call'; readonly index: number }
  | { readonly kind: 'window'; readonly op: string; readonly from: number; readonly until: number }
);

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const TICK_MS = 1000;
const BREAKER_THRESHOLD = 3;

export class FakeEcs {
  readonly calls: Call[] = [];
  private readonly clock: FakeClock;
  private readonly behaviours = new Map<string, TaskBehaviour>();
  private readonly taskDefinitions = new Map<string, TaskDefinition>();
  private readonly services = new Map<string, ServiceState>();
  private readonly tasks: StoppedTask[] = [];
  private faults: Fault[] = [];
  private ids = 0;
  private advancedTo: number;
  /** What the pre-deploy task's container exits with. */
  preDeployExitCode = 0;

  constructor(clock: FakeClock) {
    this.clock = clock;
    this.advancedTo = clock.now();
  }

  /** What tasks running `image` do (default: healthy). */
  script(image: string, behaviour: TaskBehaviour): void {
    this.behaviours.set(image, behaviour);
  }

  /** The `index`-th call from now on (0 = the next) fails with `error`. */
  failCall(index: number, error: () => Error): void {
    this.faults.push({ kind: 'call', index: this.calls.length + index, error });
  }

  /** Calls of `op` (or '*') between `from` and `until` (epoch ms of the clock) fail with `error`. */
  failBetween(op: string, from: number, until: number, error: () => Error): void {
    this.faults.push({ kind: 'window', op, from, until, error });
  }

  registerTaskDefinition(
    body: TaskDefinition['body'] & { family: string },
    tags: TaskDefinition['tags'] = [],
  ): string {
    const family = body.family;
    const revision = [...this.taskDefinitions.values()].filter((t) => t.family === family).length + 1;
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
    const { tags: _ignored, ...rest } = body as Record<string, unknown>;
    this.taskDefinitions.set(arn, { arn, family, revision, body: rest as TaskDefinition['body'], tags });
    return arn;
  }

  /** A service settled on a first revision running `image` in container `app`. */
  addService(options: {
    cluster: string;
    name: string;
    image: string;
    desiredCount?: number;
    circuitBreaker?: { enable: boolean; rollback: boolean };
    family?: string;
  }): { arn: string } {
    const arn = this.registerTaskDefinition({
      family: options.family ?? `${options.name}-app`,
      containerDefinitions: [
        { name: 'app', image: options.image, essential: true } as { name: string; image: string },
      ],
    });
    const desired = options.desiredCount ?? 2;
    this.services.set(`${options.cluster}/${options.name}`, {
      cluster: options.cluster,
      serviceName: options.name,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${options.cluster}/${options.name}`,
      status: 'ACTIVE',
      taskDefinition: arn,
      desiredCount: desired,
      circuitBreaker: options.circuitBreaker ?? { enable: true, rollback: true },
      deployments: [
        {
          id: this.id('ecs-svc'),
          status: 'PRIMARY',
          taskDefinition: arn,
          desiredCount: desired,
          runningCount: desired,
          pendingCount: 0,
          failedTasks: 0,
          rolloutState: 'COMPLETED',
          rolloutStateReason: 'ECS deployment completed.',
          createdAt: this.clock.now() - 60_000,
        },
      ],
      events: [],
      records: [],
    });
    return { arn };
  }

  /** Someone else updates the service (not through the code under test, no faults). */
  updateServiceOutOfBand(cluster: string, name: string, taskDefinition: string): string {
    this.advance();
    return this.startDeployment(this.service(cluster, name), taskDefinition);
  }

  service(cluster: string, name: string): ServiceState {
    const s = this.services.get(`${cluster}/${name}`);
    if (!s) throw new Error(`no service ${cluster}/${name}`);
    return s;
  }

  /** The ECS client's one method. */
  async send(command: { input: Record<string, unknown>; constructor: { name: string } }): Promise<unknown> {
    const op = command.constructor.name.replace(/Command$/, '');
    const now = this.clock.now();
    const index = this.calls.length;
    const fault = this.faults.find((f) =>
      f.kind === 'call' ? f.index === index : (f.op === op || f.op === '*') && now >= f.from && now < f.until,
    );
    if (fault) {
      const error = fault.error();
      this.calls.push({ op, input: command.input, at: now, error: error.name });
      throw error;
    }
    this.calls.push({ op, input: command.input, at: now });
    this.advance();
    const handler = (this as unknown as Record<string, (input: Record<string, unknown>) => unknown>)[
      `op${op}`
    ];
    if (!handler) throw new Error(`FakeEcs: ${op} is not scripted`);
    return structuredClone(handler.call(this, command.input));
  }

  private id(prefix: string): string {
    this.ids += 1;
    return `${prefix}/${String(this.ids).padStart(6, '0')}`;
  }

  private behaviourOf(taskDefinition: string): TaskBehaviour {
    const image = this.taskDefinitions.get(taskDefinition)?.body.containerDefinitions?.[0]?.image ?? '';
    return this.behaviours.get(image) ?? 'healthy';
  }

  private event(s: ServiceState, message: string, at: number): void {
    s.events.unshift({
      id: this.id('event'),
      createdAt: at,
      message: `(service ${s.serviceName}) ${message}`,
    });
  }

  private startDeployment(
    s: ServiceState,
    taskDefinition: string,
    rollbackOf?: string,
    at = this.clock.now(),
  ): string {
    for (const d of s.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
    const id = this.id('ecs-svc');
    s.deployments.unshift({
      id,
      status: 'PRIMARY',
      taskDefinition,
      desiredCount: s.desiredCount,
      runningCount: 0,
      pendingCount: s.desiredCount,
      failedTasks: 0,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment in progress.',
      createdAt: at,
      ...(rollbackOf ? { rollbackOf } : {}),
    });
    s.taskDefinition = taskDefinition;
    return id;
  }

  /** Moves every service on, a tick at a time, up to the clock's now. */
  private advance(): void {
    const now = this.clock.now();
    while (this.advancedTo + TICK_MS <= now) {
      this.advancedTo += TICK_MS;
      for (const s of this.services.values()) this.tick(s, this.advancedTo);
      for (const t of this.tasks) {
        if (t.stopsAt !== undefined && t.stopsAt <= this.advancedTo && t.lastStatus !== 'STOPPED') {
          t.lastStatus = 'STOPPED';
          t.stopCode = 'EssentialContainerExited';
          t.stoppedReason = 'Essential container in task exited';
          t.containers = t.containers.map((c) => ({ ...c, exitCode: t.exitCode }));
        }
      }
    }
  }

  private tick(s: ServiceState, at: number): void {
    const primary = s.deployments.find((d) => d.status === 'PRIMARY');
    if (!primary || primary.rolloutState !== 'IN_PROGRESS') return;
    const age = at - primary.createdAt;
    if (age < 3 * TICK_MS || (age / TICK_MS) % 2 !== 1) return; // provisioning, then a task every 2 s
    const behaviour = this.behaviourOf(primary.taskDefinition);
    if (behaviour === 'healthy') {
      primary.runningCount = Math.min(primary.desiredCount, primary.runningCount + 1);
      primary.pendingCount = primary.desiredCount - primary.runningCount;
      if (primary.runningCount === primary.desiredCount) {
        primary.rolloutState = 'COMPLETED';
        primary.rolloutStateReason = 'ECS deployment completed.';
        const replaced = s.deployments.filter((d) => d !== primary);
        s.deployments = [primary];
        this.event(s, `has reached a steady state.`, at);
        if (primary.rollbackOf) {
          s.records.push({
            status: 'ROLLBACK_SUCCESSFUL',
            createdAt: primary.createdAt,
            statusReason: 'circuit breaker',
          });
        }
        void replaced;
      }
      return;
    }
    if (behaviour === 'stuck') return;
    // One task of ours fails per tick.
    primary.failedTasks += 1;
    const pull = behaviour === 'pull-fails';
    this.tasks.push({
      taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${s.cluster}/${this.id('task').split('/')[1]}`,
      taskDefinitionArn: primary.taskDefinition,
      startedBy: primary.id,
      lastStatus: 'STOPPED',
      stopCode: pull ? 'TaskFailedToStart' : 'EssentialContainerExited',
      stoppedReason: pull
        ? 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found'
        : 'Essential container in task exited',
      containers: [
        { name: 'app', ...(pull ? { reason: 'CannotPullContainerError: not found' } : { exitCode: 1 }) },
      ],
    });
    this.event(s, `has started 1 tasks: (task ${this.ids}).`, at);
    if (s.circuitBreaker.enable && primary.failedTasks >= BREAKER_THRESHOLD) {
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = `ECS deployment circuit breaker: tasks failed to start.`;
      if (s.circuitBreaker.rollback) {
        const previous = s.deployments.find((d) => d !== primary && d.rolloutState === 'COMPLETED');
        if (previous) {
          this.startDeployment(s, previous.taskDefinition, primary.id, at);
          this.event(
            s,
            `(deployment ${primary.id}) deployment failed: tasks failed to start. Rolling back.`,
            at,
          );
        }
      }
    }
  }

  private describeService(s: ServiceState) {
    return {
      serviceName: s.serviceName,
      serviceArn: s.serviceArn,
      status: s.status,
      taskDefinition: s.taskDefinition,
      desiredCount: s.desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: {
        deploymentCircuitBreaker: s.circuitBreaker,
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      deployments: s.deployments.map((d) => ({
        ...d,
        createdAt: new Date(d.createdAt),
        updatedAt: new Date(d.createdAt),
      })),
      events: s.events.slice(0, 100).map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
    };
  }

  protected opDescribeServices(input: { cluster: string; services: string[] }) {
    if (input.services.length > 10) throw new Error('DescribeServices takes at most 10 services');
    const found = input.services.flatMap((name) => {
      const s = this.services.get(`${input.cluster}/${name}`);
      return s ? [this.describeService(s)] : [];
    });
    return {
      services: found,
      failures: input.services
        .filter((n) => !this.services.has(`${input.cluster}/${n}`))
        .map((n) => ({ arn: n, reason: 'MISSING' })),
    };
  }

  protected opDescribeTaskDefinition(input: { taskDefinition: string }) {
    const td = this.taskDefinitions.get(input.taskDefinition);
    if (!td) throw sdkError('ClientException', 400, 'Unable to describe task definition.');
    return {
      taskDefinition: {
        ...td.body,
        family: td.family,
        revision: td.revision,
        taskDefinitionArn: td.arn,
        status: 'ACTIVE',
      },
      tags: td.tags,
    };
  }

  protected opRegisterTaskDefinition(
    input: TaskDefinition['body'] & { family: string; tags?: TaskDefinition['tags'] },
  ) {
    const arn = this.registerTaskDefinition(input, input.tags ?? []);
    return { taskDefinition: { taskDefinitionArn: arn } };
  }

  protected opUpdateService(input: {
    cluster: string;
    service: string;
    taskDefinition: string;
    desiredCount?: number;
  }) {
    const s = this.service(input.cluster, input.service);
    if (input.desiredCount !== undefined) s.desiredCount = input.desiredCount;
    this.startDeployment(s, input.taskDefinition);
    return { service: this.describeService(s) };
  }

  protected opListTasks(input: { startedBy?: string }) {
    return { taskArns: this.tasks.filter((t) => t.startedBy === input.startedBy).map((t) => t.taskArn) };
  }

  protected opDescribeTasks(input: { tasks: string[] }) {
    return { tasks: this.tasks.filter((t) => input.tasks.includes(t.taskArn)) };
  }

  protected opListServiceDeployments(input: {
    cluster: string;
    service: string;
    createdAt?: { after?: Date };
  }) {
    const s = this.service(input.cluster, input.service);
    const after = input.createdAt?.after?.getTime() ?? 0;
    return {
      serviceDeployments: s.records
        .filter((r) => r.createdAt >= after)
        .map((r) => ({ ...r, createdAt: new Date(r.createdAt) })),
    };
  }

  protected opRunTask(input: { taskDefinition: string; startedBy?: string }) {
    const task: StoppedTask = {
      taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/pre/${this.id('task').split('/')[1]}`,
      taskDefinitionArn: input.taskDefinition,
      startedBy: input.startedBy ?? '',
      lastStatus: 'RUNNING',
      containers: [{ name: 'app' }],
      stopsAt: this.clock.now() + 3 * TICK_MS,
      exitCode: this.preDeployExitCode,
    };
    this.tasks.push(task);
    return { tasks: [task], failures: [] };
  }

  protected opStopTask() {
    return {};
  }
}
