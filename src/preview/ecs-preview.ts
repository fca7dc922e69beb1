// A PR's preview on ECS as a target of the one deploy driver: prepare (read only), then create or update
// the preview service with the PR's image and wait for that rollout; and the teardown when the PR closes.
import { readFileSync } from 'node:fs';
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  type ElasticLoadBalancingV2Client,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeAwsError, errorName } from '../aws/errors.ts';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { Clock } from '../deploy/clock.ts';
import { ContainerSelectionError } from '../deploy/containers.ts';
import type { Log } from '../deploy/log.ts';
import { standInImage, type DeployImage, type TargetPort } from '../deploy/target.ts';
import type { EcsTargetInputs } from '../deploy/types.ts';
import { ServicePoller } from '../ecs/poller.ts';
import { consoleUrl } from '../ecs/target.ts';
import {
  RENDER_HASH_TAG,
  parseTaskDefinitionFile,
  renderTaskDefinition,
  stripDescribeFields,
  tagsWithHash,
  type ParsedTaskDefinition,
  type RenderedTaskDefinition,
  type Tag,
} from '../ecs/task-definition.ts';
import { trackRollout, waitForDeployment, type TrackedRollout } from '../ecs/wait.ts';
import { familyOfArn, previewNames, renderPreviewUrl, serviceNameOf } from './names.ts';
import {
  createService,
  createTargetGroup,
  deleteRule,
  deleteService,
  deleteTargetGroup,
  deregister,
  describeService,
  describeTargetGroup,
  ensureListenerRule,
  familyRevisions,
  findTargetGroup,
  forwardsTo,
  isNotFound,
  listenerRules,
  updateService,
} from './resources.ts';
import { previewServiceInput } from './settings.ts';
import { PREVIEW_TAG, type PreviewInputs, type PreviewNames } from './types.ts';

export interface EcsPreviewOptions {
  readonly ecs: ECSClient;
  /** Only with `preview-listener`. */
  readonly elb: ElasticLoadBalancingV2Client | undefined;
  readonly target: EcsTargetInputs;
  readonly preview: PreviewInputs;
  readonly pr: number;
  readonly region: string;
  readonly clock: Clock;
  readonly log: Log;
  readonly repositoryUri: string;
  readonly pollIntervalMs?: number;
}

export interface PreviewUnit {
  readonly names: PreviewNames;
  readonly base: Service;
  /** The preview service when an earlier run made it (ACTIVE). */
  readonly existing: Service | undefined;
  readonly currentArn: string | undefined;
  readonly currentHash: string | undefined;
  readonly source: ParsedTaskDefinition;
  readonly url: { readonly url: string; readonly host: string } | undefined;
  /** With a listener: the base's target group, the one the preview's copies. */
  readonly baseTargetGroup: TargetGroup | undefined;
}

export interface PreviewPlan {
  readonly rendered: RenderedTaskDefinition;
  readonly tags: Tag[];
  readonly sameRevision: boolean;
}

export interface PreviewHandle {
  readonly unit: PreviewUnit;
  readonly taskDefinitionArn: string;
  readonly tracked: TrackedRollout;
  /** This run created the service: nothing ran before to roll back to. */
  readonly created: boolean;
}

/** Something a create made before a later step failed, and could not be undone either. */
export class PreviewLeftoversError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewLeftoversError';
  }
}

function checkBase(name: string, service: Service | undefined, options: EcsPreviewOptions): Service {
  const { target, region } = options;
  if (!service || service.status !== 'ACTIVE') {
    throw new InputError(
      Input.EcsService,
      `the base service "${name}" the preview copies is ${service?.status ?? 'not'} ${service ? '(not ACTIVE)' : `in cluster ${target.cluster} (${region})`}. Check the name, the cluster and the region.`,
    );
  }
  const controller = service.deploymentController?.type ?? 'ECS';
  const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
  if (controller !== 'ECS' || strategy !== 'ROLLING') {
    throw new InputError(
      Input.EcsService,
      `the base service "${name}" uses ${controller}/${strategy} deployments; previews copy services with ECS rolling updates only.`,
    );
  }
  return service;
}

async function describeSource(ecs: ECSClient, arn: string): Promise<ParsedTaskDefinition> {
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

function renderPreview(unit: PreviewUnit, image: DeployImage, target: EcsTargetInputs): PreviewPlan {
  let rendered: RenderedTaskDefinition;
  try {
    rendered = renderTaskDefinition(
      { ...unit.source.taskDefinition, family: unit.names.family },
      { ...image, containers: target.containers, environment: target.environment },
    );
  } catch (error) {
    if (error instanceof ContainerSelectionError) {
      throw new InputError(Input.Containers, `preview ${unit.names.service}: ${error.message}`);
    }
    throw error;
  }
  const tags = tagsWithHash(
    [...unit.source.tags.filter((t) => t.key !== PREVIEW_TAG), { key: PREVIEW_TAG, value: unit.names.tag }],
    rendered.hash,
  );
  return { rendered, tags, sameRevision: unit.currentHash === rendered.hash };
}

/** The base service's family: the task-definition file's when one is given, else the running revision's. */
function baseFamily(target: EcsTargetInputs, base: Service): string {
  const file = target.taskDefinitionFiles.get(target.services[0] ?? '');
  if (file) {
    const family = parseTaskDefinitionFile(readFileSync(file, 'utf8'), file).taskDefinition.family;
    if (typeof family === 'string' && family) return family;
  }
  return familyOfArn(base.taskDefinition ?? '');
}

/**
 * Reads the base service, its running task definition (or the file given), the preview service if an
 * earlier run made it, and with a listener the listener and the base's target group. Nothing is changed.
 */
export async function prepareEcsPreview(
  options: EcsPreviewOptions,
): Promise<TargetPort<PreviewUnit, PreviewPlan, PreviewHandle>> {
  const { ecs, elb, target, preview, pr } = options;
  const baseName = serviceNameOf(target.services[0] ?? '');
  let base: Service | undefined;
  try {
    base = await describeService(ecs, target.cluster, baseName, true);
  } catch (error) {
    if (errorName((error as Error).cause ?? error) === 'ClusterNotFoundException') {
      throw new InputError(
        Input.EcsCluster,
        `cluster "${target.cluster}" does not exist in ${options.region}.`,
      );
    }
    throw error;
  }
  base = checkBase(baseName, base, options);
  const names = previewNames(baseName, baseFamily(target, base), pr);
  // A preview never touches its base: the names differ by construction; say so loudly if they ever do not.
  if (names.service === baseName) throw new Error(`preview service name ${names.service} is the base's`);
  const found = await describeService(ecs, target.cluster, names.service, false);
  if (found?.status === 'DRAINING') {
    throw new Error(
      `The preview service ${names.service} is being deleted (DRAINING); run the job again once it is gone.`,
    );
  }
  const existing = found?.status === 'ACTIVE' ? found : undefined;
  const file = target.taskDefinitionFiles.get(target.services[0] ?? '');
  const source = file
    ? parseTaskDefinitionFile(readFileSync(file, 'utf8'), file)
    : await describeSource(ecs, base.taskDefinition ?? '');
  let currentHash: string | undefined;
  if (existing?.taskDefinition) {
    currentHash = (await describeSource(ecs, existing.taskDefinition)).tags.find(
      (t) => t.key === RENDER_HASH_TAG,
    )?.value;
  }
  const url = preview.urlTemplate ? renderPreviewUrl(preview.urlTemplate, pr) : undefined;
  let baseTargetGroup: TargetGroup | undefined;
  if (preview.listenerArn && elb) {
    const tgArn = base.loadBalancers?.find((l) => l.targetGroupArn)?.targetGroupArn;
    if (!tgArn) {
      throw new InputError(
        Input.PreviewListener,
        `the base service ${baseName} has no load balancer target group to copy; remove preview-listener or give the base service a target group.`,
      );
    }
    try {
      await elb.send(new DescribeListenersCommand({ ListenerArns: [preview.listenerArn] }));
    } catch (error) {
      if (isNotFound(error, 'Listener')) {
        throw new InputError(Input.PreviewListener, `listener ${preview.listenerArn} does not exist.`);
      }
      throw describeAwsError('DescribeListeners', error, {
        permission: 'elasticloadbalancing:DescribeListeners',
        subject: `listener ${preview.listenerArn}`,
      });
    }
    baseTargetGroup = await describeTargetGroup(elb, tgArn);
    if (baseTargetGroup.TargetGroupName === names.targetGroup) {
      throw new Error(`preview target group name ${names.targetGroup} is the base's`);
    }
  }
  const unit: PreviewUnit = {
    names,
    base,
    existing,
    currentArn: existing?.taskDefinition,
    currentHash,
    source,
    url,
    baseTargetGroup,
  };
  renderPreview(unit, standInImage(options.repositoryUri), target);
  return createPreviewPort(options, unit);
}

function createPreviewPort(
  options: EcsPreviewOptions,
  unit: PreviewUnit,
): TargetPort<PreviewUnit, PreviewPlan, PreviewHandle> {
  const { ecs, elb, target, preview, clock, log, region } = options;
  const cluster = target.cluster;
  const poller = new ServicePoller({
    ecs,
    cluster,
    clock,
    log,
    ...(options.pollIntervalMs !== undefined ? { intervalMs: options.pollIntervalMs } : {}),
  });
  const { names } = unit;
  const register = async (plan: PreviewPlan): Promise<string> => {
    try {
      const out = await ecs.send(
        new RegisterTaskDefinitionCommand({
          ...(plan.rendered.taskDefinition as unknown as RegisterTaskDefinitionCommandInput),
          tags: plan.tags,
        }),
      );
      const arn = out.taskDefinition?.taskDefinitionArn ?? '';
      log.info(`${names.service}: registered ${arn}`);
      return arn;
    } catch (error) {
      throw describeAwsError('RegisterTaskDefinition', error, {
        permission:
          'ecs:RegisterTaskDefinition, ecs:TagResource and iam:PassRole for its task and execution roles',
        subject: `task definition ${names.family}`,
      });
    }
  };
  const essentialOf = (plan: PreviewPlan) =>
    new Set(
      (plan.rendered.taskDefinition.containerDefinitions ?? [])
        .filter((c) => c.essential !== false)
        .map((c) => c.name ?? ''),
    );
  const track = (
    deploymentId: string,
    arn: string,
    previous: string | undefined,
    essential: ReadonlySet<string>,
  ) =>
    trackRollout({
      service: names.service,
      deploymentId,
      taskDefinitionArn: arn,
      previousTaskDefinition: previous,
      essential,
      since: clock.now() - 1000,
    });
  const primaryId = (service: Service): string => {
    const id = service.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    if (!id) throw new Error(`ECS returned no PRIMARY deployment for ${names.service}`);
    return id;
  };

  /** The listener pieces, made or found; `undo` removes what this call made. */
  const ensureRouting = async (
    undo: { what: string; run: () => Promise<void> }[],
  ): Promise<string | undefined> => {
    if (!preview.listenerArn || !elb || !unit.baseTargetGroup || !unit.url) return undefined;
    let tgArn = (await findTargetGroup(elb, names.targetGroup))?.TargetGroupArn;
    if (!tgArn) {
      const arn = await createTargetGroup(elb, unit.baseTargetGroup, names);
      tgArn = arn;
      log.info(`${names.service}: created target group ${names.targetGroup}`);
      undo.push({ what: `target group ${arn}`, run: () => deleteTargetGroup(elb, arn) });
    }
    const rule = await ensureListenerRule(elb, {
      listenerArn: preview.listenerArn,
      targetGroupArn: tgArn,
      host: unit.url.host,
      names,
    });
    if (rule.created) {
      log.info(`${names.service}: listener rule for ${unit.url.host} at priority ${rule.priority}`);
      undo.push({ what: `listener rule ${rule.ruleArn}`, run: () => deleteRule(elb, rule.ruleArn) });
    }
    return tgArn;
  };

  return {
    units: [unit],
    nameOf: () => `${cluster}/${names.service}`,
    render: (u, image) => renderPreview(u, image, target),
    unchanged: (plan) => Boolean(unit.existing) && plan.sameRevision,
    preview(u, plan) {
      return [
        u.existing
          ? `dry run — would ${plan.sameRevision ? 'leave the preview service as it is' : `register ${names.family} and update ${names.service}`}`
          : `dry run — would create ${names.service} (a copy of ${serviceNameOf(u.base.serviceName ?? '')}) running ${names.family}`,
        ...(preview.listenerArn && u.url
          ? [`  with target group ${names.targetGroup} and a listener rule for ${u.url.host}`]
          : []),
      ];
    },
    async apply(u, plan) {
      if (u.existing) {
        await ensureRouting([]);
        const arn = plan.sameRevision && u.currentArn ? u.currentArn : await register(plan);
        const service = await updateService(ecs, {
          cluster,
          service: names.service,
          taskDefinition: arn,
          desiredCount: preview.desiredCount,
        });
        const id = primaryId(service);
        log.info(
          `${names.service}: deployment ${id} started (${consoleUrl(region, cluster, names.service)})`,
        );
        return {
          unit: u,
          taskDefinitionArn: arn,
          tracked: track(id, arn, u.currentArn !== arn ? u.currentArn : undefined, essentialOf(plan)),
          created: false,
        };
      }
      // A new preview: every piece this run makes is undone when a later one fails.
      const undo: { what: string; run: () => Promise<void> }[] = [];
      try {
        const tgArn = await ensureRouting(undo);
        const arn = await register(plan);
        undo.push({ what: `task definition ${arn}`, run: () => deregister(ecs, arn) });
        const service = await createService(
          ecs,
          previewServiceInput(u.base, {
            cluster,
            names,
            taskDefinition: arn,
            desiredCount: preview.desiredCount,
            ...(tgArn ? { targetGroupArn: tgArn } : {}),
          }),
        );
        const id = primaryId(service);
        log.info(
          `${names.service}: created, deployment ${id} (${consoleUrl(region, cluster, names.service)})`,
        );
        return {
          unit: u,
          taskDefinitionArn: arn,
          tracked: track(id, arn, undefined, essentialOf(plan)),
          created: true,
        };
      } catch (error) {
        const left: string[] = [];
        for (const step of undo.reverse()) {
          try {
            await step.run();
          } catch (undoError) {
            left.push(`${step.what} (${(undoError as Error).message})`);
          }
        }
        const why = (error as Error).message;
        if (left.length > 0) {
          throw new PreviewLeftoversError(
            `${why}; these could not be removed again and are left: ${left.join('; ')}`,
          );
        }
        throw new Error(
          `${why}${undo.length > 0 ? `; removed again what this run had made (${undo.map((s) => s.what).join(', ')})` : ''}`,
          { cause: error },
        );
      }
    },
    wait: (handle, budget) =>
      waitForDeployment(
        {
          ecs,
          cluster,
          poller,
          clock,
          log,
          onItsOwn: `ECS goes on with deployment ${handle.tracked.deploymentId} of ${names.service} on its own`,
        },
        handle.tracked,
        budget,
      ),
    platformRollback(handle) {
      const id = handle.tracked.ecsRollbackId;
      if (!id || !handle.unit.currentArn) return undefined;
      return { ...handle, tracked: track(id, handle.unit.currentArn, undefined, new Set()) };
    },
    async rollBack(handle) {
      const previous = handle.unit.currentArn;
      if (handle.created || !previous) {
        return {
          skipped: `the preview service ${names.service} is new: there is nothing to go back to (push a fix, or close the PR to remove it)`,
        };
      }
      if (previous === handle.taskDefinitionArn)
        return { skipped: `the preview ran ${previous} before as well` };
      log.info(`${names.service}: rolling back to ${previous}`);
      const service = await updateService(ecs, { cluster, service: names.service, taskDefinition: previous });
      return {
        handle: {
          ...handle,
          taskDefinitionArn: previous,
          tracked: track(primaryId(service), previous, undefined, new Set()),
        },
      };
    },
    rollbackTarget: (handle) => handle.taskDefinitionArn,
    details: (u, handle, status) => ({
      target: 'ecs',
      consoleUrl: consoleUrl(region, cluster, names.service),
      ...(u.currentArn ? { previousTaskDefinitionArn: u.currentArn } : {}),
      ...(handle
        ? { taskDefinitionArn: handle.taskDefinitionArn, deploymentId: handle.tracked.deploymentId }
        : status === 'unchanged' && u.currentArn
          ? { taskDefinitionArn: u.currentArn }
          : {}),
    }),
  };
}

export interface TeardownOptions {
  readonly ecs: ECSClient;
  readonly elb: ElasticLoadBalancingV2Client | undefined;
  readonly target: EcsTargetInputs;
  readonly preview: PreviewInputs;
  readonly pr: number;
  readonly clock: Clock;
  readonly log: Log;
  /** How long ECS may take to finish deleting the service. */
  readonly deleteTimeoutMs: number;
  readonly pollMs?: number;
  /** Only say what would be removed. */
  readonly dryRun?: boolean;
}

export interface TeardownReport {
  /** One line per piece: what was removed, or that it was already gone. */
  readonly lines: readonly string[];
  /** Pieces that could not be removed, with why; empty when the teardown is complete. */
  readonly left: readonly string[];
  /** Nothing of the preview existed. */
  readonly nothingFound: boolean;
}

/**
 * Removes PR `pr`'s preview: the service (scaled to 0, deleted, waited for), its listener rule and target
 * group, the preview family's revisions. Each piece is found by its name; a missing piece is reported as
 * already gone and the teardown goes on; a piece that fails is reported and the others are still tried.
 */
export async function teardownEcsPreview(options: TeardownOptions): Promise<TeardownReport> {
  const { ecs, elb, target, preview, pr, clock, log } = options;
  const cluster = target.cluster;
  const baseName = serviceNameOf(target.services[0] ?? '');
  const lines: string[] = [];
  const left: string[] = [];
  let removed = 0;
  const step = async (what: string, run: () => Promise<'removed' | 'gone'>) => {
    try {
      const outcome = await run();
      if (outcome === 'removed') removed++;
      lines.push(`${what}: ${outcome === 'removed' ? 'removed' : 'already gone'}`);
    } catch (error) {
      left.push(`${what}: ${(error as Error).message}`);
      lines.push(`${what}: NOT removed — ${(error as Error).message}`);
    }
  };
  // The base is read for its family only; it may be gone itself, then the preview service tells the family.
  let base: Service | undefined;
  let previewService: Service | undefined;
  try {
    base = await describeService(ecs, cluster, baseName, false);
  } catch (error) {
    if (errorName((error as Error).cause ?? error) === 'ClusterNotFoundException') {
      return {
        lines: [`cluster ${cluster} does not exist: nothing to remove`],
        left: [],
        nothingFound: true,
      };
    }
    throw error;
  }
  const service = previewNames(baseName, 'family', pr).service;
  try {
    previewService = await describeService(ecs, cluster, service, false);
  } catch (error) {
    left.push(`service ${service}: ${(error as Error).message}`);
  }
  const families = new Set<string>();
  if (base?.taskDefinition) families.add(previewNames(baseName, baseFamily(target, base), pr).family);
  if (previewService?.taskDefinition) families.add(familyOfArn(previewService.taskDefinition));
  const names = previewNames(baseName, [...families][0] ?? 'family', pr);
  if (names.service === baseName) throw new Error(`preview service name ${names.service} is the base's`);
  if (options.dryRun) {
    const exists = previewService !== undefined && previewService.status !== 'INACTIVE';
    return {
      lines: [
        `dry run — would remove service ${names.service}${exists ? '' : ' (not there)'}`,
        ...(preview.listenerArn
          ? [`dry run — would remove its listener rule and target group ${names.targetGroup}`]
          : []),
        ...[...families].map((f) => `dry run — would deregister the revisions of ${f}`),
      ],
      left,
      nothingFound: false,
    };
  }

  await step(`service ${names.service}`, async () =>
    (await deleteService(ecs, {
      cluster,
      service: names.service,
      clock,
      log,
      timeoutMs: options.deleteTimeoutMs,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    })) === 'deleted'
      ? 'removed'
      : 'gone',
  );
  if (preview.listenerArn && elb) {
    const listenerArn = preview.listenerArn;
    let tgArn: string | undefined;
    try {
      tgArn = (await findTargetGroup(elb, names.targetGroup))?.TargetGroupArn;
    } catch (error) {
      left.push(`target group ${names.targetGroup}: ${(error as Error).message}`);
    }
    await step(`listener rule for ${names.targetGroup}`, async () => {
      if (!tgArn) return 'gone';
      let rules;
      try {
        rules = await listenerRules(elb, listenerArn);
      } catch (error) {
        if (isNotFound((error as Error).cause ?? error, 'Listener')) return 'gone';
        throw error;
      }
      const ours = rules.filter((r) => r.RuleArn && forwardsTo(r, tgArn));
      for (const r of ours) await deleteRule(elb, r.RuleArn ?? '');
      return ours.length > 0 ? 'removed' : 'gone';
    });
    await step(`target group ${names.targetGroup}`, async () => {
      if (!tgArn) return 'gone';
      await deleteTargetGroup(elb, tgArn);
      return 'removed';
    });
  }
  for (const family of families) {
    await step(`task definition family ${family}`, async () => {
      const arns = await familyRevisions(ecs, family);
      for (const arn of arns) await deregister(ecs, arn);
      return arns.length > 0 ? 'removed' : 'gone';
    });
  }
  return { lines, left, nothingFound: removed === 0 && left.length === 0 };
}
