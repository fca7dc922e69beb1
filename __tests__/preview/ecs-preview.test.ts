import { describe, expect, it } from 'vitest';
import { runTarget } from '../../src/deploy/driver.ts';
import type { EcsTargetInputs } from '../../src/deploy/types.ts';
import {
  PreviewLeftoversError,
  prepareEcsPreview,
  teardownEcsPreview,
} from '../../src/preview/ecs-preview.ts';
import type { PreviewInputs } from '../../src/preview/types.ts';
import { FakeClock } from '../fakes/clock.ts';
import { RecordingLog } from '../fakes/log.ts';
import { FakeAws, sdkError } from './fake-aws.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/repo';
const IMAGE = { imageRef: `${REPO}@sha256:${'a'.repeat(64)}`, repositoryUri: REPO };
const target: EcsTargetInputs = {
  kind: 'ecs',
  cluster: 'preview',
  services: ['web'],
  taskDefinitionFiles: new Map(),
  containers: [{ name: 'app', image: undefined }],
  environment: [],
  forceNewDeployment: false,
  desiredCount: undefined,
  preDeployCommand: undefined,
};
const deployOptions = {
  wait: true,
  timeoutMs: 60_000,
  failFastAfter: 2,
  rollbackOnFailure: true,
  dryRun: false,
};

function setup(withListener = true) {
  const aws = new FakeAws();
  const preview: PreviewInputs = {
    urlTemplate: withListener ? 'https://pr-{number}.preview.example.com' : undefined,
    listenerArn: withListener ? aws.listenerArn : undefined,
    desiredCount: 1,
    allowForks: false,
    githubToken: undefined,
  };
  const clock = new FakeClock();
  const log = new RecordingLog();
  const options = {
    ecs: aws.ecs,
    elb: withListener ? aws.elb : undefined,
    target,
    preview,
    pr: 42,
    region: 'eu-west-1',
    clock,
    log,
    repositoryUri: REPO,
    pollIntervalMs: 10,
  };
  const deploy = async () =>
    runTarget(await prepareEcsPreview(options), IMAGE, { deploy: deployOptions, clock, log });
  const teardown = () => teardownEcsPreview({ ...options, deleteTimeoutMs: 60_000, pollMs: 10 });
  return { aws, deploy, teardown, log };
}

describe('an ECS preview, created and updated through the driver', () => {
  it('creates target group, rule, family and service on the first run, and the rollout completes', async () => {
    const { aws, deploy } = setup();
    const [result] = await deploy();
    expect(result).toMatchObject({
      name: 'preview/web-pr-42',
      status: 'completed',
      taskDefinitionArn: expect.stringContaining('task-definition/web-pr-42:1'),
    });
    expect(aws.writes()).toEqual([
      'CreateTargetGroup',
      'CreateRule',
      'RegisterTaskDefinition',
      'CreateService',
    ]);
    const rule = aws.calls.find((c) => c.op === 'CreateRule')!.input;
    // 10042 is taken by a rule of the base: the next free one.
    expect(rule.Priority).toBe(10_043);
    expect(rule.Conditions).toEqual([
      { Field: 'host-header', HostHeaderConfig: { Values: ['pr-42.preview.example.com'] } },
    ]);
    const created = aws.calls.find((c) => c.op === 'CreateService')!.input;
    expect(created).toMatchObject({
      serviceName: 'web-pr-42',
      desiredCount: 1,
      launchType: 'FARGATE',
      loadBalancers: [{ targetGroupArn: 'arn:tg/web-pr-42', containerName: 'app', containerPort: 8080 }],
    });
    const registered = aws.calls.find((c) => c.op === 'RegisterTaskDefinition')!.input;
    expect(registered.family).toBe('web-pr-42');
    expect(registered.containerDefinitions[0].image).toBe(IMAGE.imageRef);
    // The base is never written to.
    expect(aws.calls.filter((c) => c.input.service === 'web' || c.input.serviceName === 'web')).toEqual([]);
    expect(aws.services.get('web')?.taskDefinition).toBe(
      'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1',
    );
  });

  it('updates the same service on the next push, reusing its target group and rule', async () => {
    const { aws, deploy } = setup();
    await deploy();
    aws.calls.length = 0;
    const [unchanged] = await deploy();
    expect(unchanged?.status).toBe('unchanged');
    expect(aws.writes()).toEqual([]);
    const [result] = await runAgainWithImage(aws, 'b');
    expect(result).toMatchObject({
      status: 'completed',
      taskDefinitionArn: expect.stringContaining('web-pr-42:2'),
    });
    expect(aws.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(aws.calls.find((c) => c.op === 'UpdateService')!.input).toMatchObject({
      service: 'web-pr-42',
      desiredCount: 1,
    });
  });

  it('without a listener, creates no load balancer pieces', async () => {
    const { aws, deploy } = setup(false);
    const [result] = await deploy();
    expect(result?.status).toBe('completed');
    expect(aws.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
    expect(aws.calls.find((c) => c.op === 'CreateService')!.input.loadBalancers).toBeUndefined();
  });

  it('takes the next priority when another writer takes the chosen one between read and write', async () => {
    const { aws, deploy } = setup();
    aws.fail('CreateRule', sdkError('PriorityInUseException', 'Priority in use'), true);
    const [result] = await deploy();
    expect(result?.status).toBe('completed');
    expect(aws.ops().filter((op) => op === 'CreateRule')).toHaveLength(2);
  });

  it.each([
    ['CreateTargetGroup', [], ['CreateTargetGroup']],
    ['CreateRule', ['DeleteTargetGroup'], ['CreateTargetGroup', 'CreateRule', 'DeleteTargetGroup']],
    [
      'RegisterTaskDefinition',
      ['DeleteRule', 'DeleteTargetGroup'],
      ['CreateTargetGroup', 'CreateRule', 'RegisterTaskDefinition', 'DeleteRule', 'DeleteTargetGroup'],
    ],
    [
      'CreateService',
      ['DeregisterTaskDefinition', 'DeleteRule', 'DeleteTargetGroup'],
      [
        'CreateTargetGroup',
        'CreateRule',
        'RegisterTaskDefinition',
        'CreateService',
        'DeregisterTaskDefinition',
        'DeleteRule',
        'DeleteTargetGroup',
      ],
    ],
  ])('a failing %s leaves nothing half-made: it undoes %j', async (op, _undo, writes) => {
    const { aws, deploy } = setup();
    aws.fail(op, sdkError('AccessDeniedException', `not authorized to perform ${op}`));
    const [result] = await deploy();
    expect(result?.status).toBe('failed');
    expect(result?.reason).toContain(op);
    expect(aws.writes()).toEqual(writes);
    expect(aws.targetGroups.has('arn:tg/web-pr-42')).toBe(false);
    expect([...aws.rules.keys()].sort()).toEqual(['arn:rule/base', 'arn:rule/default']);
    expect([...aws.taskDefinitions.values()].filter((t) => t.family === 'web-pr-42' && t.active)).toEqual([]);
    expect(aws.services.has('web-pr-42')).toBe(false);
  });

  it('says exactly what is left when undoing fails too', async () => {
    const { aws, deploy } = setup();
    aws.fail('CreateService', sdkError('AccessDeniedException', 'denied CreateService'));
    aws.fail('DeleteTargetGroup', sdkError('AccessDeniedException', 'denied DeleteTargetGroup'));
    const [result] = await deploy();
    expect(result?.status).toBe('failed');
    expect(result?.reason).toMatch(
      /could not be removed again and are left: target group arn:tg\/web-pr-42 \(.*denied DeleteTargetGroup/,
    );
    expect(result?.reason).not.toMatch(/left:.*listener rule/);
    expect(new PreviewLeftoversError('x').name).toBe('PreviewLeftoversError');
  });

  it('refuses a base service that does not exist, before changing anything', async () => {
    const { aws } = setup();
    aws.services.delete('web');
    await expect(
      prepareEcsPreview({ ...setupOptions(aws), target: { ...target, services: ['web'] } }),
    ).rejects.toThrow(/Input "ecs-service": the base service "web"/);
    expect(aws.writes()).toEqual([]);
  });
});

describe('the teardown of an ECS preview', () => {
  it('removes service, rule, target group and revisions; a second teardown finds nothing and succeeds', async () => {
    const { aws, deploy, teardown } = setup();
    await deploy();
    await runAgainWithImage(aws, 'c');
    aws.drainPolls = 2;
    aws.calls.length = 0;
    const first = await teardown();
    expect(first.left).toEqual([]);
    expect(first.nothingFound).toBe(false);
    expect(first.lines).toEqual([
      'service web-pr-42: removed',
      'listener rule for web-pr-42: removed',
      'target group web-pr-42: removed',
      'task definition family web-pr-42: removed',
    ]);
    expect(aws.writes()).toEqual([
      'UpdateService',
      'DeleteService',
      'DeleteRule',
      'DeleteTargetGroup',
      'DeregisterTaskDefinition',
      'DeregisterTaskDefinition',
    ]);
    expect(aws.services.get('web-pr-42')?.status).toBe('INACTIVE');
    expect(aws.services.get('web')?.status).toBe('ACTIVE');
    expect(aws.targetGroups.has('arn:tg/web')).toBe(true);
    expect([...aws.rules.keys()].sort()).toEqual(['arn:rule/base', 'arn:rule/default']);

    aws.calls.length = 0;
    const second = await teardown();
    expect(second).toEqual({
      lines: [
        'service web-pr-42: already gone',
        'listener rule for web-pr-42: already gone',
        'target group web-pr-42: already gone',
        'task definition family web-pr-42: already gone',
      ],
      left: [],
      nothingFound: true,
    });
    expect(aws.writes()).toEqual([]);
  });

  it('in a dry run, says what it would remove and changes nothing', async () => {
    const { aws, deploy, teardown } = setup();
    await deploy();
    aws.calls.length = 0;
    const report = await teardownEcsPreview({ ...setupOptions(aws), deleteTimeoutMs: 1000, dryRun: true });
    expect(report.lines).toEqual([
      'dry run — would remove service web-pr-42',
      'dry run — would remove its listener rule and target group web-pr-42',
      'dry run — would deregister the revisions of web-pr-42',
    ]);
    expect(aws.writes()).toEqual([]);
    expect((await teardown()).lines[0]).toBe('service web-pr-42: removed');
  });

  it('goes on past a missing piece (the service deleted by hand)', async () => {
    const { aws, deploy, teardown } = setup();
    await deploy();
    aws.services.delete('web-pr-42');
    const report = await teardown();
    expect(report.left).toEqual([]);
    expect(report.lines).toEqual([
      'service web-pr-42: already gone',
      'listener rule for web-pr-42: removed',
      'target group web-pr-42: removed',
      'task definition family web-pr-42: removed',
    ]);
  });

  it.each([
    [
      'DeleteService',
      [
        'listener rule for web-pr-42: removed',
        'target group web-pr-42: removed',
        'task definition family web-pr-42: removed',
      ],
    ],
    [
      'DeleteRule',
      // The rule still uses the group: it cannot go either, and says why.
      ['service web-pr-42: removed', 'task definition family web-pr-42: removed'],
    ],
    [
      'DeregisterTaskDefinition',
      [
        'service web-pr-42: removed',
        'listener rule for web-pr-42: removed',
        'target group web-pr-42: removed',
      ],
    ],
  ])('reports a failing %s and still removes the other pieces', async (op, removed) => {
    const { aws, deploy, teardown } = setup();
    await deploy();
    aws.fail(op, sdkError('AccessDeniedException', `not authorized to perform ${op}`));
    const report = await teardown();
    expect(report.left.join('\n')).toContain(`not authorized to perform ${op}`);
    expect(report.nothingFound).toBe(false);
    for (const line of removed) expect(report.lines).toContain(line);
    if (op === 'DeleteRule')
      expect(report.left.join('\n')).toMatch(/target group web-pr-42: .*ResourceInUse/);
    expect(report.lines.filter((l) => l.includes('NOT removed'))).toHaveLength(op === 'DeleteRule' ? 2 : 1);
  });

  it('gives up waiting for the deletion after its budget and says ECS goes on', async () => {
    const { aws, deploy, teardown } = setup();
    await deploy();
    aws.drainPolls = Number.POSITIVE_INFINITY;
    const report = await teardown();
    expect(report.left.join('\n')).toMatch(
      /service web-pr-42: service web-pr-42 is still DRAINING 1 min 0 s after DeleteService/,
    );
  });
});

function setupOptions(aws: FakeAws) {
  return {
    ecs: aws.ecs,
    elb: aws.elb,
    target,
    preview: {
      urlTemplate: 'https://pr-{number}.x.example.com',
      listenerArn: aws.listenerArn,
      desiredCount: 1,
      allowForks: false,
      githubToken: undefined,
    },
    pr: 42,
    region: 'eu-west-1',
    clock: new FakeClock(),
    log: new RecordingLog(),
    repositoryUri: REPO,
    pollIntervalMs: 10,
  };
}

async function runAgainWithImage(aws: FakeAws, digestChar: string) {
  const options = setupOptions(aws);
  const port = await prepareEcsPreview({
    ...options,
    preview: { ...options.preview, urlTemplate: 'https://pr-{number}.preview.example.com' },
  });
  aws.calls.length = 0;
  return runTarget(
    port,
    { ...IMAGE, imageRef: `${REPO}@sha256:${digestChar.repeat(64)}` },
    { deploy: deployOptions, clock: options.clock, log: options.log },
  );
}
