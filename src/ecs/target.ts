// ECS services as a deploy target: what differs from EKS — task definitions, UpdateService, the deployment
// the update starts, ECS's own circuit-breaker rollback, the pre-deploy task.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ContainerDefinition$,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  RegisterTaskDefinitionRequest$,
  UpdateServiceCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import { describeAwsError, errorName } from '../aws/errors.ts';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { Clock } from '../deploy/clock.ts';
import { ContainerSelectionError } from '../deploy/containers.ts';
import type { Log } from '../deploy/log.ts';
import { standInImage, type DeployImage, type TargetPort, type Verdict } from '../deploy/target.ts';
import type { EcsTargetInputs } from '../deploy/types.ts';
import { ServicePoller } from './poller.ts';
import { runPreDeployTask } from './pre-deploy.ts';
import {
  RENDER_HASH_TAG,
  diffTaskDefinitions,
  parseTaskDefinitionFile,
  renderTaskDefinition,
  stripDescribeFields,
  provenanceOf,
  tagsWithHash,
  keyLocation,
  unknownKeys,
  type Provenance,
  type ParsedTaskDefinition,
  type RenderedTaskDefinition,
  type Tag,
  type TaskDefinitionBody,
} from './task-definition.ts';
import { annotationProperties } from '../report/annotation.ts';
import { trackRollout, waitForDeployment, type TrackedRollout } from './wait.ts';
import { createLogsClient, createScalingClient } from '../aws/clients.ts';
import {
  ScalingSession,
  clampDesiredCount,
  configChanges,
  planScaling,
  previewScaling,
  readScaling,
  resourceIdOf,
  type ScalingClient,
  type ScalingPlan,
} from './scaling.ts';
import { printTaskLogs, type LogReader, type LoggedContainer } from './logs.ts';
import { deploymentAlarmsFor } from './alarms.ts';
import { bake, describeFiring, firingAlarms, sdkAlarmReader, type AlarmReader } from '../deploy/bake.ts';

export class UnsupportedDeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDeploymentError';
  }
}

export interface EcsTargetOptions {
  readonly ecs: ECSClient;
  readonly target: EcsTargetInputs;
  readonly region: string;
  readonly clock: Clock;
  readonly log: Log;
  /** The image's repository; the preparation checks the container selection against it. */
  readonly repositoryUri: string;
  /** How long the pre-deploy task may take (the deploy's `timeout`). */
  readonly preDeployTimeoutMs: number;
  /** How often the wait asks for a fresh answer (DescribeServices pace per cluster). */
  readonly pollIntervalMs?: number;
  /** Application Auto Scaling (created from `env` when auto-scaling or desired-count needs it). */
  readonly scaling?: ScalingClient;
  readonly env?: NodeJS.ProcessEnv;
  /** Reads the log lines of failed tasks (default: CloudWatch Logs through the SDK). */
  readonly logReader?: LogReader;
  /** Reads the alarms (default: CloudWatch through the SDK). */
  readonly alarmReader?: AlarmReader;
}

/** Lines of each essential container's log printed for a failed task, and how many failed tasks get them. */
export const FAILED_TASK_LOG_LINES = 30;
const FAILED_TASKS_WITH_LOGS = 2;

/** CloudWatch Logs through the SDK: one client per log region, created on first use. */
export function sdkLogReader(env: NodeJS.ProcessEnv): LogReader {
  const clients = new Map<string, ReturnType<typeof createLogsClient>>();
  return {
    async lastEvents(region, group, stream, limit) {
      let client = clients.get(region);
      if (!client) {
        client = createLogsClient({ region, env });
        clients.set(region, client);
      }
      const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
      const out = await (
        await client
      ).send(
        new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit, startFromHead: false }),
      );
      return out.events ?? [];
    },
  };
}

/** A service as it was found before anything was built. */
export interface EcsUnit {
  readonly name: string;
  readonly service: Service;
  readonly currentArn: string;
  /** The running revision, without the fields Describe adds. */
  readonly current: TaskDefinitionBody;
  readonly currentHash: string | undefined;
  /** What is rendered: the file given for this service, else the running revision. */
  readonly source: ParsedTaskDefinition;
  /** Auto scaling as it will be changed (auto-scaling input), or as registered (desired-count given). */
  readonly scaling?: ScalingPlan;
  /** `desired-count`, clamped to the scalable target's range. */
  readonly desiredCount?: number;
}

export interface EcsPlan {
  readonly imageRef: string;
  readonly rendered: RenderedTaskDefinition;
  readonly tags: Tag[];
  /** Same hash and family as the running revision: nothing to register. */
  readonly sameRevision: boolean;
  readonly force: boolean;
  /** The scaling configuration is written even when the revision is the same. */
  readonly scalingChanges: boolean;
}

export interface EcsHandle {
  readonly unit: EcsUnit;
  readonly taskDefinitionArn: string;
  readonly tracked: TrackedRollout;
  /** Scale-in suspended for this rollout and put back after it. */
  readonly session?: ScalingSession;
  /** Only the scaling configuration changed: nothing rolls out. */
  readonly scalingOnly?: boolean;
  readonly rollback?: boolean;
  /** Our revision's containers (where their logs go); absent for a rollback's handle. */
  readonly containers?: readonly LoggedContainer[];
}

// The SDK model's member lists: keys outside them would be dropped silently by the serializer.
const KNOWN_KEYS = {
  taskDefinition: [...(RegisterTaskDefinitionRequest$[4] as readonly string[])].filter((k) => k !== 'tags'),
  container: ContainerDefinition$[4] as readonly string[],
};

/** `family:revision` of a task definition ARN. */
const revisionName = (arn: string) => arn.split('/').at(-1) ?? arn;

export function consoleUrl(region: string, cluster: string, service: string): string {
  const clusterName = cluster.split('/').at(-1);
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${clusterName}/services/${service}/deployments?region=${region}`;
}

async function describeTaskDefinition(ecs: ECSClient, arn: string) {
  try {
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
    if (!out.taskDefinition) throw new Error(`DescribeTaskDefinition returned nothing for ${arn}`);
    return {
      taskDefinition: stripDescribeFields(out.taskDefinition as Record<string, unknown>),
      tags: (out.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
    };
  } catch (error) {
    throw describeAwsError('DescribeTaskDefinition', error, {
      permission: 'ecs:DescribeTaskDefinition',
      subject: arn,
    });
  }
}

function checkSupported(name: string, service: Service | undefined, options: EcsTargetOptions): Service {
  const { target, region } = options;
  if (!service || service.status === 'INACTIVE') {
    throw new InputError(
      Input.EcsService,
      `service "${name}" does not exist in cluster ${target.cluster} (${region}). Check the name, the cluster and the region.`,
    );
  }
  if (service.status !== 'ACTIVE') {
    throw new InputError(Input.EcsService, `service "${name}" is ${service.status}, not ACTIVE.`);
  }
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    throw new UnsupportedDeploymentError(
      `Service ${name} uses the ${controller} deployment controller; this action deploys ECS rolling updates only (CODE_DEPLOY and EXTERNAL are not supported yet). Nothing was registered.`,
    );
  }
  const strategy = service.deploymentConfiguration?.strategy;
  if (strategy && strategy !== 'ROLLING') {
    throw new UnsupportedDeploymentError(
      `Service ${name} uses the ${strategy} deployment strategy; this action deploys rolling updates only (blue/green, linear and canary are not supported yet). Nothing was registered.`,
    );
  }
  return service;
}

function render(
  unit: EcsUnit,
  image: DeployImage,
  target: EcsTargetInputs,
  provenance: Provenance = {},
): EcsPlan {
  let rendered: RenderedTaskDefinition;
  try {
    rendered = renderTaskDefinition(unit.source.taskDefinition, {
      ...image,
      containers: target.containers,
      environment: target.environment,
      ...(target.render ? { render: target.render } : {}),
    });
  } catch (error) {
    if (error instanceof ContainerSelectionError) {
      throw new InputError(Input.Containers, `service ${unit.name}: ${error.message}`);
    }
    throw error;
  }
  return {
    imageRef: image.imageRef,
    rendered,
    tags: tagsWithHash(unit.source.tags, rendered.hash, provenance),
    sameRevision:
      unit.currentHash === rendered.hash && unit.current.family === rendered.taskDefinition.family,
    force: target.forceNewDeployment,
    scalingChanges: configChanges(unit.scaling),
  };
}

/**
 * Pure: services of one family share one new revision only when they render to the same content; when they
 * do not, each gets its own, and a person should know why (the first differences, against the first service).
 */
export function sharedFamilyWarnings(
  units: readonly { readonly name: string; readonly rendered: RenderedTaskDefinition }[],
): string[] {
  const byFamily = new Map<string, { name: string; rendered: RenderedTaskDefinition }[]>();
  for (const u of units) {
    const family = u.rendered.taskDefinition.family ?? '';
    byFamily.set(family, [...(byFamily.get(family) ?? []), u]);
  }
  const warnings: string[] = [];
  for (const [family, members] of byFamily) {
    const [first, ...rest] = members;
    if (!first) continue;
    const differing = rest.filter((m) => m.rendered.hash !== first.rendered.hash);
    if (differing.length === 0) continue;
    const details = differing.map((m) => {
      const diff = diffTaskDefinitions(first.rendered.taskDefinition, m.rendered.taskDefinition);
      return `${m.name} differs from ${first.name} in ${diff.slice(0, 3).join('; ')}${diff.length > 3 ? ` (and ${diff.length - 3} more)` : ''}`;
    });
    warnings.push(
      `${members.map((m) => m.name).join(', ')} share the task definition family ${family} but render to different task definitions, so they get a revision each: ${details.join('; ')}. Give them the same task-definition file for one shared revision.`,
    );
  }
  return warnings;
}

/**
 * Reads what is there — the cluster, each service (it must exist and use ECS rolling updates), its running
 * task definition, the file given for it — and checks the container selection against the repository.
 * Nothing is changed. The result is the target the driver deploys to once the image exists.
 */
export async function prepareEcsTarget(
  options: EcsTargetOptions,
): Promise<TargetPort<EcsUnit, EcsPlan, EcsHandle>> {
  const { ecs, target, clock, log } = options;
  const poller = new ServicePoller({
    ecs,
    cluster: target.cluster,
    clock,
    log,
    ...(options.pollIntervalMs !== undefined ? { intervalMs: options.pollIntervalMs } : {}),
  });
  let found: Map<string, Service>;
  try {
    found = await poller.all(target.services);
  } catch (error) {
    if (errorName(error) === 'ClusterNotFoundException') {
      throw new InputError(
        Input.EcsCluster,
        `cluster "${target.cluster}" does not exist in ${options.region}. Check the name and the region.`,
      );
    }
    throw describeAwsError('DescribeServices', error, {
      permission: 'ecs:DescribeServices',
      subject: `cluster ${target.cluster}`,
    });
  }
  const units: EcsUnit[] = [];
  const rendered: { name: string; rendered: RenderedTaskDefinition }[] = [];
  for (const name of target.services) {
    const service = checkSupported(name, found.get(name), options);
    const currentArn = service.taskDefinition ?? '';
    const current = await describeTaskDefinition(ecs, currentArn);
    const file = target.taskDefinitionFiles.get(name);
    const text = file ? readFileSync(file, 'utf8') : undefined;
    const source = file && text !== undefined ? parseTaskDefinitionFile(text, file) : current;
    const unknown = unknownKeys(source.taskDefinition, KNOWN_KEYS);
    if (unknown.length > 0) {
      // Annotated on the first unknown key's line, when it is in a file of the workspace.
      const cwd = process.cwd();
      const [first = ''] = unknown;
      const location = file && text !== undefined ? keyLocation(text, file, first) : undefined;
      log.warning(
        `Task definition ${file ?? currentArn}: ECS's API model (in this action's AWS SDK) does not know ${unknown.join(', ')}; they would be dropped. Check their spelling.`,
        annotationProperties(location, (options.env ?? process.env).GITHUB_WORKSPACE ?? cwd, cwd),
      );
    }
    const unit: EcsUnit = {
      name,
      service,
      currentArn,
      current: current.taskDefinition,
      currentHash: current.tags.find((t) => t.key === RENDER_HASH_TAG)?.value,
      source,
    };
    rendered.push({ name, rendered: render(unit, standInImage(options.repositoryUri), target).rendered });
    units.push(unit);
  }
  for (const warning of sharedFamilyWarnings(rendered)) log.warning(warning);
  const scaling = await prepareScaling(options, units);
  return createEcsPort(
    { ...options, ...(scaling ? { scaling: scaling.client } : {}) },
    poller,
    scaling?.units ?? units,
  );
}

/** Reads Application Auto Scaling when auto-scaling or desired-count is given; plans each unit's change. */
async function prepareScaling(options: EcsTargetOptions, units: EcsUnit[]) {
  const { target, log } = options;
  if (!target.autoScaling && target.desiredCount === undefined) return undefined;
  const client =
    options.scaling ??
    (await createScalingClient({ region: options.region, env: options.env ?? process.env }));
  const current = await readScaling({
    client,
    cluster: target.cluster,
    services: units.map((u) => u.name),
    required: target.autoScaling !== undefined,
    log,
  });
  if (!current) return { client, units };
  return {
    client,
    units: units.map((unit): EcsUnit => {
      const found = current.get(unit.name) ?? {
        resourceId: resourceIdOf(target.cluster, unit.name),
        target: undefined,
        policies: new Map(),
      };
      const scaling = planScaling(target.autoScaling, found, unit.service);
      const desired = clampDesiredCount(target.desiredCount, scaling.range, unit.name);
      if (desired.warning) log.warning(desired.warning);
      return {
        ...unit,
        ...(scaling.summary ? { scaling } : {}),
        ...(desired.count !== undefined ? { desiredCount: desired.count } : {}),
      };
    }),
  };
}

function createEcsPort(
  options: EcsTargetOptions,
  poller: ServicePoller,
  units: readonly EcsUnit[],
): TargetPort<EcsUnit, EcsPlan, EcsHandle> {
  const { ecs, target, clock, log, region } = options;
  const provenance = provenanceOf(options.env ?? process.env);
  // Services rendered to the same task definition share one revision.
  const registrations = new Map<string, Promise<string>>();
  const revisionFor = (unit: EcsUnit, plan: EcsPlan): Promise<string> => {
    if (plan.sameRevision) return Promise.resolve(unit.currentArn);
    const key = createHash('sha256')
      .update(JSON.stringify([plan.rendered.hash, plan.rendered.taskDefinition.family, plan.tags]))
      .digest('hex');
    let registered = registrations.get(key);
    if (!registered) {
      registered = register(unit, plan);
      registrations.set(key, registered);
    }
    return registered;
  };
  const register = async (unit: EcsUnit, plan: EcsPlan): Promise<string> => {
    try {
      const out = await ecs.send(
        new RegisterTaskDefinitionCommand({
          ...(plan.rendered.taskDefinition as unknown as RegisterTaskDefinitionCommandInput),
          tags: plan.tags,
        }),
      );
      const arn = out.taskDefinition?.taskDefinitionArn ?? '';
      log.info(
        `${unit.name}: registered ${arn} (${plan.rendered.changes.map((c) => `${c.container}: ${c.from} → ${c.to}`).join('; ') || 'same images'})`,
      );
      return arn;
    } catch (error) {
      throw describeAwsError('RegisterTaskDefinition', error, {
        permission:
          'ecs:RegisterTaskDefinition, ecs:TagResource and iam:PassRole for its task and execution roles',
        subject: `task definition ${plan.rendered.taskDefinition.family}`,
      });
    }
  };
  const updateService = async (unit: EcsUnit, taskDefinition: string, force: boolean) => {
    const service = unit.name;
    const desiredCount = unit.desiredCount ?? target.desiredCount;
    const deploymentConfiguration = deploymentAlarmsFor(unit.service.deploymentConfiguration, target.alarms);
    try {
      const out = await ecs.send(
        new UpdateServiceCommand({
          cluster: target.cluster,
          service,
          taskDefinition,
          forceNewDeployment: force,
          ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
          ...(desiredCount !== undefined ? { desiredCount } : {}),
        }),
      );
      const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY');
      if (!primary?.id) throw new Error(`UpdateService returned no PRIMARY deployment for ${service}`);
      return primary.id;
    } catch (error) {
      throw describeAwsError('UpdateService', error, {
        permission: 'ecs:UpdateService',
        subject: `service ${service}`,
      });
    }
  };
  const track = (
    unit: EcsUnit,
    deploymentId: string,
    arn: string,
    previous: string | undefined,
    essential: ReadonlySet<string>,
  ): EcsHandle => ({
    unit,
    taskDefinitionArn: arn,
    tracked: trackRollout({
      service: unit.name,
      deploymentId,
      taskDefinitionArn: arn,
      previousTaskDefinition: previous,
      essential,
      // Events from just before the update belong to it (clocks differ by a little).
      since: clock.now() - 1000,
    }),
  });
  const breaker = (unit: EcsUnit) => unit.service.deploymentConfiguration?.deploymentCircuitBreaker;
  let reader = options.logReader;
  const logReader = () => (reader ??= sdkLogReader(options.env ?? process.env));
  let alarms = options.alarmReader;
  const alarmReader = () => (alarms ??= sdkAlarmReader(region, options.env ?? process.env));
  /** A failure while alarms are watched: which of them fire, and why (best effort). */
  const alarmWords = async (name: string): Promise<string | undefined> => {
    if (!target.alarms) return undefined;
    try {
      const firing = firingAlarms(target.alarms.names, await alarmReader().describe(target.alarms.names));
      return firing.length > 0 ? describeFiring(firing) : undefined;
    } catch (error) {
      log.warning(
        `${name}: cannot read the alarms (${error instanceof Error ? error.message : String(error)}); the permission is cloudwatch:DescribeAlarms.`,
      );
      return undefined;
    }
  };
  /** Ours completed: completed only after a quiet bake. Ours failed: the firing alarms and the tasks' logs. */
  const explain = async (handle: EcsHandle, verdict: Verdict): Promise<Verdict> => {
    const name = `${target.cluster}/${handle.unit.name}`;
    if (verdict.kind === 'completed') {
      const watch = target.alarms;
      if (!handle.containers || !watch?.bakeTimeMs) return verdict;
      return bake({ reader: alarmReader(), watch, clock, log, name });
    }
    if (!handle.containers) return verdict;
    let explained = verdict;
    const fired = verdict.kind === 'failed' ? await alarmWords(name) : undefined;
    if (fired) explained = { ...explained, reason: `${explained.reason} (${fired})` };
    // Why the tasks failed, in their own words: the last lines of their logs (best effort).
    const failed = [...handle.tracked.seenStopped].slice(-FAILED_TASKS_WITH_LOGS);
    if (failed.length === 0) return explained;
    const links = await printTaskLogs({
      reader: logReader(),
      log,
      name,
      containers: handle.containers,
      taskArns: failed,
      region,
      lines: FAILED_TASK_LOG_LINES,
    });
    return links.length > 0
      ? { ...explained, reason: `${explained.reason}; logs: ${links.at(-1)}` }
      : explained;
  };

  return {
    units,
    nameOf: (unit) => `${target.cluster}/${unit.name}`,
    render: (unit, image) => render(unit, image, target, provenance),
    unchanged: (plan) => plan.sameRevision && !plan.force && !plan.scalingChanges,
    preview(unit, plan) {
      const diff = diffTaskDefinitions(unit.current, plan.rendered.taskDefinition);
      return [
        `dry run — ${plan.sameRevision && !plan.force ? 'unchanged, nothing would be registered' : `would register ${plan.rendered.taskDefinition.family} and update the service`}`,
        ...(diff.length ? diff : ['(no difference to the running task definition)']).map((l) => `  ${l}`),
        ...(unit.scaling ? previewScaling(unit.scaling) : []),
      ];
    },
    async beforeApply(items) {
      const command = target.preDeployCommand;
      // A unit whose scaling alone changes rolls nothing out: no pre-deploy task for it.
      const first = items.find((i) => !i.plan.sameRevision || i.plan.force);
      if (!command || !first) return;
      const taskDefinitionArn = await revisionFor(first.unit, first.plan);
      const { rendered, imageRef } = first.plan;
      await runPreDeployTask({
        ecs,
        cluster: target.cluster,
        service: first.unit.service,
        taskDefinitionArn,
        // The first container that runs the new image.
        container:
          rendered.taskDefinition.containerDefinitions?.find(
            (c) => rendered.rendered.includes(c.name ?? '') && c.image === imageRef,
          )?.name ??
          rendered.rendered[0] ??
          '',
        command,
        timeoutMs: options.preDeployTimeoutMs,
        clock,
        log,
      });
    },
    async apply(unit, plan) {
      const rollout = !plan.sameRevision || plan.force;
      const session =
        unit.scaling && options.scaling
          ? new ScalingSession({ client: options.scaling, log, plan: unit.scaling })
          : undefined;
      // Before the service changes: a scaling permission missing fails here, with nothing rolled out.
      await session?.configure({ rollout });
      if (unit.scaling?.summary) log.info(`${unit.name}: auto scaling ${unit.scaling.summary}`);
      if (!rollout) {
        return { ...track(unit, '', unit.currentArn, undefined, new Set()), scalingOnly: true };
      }
      let arn: string;
      let deploymentId: string;
      try {
        arn = await revisionFor(unit, plan);
        deploymentId = await updateService(unit, arn, plan.force);
      } catch (error) {
        await session?.restore();
        throw error;
      }
      log.info(`${unit.name}: ${revisionName(unit.currentArn)} → ${revisionName(arn)}`);
      log.info(
        `${unit.name}: deployment ${deploymentId} started (${consoleUrl(region, target.cluster, unit.name)})`,
      );
      const essential = new Set(
        (plan.rendered.taskDefinition.containerDefinitions ?? [])
          .filter((c) => c.essential !== false)
          .map((c) => c.name ?? ''),
      );
      return {
        ...track(unit, deploymentId, arn, unit.currentArn !== arn ? unit.currentArn : undefined, essential),
        ...(session ? { session } : {}),
        containers: (plan.rendered.taskDefinition.containerDefinitions ?? []) as LoggedContainer[],
      };
    },
    async wait(handle, budget) {
      if (handle.scalingOnly) return { kind: 'completed' };
      if (handle.rollback) await handle.session?.suspendAgain();
      let verdict: Verdict | undefined;
      try {
        verdict = await waitForDeployment(
          {
            ecs,
            cluster: target.cluster,
            poller,
            clock,
            log,
            onItsOwn: breaker(handle.unit)?.enable
              ? `ECS goes on with deployment ${handle.tracked.deploymentId} on its own; its circuit breaker${breaker(handle.unit)?.rollback ? ' rolls it back' : ' marks it FAILED'} if tasks keep failing`
              : `ECS goes on with deployment ${handle.tracked.deploymentId} on its own (no circuit breaker: it keeps replacing failed tasks)`,
          },
          handle.tracked,
          budget,
        );
        verdict = await explain(handle, verdict);
        return verdict;
      } finally {
        // Scale-in stays suspended only into ECS's own rollback, which the driver waits for next.
        const ecsRollsBack =
          !handle.rollback &&
          (verdict?.kind === 'failed' || verdict?.kind === 'timed-out') &&
          !(verdict.kind === 'failed' && verdict.superseded) &&
          handle.tracked.ecsRollbackId !== undefined;
        if (!ecsRollsBack) await handle.session?.restore();
      }
    },
    platformRollback(handle) {
      const id = handle.tracked.ecsRollbackId;
      if (!id) return undefined;
      log.info(
        `${handle.unit.name}: ECS is rolling back to ${handle.unit.currentArn} (deployment ${id}); waiting for it.`,
      );
      return {
        ...track(handle.unit, id, handle.unit.currentArn, undefined, new Set()),
        ...(handle.session ? { session: handle.session } : {}),
        rollback: true,
      };
    },
    async rollBack(handle) {
      const previous = handle.unit.currentArn;
      if (previous === handle.taskDefinitionArn) {
        return { skipped: `the service ran ${previous} before as well` };
      }
      log.info(`${handle.unit.name}: rolling back to ${previous}`);
      await handle.session?.suspendAgain();
      let id: string;
      try {
        id = await updateService(handle.unit, previous, false);
      } catch (error) {
        await handle.session?.restore();
        throw error;
      }
      return {
        handle: {
          ...track(handle.unit, id, previous, undefined, new Set()),
          ...(handle.session ? { session: handle.session } : {}),
          rollback: true,
        },
      };
    },
    rollbackTarget: (handle) => handle.taskDefinitionArn,
    details: (unit, handle, status) => ({
      target: 'ecs',
      consoleUrl: consoleUrl(region, target.cluster, unit.name),
      previousTaskDefinitionArn: unit.currentArn,
      ...(handle
        ? {
            taskDefinitionArn: handle.taskDefinitionArn,
            ...(handle.scalingOnly ? {} : { deploymentId: handle.tracked.deploymentId }),
          }
        : status === 'unchanged'
          ? { taskDefinitionArn: unit.currentArn }
          : {}),
      ...(unit.scaling?.summary ? { autoScaling: unit.scaling.summary } : {}),
    }),
  };
}
