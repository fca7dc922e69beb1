// Fake Application Auto Scaling for ECS services (awsJson1_1, target prefix AnyScaleFrontendService, signing
// name application-autoscaling — what @aws-sdk/client-application-auto-scaling speaks). Behaviour follows
// https://docs.aws.amazon.com/autoscaling/application/APIReference/ — see sandbox/README.md "Application Auto
// Scaling" for the list (documented vs assumed). Scaling itself happens when a test asks for it through the
// control route `/_sandbox/autoscaling/scale`: it changes the ECS service's desiredCount in the sandbox ECS
// state, refused while that direction is suspended and clamped to the target's min/max.
import { randomUUID } from 'node:crypto';
import { AwsError, type CallContext, type JsonService } from './protocol.ts';
import type { World } from '../world.ts';
import { ecsState, type EcsState } from './ecs/state.ts';
import type { Service } from './ecs/model.ts';

export const AUTOSCALING_TARGET_PREFIX = 'AnyScaleFrontendService';
export const ECS_DIMENSION = 'ecs:service:DesiredCount';

export interface SuspendedState {
  DynamicScalingInSuspended: boolean;
  DynamicScalingOutSuspended: boolean;
  ScheduledScalingSuspended: boolean;
}

export interface ScalableTarget {
  ServiceNamespace: 'ecs';
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  CreationTime: Date;
  SuspendedState: SuspendedState;
  ScalableTargetARN: string;
  region: string;
}

export interface ScalingPolicy {
  PolicyARN: string;
  PolicyName: string;
  ServiceNamespace: 'ecs';
  ResourceId: string;
  ScalableDimension: string;
  PolicyType: string;
  TargetTrackingScalingPolicyConfiguration?: Record<string, unknown>;
  Alarms: { AlarmName: string; AlarmARN: string }[];
  CreationTime: Date;
  region: string;
}

/** One scaling the control route made (or refused), newest last. */
export interface ScalingActivity {
  resourceId: string;
  direction: 'out' | 'in';
  requested: number;
  from: number;
  to: number;
  time: string;
}

const PREDEFINED_ECS_METRICS = [
  'ECSServiceAverageCPUUtilization',
  'ECSServiceAverageMemoryUtilization',
  'ALBRequestCountPerTarget',
];
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html
const RESOURCE_LABEL =
  /^app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
const MAX_RESULTS = 50;

type Input = Record<string, unknown>;

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

function notFound(message: string): AwsError {
  return new AwsError('ObjectNotFoundException', message);
}

export class AutoScalingState {
  readonly targets = new Map<string, ScalableTarget>();
  readonly policies = new Map<string, ScalingPolicy>();
  readonly activities: ScalingActivity[] = [];
  private readonly ecs: EcsState;
  private readonly world: World;

  constructor(world: World) {
    this.world = world;
    this.ecs = ecsState(world);
  }

  static key(region: string, resourceId: string, dimension: string): string {
    return `${region} ${resourceId} ${dimension}`;
  }

  /** `service/<cluster>/<service>` → the live ECS service, if any. */
  ecsService(region: string, resourceId: string): Service | undefined {
    const m = /^service\/([^/]+)\/([^/]+)$/.exec(resourceId);
    if (!m) return undefined;
    const clusterArn = `arn:aws:ecs:${region}:${this.world.config.accountId}:cluster/${m[1]}`;
    const svc = this.ecs.servicesOf(clusterArn).get(m[2]!);
    return svc && svc.status === 'ACTIVE' ? svc : undefined;
  }

  /** Sets the service's desired count the way Application Auto Scaling does (UpdateService desiredCount). */
  setDesiredCount(svc: Service, count: number): void {
    if (svc.desiredCount === count) return;
    svc.desiredCount = count;
    svc.steady = false;
  }

  /**
   * The control route's "scale out/in to N": refused (409) while that direction is suspended or when N is
   * not that direction; clamped to [MinCapacity, MaxCapacity].
   */
  scale(input: { resourceId?: unknown; direction?: unknown; count?: unknown; region?: unknown }): {
    status: number;
    body: unknown;
  } {
    const region = typeof input.region === 'string' ? input.region : this.world.config.region;
    const resourceId = String(input.resourceId ?? '');
    const direction = input.direction;
    const count = Number(input.count);
    if (direction !== 'out' && direction !== 'in')
      return { status: 400, body: { error: 'direction must be "out" or "in"' } };
    if (!Number.isInteger(count) || count < 0)
      return { status: 400, body: { error: 'count must be a non-negative integer' } };
    const target = this.targets.get(AutoScalingState.key(region, resourceId, ECS_DIMENSION));
    if (!target) return { status: 404, body: { error: `no scalable target registered for ${resourceId}` } };
    const svc = this.ecsService(region, resourceId);
    if (!svc) return { status: 404, body: { error: `ECS service ${resourceId} does not exist` } };
    const suspended =
      direction === 'out'
        ? target.SuspendedState.DynamicScalingOutSuspended
        : target.SuspendedState.DynamicScalingInSuspended;
    if (suspended) {
      return {
        status: 409,
        body: { error: `dynamic scaling ${direction} is suspended for ${resourceId}`, suspended: true },
      };
    }
    // "Application Auto Scaling turns off scale-in processes while Amazon ECS deployments are in progress."
    if (direction === 'in' && svc.deployments.some((d) => d.rolloutState === 'IN_PROGRESS')) {
      return {
        status: 409,
        body: { error: `scale-in is turned off while an ECS deployment of ${resourceId} is in progress` },
      };
    }
    const from = svc.desiredCount;
    if (direction === 'out' ? count <= from : count >= from) {
      return {
        status: 409,
        body: { error: `scale ${direction} to ${count} from ${from} is not a scale-${direction}` },
      };
    }
    const to = Math.min(target.MaxCapacity, Math.max(target.MinCapacity, count));
    this.setDesiredCount(svc, to);
    if (to !== from) {
      this.ecs.addEvent(
        svc,
        `has been scaled ${direction} to ${to} tasks by Application Auto Scaling (requested ${count}).`,
      );
    }
    const activity: ScalingActivity = {
      resourceId,
      direction,
      requested: count,
      from,
      to,
      time: new Date().toISOString(),
    };
    this.activities.push(activity);
    return { status: 200, body: activity };
  }
}

const states = new WeakMap<World, AutoScalingState>();

export function autoScalingState(world: World): AutoScalingState {
  let s = states.get(world);
  if (!s) {
    s = new AutoScalingState(world);
    states.set(world, s);
  }
  return s;
}

function requireString(input: Input, name: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v.length === 0) {
    throw validation(
      `1 validation error detected: Value null at '${lower(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v;
}

function lower(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** The namespace/dimension pair; the sandbox serves ECS services only. */
function checkScope(input: Input, dimensionRequired: boolean): { dimension: string | undefined } {
  const ns = requireString(input, 'ServiceNamespace');
  if (ns !== 'ecs') {
    throw validation(
      `Unsupported service namespace: ${ns}. (The sandbox implements ecs only; real Application Auto Scaling accepts more.)`,
    );
  }
  const dimension = input.ScalableDimension;
  if (dimensionRequired) requireString(input, 'ScalableDimension');
  if (dimension !== undefined && dimension !== ECS_DIMENSION) {
    throw validation(
      `Unsupported scalable dimension: ${String(dimension)} for service namespace ecs. Valid: ${ECS_DIMENSION}`,
    );
  }
  return { dimension: dimension as string | undefined };
}

function checkResourceId(resourceId: string): void {
  if (!/^service\/[^/]+\/[^/]+$/.test(resourceId)) {
    throw validation(
      `Unsupported resource ID: ${resourceId}. ECS resource IDs have the form service/<cluster>/<service>.`,
    );
  }
}

function capacity(input: Input, name: 'MinCapacity' | 'MaxCapacity'): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < 0) {
    throw validation(
      `1 validation error detected: Value '${String(v)}' at '${lower(name)}' failed to satisfy constraint: Member must have value greater than or equal to 0`,
    );
  }
  return v as number;
}

function suspendedState(value: unknown, previous: SuspendedState | undefined): SuspendedState {
  const base = previous ?? {
    DynamicScalingInSuspended: false,
    DynamicScalingOutSuspended: false,
    ScheduledScalingSuspended: false,
  };
  if (value === undefined || value === null) return { ...base };
  const v = value as Partial<Record<keyof SuspendedState, unknown>>;
  const pick = (k: keyof SuspendedState): boolean =>
    typeof v[k] === 'boolean' ? (v[k] as boolean) : base[k];
  return {
    DynamicScalingInSuspended: pick('DynamicScalingInSuspended'),
    DynamicScalingOutSuspended: pick('DynamicScalingOutSuspended'),
    ScheduledScalingSuspended: pick('ScheduledScalingSuspended'),
  };
}

function page<T>(items: T[], input: Input, what: string): { items: T[]; next?: string } {
  const max = input.MaxResults === undefined ? MAX_RESULTS : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
    throw validation(
      `1 validation error detected: Value '${String(input.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_RESULTS}`,
    );
  }
  let start = 0;
  if (input.NextToken !== undefined) {
    const decoded = /^(\d+)$/.exec(Buffer.from(String(input.NextToken), 'base64url').toString('utf8'));
    if (!decoded) throw validation(`Invalid NextToken for ${what}`);
    start = Number(decoded[1]);
  }
  const slice = items.slice(start, start + max);
  const end = start + slice.length;
  return end < items.length
    ? { items: slice, next: Buffer.from(String(end)).toString('base64url') }
    : { items: slice };
}

function renderTarget(t: ScalableTarget): Record<string, unknown> {
  const { region: _region, ...out } = t;
  return out;
}

function renderPolicy(p: ScalingPolicy): Record<string, unknown> {
  const { region: _region, ...out } = p;
  return out;
}

function checkTargetTracking(config: unknown): Record<string, unknown> {
  if (!config || typeof config !== 'object') {
    throw validation(
      'TargetTrackingScalingPolicyConfiguration is required for TargetTrackingScaling policies',
    );
  }
  const c = config as Record<string, unknown>;
  if (typeof c.TargetValue !== 'number' || !Number.isFinite(c.TargetValue)) {
    throw validation(
      "1 validation error detected: Value null at 'targetTrackingScalingPolicyConfiguration.targetValue' failed to satisfy constraint: Member must not be null",
    );
  }
  if (c.TargetValue <= 0) throw validation('The target value must be greater than 0.');
  const predefined = c.PredefinedMetricSpecification as Record<string, unknown> | undefined;
  const customized = c.CustomizedMetricSpecification;
  if (predefined && customized) {
    throw validation('Specify either a predefined metric or a customized metric, not both.');
  }
  if (!predefined && !customized) {
    throw validation('Either a predefined metric or a customized metric must be specified.');
  }
  if (predefined) {
    const type = predefined.PredefinedMetricType;
    if (typeof type !== 'string' || !PREDEFINED_ECS_METRICS.includes(type)) {
      throw validation(
        `Unsupported predefined metric type ${String(type)} for service namespace ecs. Valid: ${PREDEFINED_ECS_METRICS.join(', ')}`,
      );
    }
    const label = predefined.ResourceLabel;
    if (type === 'ALBRequestCountPerTarget') {
      if (typeof label !== 'string' || label.length === 0) {
        throw validation('ResourceLabel is required when PredefinedMetricType is ALBRequestCountPerTarget.');
      }
      if (!RESOURCE_LABEL.test(label)) {
        throw validation(
          `Invalid ResourceLabel ${label}: expected app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>.`,
        );
      }
    } else if (label !== undefined) {
      throw validation(`ResourceLabel is only valid with ALBRequestCountPerTarget, not ${type}.`);
    }
  }
  for (const k of ['ScaleOutCooldown', 'ScaleInCooldown']) {
    const v = c[k];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 86400)) {
      throw validation(`${k} must be an integer from 0 to 86400 seconds.`);
    }
  }
  if (c.DisableScaleIn !== undefined && typeof c.DisableScaleIn !== 'boolean') {
    throw validation('DisableScaleIn must be a boolean.');
  }
  return c;
}

export function createAutoScalingService(world: World): JsonService {
  const s = autoScalingState(world);
  world.controlRoutes.set('autoscaling', (method, path, url, body) => {
    if (method === 'POST' && path === '/autoscaling/scale') {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return Promise.resolve({ status: 400, body: { error: 'body is not JSON' } });
      }
      return Promise.resolve(s.scale(parsed));
    }
    if (method === 'GET' && path === '/autoscaling/activities') {
      const resourceId = url.searchParams.get('resourceId');
      return Promise.resolve({
        status: 200,
        body: { activities: s.activities.filter((a) => !resourceId || a.resourceId === resourceId) },
      });
    }
    if (method === 'GET' && path === '/autoscaling/targets') {
      return Promise.resolve({
        status: 200,
        body: {
          targets: [...s.targets.values()].map(renderTarget),
          policies: [...s.policies.values()].map(renderPolicy),
        },
      });
    }
    return Promise.resolve({ status: 404, body: { error: `unknown control route ${method} ${path}` } });
  });

  const findTarget = (ctx: CallContext, resourceId: string, dimension: string) =>
    s.targets.get(AutoScalingState.key(ctx.region, resourceId, dimension));
  const policyKey = (ctx: CallContext, resourceId: string, dimension: string, name: string) =>
    `${AutoScalingState.key(ctx.region, resourceId, dimension)} ${name}`;

  return {
    protocol: 'json',
    name: 'application-autoscaling',
    signingName: 'application-autoscaling',
    targetPrefix: AUTOSCALING_TARGET_PREFIX,
    operations: {
      RegisterScalableTarget(input: Input, ctx: CallContext) {
        checkScope(input, true);
        const resourceId = requireString(input, 'ResourceId');
        checkResourceId(resourceId);
        const min = capacity(input, 'MinCapacity');
        const max = capacity(input, 'MaxCapacity');
        const existing = findTarget(ctx, resourceId, ECS_DIMENSION);
        const svc = s.ecsService(ctx.region, resourceId);
        if (!svc) throw validation(`ECS service doesn't exist: ${resourceId}`);
        if (!existing && (min === undefined || max === undefined)) {
          throw validation('MinCapacity and MaxCapacity are required for registering a new scalable target.');
        }
        const newMin = min ?? existing!.MinCapacity;
        const newMax = max ?? existing!.MaxCapacity;
        if (newMin > newMax) throw validation('Minimum capacity cannot be greater than maximum capacity.');
        const target: ScalableTarget = existing ?? {
          ServiceNamespace: 'ecs',
          ResourceId: resourceId,
          ScalableDimension: ECS_DIMENSION,
          MinCapacity: newMin,
          MaxCapacity: newMax,
          RoleARN:
            typeof input.RoleARN === 'string'
              ? input.RoleARN
              : `arn:aws:iam::${ctx.accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
          CreationTime: ctx.now(),
          SuspendedState: suspendedState(undefined, undefined),
          ScalableTargetARN: `arn:aws:application-autoscaling:${ctx.region}:${ctx.accountId}:scalable-target/${(randomUUID() + randomUUID()).replace(/-/g, '').slice(0, 36)}`,
          region: ctx.region,
        };
        target.MinCapacity = newMin;
        target.MaxCapacity = newMax;
        target.SuspendedState = suspendedState(input.SuspendedState, existing?.SuspendedState);
        s.targets.set(AutoScalingState.key(ctx.region, resourceId, ECS_DIMENSION), target);
        // "If the specified resource is not active … this operation does not change the resource's current
        // capacity. Otherwise, it changes the resource's current capacity to a value inside this range."
        if (min !== undefined || max !== undefined) {
          s.setDesiredCount(svc, Math.min(newMax, Math.max(newMin, svc.desiredCount)));
        }
        return { ScalableTargetARN: target.ScalableTargetARN };
      },

      DescribeScalableTargets(input: Input, ctx: CallContext) {
        const { dimension } = checkScope(input, false);
        const ids = input.ResourceIds;
        if (ids !== undefined && (!Array.isArray(ids) || ids.length > 50)) {
          throw validation('ResourceIds must be a list of at most 50 resource IDs.');
        }
        const wanted = ids === undefined ? undefined : new Set(ids as string[]);
        const all = [...s.targets.values()].filter(
          (t) =>
            t.region === ctx.region &&
            (!wanted || wanted.has(t.ResourceId)) &&
            (!dimension || t.ScalableDimension === dimension),
        );
        const { items, next } = page(all, input, 'DescribeScalableTargets');
        return { ScalableTargets: items.map(renderTarget), ...(next ? { NextToken: next } : {}) };
      },

      DeregisterScalableTarget(input: Input, ctx: CallContext) {
        checkScope(input, true);
        const resourceId = requireString(input, 'ResourceId');
        const key = AutoScalingState.key(ctx.region, resourceId, ECS_DIMENSION);
        if (!s.targets.has(key)) {
          throw notFound(
            `No scalable target found for service namespace: ecs, resource ID: ${resourceId}, scalable dimension: ${ECS_DIMENSION}`,
          );
        }
        s.targets.delete(key);
        // "Deregistering a scalable target deletes the scaling policies … associated with it."
        for (const [k, p] of s.policies) {
          if (p.region === ctx.region && p.ResourceId === resourceId) s.policies.delete(k);
        }
        return {};
      },

      PutScalingPolicy(input: Input, ctx: CallContext) {
        checkScope(input, true);
        const name = requireString(input, 'PolicyName');
        if (name.length > 256 || /[:/|]/.test(name)) {
          throw validation(`Invalid policy name ${name}: up to 256 characters, no ':', '/' or '|'.`);
        }
        const resourceId = requireString(input, 'ResourceId');
        checkResourceId(resourceId);
        const target = findTarget(ctx, resourceId, ECS_DIMENSION);
        if (!target) {
          throw notFound(
            `No scalable target registered for service namespace: ecs, resource ID: ${resourceId}, scalable dimension: ${ECS_DIMENSION}`,
          );
        }
        const key = policyKey(ctx, resourceId, ECS_DIMENSION, name);
        const existing = s.policies.get(key);
        const type = input.PolicyType ?? existing?.PolicyType;
        if (type !== 'TargetTrackingScaling') {
          throw validation(
            `Unsupported policy type ${String(type)}: the sandbox implements TargetTrackingScaling only.`,
          );
        }
        const config = checkTargetTracking(input.TargetTrackingScalingPolicyConfiguration);
        const id = existing?.PolicyARN.split(':')[6] ?? randomUUID();
        const alarm = (which: 'High' | 'Low') => {
          const alarmName = `TargetTracking-${resourceId}-Alarm${which}-${randomUUID()}`;
          return {
            AlarmName: alarmName,
            AlarmARN: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${alarmName}`,
          };
        };
        const disableScaleIn = config.DisableScaleIn === true;
        const policy: ScalingPolicy = {
          PolicyARN: `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${id}:resource/ecs/${resourceId}:policyName/${name}`,
          PolicyName: name,
          ServiceNamespace: 'ecs',
          ResourceId: resourceId,
          ScalableDimension: ECS_DIMENSION,
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: config,
          // Target tracking creates a high alarm (scale out) and, unless scale-in is disabled, a low one.
          Alarms:
            existing?.Alarms.length === (disableScaleIn ? 1 : 2)
              ? existing.Alarms
              : disableScaleIn
                ? [alarm('High')]
                : [alarm('High'), alarm('Low')],
          CreationTime: existing?.CreationTime ?? ctx.now(),
          region: ctx.region,
        };
        s.policies.set(key, policy);
        return { PolicyARN: policy.PolicyARN, Alarms: policy.Alarms };
      },

      DescribeScalingPolicies(input: Input, ctx: CallContext) {
        const { dimension } = checkScope(input, false);
        const names = input.PolicyNames;
        if (names !== undefined && (!Array.isArray(names) || names.length > 50)) {
          throw validation('PolicyNames must be a list of at most 50 names.');
        }
        const wanted = names === undefined ? undefined : new Set(names as string[]);
        const resourceId = input.ResourceId as string | undefined;
        const all = [...s.policies.values()].filter(
          (p) =>
            p.region === ctx.region &&
            (!resourceId || p.ResourceId === resourceId) &&
            (!dimension || p.ScalableDimension === dimension) &&
            (!wanted || wanted.has(p.PolicyName)),
        );
        const { items, next } = page(all, input, 'DescribeScalingPolicies');
        return { ScalingPolicies: items.map(renderPolicy), ...(next ? { NextToken: next } : {}) };
      },

      DeleteScalingPolicy(input: Input, ctx: CallContext) {
        checkScope(input, true);
        const name = requireString(input, 'PolicyName');
        const resourceId = requireString(input, 'ResourceId');
        const key = policyKey(ctx, resourceId, ECS_DIMENSION, name);
        if (!s.policies.has(key)) {
          throw notFound(
            `No scaling policy found for service namespace: ecs, resource ID: ${resourceId}, scalable dimension: ${ECS_DIMENSION}, policy name: ${name}`,
          );
        }
        s.policies.delete(key);
        return {};
      },
    },
  };
}
