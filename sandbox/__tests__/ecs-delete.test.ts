import { describe, expect, it } from 'vitest';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  InvalidParameterException,
  ListTasksCommand,
  ServiceNotActiveException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { uniqueName } from './helpers.ts';
import {
  NETWORK,
  describeService,
  ecsClient,
  newCluster,
  registerWeb,
  waitFor,
  waitRollout,
} from './ecs-helpers.ts';

const ecs = ecsClient();

describe('ECS DeleteService', () => {
  it('refuses while scaled above 0, then drains (DRAINING) until its tasks stopped, then INACTIVE', async () => {
    const cluster = await newCluster(ecs);
    const td = await registerWeb(ecs, uniqueName('del'));
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: td,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    const id = created.service!.deployments![0]!.id!;
    await waitRollout(ecs, cluster, 'web', id, 'COMPLETED');

    await expect(ecs.send(new DeleteServiceCommand({ cluster, service: 'web' }))).rejects.toThrow(
      InvalidParameterException,
    );
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', desiredCount: 0 }));
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster, service: 'web', force: true }));
    expect(deleted.service?.status).toBe('DRAINING');
    expect((await describeService(ecs, cluster, 'web')).status).toMatch(/^(DRAINING|INACTIVE)$/);
    await expect(ecs.send(new DeleteServiceCommand({ cluster, service: 'web' }))).rejects.toThrow(
      ServiceNotActiveException,
    );
    const inactive = await waitFor('the service to become INACTIVE', async () => {
      const svc = await describeService(ecs, cluster, 'web');
      return svc.status === 'INACTIVE' ? svc : undefined;
    });
    expect(inactive.serviceName).toBe('web');
    const running = await ecs.send(
      new ListTasksCommand({ cluster, serviceName: 'web', desiredStatus: 'RUNNING' }),
    );
    expect(running.taskArns).toEqual([]);
    // The name can be used again once INACTIVE.
    const again = await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: td,
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    expect(again.service?.status).toBe('ACTIVE');
  });
});
