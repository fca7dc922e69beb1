// Application Auto Scaling of the ECS services we deploy: the scalable target (min/max) and the target-tracking
// policies the `auto-scaling` input asks for, written only where they differ from what is registered; and
// dynamic scale-in suspended while our rollout runs, then put back as it was
// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-suspend-resume-scaling.html).
// Application Auto Scaling turns scale-in off during an ECS deployment by itself; the explicit suspension also
// spans the gap between our rollout and its rollback, and is visible in DescribeScalableTargets.
// Decisions are pure functions; the I/O receives its client.
import {
  DeleteScalingPolicyCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type ScalingPolicy,
  type TargetTrackingScalingPolicyConfiguration,
} from '@aws-sdk/client-application-auto-scaling';
import type { Service } from '@aws-sdk/client-ecs';
import { describeAwsError, errorName } from '../aws/errors.ts';
import { Input } from '../contract.ts';
import type { Log } from '../deploy/log.ts';
import { InputError } from '../errors.ts';
import type { AutoScalingSettings, ScalingMetric } from './scaling-settings.ts';

/** The SDK client, or anything that answers its commands the same way (tests). */
export interface ScalingClient {
  send(command: object): Promise<unknown>;
}

export const ECS_DIMENSION = 'ecs:service:DesiredCount';
/** The policies the action owns are named after it; others on the same target are left alone. */
export const POLICY_PREFIX = 'ecr-deploy-';

const METRIC_TYPES: Record<ScalingMetric, string> = {
  cpu: 'ECSServiceAverageCPUUtilization',
  memory: 'ECSServiceAverageMemoryUtilization',
  'requests-per-target': 'ALBRequestCountPerTarget',
};
const MANAGED_NAMES = Object.keys(METRIC_TYPES).map((m) => `${POLICY_PREFIX}${m}`);

const PERMISSIONS = {
  read: 'application-autoscaling:DescribeScalableTargets and application-autoscaling:DescribeScalingPolicies',
  register:
    'application-autoscaling:RegisterScalableTarget (the first registration of an ECS service also needs iam:CreateServiceLinkedRole for AWSServiceRoleForApplicationAutoScaling_ECSService)',
  put: 'application-autoscaling:PutScalingPolicy and cloudwatch:PutMetricAlarm, cloudwatch:DescribeAlarms, cloudwatch:DeleteAlarms (target tracking manages its alarms)',
  delete: 'application-autoscaling:DeleteScalingPolicy and cloudwatch:DeleteAlarms',
};

export interface SuspendedState {
  readonly DynamicScalingInSuspended: boolean;
  readonly DynamicScalingOutSuspended: boolean;
  readonly ScheduledScalingSuspended: boolean;
}

const NOT_SUSPENDED: SuspendedState = {
  DynamicScalingInSuspended: false,
  DynamicScalingOutSuspended: false,
  ScheduledScalingSuspended: false,
};

export type RegisteredPolicy = Pick<
  ScalingPolicy,
  'PolicyName' | 'PolicyType' | 'TargetTrackingScalingPolicyConfiguration'
>;

/** What Application Auto Scaling has for one service. */
export interface CurrentScaling {
  readonly resourceId: string;
  readonly target:
    { readonly min: number; readonly max: number; readonly suspended: SuspendedState } | undefined;
  /** Our policies (named `ecr-deploy-*`) as registered. */
  readonly policies: ReadonlyMap<string, RegisteredPolicy>;
}

export interface PolicySpec {
  readonly name: string;
  readonly config: TargetTrackingScalingPolicyConfiguration;
}

/** What the deploy changes about one service's scaling. */
export interface ScalingPlan {
  readonly resourceId: string;
  /** min/max to register (the target is new, or its range differs). */
  readonly register: { readonly min: number; readonly max: number } | undefined;
  readonly put: readonly PolicySpec[];
  /** Our policies the input no longer asks for. */
  readonly remove: readonly string[];
  /** Suspend dynamic scale-in for the rollout (it is not suspended already). */
  readonly suspend: boolean;
  /** The suspended state before the deploy: what is put back. */
  readonly previous: SuspendedState;
  /** The range the service is kept in after the deploy (undefined: no scalable target). */
  readonly range: { readonly min: number; readonly max: number } | undefined;
  /** `2–10 tasks, cpu 60 %` for the summary; undefined without a scalable target. */
  readonly summary: string | undefined;
}

export function resourceIdOf(cluster: string, service: string): string {
  return `service/${cluster.split('/').at(-1) ?? cluster}/${service.split('/').at(-1) ?? service}`;
}

/**
 * Pure: `app/<lb>/<id>/targetgroup/<tg>/<id>` from the load balancer given and the service's one target
 * group. Throws an input error when the service has none or several.
 */
export function resourceLabel(
  loadBalancer: string,
  service: Pick<Service, 'serviceName' | 'loadBalancers'>,
): string {
  const groups = [
    ...new Set(
      (service.loadBalancers ?? [])
        .map((lb) => /:(targetgroup\/[A-Za-z0-9-]+\/[0-9a-f]+)$/.exec(lb.targetGroupArn ?? '')?.[1])
        .filter((g): g is string => g !== undefined),
    ),
  ];
  if (groups.length !== 1) {
    throw new InputError(
      Input.AutoScaling,
      `requests-per-target: service ${service.serviceName ?? ''} has ${groups.length === 0 ? 'no target group' : `${groups.length} target groups (${groups.join(', ')})`}; ALBRequestCountPerTarget needs exactly one. Use cpu= or memory= instead.`,
    );
  }
  return `${loadBalancer}/${groups[0]}`;
}

/** Pure: the policies the settings ask for, named `ecr-deploy-<metric>`. */
export function wantedPolicies(
  settings: AutoScalingSettings,
  service: Pick<Service, 'serviceName' | 'loadBalancers'>,
): PolicySpec[] {
  return settings.policies.map(({ metric, target }) => ({
    name: `${POLICY_PREFIX}${metric}`,
    config: {
      TargetValue: target,
      PredefinedMetricSpecification: {
        PredefinedMetricType: METRIC_TYPES[metric] as never,
        ...(metric === 'requests-per-target'
          ? { ResourceLabel: resourceLabel(settings.loadBalancer ?? '', service) }
          : {}),
      },
    },
  }));
}

/** Pure: whether the registered policy tracks something else than the wanted one (defaults count as unset). */
export function policyDiffers(current: RegisteredPolicy | undefined, wanted: PolicySpec): boolean {
  if (!current || current.PolicyType !== 'TargetTrackingScaling') return true;
  const c = current.TargetTrackingScalingPolicyConfiguration;
  const w = wanted.config;
  return (
    c?.TargetValue !== w.TargetValue ||
    c?.PredefinedMetricSpecification?.PredefinedMetricType !==
      w.PredefinedMetricSpecification?.PredefinedMetricType ||
    (c?.PredefinedMetricSpecification?.ResourceLabel ?? '') !==
      (w.PredefinedMetricSpecification?.ResourceLabel ?? '') ||
    c?.CustomizedMetricSpecification !== undefined ||
    (c?.DisableScaleIn ?? false) !== false ||
    c?.ScaleInCooldown !== undefined ||
    c?.ScaleOutCooldown !== undefined
  );
}

function describePolicies(
  specs: readonly { name: string; config: TargetTrackingScalingPolicyConfiguration }[],
): string {
  const label: Record<string, string> = {
    ECSServiceAverageCPUUtilization: 'cpu',
    ECSServiceAverageMemoryUtilization: 'memory',
    ALBRequestCountPerTarget: 'requests per target',
  };
  return specs
    .map((p) => {
      const type = p.config.PredefinedMetricSpecification?.PredefinedMetricType ?? '';
      const unit = type === 'ALBRequestCountPerTarget' ? '' : ' %';
      return `${label[type] ?? p.name} ${p.config.TargetValue}${unit}`;
    })
    .join(', ');
}

/**
 * Pure: what to change. Without settings nothing is written; the registered range (if any) still bounds
 * `desired-count`.
 */
export function planScaling(
  settings: AutoScalingSettings | undefined,
  current: CurrentScaling,
  service: Pick<Service, 'serviceName' | 'loadBalancers'>,
): ScalingPlan {
  const previous = current.target?.suspended ?? NOT_SUSPENDED;
  if (!settings) {
    const range = current.target ? { min: current.target.min, max: current.target.max } : undefined;
    return {
      resourceId: current.resourceId,
      register: undefined,
      put: [],
      remove: [],
      suspend: false,
      previous,
      range,
      summary: range ? `${range.min}–${range.max} tasks (registered outside this action)` : undefined,
    };
  }
  const wanted = wantedPolicies(settings, service);
  const register =
    !current.target || current.target.min !== settings.min || current.target.max !== settings.max
      ? { min: settings.min, max: settings.max }
      : undefined;
  const wantedNames = new Set(wanted.map((p) => p.name));
  const policies = describePolicies(wanted);
  return {
    resourceId: current.resourceId,
    register,
    put: wanted.filter((p) => policyDiffers(current.policies.get(p.name), p)),
    remove: [...current.policies.keys()].filter((n) => !wantedNames.has(n)).sort(),
    suspend: settings.suspendScaleIn && !previous.DynamicScalingInSuspended,
    previous,
    range: { min: settings.min, max: settings.max },
    summary: `${settings.min}–${settings.max} tasks${policies ? `, ${policies}` : ', no policies'}`,
  };
}

/** Pure: whether the plan writes scaling configuration (suspension aside). */
export function configChanges(plan: ScalingPlan | undefined): boolean {
  return plan !== undefined && (plan.register !== undefined || plan.put.length > 0 || plan.remove.length > 0);
}

/** Pure: `desired-count` against a registered range: clamped, as Application Auto Scaling would, with a warning. */
export function clampDesiredCount(
  requested: number | undefined,
  range: ScalingPlan['range'],
  service: string,
): { count: number | undefined; warning?: string } {
  if (requested === undefined || !range) return { count: requested };
  const count = Math.min(range.max, Math.max(range.min, requested));
  const clamped = count !== requested ? `, clamped to ${count} (min ${range.min}, max ${range.max})` : '';
  return {
    count,
    warning: `${service}: desired-count ${requested} is set while Application Auto Scaling owns the count (${range.min}–${range.max} tasks)${clamped}; it will change it again as load changes. Leave desired-count empty for scaled services.`,
  };
}

/** Pure: the dry-run lines. */
export function previewScaling(plan: ScalingPlan): string[] {
  const lines: string[] = [];
  if (plan.register)
    lines.push(
      `auto scaling: would register ${plan.resourceId} with min ${plan.register.min}, max ${plan.register.max}`,
    );
  for (const p of plan.put) lines.push(`auto scaling: would put policy ${p.name} (${describePolicies([p])})`);
  for (const name of plan.remove) lines.push(`auto scaling: would delete policy ${name}`);
  if (plan.suspend) lines.push('auto scaling: would suspend dynamic scale-in during the rollout');
  if (lines.length === 0 && plan.summary) lines.push(`auto scaling: unchanged (${plan.summary})`);
  return lines;
}

function accessDenied(error: unknown): boolean {
  const name = errorName(error);
  return name === 'AccessDeniedException' || name === 'AccessDenied';
}

/**
 * Reads the scalable targets and our policies of these services (read only). AccessDenied is an error naming
 * the permissions when `required`; otherwise (desired-count only) a warning, and no range is known.
 */
export async function readScaling(options: {
  readonly client: ScalingClient;
  readonly cluster: string;
  readonly services: readonly string[];
  readonly required: boolean;
  readonly log: Log;
}): Promise<Map<string, CurrentScaling> | undefined> {
  const { client, cluster, services, log } = options;
  const ids = services.map((s) => resourceIdOf(cluster, s));
  const out = new Map<string, CurrentScaling>();
  try {
    const targets = new Map<string, NonNullable<CurrentScaling['target']>>();
    for (let i = 0; i < ids.length; i += 50) {
      let token: string | undefined;
      do {
        const page = (await client.send(
          new DescribeScalableTargetsCommand({
            ServiceNamespace: 'ecs',
            ScalableDimension: ECS_DIMENSION,
            ResourceIds: ids.slice(i, i + 50),
            ...(token ? { NextToken: token } : {}),
          }),
        )) as {
          ScalableTargets?: {
            ResourceId?: string;
            MinCapacity?: number;
            MaxCapacity?: number;
            SuspendedState?: Partial<SuspendedState>;
          }[];
          NextToken?: string;
        };
        for (const t of page.ScalableTargets ?? []) {
          targets.set(t.ResourceId ?? '', {
            min: t.MinCapacity ?? 0,
            max: t.MaxCapacity ?? 0,
            suspended: {
              DynamicScalingInSuspended: t.SuspendedState?.DynamicScalingInSuspended ?? false,
              DynamicScalingOutSuspended: t.SuspendedState?.DynamicScalingOutSuspended ?? false,
              ScheduledScalingSuspended: t.SuspendedState?.ScheduledScalingSuspended ?? false,
            },
          });
        }
        token = page.NextToken;
      } while (token);
    }
    for (const service of services) {
      const resourceId = resourceIdOf(cluster, service);
      const policies = new Map<string, RegisteredPolicy>();
      if (targets.has(resourceId)) {
        const page = (await client.send(
          new DescribeScalingPoliciesCommand({
            ServiceNamespace: 'ecs',
            ScalableDimension: ECS_DIMENSION,
            ResourceId: resourceId,
            PolicyNames: MANAGED_NAMES,
          }),
        )) as { ScalingPolicies?: ScalingPolicy[] };
        for (const p of page.ScalingPolicies ?? []) if (p.PolicyName) policies.set(p.PolicyName, p);
      }
      out.set(service, { resourceId, target: targets.get(resourceId), policies });
    }
    return out;
  } catch (error) {
    if (!options.required && accessDenied(error)) {
      log.warning(
        `desired-count: could not read Application Auto Scaling (${errorName(error)}); the count is set without checking a scalable target. Allow ${PERMISSIONS.read} to have it checked.`,
      );
      return undefined;
    }
    throw describeAwsError('DescribeScalableTargets', error, {
      permission: PERMISSIONS.read,
      subject: `the services of cluster ${cluster} (auto-scaling input)`,
    });
  }
}

/** One service's scaling through a deploy: configure, suspend scale-in for a rollout, put it back. */
export class ScalingSession {
  private readonly client: ScalingClient;
  private readonly log: Log;
  readonly plan: ScalingPlan;
  private suspended = false;

  constructor(options: { client: ScalingClient; log: Log; plan: ScalingPlan }) {
    this.client = options.client;
    this.log = options.log;
    this.plan = options.plan;
  }

  private async register(extra: { min?: number; max?: number; suspended?: SuspendedState }): Promise<void> {
    const { resourceId } = this.plan;
    try {
      await this.client.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: resourceId,
          ScalableDimension: ECS_DIMENSION,
          ...(extra.min !== undefined ? { MinCapacity: extra.min, MaxCapacity: extra.max } : {}),
          ...(extra.suspended ? { SuspendedState: { ...extra.suspended } } : {}),
        }),
      );
    } catch (error) {
      throw describeAwsError('RegisterScalableTarget', error, {
        permission: PERMISSIONS.register,
        subject: `scalable target ${resourceId}`,
      });
    }
  }

  /**
   * Writes what differs (range, policies) and, for a rollout, suspends dynamic scale-in in the same
   * registration. Whatever fails after the suspension puts it back before the error goes on.
   */
  async configure({ rollout }: { rollout: boolean }): Promise<void> {
    const { plan } = this;
    const suspend = rollout && plan.suspend;
    if (plan.register || suspend) {
      await this.register({
        ...(plan.register ?? {}),
        ...(suspend ? { suspended: { ...plan.previous, DynamicScalingInSuspended: true } } : {}),
      });
      if (suspend) this.suspended = true;
      if (plan.register) {
        this.log.info(
          `${plan.resourceId}: registered for auto scaling, ${plan.register.min}–${plan.register.max} tasks`,
        );
      }
      if (suspend) this.log.info(`${plan.resourceId}: dynamic scale-in suspended for the rollout`);
    }
    try {
      for (const p of plan.put) {
        try {
          await this.client.send(
            new PutScalingPolicyCommand({
              PolicyName: p.name,
              ServiceNamespace: 'ecs',
              ResourceId: plan.resourceId,
              ScalableDimension: ECS_DIMENSION,
              PolicyType: 'TargetTrackingScaling',
              TargetTrackingScalingPolicyConfiguration: p.config,
            }),
          );
          this.log.info(`${plan.resourceId}: scaling policy ${p.name} set (${describePolicies([p])})`);
        } catch (error) {
          throw describeAwsError('PutScalingPolicy', error, {
            permission: PERMISSIONS.put,
            subject: `policy ${p.name} of ${plan.resourceId}`,
          });
        }
      }
      for (const name of plan.remove) {
        try {
          await this.client.send(
            new DeleteScalingPolicyCommand({
              PolicyName: name,
              ServiceNamespace: 'ecs',
              ResourceId: plan.resourceId,
              ScalableDimension: ECS_DIMENSION,
            }),
          );
          this.log.info(`${plan.resourceId}: scaling policy ${name} deleted (no longer in auto-scaling)`);
        } catch (error) {
          if (errorName(error) === 'ObjectNotFoundException') continue;
          throw describeAwsError('DeleteScalingPolicy', error, {
            permission: PERMISSIONS.delete,
            subject: `policy ${name} of ${plan.resourceId}`,
          });
        }
      }
    } catch (error) {
      await this.restore();
      throw error;
    }
  }

  /** Suspends scale-in again for a rollback (ours, or ECS's own) that follows a restore. */
  async suspendAgain(): Promise<void> {
    if (!this.plan.suspend || this.suspended) return;
    try {
      await this.register({ suspended: { ...this.plan.previous, DynamicScalingInSuspended: true } });
      this.suspended = true;
      this.log.info(`${this.plan.resourceId}: dynamic scale-in suspended for the rollback`);
    } catch (error) {
      // The rollback goes on regardless: scaling in during it is what AWS advises against, not a failure.
      this.log.warning(
        `${this.plan.resourceId}: could not suspend scale-in for the rollback: ${(error as Error).message}`,
      );
    }
  }

  /** Puts the suspended state back as it was before the deploy. Never throws: a failure is a warning with the fix. */
  async restore(): Promise<void> {
    if (!this.suspended) return;
    // The SDK retries on its own; these attempts cover an answer that fails after its retries once.
    let failure: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.register({ suspended: this.plan.previous });
        this.suspended = false;
        this.log.info(`${this.plan.resourceId}: dynamic scale-in restored`);
        return;
      } catch (error) {
        failure = error;
      }
    }
    {
      const error = failure;
      this.log.warning(
        `${this.plan.resourceId}: dynamic scale-in is still suspended: ${(error as Error).message} Resume it with: aws application-autoscaling register-scalable-target --service-namespace ecs --scalable-dimension ${ECS_DIMENSION} --resource-id ${this.plan.resourceId} --suspended-state DynamicScalingInSuspended=false`,
      );
    }
  }

  get isSuspended(): boolean {
    return this.suspended;
  }
}
