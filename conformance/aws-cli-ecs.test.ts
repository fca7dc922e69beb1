// The sandbox's ECS and EKS judged by the real AWS CLI v1: every ECS/EKS operation the action calls, the errors
// it relies on, and the CLI's own `aws ecs wait services-stable` waiter, driven only through `aws`. botocore
// parses each answer with AWS's service models and `modelViolations()` checks it member by member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';
import { SandboxControl } from '../sandbox/control-client.ts';
import { control as eksControl } from '../sandbox/__tests__/eks-helpers.ts';
import { aws, modelViolations, type CliOptions, type CliResult } from './aws-cli.ts';
import { awsCli } from './judges.ts';

const cli = awsCli();
let counter = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

function run(service: string, args: string[], options?: CliOptions): Promise<CliResult> {
  return aws(cli ?? 'aws', service, args, options);
}

async function ok<T = Record<string, unknown>>(
  service: string,
  operation: string,
  args: string[],
): Promise<T> {
  const r = await run(service, args);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(await modelViolations(service, operation, r.json ?? {})).toEqual([]);
  return (r.json ?? {}) as T;
}

async function fails(service: string, args: string[]): Promise<CliResult> {
  const r = await run(service, args);
  expect(r.exitCode, r.stdout).not.toBe(0);
  return r;
}

interface Deployment {
  id: string;
  status: string;
  rolloutState?: string;
  taskDefinition: string;
}
interface Service {
  serviceArn: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  taskDefinition: string;
  deployments: Deployment[];
}

async function describeService(cluster: string, service: string): Promise<Service> {
  const out = await ok<{ services: Service[] }>('ecs', 'DescribeServices', [
    'describe-services',
    '--cluster',
    cluster,
    '--services',
    service,
  ]);
  const found = out.services[0];
  if (!found) throw new Error(`service ${service} not described`);
  return found;
}

/** Polls with the CLI until the service has one COMPLETED deployment (the sandbox runs at time scale 0.02). */
async function settled(cluster: string, service: string): Promise<Service> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const svc = await describeService(cluster, service);
    const [only, ...rest] = svc.deployments;
    if (only?.rolloutState === 'COMPLETED' && rest.length === 0) return svc;
    if (Date.now() > deadline)
      throw new Error(`${service} did not settle: ${JSON.stringify(svc.deployments)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const json = (v: unknown): string => JSON.stringify(v);

describe.skipIf(!cli)('the AWS CLI judges the sandbox: ECS and EKS', () => {
  const cluster = unique('cli-ecs');
  const family = unique('cli-app');
  let image = '';
  let firstRevision = '';

  beforeAll(async () => {
    image = `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;
    await new EcsSandboxControl().setTimeScale(0.02);
    await new EcsSandboxControl().setRuntime('simulated', family);
    await ok('ecs', 'CreateCluster', ['create-cluster', '--cluster-name', cluster]);
  });
  afterAll(async () => {
    await new SandboxControl().clearFaults();
    await new EcsSandboxControl().setTimeScale(0.02);
  });

  /** RegisterTaskDefinition through the CLI (a Fargate family, container `app` sleeping). */
  async function register(tag: string): Promise<string> {
    const out = await ok<{ taskDefinition: { taskDefinitionArn: string; revision: number; status: string } }>(
      'ecs',
      'RegisterTaskDefinition',
      [
        'register-task-definition',
        '--family',
        family,
        '--requires-compatibilities',
        'FARGATE',
        '--network-mode',
        'awsvpc',
        '--cpu',
        '256',
        '--memory',
        '512',
        '--container-definitions',
        json([
          {
            name: 'app',
            image,
            essential: true,
            command: ['sleep', '3600'],
            environment: [{ name: 'V', value: tag }],
          },
        ]),
        '--tags',
        json([{ key: 'release', value: tag }]),
      ],
    );
    expect(out.taskDefinition.status).toBe('ACTIVE');
    expect(out.taskDefinition.taskDefinitionArn).toMatch(
      new RegExp(`^arn:aws:ecs:[a-z0-9-]+:\\d{12}:task-definition/${family}:${out.taskDefinition.revision}$`),
    );
    return out.taskDefinition.taskDefinitionArn;
  }

  it('RegisterTaskDefinition and DescribeTaskDefinition (with tags) conform; a bad one is a ClientException', async () => {
    firstRevision = await register('v1');
    const described = await ok<{
      taskDefinition: { taskDefinitionArn: string; containerDefinitions: { name: string; image: string }[] };
      tags: { key: string; value: string }[];
    }>('ecs', 'DescribeTaskDefinition', [
      'describe-task-definition',
      '--task-definition',
      firstRevision,
      '--include',
      'TAGS',
    ]);
    expect(described.taskDefinition.taskDefinitionArn).toBe(firstRevision);
    expect(described.taskDefinition.containerDefinitions[0]?.image).toBe(image);
    expect(described.tags).toEqual([{ key: 'release', value: 'v1' }]);

    const missing = await fails('ecs', ['describe-task-definition', '--task-definition', `${family}-none:1`]);
    expect(missing.errorCode).toBe('ClientException');
    const noContainers = await fails('ecs', [
      'register-task-definition',
      '--family',
      family,
      '--container-definitions',
      '[]',
    ]);
    expect(noContainers.errorCode).toBe('ClientException');
  });

  it('secrets, dockerLabels, logConfiguration and command register and describe as botocore models them; a bad log driver or a secret named like a variable is refused', async () => {
    const renderFamily = unique('cli-render');
    const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
    const container = (over: Record<string, unknown>) =>
      json([
        {
          name: 'app',
          image,
          memory: 128,
          environment: [{ name: 'MODE', value: 'x' }],
          secrets: [{ name: 'DB', valueFrom: secret }],
          dockerLabels: { 'com.example.team': 'payments' },
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1' },
          },
          command: ['sh', '-c', 'sleep 3600'],
          ...over,
        },
      ]);
    const registerArgs = (over: Record<string, unknown>) => [
      'register-task-definition',
      '--family',
      renderFamily,
      '--container-definitions',
      container(over),
    ];
    const out = await ok<{ taskDefinition: { taskDefinitionArn: string } }>(
      'ecs',
      'RegisterTaskDefinition',
      registerArgs({}),
    );
    const described = await ok<{ taskDefinition: { containerDefinitions: Record<string, unknown>[] } }>(
      'ecs',
      'DescribeTaskDefinition',
      ['describe-task-definition', '--task-definition', out.taskDefinition.taskDefinitionArn],
    );
    expect(described.taskDefinition.containerDefinitions[0]).toMatchObject({
      secrets: [{ name: 'DB', valueFrom: secret }],
      dockerLabels: { 'com.example.team': 'payments' },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
      command: ['sh', '-c', 'sleep 3600'],
    });

    // botocore does not check enums: the server must.
    const badDriver = await fails('ecs', registerArgs({ logConfiguration: { logDriver: 'cloudwatch' } }));
    expect(badDriver.errorCode).toBe('InvalidParameterException');
    expect(badDriver.stderr).toMatch(/logConfiguration\.logDriver.*enum value set/);
    const shared = await fails('ecs', registerArgs({ secrets: [{ name: 'MODE', valueFrom: secret }] }));
    expect(shared.errorCode).toBe('ClientException');
    expect(shared.stderr).toMatch(/secret name must be unique/);
  });

  it('CreateService, DescribeServices and `aws ecs wait services-stable` agree on a settled service', async () => {
    await ok('ecs', 'CreateService', [
      'create-service',
      '--cluster',
      cluster,
      '--service-name',
      'web',
      '--task-definition',
      firstRevision,
      '--desired-count',
      '2',
      '--launch-type',
      'FARGATE',
      '--network-configuration',
      json({ awsvpcConfiguration: { subnets: ['subnet-0sandbox'], assignPublicIp: 'ENABLED' } }),
      '--deployment-configuration',
      json({
        deploymentCircuitBreaker: { enable: true, rollback: true },
        minimumHealthyPercent: 50,
        maximumPercent: 200,
      }),
    ]);
    const svc = await settled(cluster, 'web');
    expect(svc.runningCount).toBe(2);
    // The waiter's success acceptor: one deployment and runningCount == desiredCount (first poll, no sleep).
    const waited = await run('ecs', ['wait', 'services-stable', '--cluster', cluster, '--services', 'web']);
    expect(waited.exitCode, waited.stderr).toBe(0);
  });

  it('the waiter fails at once on a missing service (failures[].reason MISSING), as against AWS', async () => {
    const out = await ok<{ services: unknown[]; failures: { arn: string; reason: string }[] }>(
      'ecs',
      'DescribeServices',
      ['describe-services', '--cluster', cluster, '--services', 'nothing-here'],
    );
    expect(out.services).toEqual([]);
    expect(out.failures[0]?.reason).toBe('MISSING');
    const waited = await run('ecs', [
      'wait',
      'services-stable',
      '--cluster',
      cluster,
      '--services',
      'nothing-here',
    ]);
    expect(waited.exitCode).not.toBe(0);
    expect(waited.stderr).toMatch(
      /Waiter ServicesStable failed: Waiter encountered a terminal failure state/,
    );
  });

  it(
    'UpdateService starts a deployment ListServiceDeployments lists; the waiter sees it through',
    { timeout: 300_000 },
    async () => {
      const second = await register('v2');
      // Fargate-like timings (a rollout of ~40 s): the waiter's first poll sees two deployments, however slow
      // the CLI calls before it are on a busy machine, and it has to poll again (15 s apart).
      await new EcsSandboxControl().setTimeScale(1);
      const updated = await ok<{ service: Service }>('ecs', 'UpdateService', [
        'update-service',
        '--cluster',
        cluster,
        '--service',
        'web',
        '--task-definition',
        second,
      ]);
      const primary = updated.service.deployments.find((d) => d.status === 'PRIMARY');
      expect(primary?.taskDefinition).toBe(second);
      expect(primary?.rolloutState).toBe('IN_PROGRESS');

      const listed = await ok<{
        serviceDeployments: {
          serviceDeploymentArn: string;
          status: string;
          targetServiceRevisionArn: string;
        }[];
      }>('ecs', 'ListServiceDeployments', [
        'list-service-deployments',
        '--cluster',
        cluster,
        '--service',
        'web',
      ]);
      expect(listed.serviceDeployments.length).toBeGreaterThanOrEqual(2);
      for (const d of listed.serviceDeployments) {
        expect(d.serviceDeploymentArn).toMatch(/^arn:aws:ecs:[a-z0-9-]+:\d{12}:service-deployment\//);
      }

      // botocore's waiter: DescribeServices until one deployment and running == desired, 15 s between polls.
      const during = await describeService(cluster, 'web');
      expect(during.deployments.length).toBe(2);
      const waited = await run(
        'ecs',
        ['wait', 'services-stable', '--cluster', cluster, '--services', 'web'],
        {
          timeoutMs: 240_000,
        },
      );
      await new EcsSandboxControl().setTimeScale(0.02);
      expect(waited.exitCode, waited.stderr).toBe(0);
      const after = await describeService(cluster, 'web');
      expect(after.deployments).toHaveLength(1);
      expect(after.deployments[0]?.taskDefinition).toBe(second);
      expect(after.deployments[0]?.rolloutState).toBe('COMPLETED');
    },
  );

  it('ListTasks, DescribeTasks, RunTask and StopTask conform; StopTask records the reason', async () => {
    const listed = await ok<{ taskArns: string[] }>('ecs', 'ListTasks', [
      'list-tasks',
      '--cluster',
      cluster,
      '--service-name',
      'web',
      '--desired-status',
      'RUNNING',
    ]);
    expect(listed.taskArns.length).toBe(2);
    const described = await ok<{
      tasks: { taskArn: string; lastStatus: string; containers: { name: string }[] }[];
    }>('ecs', 'DescribeTasks', ['describe-tasks', '--cluster', cluster, '--tasks', ...listed.taskArns]);
    expect(described.tasks.map((t) => t.lastStatus)).toEqual(['RUNNING', 'RUNNING']);

    const ran = await ok<{ tasks: { taskArn: string }[]; failures: unknown[] }>('ecs', 'RunTask', [
      'run-task',
      '--cluster',
      cluster,
      '--task-definition',
      firstRevision,
      '--launch-type',
      'FARGATE',
      '--network-configuration',
      json({ awsvpcConfiguration: { subnets: ['subnet-0sandbox'] } }),
    ]);
    const task = ran.tasks[0]?.taskArn ?? '';
    expect(task).toMatch(new RegExp(`^arn:aws:ecs:[a-z0-9-]+:\\d{12}:task/${cluster}/[0-9a-f]{32}$`));
    const stopped = await ok<{ task: { taskArn: string; desiredStatus: string; stoppedReason: string } }>(
      'ecs',
      'StopTask',
      ['stop-task', '--cluster', cluster, '--task', task, '--reason', 'conformance check'],
    );
    expect(stopped.task.taskArn).toBe(task);
    expect(stopped.task.desiredStatus).toBe('STOPPED');
    expect(stopped.task.stoppedReason).toBe('conformance check');
  });

  it('errors the action relies on: ClusterNotFoundException, ServiceNotFoundException, throttling', async () => {
    const noCluster = await fails('ecs', [
      'update-service',
      '--cluster',
      unique('gone'),
      '--service',
      'web',
      '--force-new-deployment',
    ]);
    expect(noCluster.errorCode).toBe('ClusterNotFoundException');
    const noService = await fails('ecs', [
      'update-service',
      '--cluster',
      cluster,
      '--service',
      'absent',
      '--force-new-deployment',
    ]);
    expect(noService.errorCode).toBe('ServiceNotFoundException');
    await new SandboxControl().addFaults({
      service: 'ecs',
      operation: 'DescribeServices',
      kind: 'throttle',
      count: 1,
    });
    const throttled = await fails('ecs', ['describe-services', '--cluster', cluster, '--services', 'web']);
    expect(throttled.errorCode).toBe('ThrottlingException');
  });

  it('EKS DescribeCluster conforms (endpoint, CA, ACTIVE); a missing cluster is ResourceNotFoundException', async () => {
    const name = unique('cli-eks').slice(0, 60);
    await eksControl().createCluster(name, 0.05, 'simulated');
    const out = await ok<{
      cluster: { name: string; status: string; endpoint: string; certificateAuthority: { data: string } };
    }>('eks', 'DescribeCluster', ['describe-cluster', '--name', name]);
    expect(out.cluster.name).toBe(name);
    expect(out.cluster.status).toBe('ACTIVE');
    expect(out.cluster.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+/);
    expect(Buffer.from(out.cluster.certificateAuthority.data, 'base64').toString('utf8')).toMatch(
      /^-----BEGIN CERTIFICATE-----/,
    );
    const missing = await fails('eks', ['describe-cluster', '--name', unique('none')]);
    expect(missing.errorCode).toBe('ResourceNotFoundException');
  });
});
