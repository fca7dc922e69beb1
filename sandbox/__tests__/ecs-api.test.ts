import { describe, expect, it } from 'vitest';
import {
  ClientException,
  ClusterNotFoundException,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  ServiceNotFoundException,
  TagResourceCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { control, uniqueName } from './helpers.ts';
import { NETWORK, ecsClient, image, newCluster, registerWeb } from './ecs-helpers.ts';

const ecs = ecsClient();

describe('ECS task definitions', () => {
  it('registers revisions with the defaults ECS fills in and describes them with tags', async () => {
    const family = uniqueName('td');
    const first = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        containerDefinitions: [{ name: 'web', image: image(), portMappings: [{ containerPort: 80 }] }],
        tags: [{ key: 'team', value: 'a' }],
      }),
    );
    const td = first.taskDefinition!;
    expect(td.revision).toBe(1);
    expect(td.taskDefinitionArn).toBe(`arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:1`);
    expect(td.status).toBe('ACTIVE');
    expect(td.compatibilities).toEqual(['EC2', 'FARGATE']);
    const c = td.containerDefinitions![0]!;
    expect(c.essential).toBe(true);
    expect(c.cpu).toBe(0);
    expect(c.environment).toEqual([]);
    expect(c.mountPoints).toEqual([]);
    expect(c.portMappings).toEqual([{ containerPort: 80, hostPort: 80, protocol: 'tcp' }]);
    expect(td.registeredAt).toBeInstanceOf(Date);

    const described = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }),
    );
    expect(described.tags).toEqual([{ key: 'team', value: 'a' }]);
    expect(described.taskDefinition!.taskDefinitionArn).toBe(td.taskDefinitionArn);

    // The describe output fed back to register, minus the read-only fields, is a valid new revision.
    const {
      taskDefinitionArn: _a,
      revision: _r,
      status: _s,
      requiresAttributes: _q,
      compatibilities: _c,
      registeredAt: _t,
      registeredBy: _b,
      ...again
    } = described.taskDefinition!;
    const second = await ecs.send(
      new RegisterTaskDefinitionCommand(again as RegisterTaskDefinitionCommandInput),
    );
    expect(second.taskDefinition!.revision).toBe(2);
    expect(second.taskDefinition!.containerDefinitions).toEqual(td.containerDefinitions);

    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `${family}:1` }));
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family }));
    expect(listed.taskDefinitionArns).toEqual([second.taskDefinition!.taskDefinitionArn]);
    const inactive = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${family}:1` }));
    expect(inactive.taskDefinition!.status).toBe('INACTIVE');
  });

  it('rejects invalid task definitions with ClientException worded as ECS', async () => {
    await expect(
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'x', containerDefinitions: [] })),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Container list cannot be empty.',
    });
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'x',
          containerDefinitions: [{ name: 'a', image: image() }],
        }),
      ),
    ).rejects.toMatchObject({
      message:
        "Invalid setting for container 'a'. At least one of 'memory' or 'memoryReservation' must be specified.",
    });
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'x',
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'bridge',
          cpu: '256',
          memory: '512',
          containerDefinitions: [{ name: 'a', image: image() }],
        }),
      ),
    ).rejects.toBeInstanceOf(ClientException);
    await expect(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'does-not-exist:9' })),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    });
  });
});

describe('ECS clusters and services: errors and tags', () => {
  it('reports missing clusters and services with the ECS error types', async () => {
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'no-such-cluster', services: ['x'] })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
    const missing = await ecs.send(new DescribeClustersCommand({ clusters: ['no-such-cluster'] }));
    expect(missing.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/no-such-cluster', reason: 'MISSING' },
    ]);
    const cluster = await newCluster(ecs);
    const none = await ecs.send(new DescribeServicesCommand({ cluster, services: ['ghost'] }));
    expect(none.services).toEqual([]);
    expect(none.failures![0]!.reason).toBe('MISSING');
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster, service: 'ghost', desiredCount: 1 })),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
  });

  it('validates CreateService/UpdateService like ECS (network configuration, inactive task definition, idempotency)', async () => {
    const cluster = await newCluster(ecs);
    const family = uniqueName('svc-td');
    const td = await registerWeb(ecs, family);
    await expect(
      ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: 'web',
          taskDefinition: td,
          desiredCount: 1,
          launchType: 'FARGATE',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: td,
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    await expect(
      ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: 'web',
          taskDefinition: td,
          desiredCount: 0,
          launchType: 'FARGATE',
          networkConfiguration: NETWORK,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const td2 = await registerWeb(ecs, family);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: td2 }));
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: td2 })),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: 'TaskDefinition is inactive',
    });
    // desiredCount is a 32-bit Integer in ECS's model: beyond it the service is not changed.
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster, service: 'web', desiredCount: 3_000_000_000 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const [svc] =
      (await ecs.send(new DescribeServicesCommand({ cluster, services: ['web'] }))).services ?? [];
    expect(svc?.desiredCount).toBe(0);
  });

  it('tags services and task definitions', async () => {
    const cluster = await newCluster(ecs);
    const td = await registerWeb(ecs, uniqueName('tag-td'));
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'tagged',
        taskDefinition: td,
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        tags: [{ key: 'a', value: '1' }],
      }),
    );
    const arn = created.service!.serviceArn!;
    expect(arn).toMatch(new RegExp(`^arn:aws:ecs:us-east-1:123456789012:service/${cluster}/tagged$`));
    await ecs.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: [
          { key: 'b', value: '2' },
          { key: 'a', value: '3' },
        ],
      }),
    );
    const tags = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags.tags).toEqual([
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
    ]);
    await ecs.send(new TagResourceCommand({ resourceArn: td, tags: [{ key: 'c', value: '4' }] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: td }))).tags).toEqual([
      { key: 'c', value: '4' },
    ]);
  });

  it('is SigV4-checked and throttles when the control interface says so', async () => {
    const wrong = ecsClient({
      credentials: { accessKeyId: 'AKIAWRONGWRONGWRONG1', secretAccessKey: 'x'.repeat(40) },
    });
    await expect(wrong.send(new DescribeClustersCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    await control().addFaults({ service: 'ecs', operation: 'DescribeClusters', kind: 'throttle', count: 1 });
    await expect(ecs.send(new DescribeClustersCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    await expect(ecs.send(new DescribeClustersCommand({}))).resolves.toBeDefined();
  });
});
