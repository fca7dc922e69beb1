// The fake ECS world: clusters, task definitions, services and tasks, advanced over (scaled) time by a tick
// loop: tasks go PROVISIONING → PENDING → RUNNING → (health checks) → STOPPING → DEPROVISIONING → STOPPED, and
// the service scheduler rolls deployments out within minimumHealthyPercent/maximumPercent, runs the
// deployment circuit breaker and writes service events worded as ECS does.
import type { World } from '../../world.ts';
import {
  BASE_SECONDS,
  defaultTimeScale,
  newDeploymentId,
  newEventId,
  newTaskId,
  digits,
  type Cluster,
  type Container,
  type ContainerDefinition,
  type Deployment,
  type Service,
  type ServiceDeploymentRecord,
  type Tag,
  type Task,
  type TaskDefinition,
} from './model.ts';
import { EcsContainers, defaultRuntimeMode, type RuntimeMode } from './containers.ts';
import { planTask, type ScriptedFailure } from './runtime.ts';
import { circuitBreakerThreshold, planRollout } from './scheduler.ts';
import { findAlarm } from '../cloudwatch.ts';

export interface ScriptedRule {
  /** Task definition ARN, `family:revision` or `family` (any revision). */
  taskDefinition: string;
  remaining: number;
  failure: ScriptedFailure;
}

const TICK_MS = 20;
const MAX_EVENTS = 100;

const states = new WeakMap<World, EcsState>();

export function ecsState(world: World): EcsState {
  let s = states.get(world);
  if (!s) {
    s = new EcsState(world);
    states.set(world, s);
  }
  return s;
}

export class EcsState {
  readonly world: World;
  readonly clusters = new Map<string, Cluster>();
  /** family → revisions (index = revision - 1). */
  readonly taskDefinitions = new Map<string, TaskDefinition[]>();
  /** cluster ARN → service name → service (INACTIVE services stay until re-created). */
  readonly services = new Map<string, Map<string, Service>>();
  readonly tasks = new Map<string, Task>();
  readonly scripted: ScriptedRule[] = [];
  timeScale = defaultTimeScale();
  /** Real containers when the engine is up (default), or the simulated runtime (SANDBOX_ECS_RUNTIME=simulated). */
  runtimeMode: RuntimeMode = defaultRuntimeMode();
  /** Per task definition family overrides of `runtimeMode` (ECS control `setRuntime`). */
  readonly runtimeByFamily = new Map<string, RuntimeMode>();
  readonly containers = new EcsContainers(this);
  private timer: NodeJS.Timeout | undefined;

  constructor(world: World) {
    this.world = world;
  }

  get accountId(): string {
    return this.world.config.accountId;
  }

  /** Starts the simulation loop (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(Date.now()), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Milliseconds of wall time for `seconds` of simulated time. */
  ms(seconds: number): number {
    return seconds * 1000 * this.timeScale;
  }

  findTaskDefinition(arn: string): TaskDefinition | undefined {
    const m = /task-definition\/([^:]+):(\d+)$/.exec(arn);
    if (!m) return undefined;
    return this.taskDefinitions.get(m[1]!)?.[Number(m[2]) - 1];
  }

  servicesOf(clusterArn: string): Map<string, Service> {
    let m = this.services.get(clusterArn);
    if (!m) {
      m = new Map();
      this.services.set(clusterArn, m);
    }
    return m;
  }

  addEvent(service: Service, message: string, at = new Date()): void {
    service.events.unshift({
      id: newEventId(),
      createdAt: at,
      message: `(service ${service.name}) ${message}`,
    });
    if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
  }

  /** Creates a deployment (and its service deployment record) and makes it PRIMARY. */
  newDeployment(
    service: Service,
    region: string,
    opts: {
      taskDefinitionArn: string;
      rollbackOf?: Deployment;
      record?: ServiceDeploymentRecord;
      /** What started the rollback, in its rolloutStateReason (default: the circuit breaker). */
      rollbackBy?: string;
      /** Alarm transitions before this time do not fail the new deployment. */
      alarmsSince?: Date;
    },
    now = new Date(),
  ): Deployment {
    const cluster = service.clusterArn.split('/').pop()!;
    const revisionArn = `arn:aws:ecs:${region}:${this.accountId}:service-revision/${cluster}/${service.name}/${digits(19)}`;
    const id = newDeploymentId();
    const previous = service.deployments.filter((d) => d.status !== 'INACTIVE');
    let record = opts.record;
    if (!record) {
      record = {
        arn: `arn:aws:ecs:${region}:${this.accountId}:service-deployment/${cluster}/${service.name}/${newTaskId().slice(0, 21)}`,
        createdAt: now,
        startedAt: now,
        updatedAt: now,
        sourceRevisionArns: previous.map((d) => d.serviceRevisionArn),
        targetRevisionArn: revisionArn,
        deploymentId: id,
        status: 'IN_PROGRESS',
        deploymentConfiguration: structuredClone(service.deploymentConfiguration),
        circuitBreakerStatus: service.deploymentConfiguration.deploymentCircuitBreaker?.enable
          ? 'MONITORING'
          : 'DISABLED',
      };
      // A new deployment supersedes the service deployments still in progress.
      for (const r of service.serviceDeployments) {
        if (r.status === 'IN_PROGRESS' || r.status === 'ROLLBACK_IN_PROGRESS' || r.status === 'PENDING') {
          r.status = 'STOPPED';
          r.statusReason = 'Service deployment stopped because a newer deployment started.';
          r.stoppedAt = now;
          r.updatedAt = now;
        }
      }
      service.serviceDeployments.unshift(record);
    } else {
      record.rollbackDeploymentId = id;
      record.updatedAt = now;
    }
    const deployment: Deployment = {
      id,
      status: 'PRIMARY',
      taskDefinitionArn: opts.taskDefinitionArn,
      desiredCount: service.desiredCount,
      failedTasks: 0,
      createdAt: now,
      updatedAt: now,
      ...(service.launchType ? { launchType: service.launchType } : {}),
      ...(service.capacityProviderStrategy
        ? { capacityProviderStrategy: service.capacityProviderStrategy }
        : {}),
      ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
      ...(service.platformFamily ? { platformFamily: service.platformFamily } : {}),
      ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {}),
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: opts.rollbackOf
        ? `${opts.rollbackBy ?? 'ECS deployment circuit breaker'}: rolling back to deploymentId ${opts.rollbackOf.id}.`
        : `ECS deployment ${id} in progress.`,
      successSeen: false,
      serviceRevisionArn: revisionArn,
      serviceDeploymentArn: record.arn,
      ...(opts.rollbackOf ? { rollbackOf: opts.rollbackOf.id } : {}),
      ...(opts.alarmsSince ? { alarmsSince: opts.alarmsSince } : {}),
      impairedReported: false,
    };
    for (const d of previous) {
      if (d.status === 'PRIMARY') {
        d.status = 'ACTIVE';
        d.updatedAt = now;
        if (d.rolloutState === 'IN_PROGRESS') d.supersededAt = now;
      }
    }
    service.deployments = [deployment, ...previous];
    service.history.unshift(deployment);
    service.taskDefinitionArn = opts.taskDefinitionArn;
    service.steady = false;
    service.nextLaunchAt = 0;
    return deployment;
  }

  createTask(opts: {
    td: TaskDefinition;
    clusterArn: string;
    region: string;
    launchType?: string;
    capacityProviderName?: string;
    platformVersion?: string;
    group: string;
    startedBy?: string;
    serviceName?: string;
    deploymentId?: string;
    commandOverrides?: Map<string, string[]>;
    overrides?: Task['overrides'];
    tags?: Tag[];
    now?: Date;
  }): Task {
    const now = opts.now ?? new Date();
    const cluster = opts.clusterArn.split('/').pop()!;
    const id = newTaskId();
    const arn = `arn:aws:ecs:${opts.region}:${this.accountId}:task/${cluster}/${id}`;
    const defs = opts.td.body.containerDefinitions as (ContainerDefinition & Record<string, unknown>)[];
    const containers: Container[] = defs.map((d) => ({
      containerArn: `arn:aws:ecs:${opts.region}:${this.accountId}:container/${cluster}/${id}/${newEventId()}`,
      name: d.name,
      image: d.image,
      lastStatus: 'PENDING',
      essential: d.essential !== false,
      ...(d.healthCheck ? { healthStatus: 'UNKNOWN' as const } : {}),
      cpu: String(d.cpu ?? 0),
      ...(d.memory !== undefined ? { memory: String(d.memory) } : {}),
      ...(d.memoryReservation !== undefined ? { memoryReservation: String(d.memoryReservation) } : {}),
    }));
    const task: Task = {
      id,
      arn,
      clusterArn: opts.clusterArn,
      taskDefinitionArn: opts.td.arn,
      ...(opts.serviceName ? { serviceName: opts.serviceName } : {}),
      ...(opts.deploymentId ? { deploymentId: opts.deploymentId } : {}),
      group: opts.group,
      ...(opts.startedBy ? { startedBy: opts.startedBy } : {}),
      ...(opts.launchType ? { launchType: opts.launchType } : {}),
      ...(opts.capacityProviderName ? { capacityProviderName: opts.capacityProviderName } : {}),
      ...(opts.platformVersion ? { platformVersion: opts.platformVersion } : {}),
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNKNOWN',
      createdAt: now,
      containers,
      overrides: opts.overrides ?? {
        containerOverrides: defs.map((d) => ({ name: d.name })),
        inferenceAcceleratorOverrides: [],
      },
      tags: opts.tags ?? [],
      version: 1,
      ...(opts.td.body.cpu ? { cpu: String(opts.td.body.cpu) } : {}),
      ...(opts.td.body.memory ? { memory: String(opts.td.body.memory) } : {}),
      phaseUntil: now.getTime() + this.ms(BASE_SECONDS.provisioning),
      failed: false,
    };
    const scripted = this.takeScripted(opts.td);
    const commandOverrides = opts.commandOverrides ?? new Map<string, string[]>();
    void planTask(this.world, defs, commandOverrides, scripted).then(
      (plan) => {
        // A scripted failure takes precedence over the real container (the task stays simulated).
        const rt = scripted ? undefined : this.containers.runtimeFor(opts.td.family);
        const def = defs.find((d) => d.essential !== false);
        const p = def && plan.containers.find((c) => c.name === def.name);
        if (rt && def && p && !plan.pullError && task.desiredStatus === 'RUNNING') {
          this.containers.launch(rt, task, def, commandOverrides.get(def.name), p.health);
        }
        task.plan = plan;
      },
      (e: unknown) => {
        task.plan = {
          pullError: `CannotPullContainerError: ${e instanceof Error ? e.message : String(e)}`,
          containers: [],
        };
      },
    );
    this.tasks.set(arn, task);
    return task;
  }

  private takeScripted(td: TaskDefinition): ScriptedFailure | undefined {
    for (const rule of this.scripted) {
      if (rule.remaining <= 0) continue;
      const matches =
        rule.taskDefinition === td.arn ||
        rule.taskDefinition === `${td.family}:${td.revision}` ||
        rule.taskDefinition === td.family;
      if (!matches) continue;
      rule.remaining -= 1;
      return rule.failure;
    }
    return undefined;
  }

  /** Asks a task to stop (desiredStatus STOPPED); the stop itself takes the stopping/deprovisioning time. */
  requestStop(task: Task, stopCode: string, reason: string, now = Date.now()): void {
    if (task.desiredStatus === 'STOPPED' && task.stopCode) return;
    task.desiredStatus = 'STOPPED';
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    task.version += 1;
    if (task.real) void this.containers.stop(task, this.stopGraceSeconds(task)).catch(() => undefined);
    if (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING') {
      // Not started yet: nothing to drain.
      task.lastStatus = 'DEPROVISIONING';
      task.stoppingAt = new Date(now);
      task.executionStoppedAt = new Date(now);
      for (const c of task.containers) c.lastStatus = 'STOPPED';
      task.phaseUntil = now + this.ms(BASE_SECONDS.deprovisioning);
    } else if (task.lastStatus === 'RUNNING' || task.lastStatus === 'ACTIVATING') {
      task.lastStatus = 'DEACTIVATING';
      task.stoppingAt = new Date(now);
      task.phaseUntil = now + this.ms(BASE_SECONDS.stopping / 2);
    }
  }

  /**
   * The container's `stopTimeout` (default 30 s) scaled, rounded down to the whole seconds `docker stop` takes
   * (0 at the default time scale: SIGKILL right away).
   */
  private stopGraceSeconds(task: Task): number {
    const td = this.findTaskDefinition(task.taskDefinitionArn);
    const def = (td?.body.containerDefinitions as ContainerDefinition[] | undefined)?.find(
      (d) => d.name === task.real?.name,
    );
    return Math.min(25, Math.floor((def?.stopTimeout ?? 30) * this.timeScale));
  }

  /** Marks a task failed for its deployment (the circuit breaker counts these until a task succeeds). */
  private noteFailure(task: Task, now: number): void {
    if (task.failed) return;
    task.failed = true;
    const service = task.serviceName ? this.servicesOf(task.clusterArn).get(task.serviceName) : undefined;
    if (!service) return;
    const deployment = service.history.find((d) => d.id === task.deploymentId);
    if (!deployment) return;
    if (!deployment.firstTaskStoppedAt) {
      deployment.firstTaskStoppedAt = new Date(now);
      deployment.firstTaskStoppedReason = task.stoppedReason;
      deployment.firstTaskStopCode = task.stopCode;
    }
    service.nextLaunchAt = now + this.ms(BASE_SECONDS.relaunchDelay);
    if (!deployment.successSeen && deployment.rolloutState === 'IN_PROGRESS') {
      deployment.failedTasks += 1;
      deployment.updatedAt = new Date(now);
    }
  }

  tick(now: number): void {
    for (const task of this.tasks.values()) {
      if (task.lastStatus !== 'STOPPED') this.advanceTask(task, now);
    }
    for (const byName of this.services.values()) {
      for (const service of byName.values()) {
        // A deleted service drains: INACTIVE once every one of its tasks has stopped (DeleteService doc).
        if (service.status === 'DRAINING') {
          if (this.serviceTasks(service).every((t) => t.lastStatus === 'STOPPED'))
            service.status = 'INACTIVE';
        } else if (service.status !== 'INACTIVE' && service.deploymentController.type === 'ECS')
          this.schedule(service, now);
      }
    }
  }

  private advanceTask(task: Task, now: number): void {
    const at = new Date(now);
    switch (task.lastStatus) {
      case 'PROVISIONING':
        if (now < task.phaseUntil) return;
        task.lastStatus = 'PENDING';
        task.pullStartedAt = at;
        task.connectivityAt = at;
        task.phaseUntil = now + this.ms(BASE_SECONDS.pull);
        task.version += 1;
        return;
      case 'PENDING': {
        if (now < task.phaseUntil || !task.plan) return;
        // Real container: RUNNING once the engine has pulled and started it (or failed to).
        if (task.real?.phase === 'starting') return;
        const plan = task.plan;
        const real = task.real;
        task.pullStoppedAt = at;
        const startError = plan.pullError ?? (real?.phase === 'failed' ? real.error : undefined);
        if (startError) {
          task.desiredStatus = 'STOPPED';
          task.stopCode = 'TaskFailedToStart';
          task.stoppedReason = startError;
          task.lastStatus = 'DEPROVISIONING';
          task.stoppingAt = at;
          task.executionStoppedAt = at;
          for (const c of task.containers) {
            c.lastStatus = 'STOPPED';
            c.reason = startError;
          }
          task.phaseUntil = now + this.ms(BASE_SECONDS.deprovisioning);
          task.version += 1;
          this.noteFailure(task, now);
          return;
        }
        task.lastStatus = 'RUNNING';
        task.startedAt = at;
        task.version += 1;
        let healthyAt: number | undefined;
        let unhealthyAt: number | undefined;
        for (const c of task.containers) {
          const p = plan.containers.find((x) => x.name === c.name);
          c.lastStatus = 'RUNNING';
          c.runtimeId = `${task.id}-${newTaskId().slice(0, 10)}`;
          if (p?.imageDigest) c.imageDigest = p.imageDigest;
          if (real && c.name === real.name) {
            // Exit and health come from the real container (see the RUNNING case).
            if (real.id) c.runtimeId = real.id;
            continue;
          }
          if (p?.exitCode !== undefined) {
            const after = p.exitAfterS && p.exitAfterS > 0 ? p.exitAfterS : BASE_SECONDS.exitAfter;
            const exitAt = now + this.ms(after);
            if (p.essential && (task.exitAt === undefined || exitAt < task.exitAt)) task.exitAt = exitAt;
          }
          if (p?.health && p.essential) {
            if (p.health.passes) {
              const t = now + this.ms(p.health.intervalS);
              healthyAt = Math.max(healthyAt ?? 0, t);
            } else {
              const t = now + this.ms(p.health.startPeriodS + p.health.intervalS * p.health.retries);
              unhealthyAt = Math.min(unhealthyAt ?? Number.POSITIVE_INFINITY, t);
            }
          }
        }
        if (unhealthyAt !== undefined) task.unhealthyAt = unhealthyAt;
        else if (healthyAt !== undefined) task.healthyAt = healthyAt;
        else if (!task.containers.some((c) => c.healthStatus)) task.healthStatus = 'UNKNOWN';
        return;
      }
      case 'RUNNING': {
        const real = task.real;
        const realExited = real?.phase === 'exited' && !real.stopping;
        if (realExited || (task.exitAt !== undefined && now >= task.exitAt)) {
          const plan = task.plan;
          for (const c of task.containers) {
            const p = plan?.containers.find((x) => x.name === c.name);
            c.lastStatus = 'STOPPED';
            if (real && c.name === real.name) {
              if (real.phase === 'exited' && real.exitCode !== undefined) c.exitCode = real.exitCode;
            } else if (p?.essential && p.exitCode !== undefined) c.exitCode = p.exitCode;
          }
          if (real?.phase === 'running') {
            void this.containers.stop(task, this.stopGraceSeconds(task)).catch(() => undefined);
          } else if (real) this.containers.remove(task);
          task.desiredStatus = 'STOPPED';
          task.stopCode = 'EssentialContainerExited';
          task.stoppedReason = 'Essential container in task exited';
          task.lastStatus = 'DEPROVISIONING';
          task.stoppingAt = at;
          task.executionStoppedAt = at;
          task.phaseUntil = now + this.ms(BASE_SECONDS.deprovisioning);
          task.version += 1;
          this.noteFailure(task, now);
          return;
        }
        if (real?.health && task.healthStatus !== real.health) {
          // Docker's health status of the real container: HEALTHY after a pass, UNHEALTHY after `retries` fails.
          task.healthStatus = real.health;
          for (const c of task.containers) {
            if (c.healthStatus && (c.name === real.name || real.health === 'HEALTHY'))
              c.healthStatus = real.health;
          }
          task.version += 1;
        }
        if (task.healthyAt !== undefined && now >= task.healthyAt && task.healthStatus !== 'HEALTHY') {
          task.healthStatus = 'HEALTHY';
          for (const c of task.containers) if (c.healthStatus) c.healthStatus = 'HEALTHY';
          task.version += 1;
        }
        if (task.unhealthyAt !== undefined && now >= task.unhealthyAt && task.healthStatus !== 'UNHEALTHY') {
          task.healthStatus = 'UNHEALTHY';
          for (const c of task.containers) if (c.healthStatus && c.essential) c.healthStatus = 'UNHEALTHY';
          task.version += 1;
        }
        return;
      }
      case 'DEACTIVATING':
        if (now < task.phaseUntil) return;
        task.lastStatus = 'STOPPING';
        task.phaseUntil = now + this.ms(BASE_SECONDS.stopping / 2);
        task.version += 1;
        return;
      case 'STOPPING':
        if (now < task.phaseUntil) return;
        // A real container is STOPPED when the engine says so (docker stop: SIGTERM, then SIGKILL after the grace).
        if (task.real?.id && task.real.stopping && !task.real.stopped) return;
        for (const c of task.containers) {
          if (c.lastStatus !== 'STOPPED') {
            c.lastStatus = 'STOPPED';
            if (task.real && c.name === task.real.name) {
              if (task.real.exitCode !== undefined) c.exitCode = task.real.exitCode;
            } else {
              // Assumed: the simulated process handles SIGTERM and exits 0.
              c.exitCode = 0;
            }
          }
        }
        task.lastStatus = 'DEPROVISIONING';
        task.executionStoppedAt = at;
        task.phaseUntil = now + this.ms(BASE_SECONDS.deprovisioning);
        task.version += 1;
        return;
      case 'DEPROVISIONING':
        if (now < task.phaseUntil) return;
        task.lastStatus = 'STOPPED';
        task.stoppedAt = at;
        task.version += 1;
        return;
    }
  }

  private hasHealthCheck(task: Task): boolean {
    return task.containers.some((c) => c.healthStatus !== undefined && c.essential);
  }

  /**
   * Healthy for the scheduler: RUNNING and HEALTHY when the task has a container health check; without one,
   * RUNNING for 40 s (API DeploymentConfiguration `minimumHealthyPercent`; see README).
   */
  private healthy(task: Task, now = Date.now()): boolean {
    if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return false;
    if (this.hasHealthCheck(task)) return task.healthStatus === 'HEALTHY';
    // A real container must have been seen running (by a poll of the engine) through the window.
    const seen = task.real ? (task.real.seenRunningAt ?? 0) : now;
    return Math.min(now, seen) - (task.startedAt?.getTime() ?? now) >= this.ms(BASE_SECONDS.successWindow);
  }

  serviceTasks(service: Service): Task[] {
    const out: Task[] = [];
    for (const t of this.tasks.values()) {
      if (t.clusterArn === service.clusterArn && t.serviceName === service.name) out.push(t);
    }
    return out;
  }

  private schedule(service: Service, now: number): void {
    const at = new Date(now);
    const primary = service.deployments[0];
    if (!primary) return;
    const tasks = this.serviceTasks(service);
    const live = tasks.filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED');

    // Container health checks: an UNHEALTHY service task is replaced.
    for (const t of live) {
      if (t.healthStatus === 'UNHEALTHY') {
        this.addEvent(service, `(task ${t.id}) failed container health checks.`, at);
        this.requestStop(t, 'ServiceSchedulerInitiated', 'Task failed container health checks', now);
        this.noteFailure(t, now);
        this.addEvent(service, `has stopped 1 running tasks: (task ${t.id}).`, at);
      }
    }

    // A task that runs (healthy, or long enough without a health check) marks its deployment successful.
    for (const d of service.deployments) {
      if (d.successSeen) continue;
      const ok = live.some((t) => t.deploymentId === d.id && this.healthy(t, now));
      if (ok) {
        d.successSeen = true;
        d.failedTasks = 0;
        const record = service.serviceDeployments.find((r) => r.arn === d.serviceDeploymentArn);
        if (record && record.circuitBreakerStatus === 'MONITORING' && record.deploymentId === d.id) {
          record.circuitBreakerStatus = 'MONITORING_COMPLETE';
        }
      }
    }

    this.circuitBreaker(service, primary, now);
    this.deploymentAlarms(service, primary, now);
    const current = service.deployments[0]!;

    // Deployment desired counts: the primary wants the service's count; older ones drain.
    current.desiredCount = service.desiredCount;
    const liveNow = tasks.filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED');
    const canLaunch = now >= service.nextLaunchAt && current.rolloutState !== 'FAILED';
    const decision = planRollout({
      desiredCount: service.desiredCount,
      minimumHealthyPercent: service.deploymentConfiguration.minimumHealthyPercent ?? 100,
      maximumPercent: service.deploymentConfiguration.maximumPercent ?? 200,
      primary: liveNow
        .filter((t) => t.deploymentId === current.id)
        .map((t) => ({ id: t.id, healthy: this.healthy(t, now) })),
      old: liveNow
        .filter((t) => t.deploymentId !== current.id)
        .map((t) => ({ id: t.id, healthy: this.healthy(t, now) })),
      canLaunch,
    });
    if (decision.stop.length > 0) {
      for (const id of decision.stop) {
        const t = liveNow.find((x) => x.id === id)!;
        const owner = service.deployments.find((d) => d.id === t.deploymentId);
        this.requestStop(
          t,
          'ServiceSchedulerInitiated',
          `Scaling activity initiated by (deployment ${owner?.id ?? current.id})`,
          now,
        );
      }
      this.addEvent(
        service,
        `has stopped ${decision.stop.length} running tasks: ${decision.stop.map((id) => `(task ${id})`).join(' ')}.`,
        at,
      );
    }
    if (decision.start > 0) {
      const td = this.findTaskDefinition(current.taskDefinitionArn);
      if (td) {
        const region = service.arn.split(':')[3]!;
        const started: Task[] = [];
        for (let i = 0; i < decision.start; i++) {
          started.push(
            this.createTask({
              td,
              clusterArn: service.clusterArn,
              region,
              ...(service.launchType ? { launchType: service.launchType } : {}),
              ...(service.capacityProviderStrategy
                ? {
                    capacityProviderName: String(
                      (service.capacityProviderStrategy[0] as { capacityProvider?: string }).capacityProvider,
                    ),
                  }
                : {}),
              ...(service.platformVersion
                ? {
                    platformVersion: service.platformVersion === 'LATEST' ? '1.4.0' : service.platformVersion,
                  }
                : {}),
              group: `service:${service.name}`,
              startedBy: current.id,
              serviceName: service.name,
              deploymentId: current.id,
              now: at,
            }),
          );
        }
        this.addEvent(
          service,
          `has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`,
          at,
        );
      }
    }

    for (const d of service.deployments) {
      if (d !== current) d.desiredCount = liveNow.filter((t) => t.deploymentId === d.id).length;
    }
    if (!current.impairedReported && current.failedTasks >= 3 && current.rolloutState === 'IN_PROGRESS') {
      current.impairedReported = true;
      this.addEvent(
        service,
        'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
        at,
      );
    }
    this.checkCompletion(service, current, tasks, now);
  }

  private circuitBreaker(service: Service, primary: Deployment, now: number): void {
    const cb = service.deploymentConfiguration.deploymentCircuitBreaker;
    if (!cb?.enable || primary.rolloutState !== 'IN_PROGRESS' || primary.successSeen) return;
    if (primary.failedTasks < circuitBreakerThreshold(service.desiredCount)) return;
    const record = service.serviceDeployments.find((r) => r.arn === primary.serviceDeploymentArn);
    if (record) record.circuitBreakerStatus = 'TRIGGERED';
    this.failDeployment(service, primary, now, {
      reason: 'ECS deployment circuit breaker: tasks failed to start.',
      event: 'tasks failed to start.',
      cause: 'the circuit breaker threshold was exceeded',
      rollback: cb.rollback,
    });
  }

  /**
   * Deployment alarms (deploymentConfiguration.alarms): an alarm that goes into ALARM while the deployment is
   * in progress fails it, and rolls it back when asked. An alarm already in ALARM when the deployment started
   * is not counted (ECS ignores alarms in ALARM at the start; see README).
   */
  private deploymentAlarms(service: Service, primary: Deployment, now: number): void {
    const alarms = service.deploymentConfiguration.alarms as
      { alarmNames?: string[]; enable?: boolean; rollback?: boolean } | undefined;
    if (!alarms?.enable || primary.rolloutState !== 'IN_PROGRESS') return;
    const region = service.arn.split(':')[3]!;
    const since = Math.max(primary.createdAt.getTime(), primary.alarmsSince?.getTime() ?? 0);
    let latest = 0;
    const fired = (alarms.alarmNames ?? []).filter((name) => {
      const alarm = findAlarm(this.world, region, name);
      const at = alarm?.StateTransitionedTimestamp.getTime() ?? 0;
      if (alarm?.StateValue !== 'ALARM' || at < since) return false;
      latest = Math.max(latest, at);
      return true;
    });
    if (fired.length === 0) return;
    this.failDeployment(service, primary, now, {
      reason: `ECS deployment failed: alarm(s) detected: ${fired.join(', ')}.`,
      event: `alarm(s) detected: ${fired.join(', ')}.`,
      cause: `CloudWatch alarm(s) ${fired.join(', ')} went into ALARM`,
      rollback: alarms.rollback === true,
      rollbackBy: `ECS deployment alarm(s) ${fired.join(', ')}`,
      alarmsSince: new Date(latest + 1),
    });
  }

  private failDeployment(
    service: Service,
    primary: Deployment,
    now: number,
    why: {
      reason: string;
      event: string;
      cause: string;
      rollback: boolean;
      rollbackBy?: string;
      alarmsSince?: Date;
    },
  ): void {
    const at = new Date(now);
    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = why.reason;
    primary.failedAt = at;
    primary.updatedAt = at;
    this.addEvent(service, `(deployment ${primary.id}) deployment failed: ${why.event}`, at);
    const record = service.serviceDeployments.find((r) => r.arn === primary.serviceDeploymentArn);
    if (record) record.updatedAt = at;
    const target =
      why.rollback && !primary.rollbackOf
        ? service.history.find((d) => d.rolloutState === 'COMPLETED' && d !== primary)
        : undefined;
    if (primary.rollbackOf && record) {
      record.status = 'ROLLBACK_FAILED';
      record.statusReason = `Service deployment rollback failed because ${why.cause}.`;
      record.stoppedAt = at;
    } else if (target) {
      const region = service.arn.split(':')[3]!;
      this.addEvent(service, `rolling back to deployment ${target.id}.`, at);
      const rollback = this.newDeployment(
        service,
        region,
        {
          taskDefinitionArn: target.taskDefinitionArn,
          rollbackOf: target,
          ...(record ? { record } : {}),
          ...(why.rollbackBy ? { rollbackBy: why.rollbackBy } : {}),
          ...(why.alarmsSince ? { alarmsSince: why.alarmsSince } : {}),
        },
        at,
      );
      if (record) {
        record.status = 'ROLLBACK_IN_PROGRESS';
        record.statusReason = `Service deployment rolled back because ${why.cause}.`;
        record.rollback = {
          reason: `Service deployment rolled back because ${why.cause}.`,
          startedAt: at,
          serviceRevisionArn: rollback.serviceRevisionArn,
        };
      }
    } else if (record) {
      record.status = 'STOPPED';
      record.statusReason = `Service deployment stopped because ${why.cause}.`;
      record.stoppedAt = at;
    }
  }

  private checkCompletion(service: Service, primary: Deployment, tasks: Task[], now: number): void {
    const live = tasks.filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED');
    const primaryLive = live.filter((t) => t.deploymentId === primary.id);
    const othersPresent = tasks.some((t) => t.deploymentId !== primary.id && t.lastStatus !== 'STOPPED');
    const settled =
      primaryLive.length === service.desiredCount &&
      primaryLive.every((t) => this.healthy(t, now)) &&
      !othersPresent;
    if (!settled) return;
    const at = new Date(now);
    if (primary.rolloutState === 'IN_PROGRESS') {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      primary.completedAt = at;
      primary.updatedAt = at;
      for (const d of service.deployments) if (d !== primary) d.status = 'INACTIVE';
      service.deployments = [primary];
      const record = service.serviceDeployments.find((r) => r.arn === primary.serviceDeploymentArn);
      if (record) {
        record.status = primary.rollbackOf ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
        if (!primary.rollbackOf) record.statusReason = undefined;
        record.finishedAt = at;
        record.updatedAt = at;
        if (record.circuitBreakerStatus === 'MONITORING') record.circuitBreakerStatus = 'MONITORING_COMPLETE';
      }
      this.addEvent(service, `(deployment ${primary.id}) deployment completed.`, at);
    }
    if (!service.steady) {
      service.steady = true;
      this.addEvent(service, 'has reached a steady state.', at);
    }
  }
}
