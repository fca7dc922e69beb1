// Fake Amazon ECS control plane (awsJson1_1, target prefix AmazonEC2ContainerServiceV20141113). Behaviour
// follows https://docs.aws.amazon.com/AmazonECS/latest/APIReference/ — see sandbox/aws/ecs/README.md for the
// behaviour list (documented vs assumed).
import { AwsError, type CallContext, type JsonService } from '../protocol.ts';
import type { World } from '../../world.ts';
import type {
  Cluster,
  Deployment,
  DeploymentConfiguration,
  Service,
  ServiceDeploymentRecord,
  Tag,
  Task,
  TaskDefinition,
} from './model.ts';
import { ecsState, type EcsState } from './state.ts';
import { clientError, renderTaskDefinition, validateTags } from './task-definitions.ts';
import { circuitBreakerThreshold } from './scheduler.ts';
import { createEcsControlService } from './control.ts';

/** desiredCount is an Integer in ECS's model (32 bits): beyond it nothing is scheduled (assumed: refused). */
function isInt32Count(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1;
}

type Input = Record<string, unknown>;

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

function clusterName(ref: unknown): string {
  if (ref === undefined || ref === null || ref === '') return 'default';
  const text = String(ref);
  const m = /^arn:aws[\w-]*:ecs:[^:]+:\d+:cluster\/(.+)$/.exec(text);
  return m ? m[1]! : text;
}

function clusterArn(ctx: CallContext, name: string): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${name}`;
}

function getCluster(s: EcsState, ref: unknown, ctx: CallContext): Cluster {
  const c = s.clusters.get(clusterArn(ctx, clusterName(ref)));
  if (!c) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  return c;
}

function serviceName(ref: unknown): string {
  const text = String(ref ?? '');
  const m = /^arn:aws[\w-]*:ecs:[^:]+:\d+:service\/(?:[^/]+\/)?([^/]+)$/.exec(text);
  return m ? m[1]! : text;
}

function getService(s: EcsState, cluster: Cluster, ref: unknown): Service {
  const svc = s.servicesOf(cluster.arn).get(serviceName(ref));
  if (!svc) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  return svc;
}

/** family, family:revision or ARN → the task definition (family alone: latest ACTIVE revision). */
function lookupTaskDefinition(s: EcsState, ref: unknown): TaskDefinition | undefined {
  if (typeof ref !== 'string' || ref.length === 0) return undefined;
  const arn = /^arn:aws[\w-]*:ecs:[^:]+:\d+:task-definition\/(.+)$/.exec(ref);
  const short = arn ? arn[1]! : ref;
  const m = /^([^:]+)(?::(\d+))?$/.exec(short);
  if (!m) return undefined;
  const revisions = s.taskDefinitions.get(m[1]!);
  if (!revisions) return undefined;
  if (m[2] !== undefined) return revisions[Number(m[2]) - 1];
  return [...revisions].reverse().find((td) => td.status === 'ACTIVE');
}

function renderTaskDefinitionOut(td: TaskDefinition): Record<string, unknown> {
  return {
    taskDefinitionArn: td.arn,
    ...td.body,
    revision: td.revision,
    status: td.status,
    registeredAt: td.registeredAt,
    ...(td.deregisteredAt ? { deregisteredAt: td.deregisteredAt } : {}),
    registeredBy: td.body.registeredBy,
  };
}

function renderCluster(s: EcsState, c: Cluster, withTags: boolean): Record<string, unknown> {
  const tasks = [...s.tasks.values()].filter((t) => t.clusterArn === c.arn);
  return {
    clusterArn: c.arn,
    clusterName: c.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING')
      .length,
    activeServicesCount: [...s.servicesOf(c.arn).values()].filter((x) => x.status === 'ACTIVE').length,
    statistics: [],
    ...(withTags ? { tags: c.tags } : {}),
    settings: c.settings,
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

function countsOf(
  s: EcsState,
  service: Service,
  deploymentId?: string,
): { running: number; pending: number } {
  const tasks = s
    .serviceTasks(service)
    .filter((t) => deploymentId === undefined || t.deploymentId === deploymentId);
  return {
    running: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pending: tasks.filter((t) => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.lastStatus)).length,
  };
}

function renderDeployment(s: EcsState, service: Service, d: Deployment): Record<string, unknown> {
  const c = countsOf(s, service, d.id);
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinitionArn,
    desiredCount: d.desiredCount,
    pendingCount: c.pending,
    runningCount: c.running,
    failedTasks: d.failedTasks,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...(d.capacityProviderStrategy ? { capacityProviderStrategy: d.capacityProviderStrategy } : {}),
    ...(d.launchType ? { launchType: d.launchType } : {}),
    ...(d.platformVersion ? { platformVersion: d.platformVersion } : {}),
    ...(d.platformFamily ? { platformFamily: d.platformFamily } : {}),
    ...(d.networkConfiguration ? { networkConfiguration: d.networkConfiguration } : {}),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

function renderService(s: EcsState, service: Service, withTags: boolean): Record<string, unknown> {
  const c = countsOf(s, service);
  const current = service.serviceDeployments[0];
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: service.echo.loadBalancers ?? [],
    serviceRegistries: service.echo.serviceRegistries ?? [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: c.running,
    pendingCount: c.pending,
    ...(service.launchType ? { launchType: service.launchType } : {}),
    ...(service.capacityProviderStrategy
      ? { capacityProviderStrategy: service.capacityProviderStrategy }
      : {}),
    ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
    ...(service.platformFamily ? { platformFamily: service.platformFamily } : {}),
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: service.deploymentConfiguration,
    deployments:
      service.deploymentController.type === 'ECS'
        ? service.deployments.map((d) => renderDeployment(s, service, d))
        : [],
    ...(service.echo.role ? { roleArn: service.echo.role } : {}),
    events: service.events,
    createdAt: service.createdAt,
    ...(current ? { currentServiceDeployment: current.arn } : {}),
    placementConstraints: service.echo.placementConstraints ?? [],
    placementStrategy: service.echo.placementStrategy ?? [],
    ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {}),
    ...(service.echo.healthCheckGracePeriodSeconds !== undefined
      ? { healthCheckGracePeriodSeconds: service.echo.healthCheckGracePeriodSeconds }
      : {}),
    schedulingStrategy: service.echo.schedulingStrategy ?? 'REPLICA',
    deploymentController: service.deploymentController,
    ...(withTags ? { tags: service.tags } : {}),
    createdBy: service.createdBy,
    enableECSManagedTags: service.echo.enableECSManagedTags ?? false,
    propagateTags: service.echo.propagateTags ?? 'NONE',
    enableExecuteCommand: service.echo.enableExecuteCommand ?? false,
    availabilityZoneRebalancing: service.echo.availabilityZoneRebalancing ?? 'DISABLED',
  };
}

function renderTask(s: EcsState, t: Task, withTags: boolean): Record<string, unknown> {
  const td = s.findTaskDefinition(t.taskDefinitionArn);
  const awsvpc = td?.body.networkMode === 'awsvpc';
  return {
    attachments: awsvpc
      ? [
          {
            id: t.id.slice(0, 8) + '-eni',
            type: 'ElasticNetworkInterface',
            status:
              t.lastStatus === 'STOPPED'
                ? 'DELETED'
                : t.lastStatus === 'PROVISIONING'
                  ? 'PRECREATED'
                  : 'ATTACHED',
            details: [
              { name: 'privateIPv4Address', value: '10.0.0.' + String(parseInt(t.id.slice(0, 2), 16)) },
            ],
          },
        ]
      : [],
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: 'us-east-1a',
    ...(t.capacityProviderName ? { capacityProviderName: t.capacityProviderName } : {}),
    clusterArn: t.clusterArn,
    connectivity: t.connectivityAt ? 'CONNECTED' : undefined,
    ...(t.connectivityAt ? { connectivityAt: t.connectivityAt } : {}),
    containers: t.containers.map((c) => ({
      containerArn: c.containerArn,
      taskArn: t.arn,
      name: c.name,
      image: c.image,
      ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
      ...(c.runtimeId ? { runtimeId: c.runtimeId } : {}),
      lastStatus: c.lastStatus,
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      networkBindings: [],
      networkInterfaces: [],
      ...(c.healthStatus ? { healthStatus: c.healthStatus } : {}),
      cpu: c.cpu,
      ...(c.memory ? { memory: c.memory } : {}),
      ...(c.memoryReservation ? { memoryReservation: c.memoryReservation } : {}),
    })),
    ...(t.cpu ? { cpu: t.cpu } : {}),
    createdAt: t.createdAt,
    desiredStatus: t.desiredStatus,
    enableExecuteCommand: false,
    ...(t.executionStoppedAt ? { executionStoppedAt: t.executionStoppedAt } : {}),
    group: t.group,
    healthStatus: t.healthStatus,
    lastStatus: t.lastStatus,
    ...(t.launchType ? { launchType: t.launchType } : {}),
    ...(t.memory ? { memory: t.memory } : {}),
    overrides: t.overrides,
    ...(t.platformVersion ? { platformVersion: t.platformVersion, platformFamily: 'Linux' } : {}),
    ...(t.pullStartedAt ? { pullStartedAt: t.pullStartedAt } : {}),
    ...(t.pullStoppedAt ? { pullStoppedAt: t.pullStoppedAt } : {}),
    ...(t.startedAt ? { startedAt: t.startedAt } : {}),
    ...(t.startedBy ? { startedBy: t.startedBy } : {}),
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedAt ? { stoppedAt: t.stoppedAt } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    ...(t.stoppingAt ? { stoppingAt: t.stoppingAt } : {}),
    ...(withTags ? { tags: t.tags } : {}),
    taskArn: t.arn,
    taskDefinitionArn: t.taskDefinitionArn,
    version: t.version,
  };
}

function renderServiceDeployment(
  s: EcsState,
  service: Service,
  r: ServiceDeploymentRecord,
): Record<string, unknown> {
  const revision = (arn: string): Record<string, unknown> => {
    const d = service.history.find((x) => x.serviceRevisionArn === arn);
    const c = d ? countsOf(s, service, d.id) : { running: 0, pending: 0 };
    return {
      arn,
      requestedTaskCount: d && d.status !== 'INACTIVE' ? d.desiredCount : 0,
      runningTaskCount: c.running,
      pendingTaskCount: c.pending,
    };
  };
  const d = service.history.find((x) => x.id === r.deploymentId);
  return {
    serviceDeploymentArn: r.arn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.stoppedAt ? { stoppedAt: r.stoppedAt } : {}),
    updatedAt: r.updatedAt,
    sourceServiceRevisions: r.sourceRevisionArns.map(revision),
    targetServiceRevision: revision(r.targetRevisionArn),
    status: r.status,
    ...(r.statusReason ? { statusReason: r.statusReason } : {}),
    deploymentConfiguration: r.deploymentConfiguration,
    ...(r.rollback ? { rollback: r.rollback } : {}),
    deploymentCircuitBreaker: {
      status: r.circuitBreakerStatus,
      failureCount: d?.failedTasks ?? 0,
      threshold: circuitBreakerThreshold(service.desiredCount),
    },
  };
}

function paginate<T>(items: T[], input: Input, limit = 100): { page: T[]; nextToken?: string } {
  const max = input.maxResults === undefined ? limit : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > limit) {
    throw invalid(`maxResults must be between 1 and ${limit}.`);
  }
  let start = 0;
  if (input.nextToken !== undefined) {
    start = Number(Buffer.from(String(input.nextToken), 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalid('Invalid nextToken.');
  }
  const page = items.slice(start, start + max);
  return start + max < items.length
    ? { page, nextToken: Buffer.from(String(start + max)).toString('base64') }
    : { page };
}

function includesTags(input: Input): boolean {
  return Array.isArray(input.include) && (input.include as string[]).includes('TAGS');
}

function validateDeploymentConfiguration(
  raw: unknown,
  base?: DeploymentConfiguration,
): DeploymentConfiguration {
  const input = (raw ?? {}) as DeploymentConfiguration;
  const merged: DeploymentConfiguration = {
    ...(base ?? {}),
    ...input,
    deploymentCircuitBreaker: {
      enable: input.deploymentCircuitBreaker?.enable ?? base?.deploymentCircuitBreaker?.enable ?? false,
      rollback: input.deploymentCircuitBreaker?.rollback ?? base?.deploymentCircuitBreaker?.rollback ?? false,
    },
    maximumPercent: input.maximumPercent ?? base?.maximumPercent ?? 200,
    minimumHealthyPercent: input.minimumHealthyPercent ?? base?.minimumHealthyPercent ?? 100,
  };
  const alarms = merged.alarms as { alarmNames?: unknown; enable?: unknown; rollback?: unknown } | undefined;
  if (
    alarms !== undefined &&
    (!Array.isArray(alarms.alarmNames) ||
      typeof alarms.enable !== 'boolean' ||
      typeof alarms.rollback !== 'boolean')
  ) {
    // DeploymentAlarms: alarmNames, enable and rollback are all required (API reference).
    throw invalid('deploymentConfiguration.alarms needs alarmNames, enable and rollback.');
  }
  const max = merged.maximumPercent!;
  const min = merged.minimumHealthyPercent!;
  if (!Number.isInteger(max) || max < 100 || max > 200) {
    throw invalid('deploymentConfiguration.maximumPercent must be between 100 and 200.');
  }
  if (!Number.isInteger(min) || min < 0 || min > 100) {
    throw invalid('deploymentConfiguration.minimumHealthyPercent must be between 0 and 100.');
  }
  return merged;
}

/** Checks that a task definition can run with the launch type / network configuration asked for. */
function checkLaunch(
  td: TaskDefinition,
  launchType: string | undefined,
  capacity: unknown[] | undefined,
  network: unknown,
): void {
  const fargate =
    launchType === 'FARGATE' ||
    (capacity ?? []).some((c) =>
      String((c as { capacityProvider?: string }).capacityProvider).startsWith('FARGATE'),
    );
  const compat = td.body.compatibilities as string[];
  if (fargate && !compat.includes('FARGATE'))
    throw invalid('Task definition does not support launch_type FARGATE.');
  if (td.body.networkMode === 'awsvpc' && !network) {
    throw invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  if (network && td.body.networkMode !== 'awsvpc') {
    throw invalid('Network Configuration is not valid for the given networkMode of this task definition.');
  }
  const subnets = (network as { awsvpcConfiguration?: { subnets?: unknown[] } } | undefined)
    ?.awsvpcConfiguration?.subnets;
  if (network && (!Array.isArray(subnets) || subnets.length === 0)) {
    throw invalid('subnets can not be empty.');
  }
}

function requireActiveTaskDefinition(s: EcsState, ref: unknown): TaskDefinition {
  const td = lookupTaskDefinition(s, ref);
  if (!td) throw clientError('TaskDefinition not found.');
  if (td.status !== 'ACTIVE') throw clientError('TaskDefinition is inactive');
  return td;
}

function findTagged(s: EcsState, arn: unknown): { tags: Tag[]; set: (tags: Tag[]) => void } {
  const text = String(arn ?? '');
  for (const c of s.clusters.values()) if (c.arn === text) return { tags: c.tags, set: (t) => (c.tags = t) };
  for (const byName of s.services.values()) {
    for (const svc of byName.values())
      if (svc.arn === text) return { tags: svc.tags, set: (t) => (svc.tags = t) };
  }
  const task = s.tasks.get(text);
  if (task) return { tags: task.tags, set: (t) => (task.tags = t) };
  const td = s.findTaskDefinition(text);
  if (td) return { tags: td.tags, set: (t) => (td.tags = t) };
  if (!/^arn:aws[\w-]*:ecs:/.test(text)) throw invalid('The ARN provided is invalid.');
  throw new AwsError('ResourceNotFoundException', 'The specified resource could not be found.');
}

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const out = existing.filter((t) => !added.some((a) => a.key === t.key));
  return [...out, ...added];
}

export function createEcsServices(world: World): JsonService[] {
  const s = ecsState(world);
  s.start();
  const callerArn = (ctx: CallContext): string => `arn:aws:iam::${ctx.accountId}:user/sandbox`;

  const service: JsonService = {
    protocol: 'json',
    name: 'ecs',
    signingName: 'ecs',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    operations: {
      CreateCluster(input: Input, ctx: CallContext) {
        const name = input.clusterName === undefined ? 'default' : String(input.clusterName);
        if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
          throw invalid(
            'Cluster name must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens, and underscores.',
          );
        }
        const arn = clusterArn(ctx, name);
        let c = s.clusters.get(arn);
        if (!c) {
          c = {
            name,
            arn,
            createdAt: ctx.now(),
            tags: validateTags(input.tags),
            settings: (input.settings as Cluster['settings'] | undefined) ?? [
              { name: 'containerInsights', value: 'disabled' },
            ],
          };
          s.clusters.set(arn, c);
        }
        return { cluster: renderCluster(s, c, true) };
      },

      DescribeClusters(input: Input, ctx: CallContext) {
        const refs = (input.clusters as string[] | undefined) ?? ['default'];
        const clusters: unknown[] = [];
        const failures: unknown[] = [];
        for (const ref of refs) {
          const arn = clusterArn(ctx, clusterName(ref));
          const c = s.clusters.get(arn);
          if (c) clusters.push(renderCluster(s, c, includesTags(input)));
          else failures.push({ arn, reason: 'MISSING' });
        }
        return { clusters, failures };
      },

      ListClusters(input: Input) {
        const { page, nextToken } = paginate([...s.clusters.keys()], input);
        return { clusterArns: page, ...(nextToken ? { nextToken } : {}) };
      },

      RegisterTaskDefinition(input: Input, ctx: CallContext) {
        const { family, body, tags } = renderTaskDefinition(input);
        const revisions = s.taskDefinitions.get(family) ?? [];
        const revision = revisions.length + 1;
        const td: TaskDefinition = {
          family,
          revision,
          arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${family}:${revision}`,
          status: 'ACTIVE',
          body: { ...body, registeredBy: callerArn(ctx) },
          tags,
          registeredAt: ctx.now(),
        };
        revisions.push(td);
        s.taskDefinitions.set(family, revisions);
        return { taskDefinition: renderTaskDefinitionOut(td), tags };
      },

      DescribeTaskDefinition(input: Input) {
        const td = lookupTaskDefinition(s, input.taskDefinition);
        if (!td) throw clientError('Unable to describe task definition.');
        return {
          taskDefinition: renderTaskDefinitionOut(td),
          ...(includesTags(input) ? { tags: td.tags } : {}),
        };
      },

      DeregisterTaskDefinition(input: Input, ctx: CallContext) {
        const ref = String(input.taskDefinition ?? '');
        const short = ref.replace(/^arn:aws[\w-]*:ecs:[^:]+:\d+:task-definition\//, '');
        if (!/^[^:]+:\d+$/.test(short)) {
          throw clientError('Invalid revision number. Number: ' + (short.split(':')[1] ?? ''));
        }
        const td = lookupTaskDefinition(s, ref);
        if (!td) throw clientError('The specified task definition does not exist.');
        if (td.status === 'ACTIVE') {
          td.status = 'INACTIVE';
          td.deregisteredAt = ctx.now();
        }
        return { taskDefinition: renderTaskDefinitionOut(td) };
      },

      ListTaskDefinitions(input: Input) {
        const status = (input.status as string | undefined) ?? 'ACTIVE';
        const prefix = input.familyPrefix as string | undefined;
        const all: TaskDefinition[] = [];
        for (const [family, revisions] of [...s.taskDefinitions.entries()].sort(([a], [b]) =>
          a.localeCompare(b),
        )) {
          if (prefix !== undefined && family !== prefix) continue;
          for (const td of revisions) if (td.status === status) all.push(td);
        }
        if (input.sort === 'DESC') all.reverse();
        const { page, nextToken } = paginate(
          all.map((td) => td.arn),
          input,
        );
        return { taskDefinitionArns: page, ...(nextToken ? { nextToken } : {}) };
      },

      ListTaskDefinitionFamilies(input: Input) {
        const status = (input.status as string | undefined) ?? 'ACTIVE';
        const families = [...s.taskDefinitions.entries()]
          .filter(
            ([f, revs]) =>
              (input.familyPrefix === undefined || f.startsWith(String(input.familyPrefix))) &&
              (status === 'ALL' || revs.some((r) => r.status === status)),
          )
          .map(([f]) => f)
          .sort();
        const { page, nextToken } = paginate(families, input);
        return { families: page, ...(nextToken ? { nextToken } : {}) };
      },

      CreateService(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        const name = input.serviceName;
        if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
          throw invalid(
            'Service name must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens, and underscores.',
          );
        }
        const existing = s.servicesOf(cluster.arn).get(name);
        if (existing?.status === 'DRAINING')
          throw invalid('Unable to Start a service that is still Draining.');
        if (existing && existing.status !== 'INACTIVE')
          throw invalid('Creation of service was not idempotent.');
        const controller = (input.deploymentController as { type?: string } | undefined)?.type ?? 'ECS';
        if (!['ECS', 'CODE_DEPLOY', 'EXTERNAL'].includes(controller)) {
          throw invalid(
            `1 validation error detected: Value '${controller}' at 'deploymentController.type' failed to satisfy constraint: Member must satisfy enum value set: [ECS, CODE_DEPLOY, EXTERNAL]`,
          );
        }
        const scheduling = (input.schedulingStrategy as string | undefined) ?? 'REPLICA';
        if (scheduling === 'DAEMON')
          throw invalid('The DAEMON scheduling strategy is not supported by the sandbox.');
        const launchType = input.launchType as string | undefined;
        const capacity = input.capacityProviderStrategy as unknown[] | undefined;
        if (launchType && capacity && capacity.length > 0) {
          throw invalid(
            'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
          );
        }
        let td: TaskDefinition | undefined;
        if (controller !== 'EXTERNAL' || input.taskDefinition !== undefined) {
          if (input.taskDefinition === undefined) throw invalid('TaskDefinition must be specified.');
          td = requireActiveTaskDefinition(s, input.taskDefinition);
          checkLaunch(td, launchType, capacity, input.networkConfiguration);
        }
        const desiredCount = input.desiredCount === undefined ? 0 : Number(input.desiredCount);
        if (!isInt32Count(desiredCount)) throw invalid('desiredCount must be a non-negative integer.');
        const effectiveLaunch = launchType ?? (capacity && capacity.length > 0 ? undefined : 'EC2');
        const now = ctx.now();
        const svc: Service = {
          name,
          arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster.name}/${name}`,
          clusterArn: cluster.arn,
          status: 'ACTIVE',
          desiredCount,
          taskDefinitionArn: td?.arn ?? '',
          ...(effectiveLaunch ? { launchType: effectiveLaunch } : {}),
          ...(capacity && capacity.length > 0 ? { capacityProviderStrategy: capacity } : {}),
          ...(effectiveLaunch === 'FARGATE' || capacity
            ? {
                platformVersion: (input.platformVersion as string | undefined) ?? 'LATEST',
                platformFamily: 'Linux',
              }
            : {}),
          deploymentConfiguration: validateDeploymentConfiguration(input.deploymentConfiguration),
          deploymentController: { type: controller },
          ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
          deployments: [],
          history: [],
          serviceDeployments: [],
          events: [],
          createdAt: now,
          createdBy: callerArn(ctx),
          tags: validateTags(input.tags),
          echo: {
            loadBalancers: input.loadBalancers,
            serviceRegistries: input.serviceRegistries,
            role: input.role,
            placementConstraints: input.placementConstraints,
            placementStrategy: input.placementStrategy,
            healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds,
            schedulingStrategy: scheduling,
            enableECSManagedTags: input.enableECSManagedTags,
            propagateTags: input.propagateTags,
            enableExecuteCommand: input.enableExecuteCommand,
            availabilityZoneRebalancing: input.availabilityZoneRebalancing,
          },
          nextLaunchAt: 0,
          steady: false,
        };
        s.servicesOf(cluster.arn).set(name, svc);
        if (controller === 'ECS' && td) s.newDeployment(svc, ctx.region, { taskDefinitionArn: td.arn }, now);
        return { service: renderService(s, svc, false) };
      },

      UpdateService(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        const svc = getService(s, cluster, input.service);
        if (svc.status !== 'ACTIVE')
          throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
        let td: TaskDefinition | undefined;
        if (input.taskDefinition !== undefined) {
          if (svc.deploymentController.type === 'CODE_DEPLOY') {
            throw invalid(
              'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
            );
          }
          if (svc.deploymentController.type === 'EXTERNAL') {
            throw invalid(
              'Unable to update task definition on services with a EXTERNAL deployment controller. Use task sets to trigger a new deployment.',
            );
          }
          td = requireActiveTaskDefinition(s, input.taskDefinition);
        }
        const network = input.networkConfiguration ?? svc.networkConfiguration;
        const target = td ?? s.findTaskDefinition(svc.taskDefinitionArn);
        if (target && (td || input.networkConfiguration))
          checkLaunch(target, svc.launchType, svc.capacityProviderStrategy, network);
        if (input.desiredCount !== undefined) {
          const n = Number(input.desiredCount);
          if (!isInt32Count(n)) throw invalid('desiredCount must be a non-negative integer.');
          if (n !== svc.desiredCount) svc.steady = false;
          svc.desiredCount = n;
        }
        if (input.deploymentConfiguration !== undefined) {
          svc.deploymentConfiguration = validateDeploymentConfiguration(
            input.deploymentConfiguration,
            svc.deploymentConfiguration,
          );
        }
        if (input.healthCheckGracePeriodSeconds !== undefined)
          svc.echo.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
        if (input.enableExecuteCommand !== undefined)
          svc.echo.enableExecuteCommand = input.enableExecuteCommand;
        const networkChanged =
          input.networkConfiguration !== undefined &&
          JSON.stringify(input.networkConfiguration) !== JSON.stringify(svc.networkConfiguration);
        const platformChanged =
          input.platformVersion !== undefined && input.platformVersion !== svc.platformVersion;
        if (input.networkConfiguration !== undefined) svc.networkConfiguration = input.networkConfiguration;
        if (input.platformVersion !== undefined && svc.platformVersion)
          svc.platformVersion = String(input.platformVersion);
        const tdChanged = td !== undefined && td.arn !== svc.taskDefinitionArn;
        if (
          svc.deploymentController.type === 'ECS' &&
          (tdChanged || networkChanged || platformChanged || input.forceNewDeployment === true)
        ) {
          s.newDeployment(svc, ctx.region, { taskDefinitionArn: (td ?? target)!.arn }, ctx.now());
        }
        return { service: renderService(s, svc, false) };
      },

      DeleteService(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        const svc = getService(s, cluster, input.service);
        if (svc.status !== 'ACTIVE')
          throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
        if (svc.desiredCount > 0 && input.force !== true) {
          throw invalid('The service cannot be stopped while it is scaled above 0.');
        }
        svc.status = 'DRAINING';
        svc.desiredCount = 0;
        for (const t of s.serviceTasks(svc)) {
          if (t.desiredStatus === 'RUNNING') s.requestStop(t, 'ServiceSchedulerInitiated', 'Service deleted');
        }
        // DRAINING until its tasks have stopped; the tick then makes it INACTIVE.
        return { service: renderService(s, svc, false) };
      },

      DescribeServices(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        const refs = input.services;
        if (!Array.isArray(refs) || refs.length === 0) throw invalid('Services cannot be empty.');
        if (refs.length > 10) throw invalid('Too many services. Maximum is 10.');
        const services: unknown[] = [];
        const failures: unknown[] = [];
        for (const ref of refs as string[]) {
          const svc = s.servicesOf(cluster.arn).get(serviceName(ref));
          if (svc) services.push(renderService(s, svc, includesTags(input)));
          else {
            failures.push({
              arn: String(ref).startsWith('arn:')
                ? ref
                : `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster.name}/${String(ref)}`,
              reason: 'MISSING',
            });
          }
        }
        return { services, failures };
      },

      ListServices(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        const arns = [...s.servicesOf(cluster.arn).values()]
          .filter((x) => x.status === 'ACTIVE')
          .map((x) => x.arn);
        const { page, nextToken } = paginate(arns, input, 100);
        return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
      },

      ListServiceDeployments(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        if (input.service === undefined) throw invalid('service must be specified.');
        const svc = getService(s, cluster, input.service);
        const statuses = input.status as string[] | undefined;
        const created = input.createdAt as { before?: number; after?: number } | undefined;
        const records = svc.serviceDeployments.filter(
          (r) =>
            (!statuses || statuses.length === 0 || statuses.includes(r.status)) &&
            (created?.after === undefined || r.createdAt.getTime() >= created.after * 1000) &&
            (created?.before === undefined || r.createdAt.getTime() <= created.before * 1000),
        );
        const { page, nextToken } = paginate(records, input, 100);
        return {
          serviceDeployments: page.map((r) => ({
            serviceDeploymentArn: r.arn,
            serviceArn: svc.arn,
            clusterArn: svc.clusterArn,
            startedAt: r.startedAt,
            createdAt: r.createdAt,
            ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
            targetServiceRevisionArn: r.targetRevisionArn,
            status: r.status,
            ...(r.statusReason ? { statusReason: r.statusReason } : {}),
          })),
          ...(nextToken ? { nextToken } : {}),
        };
      },

      DescribeServiceDeployments(input: Input) {
        const arns = input.serviceDeploymentArns;
        if (!Array.isArray(arns) || arns.length === 0)
          throw invalid('serviceDeploymentArns cannot be empty.');
        if (arns.length > 20) throw invalid('Too many serviceDeploymentArns. Maximum is 20.');
        const serviceDeployments: unknown[] = [];
        const failures: unknown[] = [];
        for (const arn of arns as string[]) {
          let found = false;
          for (const byName of s.services.values()) {
            for (const svc of byName.values()) {
              const r = svc.serviceDeployments.find((x) => x.arn === arn);
              if (r) {
                serviceDeployments.push(renderServiceDeployment(s, svc, r));
                found = true;
              }
            }
          }
          if (!found) failures.push({ arn, reason: 'MISSING' });
        }
        return { serviceDeployments, failures };
      },

      RunTask(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        if (input.taskDefinition === undefined) throw invalid('TaskDefinition must be specified.');
        const td = lookupTaskDefinition(s, input.taskDefinition);
        if (!td) throw clientError('TaskDefinition not found.');
        if (td.status !== 'ACTIVE') throw clientError('TaskDefinition is inactive');
        const count = input.count === undefined ? 1 : Number(input.count);
        if (!Number.isInteger(count) || count < 1 || count > 10)
          throw invalid('Count must be between 1 and 10.');
        const launchType = input.launchType as string | undefined;
        const capacity = input.capacityProviderStrategy as unknown[] | undefined;
        checkLaunch(td, launchType, capacity, input.networkConfiguration);
        const overrides =
          (input.overrides as { containerOverrides?: { name?: string; command?: string[] }[] } | undefined)
            ?.containerOverrides ?? [];
        const names = (td.body.containerDefinitions as { name: string }[]).map((c) => c.name);
        const commandOverrides = new Map<string, string[]>();
        for (const o of overrides) {
          if (!o.name || !names.includes(o.name)) {
            throw invalid(
              `Override for container named ${String(o.name)} is not a container in the TaskDefinition.`,
            );
          }
          if (o.command) commandOverrides.set(o.name, o.command);
        }
        const effectiveLaunch = launchType ?? (capacity && capacity.length > 0 ? undefined : 'EC2');
        const tasks: Task[] = [];
        for (let i = 0; i < count; i++) {
          tasks.push(
            s.createTask({
              td,
              clusterArn: cluster.arn,
              region: ctx.region,
              ...(effectiveLaunch ? { launchType: effectiveLaunch } : {}),
              ...(capacity && capacity.length > 0
                ? {
                    capacityProviderName: String(
                      (capacity[0] as { capacityProvider?: string }).capacityProvider,
                    ),
                  }
                : {}),
              ...(effectiveLaunch === 'FARGATE' || capacity
                ? {
                    platformVersion:
                      input.platformVersion && input.platformVersion !== 'LATEST'
                        ? String(input.platformVersion)
                        : '1.4.0',
                  }
                : {}),
              group: (input.group as string | undefined) ?? `family:${td.family}`,
              ...(input.startedBy ? { startedBy: String(input.startedBy) } : {}),
              commandOverrides,
              overrides: {
                containerOverrides: names.map((n) => ({
                  name: n,
                  ...(commandOverrides.has(n) ? { command: commandOverrides.get(n)! } : {}),
                })),
                inferenceAcceleratorOverrides: [],
              },
              tags: validateTags(input.tags),
              now: ctx.now(),
            }),
          );
        }
        return { tasks: tasks.map((t) => renderTask(s, t, false)), failures: [] };
      },

      DescribeTasks(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        const refs = input.tasks;
        if (!Array.isArray(refs) || refs.length === 0) throw invalid('Tasks cannot be empty.');
        if (refs.length > 100) throw invalid('Too many tasks. Maximum is 100.');
        const tasks: unknown[] = [];
        const failures: unknown[] = [];
        for (const ref of refs as string[]) {
          const id = String(ref).split('/').pop()!;
          const arn = `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${cluster.name}/${id}`;
          const t = s.tasks.get(arn);
          if (t) tasks.push(renderTask(s, t, includesTags(input)));
          else failures.push({ arn: String(ref).startsWith('arn:') ? ref : arn, reason: 'MISSING' });
        }
        return { tasks, failures };
      },

      ListTasks(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        if (input.serviceName !== undefined) getService(s, cluster, input.serviceName);
        const desired = (input.desiredStatus as string | undefined) ?? 'RUNNING';
        const svcName = input.serviceName === undefined ? undefined : serviceName(input.serviceName);
        const arns = [...s.tasks.values()]
          .filter(
            (t) =>
              t.clusterArn === cluster.arn &&
              t.desiredStatus === desired &&
              (svcName === undefined || t.serviceName === svcName) &&
              (input.family === undefined ||
                t.taskDefinitionArn.includes(`task-definition/${String(input.family)}:`)) &&
              (input.startedBy === undefined || t.startedBy === input.startedBy) &&
              (input.launchType === undefined || t.launchType === input.launchType),
          )
          .map((t) => t.arn);
        const { page, nextToken } = paginate(arns, input, 100);
        return { taskArns: page, ...(nextToken ? { nextToken } : {}) };
      },

      StopTask(input: Input, ctx: CallContext) {
        const cluster = getCluster(s, input.cluster, ctx);
        const id = String(input.task ?? '')
          .split('/')
          .pop()!;
        const t = s.tasks.get(`arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${cluster.name}/${id}`);
        if (!t) throw invalid('The referenced task was not found.');
        if (t.desiredStatus === 'RUNNING') {
          s.requestStop(
            t,
            'UserInitiated',
            input.reason !== undefined ? String(input.reason) : 'Task stopped by user',
          );
        }
        return { task: renderTask(s, t, false) };
      },

      TagResource(input: Input) {
        const target = findTagged(s, input.resourceArn);
        const tags = validateTags(input.tags);
        target.set(mergeTags(target.tags, tags));
        return {};
      },

      UntagResource(input: Input) {
        const target = findTagged(s, input.resourceArn);
        const keys = (input.tagKeys as string[] | undefined) ?? [];
        target.set(target.tags.filter((t) => !keys.includes(t.key)));
        return {};
      },

      ListTagsForResource(input: Input) {
        return { tags: findTagged(s, input.resourceArn).tags };
      },
    },
  };
  return [service, createEcsControlService(s)];
}
