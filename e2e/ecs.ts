// ECS fixtures for the end-to-end tests: clusters and services in the sandbox ECS, created with the real SDK.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type Service,
} from '@aws-sdk/client-ecs';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';

export function ecs(): ECSClient {
  return new ECSClient({ region: process.env.AWS_REGION, maxAttempts: 1 });
}

export const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0sandbox'], assignPublicIp: 'ENABLED' as const },
};

export async function describeService(cluster: string, service: string): Promise<Service> {
  const out = await ecs().send(new DescribeServicesCommand({ cluster, services: [service] }));
  return out.services![0]!;
}

export async function revisions(family: string): Promise<string[]> {
  const out = await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: family }));
  return (out.taskDefinitionArns ?? []).filter((a) => a.includes(`/${family}:`));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface EcsFixture {
  readonly cluster: string;
  readonly service: string;
  readonly family: string;
  readonly taskDefinitionArn: string;
}

/**
 * A cluster with one Fargate service running `image` in container `app` (plus extra containers), with the
 * circuit breaker on, settled on its first deployment.
 */
export async function ecsService(
  name: string,
  image: string,
  options: {
    extraContainers?: ContainerDefinition[];
    desiredCount?: number;
    controller?: 'ECS' | 'CODE_DEPLOY';
    /** The deployment circuit breaker with rollback (default on). */
    circuitBreaker?: boolean;
    /** Tasks as real containers (the sandbox's default) or simulated (default here: fast on 2 cores). */
    runtime?: 'real' | 'simulated';
  } = {},
): Promise<EcsFixture> {
  const client = ecs();
  const cluster = `${name}-cluster`;
  await client.send(new CreateClusterCommand({ clusterName: cluster }));
  const family = `${name}-app`;
  await new EcsSandboxControl().setRuntime(options.runtime ?? 'simulated', family);
  const td = await client.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'app', image, portMappings: [{ containerPort: 8080 }], essential: true },
        ...(options.extraContainers ?? []),
      ],
    }),
  );
  const taskDefinitionArn = td.taskDefinition!.taskDefinitionArn!;
  await client.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'web',
      taskDefinition: taskDefinitionArn,
      desiredCount: options.desiredCount ?? 2,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      deploymentController: { type: options.controller ?? 'ECS' },
      deploymentConfiguration: {
        minimumHealthyPercent: 50,
        maximumPercent: 200,
        deploymentCircuitBreaker: {
          enable: options.circuitBreaker ?? true,
          rollback: options.circuitBreaker ?? true,
        },
      },
    }),
  );
  if ((options.controller ?? 'ECS') === 'ECS') {
    await until('the first deployment to complete', async () => {
      const svc = await describeService(cluster, 'web');
      const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
      return primary?.rolloutState === 'COMPLETED' && svc.deployments?.length === 1 ? svc : undefined;
    });
  }
  return { cluster, service: 'web', family, taskDefinitionArn };
}
