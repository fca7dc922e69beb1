// Helpers of the ECS sandbox tests: an ECS client pointed at the sandbox through the standard environment
// variables, task definitions over the seeded busybox image and a poller.
import {
  CreateClusterCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { uniqueName } from './helpers.ts';
import { EcsSandboxControl } from '../aws/ecs/control-client.ts';

export function ecsClient(overrides: ConstructorParameters<typeof ECSClient>[0] = {}): ECSClient {
  return new ECSClient({ maxAttempts: 1, ...overrides });
}

export const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0sandbox'], assignPublicIp: 'ENABLED' as const },
};

export function image(ref = 'busybox:latest'): string {
  const host = process.env.SANDBOX_REGISTRY_HOST;
  if (!host) throw new Error('SANDBOX_REGISTRY_HOST is not set');
  return `${host}/${ref}`;
}

export async function newCluster(ecs: ECSClient): Promise<string> {
  const name = uniqueName('cluster');
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  return name;
}

export async function registerWeb(
  ecs: ECSClient,
  family: string,
  container: Partial<ContainerDefinition> = {},
  runtime: 'real' | 'simulated' = 'simulated',
): Promise<string> {
  // Simulated unless asked: the API and scheduler tests need no real processes and stay fast on 2 cores; the
  // real-container runtime (the sandbox's default) has tests of its own (ecs-containers.test.ts, one e2e).
  await new EcsSandboxControl().setRuntime(runtime, family);
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'web',
          image: image(),
          // A page to serve: with real containers the health check really fetches it (404 would fail it).
          command: [
            'sh',
            '-c',
            'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www',
          ],
          portMappings: [{ containerPort: 8080 }],
          healthCheck: {
            command: ['CMD-SHELL', 'wget -q -O- http://127.0.0.1:8080/ || exit 1'],
            interval: 5,
            retries: 2,
          },
          ...container,
        },
      ],
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function describeService(ecs: ECSClient, cluster: string, service: string): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return out.services![0]!;
}

export async function describeTasks(ecs: ECSClient, cluster: string, tasks: string[]): Promise<Task[]> {
  if (tasks.length === 0) return [];
  const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks }));
  return out.tasks ?? [];
}

/** Waits until the deployment with this id reaches the rollout state. */
export async function waitRollout(
  ecs: ECSClient,
  cluster: string,
  service: string,
  deploymentId: string,
  state: 'COMPLETED' | 'FAILED',
): Promise<Service> {
  return waitFor(`${deploymentId} ${state}`, async () => {
    const svc = await describeService(ecs, cluster, service);
    return svc.deployments?.some((d) => d.id === deploymentId && d.rolloutState === state) ? svc : undefined;
  });
}
