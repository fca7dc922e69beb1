// I/O: the pieces of a PR's preview besides the rollout — target group, listener rule, task definition
// revisions, the service itself — made, found again and removed. Every call names the permission it needs.
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
  type Rule,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeAwsError, errorName } from '../aws/errors.ts';
import type { Clock } from '../deploy/clock.ts';
import { formatDuration } from '../deploy/duration.ts';
import type { Log } from '../deploy/log.ts';
import { choosePriority } from './priority.ts';
import { hostHeaderCondition, previewTargetGroupInput } from './settings.ts';
import type { PreviewNames } from './types.ts';

export function isNotFound(error: unknown, what: 'TargetGroup' | 'Rule' | 'Listener'): boolean {
  return (errorName(error) ?? '').startsWith(`${what}NotFound`);
}

async function call<T>(
  operation: string,
  permission: string,
  subject: string,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw describeAwsError(operation, error, { permission, subject });
  }
}

/** The preview's target group, if it exists. */
export async function findTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  name: string,
): Promise<TargetGroup | undefined> {
  try {
    const out = await elb.send(new DescribeTargetGroupsCommand({ Names: [name] }));
    return out.TargetGroups?.[0];
  } catch (error) {
    if (isNotFound(error, 'TargetGroup')) return undefined;
    throw describeAwsError('DescribeTargetGroups', error, {
      permission: 'elasticloadbalancing:DescribeTargetGroups',
      subject: `target group ${name}`,
    });
  }
}

export async function describeTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<TargetGroup> {
  const out = await call(
    'DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetGroups',
    `target group ${arn}`,
    () => elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
  );
  const tg = out.TargetGroups?.[0];
  if (!tg) throw new Error(`DescribeTargetGroups returned nothing for ${arn}`);
  return tg;
}

export async function createTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  base: TargetGroup,
  names: PreviewNames,
): Promise<string> {
  const out = await call(
    'CreateTargetGroup',
    'elasticloadbalancing:CreateTargetGroup and elasticloadbalancing:AddTags',
    `target group ${names.targetGroup}`,
    () => elb.send(new CreateTargetGroupCommand(previewTargetGroupInput(base, names))),
  );
  const arn = out.TargetGroups?.[0]?.TargetGroupArn;
  if (!arn) throw new Error(`CreateTargetGroup returned no ARN for ${names.targetGroup}`);
  return arn;
}

/** Every rule of the listener (DescribeRules pages through them). */
export async function listenerRules(elb: ElasticLoadBalancingV2Client, listenerArn: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  let marker: string | undefined;
  do {
    const out = await call(
      'DescribeRules',
      'elasticloadbalancing:DescribeRules',
      `listener ${listenerArn}`,
      () => elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn, PageSize: 400, Marker: marker })),
    );
    rules.push(...(out.Rules ?? []));
    marker = out.NextMarker;
  } while (marker);
  return rules;
}

/** Pure: whether a rule sends traffic to the target group (a forward action, plain or weighted). */
export function forwardsTo(rule: Rule, targetGroupArn: string): boolean {
  return (rule.Actions ?? []).some(
    (a) =>
      a.TargetGroupArn === targetGroupArn ||
      (a.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === targetGroupArn),
  );
}

/** Pure: the numeric priorities in use on a listener (`default` is not a number). */
export function usedPriorities(rules: readonly Rule[]): Set<number> {
  return new Set(rules.map((r) => Number(r.Priority)).filter((p) => Number.isInteger(p)));
}

/**
 * The rule that sends the preview host to the preview's target group: the one that already does, else a
 * new one at the PR's stable priority (the next free one when that is taken; once more if another writer
 * takes it between our read and our write). `created` says whether this call made it.
 */
export async function ensureListenerRule(
  elb: ElasticLoadBalancingV2Client,
  options: {
    readonly listenerArn: string;
    readonly targetGroupArn: string;
    readonly host: string;
    readonly names: PreviewNames;
  },
): Promise<{ readonly ruleArn: string; readonly priority: string; readonly created: boolean }> {
  const { listenerArn, targetGroupArn, host, names } = options;
  for (let attempt = 0; ; attempt++) {
    const rules = await listenerRules(elb, listenerArn);
    const existing = rules.find((r) => forwardsTo(r, targetGroupArn));
    if (existing?.RuleArn)
      return { ruleArn: existing.RuleArn, priority: existing.Priority ?? '', created: false };
    const priority = choosePriority(names.pr, usedPriorities(rules));
    if (priority === undefined)
      throw new Error(`Listener ${listenerArn} has no free rule priority (1-50000).`);
    try {
      const out = await elb.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: priority,
          Conditions: hostHeaderCondition(host),
          Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
          Tags: [{ Key: 'ecr-deploy:preview', Value: names.tag }],
        }),
      );
      const arn = out.Rules?.[0]?.RuleArn;
      if (!arn) throw new Error(`CreateRule returned no ARN on ${listenerArn}`);
      return { ruleArn: arn, priority: String(priority), created: true };
    } catch (error) {
      if (errorName(error)?.startsWith('PriorityInUse') && attempt === 0) continue;
      throw describeAwsError('CreateRule', error, {
        permission: 'elasticloadbalancing:CreateRule and elasticloadbalancing:AddTags',
        subject: `listener ${listenerArn} (priority ${priority})`,
      });
    }
  }
}

export async function deleteRule(elb: ElasticLoadBalancingV2Client, ruleArn: string): Promise<void> {
  try {
    await elb.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
  } catch (error) {
    if (isNotFound(error, 'Rule')) return;
    throw describeAwsError('DeleteRule', error, {
      permission: 'elasticloadbalancing:DeleteRule',
      subject: `rule ${ruleArn}`,
    });
  }
}

export async function deleteTargetGroup(elb: ElasticLoadBalancingV2Client, arn: string): Promise<void> {
  try {
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
  } catch (error) {
    if (isNotFound(error, 'TargetGroup')) return;
    throw describeAwsError('DeleteTargetGroup', error, {
      permission: 'elasticloadbalancing:DeleteTargetGroup',
      subject: `target group ${arn}`,
    });
  }
}

export async function describeService(
  ecs: ECSClient,
  cluster: string,
  service: string,
  include: boolean,
): Promise<Service | undefined> {
  const out = await call('DescribeServices', 'ecs:DescribeServices', `service ${service}`, () =>
    ecs.send(
      new DescribeServicesCommand({
        cluster,
        services: [service],
        ...(include ? { include: ['TAGS'] } : {}),
      }),
    ),
  );
  return out.services?.find((s) => s.serviceName === service || s.serviceArn === service);
}

export async function createService(ecs: ECSClient, input: CreateServiceCommandInput): Promise<Service> {
  const out = await call(
    'CreateService',
    'ecs:CreateService, ecs:TagResource and iam:PassRole for the service role',
    `service ${input.serviceName ?? ''}`,
    () => ecs.send(new CreateServiceCommand(input)),
  );
  if (!out.service) throw new Error(`CreateService returned no service for ${input.serviceName ?? ''}`);
  return out.service;
}

export async function updateService(
  ecs: ECSClient,
  input: {
    cluster: string;
    service: string;
    taskDefinition?: string;
    desiredCount?: number;
    forceNewDeployment?: boolean;
  },
): Promise<Service> {
  const out = await call('UpdateService', 'ecs:UpdateService', `service ${input.service}`, () =>
    ecs.send(new UpdateServiceCommand(input)),
  );
  if (!out.service) throw new Error(`UpdateService returned no service for ${input.service}`);
  return out.service;
}

/** The ACTIVE revisions of a family (ListTaskDefinitions with `familyPrefix` = the whole family). */
export async function familyRevisions(ecs: ECSClient, family: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await call('ListTaskDefinitions', 'ecs:ListTaskDefinitions', `family ${family}`, () =>
      ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken })),
    );
    // familyPrefix matches the family exactly (API reference); filtering again costs nothing.
    arns.push(
      ...(out.taskDefinitionArns ?? []).filter((a) => a.split('/').at(-1)?.replace(/:\d+$/, '') === family),
    );
    nextToken = out.nextToken;
  } while (nextToken);
  return arns;
}

export async function deregister(ecs: ECSClient, arn: string): Promise<void> {
  await call('DeregisterTaskDefinition', 'ecs:DeregisterTaskDefinition', arn, () =>
    ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })),
  );
}

/**
 * Scales the service to 0, deletes it and waits (bounded) until ECS reports it INACTIVE or no longer knows
 * it. Returns what it found: `gone` when there was nothing to delete.
 */
export async function deleteService(
  ecs: ECSClient,
  options: {
    readonly cluster: string;
    readonly service: string;
    readonly clock: Clock;
    readonly log: Log;
    readonly timeoutMs: number;
    readonly pollMs?: number;
  },
): Promise<'deleted' | 'gone'> {
  const { cluster, service, clock, log } = options;
  const found = await describeService(ecs, cluster, service, false);
  if (!found || found.status === 'INACTIVE') return 'gone';
  if (found.status === 'ACTIVE') {
    if ((found.desiredCount ?? 0) > 0) await updateService(ecs, { cluster, service, desiredCount: 0 });
    try {
      await ecs.send(new DeleteServiceCommand({ cluster, service }));
    } catch (error) {
      if (
        errorName(error) !== 'ServiceNotActiveException' &&
        errorName(error) !== 'ServiceNotFoundException'
      ) {
        throw describeAwsError('DeleteService', error, {
          permission: 'ecs:DeleteService',
          subject: `service ${service}`,
        });
      }
    }
  }
  const deadline = clock.now() + options.timeoutMs;
  for (;;) {
    const now = await describeService(ecs, cluster, service, false);
    if (!now || now.status === 'INACTIVE') return 'deleted';
    if (clock.now() >= deadline) {
      throw new Error(
        `service ${service} is still ${now.status ?? 'there'} ${formatDuration(options.timeoutMs)} after DeleteService; ECS goes on deleting it on its own.`,
      );
    }
    log.info(`${service}: ${now.status ?? 'draining'}, waiting for ECS to finish deleting it.`);
    await clock.sleep(options.pollMs ?? 2000);
  }
}
