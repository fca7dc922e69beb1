import { describe, expect, it } from 'vitest';
import type { Service } from '@aws-sdk/client-ecs';
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { previewNames } from '../../src/preview/names.ts';
import {
  hostHeaderCondition,
  previewServiceInput,
  previewTargetGroupInput,
} from '../../src/preview/settings.ts';

const names = previewNames('web', 'web', 42);
const network = {
  awsvpcConfiguration: {
    subnets: ['subnet-1', 'subnet-2'],
    securityGroups: ['sg-1'],
    assignPublicIp: 'DISABLED' as const,
  },
};
const fargate: Service = {
  serviceName: 'web',
  status: 'ACTIVE',
  desiredCount: 6,
  launchType: 'FARGATE',
  platformVersion: '1.4.0',
  networkConfiguration: network,
  deploymentConfiguration: {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    deploymentCircuitBreaker: { enable: true, rollback: true },
  },
  loadBalancers: [{ targetGroupArn: 'arn:tg/web', containerName: 'app', containerPort: 8080 }],
  serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:…:service/srv-1' }],
  healthCheckGracePeriodSeconds: 30,
  tags: [
    { key: 'team', value: 'shop' },
    { key: 'aws:cloudformation:stack-name', value: 'x' },
  ],
  propagateTags: 'SERVICE',
  enableExecuteCommand: true,
  deployments: [
    {
      status: 'PRIMARY',
      serviceConnectConfiguration: {
        enabled: true,
        namespace: 'shop.local',
        services: [{ portName: 'http', discoveryName: 'web', clientAliases: [{ port: 80 }] }],
      },
    },
  ],
};
const spot: Service = {
  serviceName: 'worker',
  status: 'ACTIVE',
  capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
  launchType: undefined,
};

describe('previewServiceInput', () => {
  it('copies the base service settings, with the preview target group and the preview tag', () => {
    expect(
      previewServiceInput(fargate, {
        cluster: 'preview',
        names,
        taskDefinition: 'arn:td/web-pr-42:1',
        desiredCount: 1,
        targetGroupArn: 'arn:tg/web-pr-42',
      }),
    ).toEqual({
      cluster: 'preview',
      serviceName: 'web-pr-42',
      taskDefinition: 'arn:td/web-pr-42:1',
      desiredCount: 1,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: network,
      deploymentConfiguration: fargate.deploymentConfiguration,
      deploymentController: { type: 'ECS' },
      loadBalancers: [{ targetGroupArn: 'arn:tg/web-pr-42', containerName: 'app', containerPort: 8080 }],
      healthCheckGracePeriodSeconds: 30,
      // Client-only: the base's discovery names stay the base's.
      serviceConnectConfiguration: { enabled: true, namespace: 'shop.local' },
      tags: [
        { key: 'team', value: 'shop' },
        { key: 'ecr-deploy:preview', value: 'pr-42' },
      ],
      propagateTags: 'SERVICE',
      enableExecuteCommand: true,
    });
  });

  it.each([
    [
      'without a listener: no load balancer and no grace period',
      fargate,
      undefined,
      { launchType: 'FARGATE' },
    ],
    [
      'a capacity provider strategy instead of a launch type',
      spot,
      undefined,
      { capacityProviderStrategy: spot.capacityProviderStrategy },
    ],
  ])('%s', (_what, base, targetGroupArn, expected) => {
    const input = previewServiceInput(base, {
      cluster: 'c',
      names,
      taskDefinition: 'td',
      desiredCount: 2,
      ...(targetGroupArn ? { targetGroupArn } : {}),
    });
    expect(input).toMatchObject(expected);
    expect(input.loadBalancers).toBeUndefined();
    expect(input.healthCheckGracePeriodSeconds).toBeUndefined();
    expect(input.serviceRegistries).toBeUndefined();
    expect(input.desiredCount).toBe(2);
    if ('capacityProviderStrategy' in expected) expect(input.launchType).toBeUndefined();
  });
});

describe('previewTargetGroupInput', () => {
  it('copies protocol, port, VPC, target type and health check, under the preview name', () => {
    const base: TargetGroup = {
      TargetGroupArn: 'arn:tg/web',
      TargetGroupName: 'web',
      Protocol: 'HTTP',
      ProtocolVersion: 'HTTP1',
      Port: 8080,
      VpcId: 'vpc-1',
      TargetType: 'ip',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: '200-299' },
      LoadBalancerArns: ['arn:lb/app/preview/1'],
    };
    expect(previewTargetGroupInput(base, names)).toEqual({
      Name: 'web-pr-42',
      Protocol: 'HTTP',
      ProtocolVersion: 'HTTP1',
      Port: 8080,
      VpcId: 'vpc-1',
      TargetType: 'ip',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: '200-299' },
      Tags: [{ Key: 'ecr-deploy:preview', Value: 'pr-42' }],
    });
  });
});

describe('hostHeaderCondition', () => {
  it('matches the preview host only', () => {
    expect(hostHeaderCondition('pr-42.preview.example.com')).toEqual([
      { Field: 'host-header', HostHeaderConfig: { Values: ['pr-42.preview.example.com'] } },
    ]);
  });
});
