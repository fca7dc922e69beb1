import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
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
import type { DeployOptions, DeployResult, RolloutStatus } from '../deploy/types.ts';
import type { EcsTargetInputs } from '../inputs.ts';
import {
  RENDER_HASH_TAG,
  RenderError,
  diffTaskDefinitions,
  parseTaskDefinitionFile,
  renderTaskDefinition,
  stripDescribeFields,
  tagsWithHash,
  unknownKeys,
  type RenderedTaskDefinition,
  type Tag,
  type TaskDefinitionBody,
} from './task-definition.ts';
import { describeServices } from './service-api.ts';
import { trackRollout, waitForRollouts, type TrackedRollout, type WaitOutcome } from './wait.ts';
import { runPreDeployTask } from './pre-deploy.ts';

export class UnsupportedDeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDeploymentError';
  }
}

export interface EcsDeployOptions {
  readonly ecs: ECSClient;
  readonly target: EcsTargetInputs;
  readonly deploy: DeployOptions;
  /** `repo@sha256:…` and the repository the default container selection matches. */
  readonly imageRef: string;
  readonly repositoryUri: string;
  readonly region: string;
  readonly clock: Clock;
}

/** Everything checked and computed for one service before anything is registered. */
interface PreparedService {
  readonly name: string;
  readonly service: Service;
  readonly currentArn: string;
  readonly current: TaskDefinitionBody;
  readonly rendered: RenderedTaskDefinition;
  readonly tags: Tag[];
  readonly unchanged: boolean;
  readonly essential: ReadonlySet<string>;
}

// The SDK model's member lists: keys outside them would be dropped silently by the serializer.
const KNOWN_KEYS = {
  taskDefinition: [...(RegisterTaskDefinitionRequest$[4] as readonly string[])].filter((k) => k !== 'tags'),
  container: ContainerDefinition$[4] as readonly string[],
};

function consoleUrl(region: string, cluster: string, service: string): string {
  const clusterName = cluster.split('/').at(-1);
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${clusterName}/services/${service}/deployments?region=${region}`;
}

async function describeCurrentTaskDefinition(ecs: ECSClient, arn: string) {
  try {
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
    if (!out.taskDefinition) throw new Error(`DescribeTaskDefinition returned nothing for ${arn}`);
    return {
      taskDefinition: out.taskDefinition,
      tags: (out.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
    };
  } catch (error) {
    throw describeAwsError('DescribeTaskDefinition', error, {
      permission: 'ecs:DescribeTaskDefinition',
      subject: arn,
    });
  }
}

type PrepareOptions = Omit<EcsDeployOptions, 'imageRef' | 'repositoryUri'> & {
  readonly image: { readonly imageRef: string; readonly repositoryUri: string };
  /** The preflight warns about unknown keys; the second pass, after the build, does not repeat it. */
  readonly warn: boolean;
};

async function prepareServices(options: PrepareOptions): Promise<PreparedService[]> {
  const { ecs, target } = options;
  let found: Map<string, Service>;
  try {
    found = await describeServices(ecs, target.cluster, target.services);
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
  const prepared: PreparedService[] = [];
  for (const name of target.services) {
    const service = found.get(name);
    if (!service || service.status === 'INACTIVE') {
      throw new InputError(
        Input.EcsService,
        `service "${name}" does not exist in cluster ${target.cluster} (${options.region}). Check the name, the cluster and the region.`,
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
    const currentArn = service.taskDefinition ?? '';
    const current = await describeCurrentTaskDefinition(ecs, currentArn);
    const file = target.taskDefinitionFiles.get(name);
    const source = file
      ? parseTaskDefinitionFile(readFileSync(file, 'utf8'), file)
      : {
          taskDefinition: stripDescribeFields(current.taskDefinition as Record<string, unknown>),
          tags: current.tags,
        };
    const unknown = unknownKeys(source.taskDefinition, KNOWN_KEYS);
    if (unknown.length > 0 && options.warn) {
      core.warning(
        `Task definition ${file ?? currentArn}: ECS's API model (in this action's AWS SDK) does not know ${unknown.join(', ')}; they would be dropped. Check their spelling.`,
      );
    }
    let rendered: RenderedTaskDefinition;
    try {
      rendered = renderTaskDefinition(source.taskDefinition, {
        imageRef: options.image.imageRef,
        repositoryUri: options.image.repositoryUri,
        containers: target.containers,
        environment: target.environment,
      });
    } catch (error) {
      if (error instanceof RenderError) {
        throw new InputError(Input.Containers, `service ${name}: ${error.message}`);
      }
      throw error;
    }
    const currentHash = current.tags.find((t) => t.key === RENDER_HASH_TAG)?.value;
    const currentBody = stripDescribeFields(current.taskDefinition as Record<string, unknown>);
    prepared.push({
      name,
      service,
      currentArn,
      current: currentBody,
      rendered,
      tags: tagsWithHash(source.tags, rendered.hash),
      unchanged: currentHash === rendered.hash && currentBody.family === rendered.taskDefinition.family,
      essential: new Set(
        (rendered.taskDefinition.containerDefinitions ?? [])
          .filter((c) => c.essential !== false)
          .map((c) => c.name ?? ''),
      ),
    });
  }
  return prepared;
}

async function register(ecs: ECSClient, p: PreparedService): Promise<string> {
  try {
    const out = await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...(p.rendered.taskDefinition as unknown as RegisterTaskDefinitionCommandInput),
        tags: p.tags,
      }),
    );
    const arn = out.taskDefinition?.taskDefinitionArn ?? '';
    core.info(
      `${p.name}: registered ${arn} (${p.rendered.changes.map((c) => `${c.container}: ${c.from} → ${c.to}`).join('; ') || 'same images'})`,
    );
    return arn;
  } catch (error) {
    throw describeAwsError('RegisterTaskDefinition', error, {
      permission:
        'ecs:RegisterTaskDefinition, ecs:TagResource and iam:PassRole for its task and execution roles',
      subject: `task definition ${p.rendered.taskDefinition.family}`,
    });
  }
}

async function updateService(
  options: EcsDeployOptions,
  service: string,
  taskDefinition: string,
  force: boolean,
): Promise<string> {
  try {
    const out = await options.ecs.send(
      new UpdateServiceCommand({
        cluster: options.target.cluster,
        service,
        taskDefinition,
        forceNewDeployment: force,
        ...(options.target.desiredCount !== undefined ? { desiredCount: options.target.desiredCount } : {}),
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
}

interface Rollout {
  readonly prepared: PreparedService;
  readonly taskDefinitionArn: string;
  readonly deploymentId: string;
  readonly startedAt: number;
  tracked: TrackedRollout;
  rollback?: TrackedRollout;
  status?: RolloutStatus;
  reason?: string;
}

function statusOf(outcome: WaitOutcome | undefined): RolloutStatus {
  if (!outcome) return 'started';
  if (outcome.kind === 'completed') return 'completed';
  if (outcome.kind === 'timed-out') return 'timed-out';
  return 'failed';
}

/**
 * Renders and registers each service's task definition, updates the services (in parallel), waits for
 * *our* deployments and rolls back failures. Every check that can fail runs before anything is registered.
 */
/**
 * Before the image is built: the cluster and services exist, their deployment controller and strategy are
 * supported, task definition files parse, and named containers exist. Nothing is changed.
 */
export async function preflightEcs(options: Omit<EcsDeployOptions, 'imageRef'>): Promise<void> {
  await prepareServices({
    ...options,
    warn: true,
    // The digest is not known yet: a stand-in checks the container selection against the repository.
    image: {
      imageRef: `${options.repositoryUri}@sha256:${'0'.repeat(64)}`,
      repositoryUri: options.repositoryUri,
    },
  });
}

export async function deployToEcs(options: EcsDeployOptions): Promise<DeployResult[]> {
  const { ecs, target, deploy, clock } = options;
  const prepared = await prepareServices({
    ...options,
    image: { imageRef: options.imageRef, repositoryUri: options.repositoryUri },
    warn: false,
  });

  if (deploy.dryRun) {
    return prepared.map((p) => {
      const diff = diffTaskDefinitions(p.current, p.rendered.taskDefinition);
      core.info(
        `${p.name}: dry run — ${p.unchanged && !target.forceNewDeployment ? 'unchanged, nothing would be registered' : `would register ${p.rendered.taskDefinition.family} and update the service`}`,
      );
      for (const line of diff.length ? diff : ['(no difference to the running task definition)'])
        core.info(`  ${line}`);
      return {
        target: 'ecs',
        name: `${target.cluster}/${p.name}`,
        status: 'dry-run',
        rolledBack: false,
        durationSeconds: 0,
        previousTaskDefinitionArn: p.currentArn,
        consoleUrl: consoleUrl(options.region, target.cluster, p.name),
      };
    });
  }

  const arns = new Map<string, string>();
  const registerIfChanged = async (p: PreparedService) => {
    if (!arns.has(p.name)) arns.set(p.name, p.unchanged ? p.currentArn : await register(ecs, p));
    return arns.get(p.name) ?? '';
  };

  const [first] = prepared;
  if (target.preDeployCommand && first) {
    await runPreDeployTask({
      ecs,
      cluster: target.cluster,
      service: first.service,
      taskDefinitionArn: await registerIfChanged(first),
      container:
        first.rendered.taskDefinition.containerDefinitions?.find(
          (c) => first.rendered.rendered.includes(c.name ?? '') && c.image === options.imageRef,
        )?.name ??
        first.rendered.rendered[0] ??
        '',
      command: target.preDeployCommand,
      timeoutMs: deploy.timeoutMs,
      clock,
    });
  }
  for (const p of prepared) await registerIfChanged(p);

  const results: DeployResult[] = [];
  const rollouts: Rollout[] = [];
  const base = (p: PreparedService, arn: string) => ({
    target: 'ecs' as const,
    name: `${target.cluster}/${p.name}`,
    taskDefinitionArn: arn,
    previousTaskDefinitionArn: p.currentArn,
    consoleUrl: consoleUrl(options.region, target.cluster, p.name),
  });
  // Every service is updated even when another's update fails; a failed update is a failed result.
  await Promise.all(
    prepared.map(async (p) => {
      const arn = arns.get(p.name) ?? '';
      if (p.unchanged && !target.forceNewDeployment) {
        core.info(`${p.name}: ${arn} already has this image and settings; nothing to roll out.`);
        results.push({ ...base(p, arn), status: 'unchanged', rolledBack: false, durationSeconds: 0 });
        return;
      }
      const since = clock.now() - 1000;
      let deploymentId: string;
      try {
        deploymentId = await updateService(options, p.name, arn, target.forceNewDeployment);
      } catch (error) {
        core.error(`${p.name}: ${(error as Error).message}`);
        results.push({
          ...base(p, arn),
          status: 'failed',
          rolledBack: false,
          durationSeconds: 0,
          reason: (error as Error).message,
        });
        return;
      }
      core.info(
        `${p.name}: deployment ${deploymentId} started (${consoleUrl(options.region, target.cluster, p.name)})`,
      );
      rollouts.push({
        prepared: p,
        taskDefinitionArn: arn,
        deploymentId,
        startedAt: clock.now(),
        tracked: trackRollout({
          service: p.name,
          deploymentId,
          taskDefinitionArn: arn,
          previousTaskDefinition: p.currentArn !== arn ? p.currentArn : undefined,
          essential: p.essential,
          since,
        }),
      });
    }),
  );

  if (deploy.wait && rollouts.length > 0) {
    try {
      await waitForRollouts({
        ecs,
        cluster: target.cluster,
        rollouts: rollouts.map((r) => r.tracked),
        timeoutMs: deploy.timeoutMs,
        failFastAfter: deploy.failFastAfter,
        clock,
      });
    } catch (error) {
      // The wait itself failed (denied, or the API kept failing): what is still pending did not succeed.
      for (const r of rollouts) {
        r.tracked.outcome ??= { kind: 'failed', reason: `the wait failed: ${(error as Error).message}` };
      }
    }
    for (const r of rollouts) {
      r.status = statusOf(r.tracked.outcome);
      r.reason = r.tracked.outcome && 'reason' in r.tracked.outcome ? r.tracked.outcome.reason : undefined;
      if (r.status === 'completed') core.info(`${r.prepared.name}: deployment ${r.deploymentId} completed.`);
      else core.error(`${r.prepared.name}: deployment ${r.deploymentId} ${r.status}: ${r.reason ?? ''}`);
    }
    await rollBack(
      options,
      rollouts.filter((r) => r.status === 'failed' || r.status === 'timed-out'),
    );
  }

  for (const r of rollouts) {
    results.push({
      ...base(r.prepared, r.taskDefinitionArn),
      status: r.status ?? 'started',
      rolledBack: r.status === 'rolled-back',
      durationSeconds: Math.round((clock.now() - r.startedAt) / 100) / 10,
      ...(r.reason ? { reason: r.reason } : {}),
      deploymentId: r.deploymentId,
    });
  }
  return target.services
    .map((s) => results.find((r) => r.name === `${target.cluster}/${s}`))
    .filter((r) => r !== undefined);
}

/**
 * Failed or timed-out rollouts go back to the task definition they ran before: ECS's own rollback
 * (circuit breaker) is waited for; otherwise, with rollback-on-failure, the service is updated back. The
 * rollback gets its own `timeout` budget.
 */
async function rollBack(options: EcsDeployOptions, failed: Rollout[]): Promise<void> {
  const { deploy, ecs, target, clock } = options;
  const waiting: Rollout[] = [];
  for (const r of failed) {
    const outcome = r.tracked.outcome;
    if (outcome?.kind === 'failed' && outcome.superseded) continue; // never undo someone else's newer deployment
    const ecsRollbackId = outcome?.kind === 'failed' ? outcome.ecsRollbackId : undefined;
    const previous = r.prepared.currentArn;
    let id = ecsRollbackId;
    if (!id) {
      if (!deploy.rollbackOnFailure || previous === r.taskDefinitionArn) continue;
      core.info(`${r.prepared.name}: rolling back to ${previous}`);
      try {
        id = await updateService(options, r.prepared.name, previous, false);
      } catch (error) {
        r.reason = `${r.reason ?? ''}; the rollback could not start: ${(error as Error).message}`;
        continue;
      }
    } else {
      core.info(`${r.prepared.name}: ECS is rolling back to ${previous} (deployment ${id}); waiting for it.`);
    }
    r.rollback = trackRollout({
      service: r.prepared.name,
      deploymentId: id,
      taskDefinitionArn: previous,
      previousTaskDefinition: undefined,
      essential: new Set(),
      since: clock.now() - 1000,
    });
    waiting.push(r);
  }
  if (waiting.length === 0) return;
  try {
    await waitForRollouts({
      ecs,
      cluster: target.cluster,
      rollouts: waiting.map((r) => r.rollback).filter((t) => t !== undefined),
      timeoutMs: deploy.timeoutMs,
      failFastAfter: 0,
      clock,
    });
  } catch (error) {
    for (const r of waiting) {
      if (r.rollback)
        r.rollback.outcome ??= { kind: 'failed', reason: `the wait failed: ${(error as Error).message}` };
    }
  }
  for (const r of waiting) {
    const outcome = r.rollback?.outcome;
    if (outcome?.kind === 'completed') {
      core.info(`${r.prepared.name}: rolled back to ${r.prepared.currentArn}.`);
      r.reason = `${r.status === 'timed-out' ? 'timed out' : 'failed'}: ${r.reason ?? ''}; rolled back to ${r.prepared.currentArn}`;
      r.status = 'rolled-back';
    } else {
      r.reason = `${r.reason ?? ''}; the rollback to ${r.prepared.currentArn} did not complete either: ${outcome && 'reason' in outcome ? outcome.reason : 'no outcome'}`;
      core.error(`${r.prepared.name}: ${r.reason}`);
    }
  }
}
