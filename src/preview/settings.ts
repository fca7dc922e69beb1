// Pure: the preview's service and target group, copied from the base's. What is copied and what is not is
// decided here, in one place, and said in the README ("Preview environments").
import type { CreateServiceCommandInput, LoadBalancer, Service, Tag as EcsTag } from '@aws-sdk/client-ecs';
import type {
  CreateTargetGroupCommandInput,
  RuleCondition,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { PREVIEW_TAG, type PreviewNames } from './types.ts';

/** Tags AWS reserves (`aws:`) cannot be set by a caller. */
function copyableTags(tags: readonly EcsTag[] | undefined): EcsTag[] {
  return (tags ?? []).filter((t) => t.key && !t.key.startsWith('aws:') && t.key !== PREVIEW_TAG);
}

export function previewTags(tags: readonly EcsTag[] | undefined, names: PreviewNames): EcsTag[] {
  return [...copyableTags(tags), { key: PREVIEW_TAG, value: names.tag }];
}

/**
 * Pure: CreateService for the preview. Copied: network configuration, capacity provider strategy or launch
 * type, platform version, deployment configuration, placement, tags (plus the preview tag), tag propagation,
 * ECS Exec, the load balancer's container and port (with the preview's target group). Service Connect is
 * copied client-only (same namespace, no `services`): advertising the base's discovery names would make
 * the preview answer the base's traffic. Service registries (Cloud Map) are not copied for the same reason.
 */
export function previewServiceInput(
  base: Service,
  options: {
    readonly cluster: string;
    readonly names: PreviewNames;
    readonly taskDefinition: string;
    readonly desiredCount: number;
    /** With a listener: the preview's target group, used in place of the base's first one. */
    readonly targetGroupArn?: string;
  },
): CreateServiceCommandInput {
  const { names } = options;
  const capacity = base.capacityProviderStrategy ?? [];
  const lb: LoadBalancer | undefined = base.loadBalancers?.find((l) => l.targetGroupArn);
  const primary = base.deployments?.find((d) => d.status === 'PRIMARY');
  const serviceConnect = primary?.serviceConnectConfiguration;
  const loadBalancers =
    options.targetGroupArn && lb
      ? [
          {
            targetGroupArn: options.targetGroupArn,
            containerName: lb.containerName,
            containerPort: lb.containerPort,
          },
        ]
      : undefined;
  return {
    cluster: options.cluster,
    serviceName: names.service,
    taskDefinition: options.taskDefinition,
    desiredCount: options.desiredCount,
    ...(capacity.length > 0
      ? { capacityProviderStrategy: capacity }
      : base.launchType
        ? { launchType: base.launchType }
        : {}),
    ...(base.platformVersion ? { platformVersion: base.platformVersion } : {}),
    ...(base.networkConfiguration ? { networkConfiguration: base.networkConfiguration } : {}),
    ...(base.deploymentConfiguration ? { deploymentConfiguration: base.deploymentConfiguration } : {}),
    deploymentController: { type: 'ECS' },
    ...(base.placementConstraints?.length ? { placementConstraints: base.placementConstraints } : {}),
    ...(base.placementStrategy?.length ? { placementStrategy: base.placementStrategy } : {}),
    ...(loadBalancers ? { loadBalancers } : {}),
    ...(loadBalancers && base.healthCheckGracePeriodSeconds !== undefined
      ? { healthCheckGracePeriodSeconds: base.healthCheckGracePeriodSeconds }
      : {}),
    ...(serviceConnect?.enabled
      ? {
          serviceConnectConfiguration: {
            enabled: true,
            ...(serviceConnect.namespace ? { namespace: serviceConnect.namespace } : {}),
            ...(serviceConnect.logConfiguration ? { logConfiguration: serviceConnect.logConfiguration } : {}),
          },
        }
      : {}),
    tags: previewTags(base.tags, names),
    ...(base.propagateTags && base.propagateTags !== 'NONE' ? { propagateTags: base.propagateTags } : {}),
    ...(base.enableECSManagedTags ? { enableECSManagedTags: true } : {}),
    ...(base.enableExecuteCommand ? { enableExecuteCommand: true } : {}),
  };
}

/** Pure: CreateTargetGroup copying protocol, port, VPC, target type and health check of the base's. */
export function previewTargetGroupInput(
  base: TargetGroup,
  names: PreviewNames,
): CreateTargetGroupCommandInput {
  const copy = <K extends keyof TargetGroup>(key: K) => (base[key] !== undefined ? { [key]: base[key] } : {});
  return {
    Name: names.targetGroup,
    ...copy('Protocol'),
    ...copy('ProtocolVersion'),
    ...copy('Port'),
    ...copy('VpcId'),
    ...copy('TargetType'),
    ...copy('IpAddressType'),
    ...copy('HealthCheckProtocol'),
    ...copy('HealthCheckPort'),
    ...copy('HealthCheckEnabled'),
    ...copy('HealthCheckPath'),
    ...copy('HealthCheckIntervalSeconds'),
    ...copy('HealthCheckTimeoutSeconds'),
    ...copy('HealthyThresholdCount'),
    ...copy('UnhealthyThresholdCount'),
    ...copy('Matcher'),
    Tags: [{ Key: PREVIEW_TAG, Value: names.tag }],
  } as CreateTargetGroupCommandInput;
}

/** Pure: the listener rule's one condition: the preview URL's host. */
export function hostHeaderCondition(host: string): RuleCondition[] {
  return [{ Field: 'host-header', HostHeaderConfig: { Values: [host] } }];
}
