import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateServiceCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { SandboxControl } from '../sandbox/control-client.ts';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';
import { registryTags } from './registry.ts';
import { NETWORK, describeService, ecs, ecsService, revisions } from './ecs.ts';

const control = () => new SandboxControl();
let host: string;
let repository: string;
let digest: string;
let v1: string;

/** Runs the action deploying the already-pushed image by digest (no build) to the fixture's service. */
function deploy(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({
    inputs: { image: `${host}/${repository}@${digest}`, 'ecs-service': 'web', timeout: '2m', ...inputs },
    event: branchPush('main', sha(0x200)),
    workspace: workspace(),
    env: { ...sandbox(), ...env },
  });
}

/** Resolves once the sandbox has answered an ECS call of `operation` (calls cleared before). */
async function untilCalled(operation: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await control().calls({ service: 'ecs', operation })).some((c) => c.status === 200)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${operation} within 60 s`);
}

beforeAll(async () => {
  host = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('ecs-app');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x1ff)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  digest = built.outputs['image-digest']!;
  v1 = `${host}/${repository}:v1`;
});

afterEach(async () => {
  await control().clearFaults();
  await new EcsSandboxControl().setTimeScale(0.02);
});

describe('ECS deploy, end to end through dist/ against the sandbox', { timeout: E2E_TEST_MS }, () => {
  it('rolls the live service out to the image by digest and reports our deployment', async () => {
    const f = await ecsService(`happy-${Date.now().toString(36)}`, v1);
    const run = await deploy({ 'ecs-cluster': f.cluster }, { GITHUB_ACTION: 'deploy-web' });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    expect(run.outputs['rolled-back']).toBe('false');
    expect(run.outputs['previous-task-definition-arn']).toBe(f.taskDefinitionArn);
    const svc = await describeService(f.cluster, 'web');
    expect(svc.taskDefinition).toBe(run.outputs['task-definition-arn']);
    const primary = svc.deployments!.find((d) => d.status === 'PRIMARY')!;
    expect(primary.id).toBe(run.outputs['deployment-id']);
    expect(primary.runningCount).toBe(2);
    const td = await ecs().send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: run.outputs['task-definition-arn'],
        include: ['TAGS'],
      }),
    );
    expect(td.taskDefinition!.containerDefinitions![0]!.image).toBe(`${host}/${repository}@${digest}`);
    expect(td.tags!.map((t) => t.key)).toContain('ecr-deploy:render-hash');
    const results = JSON.parse(run.outputs.results!);
    expect(results).toMatchObject([{ target: 'ecs', name: `${f.cluster}/web`, status: 'completed' }]);
    expect(run.summary).toContain('✅ completed');
    // The summary is titled by the step's id, with the revision the service moved from and to.
    expect(run.summary.split('\n')[0]).toBe(`## ecr-deploy \`deploy-web\`: ${repository} → ${f.cluster}/web`);
    const revision = (arn: string | undefined) => arn?.split('/').at(-1);
    expect(run.summary).toContain(
      ` | ${revision(f.taskDefinitionArn)} → ${revision(run.outputs['task-definition-arn'])} | ${run.outputs['deployment-id']} | ✅ completed |`,
    );
    // The outcome, outside the deploy's collapsed group: one notice, after the group ended.
    const lines = run.main.stdout.split('\n');
    const notices = lines.flatMap((l, i) => (l.startsWith('::notice title=ecr-deploy::') ? [i] : []));
    expect(notices).toHaveLength(1);
    expect(lines[notices[0]!]).toContain(
      `Deployed ${host}/${repository}@${digest} to ${f.cluster}/web completed`,
    );
    const ended = lines.findLastIndex((l) => l === '::endgroup::');
    const opened = lines.findLastIndex((l) => l.startsWith('::group::'));
    expect(opened).toBeLessThan(ended);
    expect(notices[0]).toBeGreaterThan(ended);
    expect(errorsOf(run.main.stdout)).toEqual([]);

    // The same image again: nothing registered, nothing rolled out.
    const again = await deploy({ 'ecs-cluster': f.cluster });
    expect(again.main.exitCode, again.main.stdout).toBe(0);
    expect(again.outputs['rollout-status']).toBe('unchanged');
    expect(await revisions(f.family)).toHaveLength(2);
  });

  it('rolls out tasks that run as real containers of the pushed image', async () => {
    const f = await ecsService(`real-${Date.now().toString(36)}`, v1, { runtime: 'real' });
    const run = await deploy({ 'ecs-cluster': f.cluster });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const tasks = await ecs().send(new ListTasksCommand({ cluster: f.cluster, serviceName: 'web' }));
    const described = await ecs().send(
      new DescribeTasksCommand({ cluster: f.cluster, tasks: tasks.taskArns! }),
    );
    const ours = described.tasks!.filter((t) => t.taskDefinitionArn === run.outputs['task-definition-arn']);
    expect(ours).toHaveLength(2);
    // Each task's container is a container of the engine, started from the image by digest.
    for (const task of ours) {
      const id = task.containers![0]!.runtimeId!;
      const image = execFileSync('docker', ['inspect', '--format', '{{.Config.Image}}', id], {
        encoding: 'utf8',
      }).trim();
      expect(image).toBe(`${host}/${repository}@${digest}`);
    }
  });

  it('renders only our repository’s containers of a multi-container file, with environment', async () => {
    const f = await ecsService(`multi-${Date.now().toString(36)}`, v1);
    const ws = workspace();
    const file = join(ws, 'task-definition.json');
    writeFileSync(
      file,
      JSON.stringify({
        taskDefinition: {
          family: f.family,
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '512',
          containerDefinitions: [
            {
              name: 'app',
              image: `${host}/${repository}:v1`,
              essential: true,
              environment: [{ name: 'MODE', value: '' }],
            },
            {
              name: 'sidecar',
              image: `${host}/busybox:latest`,
              essential: false,
              command: ['sleep', '3600'],
            },
          ],
          revision: 7,
          status: 'ACTIVE',
          compatibilities: ['EC2', 'FARGATE'],
        },
        tags: [{ key: 'team', value: 'web' }],
      }),
    );
    const run = await runAction({
      inputs: {
        image: `${host}/${repository}@${digest}`,
        'ecs-cluster': f.cluster,
        'ecs-service': 'web',
        timeout: '2m',
        'task-definition': 'task-definition.json',
        environment: 'MODE=production\nFEATURE_X=on',
      },
      event: branchPush('main', sha(0x201)),
      workspace: ws,
      env: sandbox(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const td = await ecs().send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: run.outputs['task-definition-arn'],
        include: ['TAGS'],
      }),
    );
    const [app, sidecar] = td.taskDefinition!.containerDefinitions!;
    expect(app!.image).toBe(`${host}/${repository}@${digest}`);
    expect(app!.environment).toEqual(
      expect.arrayContaining([
        { name: 'MODE', value: 'production' },
        { name: 'FEATURE_X', value: 'on' },
      ]),
    );
    expect(sidecar!.image).toBe(`${host}/busybox:latest`);
    expect(td.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'web' }]));
  });

  it('renders secrets, docker labels, log configuration and command into the registered revision', async () => {
    const f = await ecsService(`render-${Date.now().toString(36)}`, v1);
    const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
    const parameter = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key';
    const run = await deploy({
      'ecs-cluster': f.cluster,
      secrets: `DB_PASSWORD=${secret}\nAPI_KEY=${parameter}`,
      'docker-labels': 'com.example.team=payments\ncom.example.tier=web',
      'log-configuration-log-driver': 'awslogs',
      'log-configuration-options':
        'awslogs-group=/ecs/web\nawslogs-region=us-east-1\nawslogs-stream-prefix=web',
      command: `sh -c 'exec httpd -f -p 8080'`,
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const td = await ecs().send(
      new DescribeTaskDefinitionCommand({ taskDefinition: run.outputs['task-definition-arn'] }),
    );
    const [app] = td.taskDefinition!.containerDefinitions!;
    expect(app!.image).toBe(`${host}/${repository}@${digest}`);
    expect(app!.secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: secret },
      { name: 'API_KEY', valueFrom: parameter },
    ]);
    expect(app!.dockerLabels).toEqual({ 'com.example.team': 'payments', 'com.example.tier': 'web' });
    expect(app!.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web' },
    });
    expect(app!.command).toEqual(['sh', '-c', 'exec httpd -f -p 8080']);

    // Bad render inputs: every one reported at once, before anything is registered.
    const bad = await deploy({
      'ecs-cluster': f.cluster,
      environment: 'DB_PASSWORD=plain',
      secrets: `DB_PASSWORD=${secret}\nTOKEN=hunter2`,
      'log-configuration-log-driver': 'cloudwatch',
      command: '["node", 1]',
    });
    expect(bad.main.exitCode).not.toBe(0);
    const errors = errorsOf(bad.main.stdout).join('\n');
    expect(errors).toMatch(/secrets.*DB_PASSWORD is in both secrets and environment/s);
    expect(errors).toMatch(/TOKEN: "hunter2" is not a Secrets Manager secret ARN/);
    expect(errors).toMatch(/log-configuration-log-driver.*"cloudwatch" is not a log driver/s);
    expect(errors).toMatch(/command.*non-empty JSON array of strings/s);
    expect(await revisions(f.family)).toHaveLength(2);
  });

  it('services sharing a task definition family get one new revision between them', async () => {
    const f = await ecsService(`shared-${Date.now().toString(36)}`, v1);
    await ecs().send(
      new CreateServiceCommand({
        cluster: f.cluster,
        serviceName: 'api',
        taskDefinition: f.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    const run = await deploy({ 'ecs-cluster': f.cluster, 'ecs-service': 'web\napi' });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    const results = JSON.parse(run.outputs.results!) as {
      name: string;
      status: string;
      taskDefinitionArn: string;
      previousTaskDefinitionArn: string;
    }[];
    expect(results.map((r) => [r.name, r.status])).toEqual([
      [`${f.cluster}/web`, 'completed'],
      [`${f.cluster}/api`, 'completed'],
    ]);
    const [web, api] = results;
    expect(web!.taskDefinitionArn).toBe(api!.taskDefinitionArn);
    expect(web!.taskDefinitionArn).toMatch(new RegExp(`/${f.family}:2$`));
    expect(results.map((r) => r.previousTaskDefinitionArn)).toEqual([
      f.taskDefinitionArn,
      f.taskDefinitionArn,
    ]);
    expect(await revisions(f.family)).toHaveLength(2);
    expect((await describeService(f.cluster, 'api')).taskDefinition).toBe(web!.taskDefinitionArn);
    expect(run.main.stdout).toMatch(new RegExp(`api: ${f.family}:1 → ${f.family}:2`));
  });

  it('fails fast on CannotPullContainerError and is back on the previous task definition', async () => {
    // No circuit breaker: ECS alone would retry forever; the action fails after 2 pull failures and rolls back.
    const f = await ecsService(`pull-${Date.now().toString(36)}`, v1, { circuitBreaker: false });
    const run = await deploy({
      'ecs-cluster': f.cluster,
      containers: `app=${host}/${repository}:no-such-tag`,
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('rolled-back');
    expect(run.outputs['rolled-back']).toBe('true');
    const error = errorsOf(run.main.stdout).join('\n');
    expect(error).toMatch(/CannotPullContainerError/);
    expect(run.main.stdout).toMatch(/[2-9] task\(s\) of the new revision failed for good/);
    expect(run.main.stdout).toMatch(/web: rolling back to .*:1/);
    const svc = await describeService(f.cluster, 'web');
    expect(svc.taskDefinition).toBe(f.taskDefinitionArn);
    const primary = svc.deployments!.find((d) => d.status === 'PRIMARY')!;
    expect(primary.rolloutState).toBe('COMPLETED');
    expect(primary.runningCount).toBe(2);
  });

  it('reports a crash on start with the exit code, never as success', async () => {
    const f = await ecsService(`crash-${Date.now().toString(36)}`, v1, { circuitBreaker: false });
    const run = await runAction({
      inputs: {
        repository,
        'ecs-cluster': f.cluster,
        'ecs-service': 'web',
        timeout: '2m',
        'rollback-on-failure': 'false',
      },
      event: branchPush('crash', sha(0x202)),
      workspace: workspace('FROM busybox:latest\nCMD ["sh", "-c", "echo starting; exit 7"]\n'),
      env: sandbox(),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('failed');
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/EssentialContainerExited.*app: exit 7/);
    // The branch tag is not moved to an image whose deploy failed; the commit tag is on it.
    const tags = await registryTags(repository);
    expect(tags.get('sha-0000202')).toBe(run.outputs['image-digest']);
    expect(tags.has('crash')).toBe(false);
    expect(run.main.stdout).toMatch(
      /::warning::Not moved to this image, because the deploy did not complete: crash/,
    );
    expect(run.summary).toMatch(/`crash` not moved/);
  });

  it('moves the floating tags only once the deploy is verified', async () => {
    const f = await ecsService(`moved-${Date.now().toString(36)}`, v1);
    await control().clearCalls();
    const run = await runAction({
      inputs: { repository, 'ecs-cluster': f.cluster, 'ecs-service': 'web', timeout: '2m' },
      event: branchPush('moved', sha(0x203)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect((await registryTags(repository)).get('moved')).toBe(run.outputs['image-digest']);
    // The branch tag's PutImage came after the last DescribeServices of the wait.
    const calls = await control().calls();
    const tagged = calls.filter(
      (c) => c.operation === 'PutImage' && JSON.stringify(c.params).includes('"imageTag":"moved"'),
    );
    const waited = calls.filter((c) => c.operation === 'DescribeServices');
    expect(tagged).toHaveLength(1);
    expect(tagged[0]!.seq).toBeGreaterThan(waited.at(-1)!.seq);
    expect(run.outputs['image-uri']).toBe(`${host}/${repository}:moved`);
  });

  it('keeps waiting through 25 s of DescribeServices answering 503, then reports the outcome', async () => {
    const f = await ecsService(`unavailable-${Date.now().toString(36)}`, v1);
    await control().clearCalls();
    const running = deploy({ 'ecs-cluster': f.cluster });
    await untilCalled('UpdateService');
    await control().addFaults({
      service: 'ecs',
      operation: 'DescribeServices',
      kind: 'error',
      errorType: 'ServiceUnavailable',
      httpStatus: 503,
    });
    await new Promise((r) => setTimeout(r, 25_000));
    await control().clearFaults();
    const run = await running;
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const failed = (await control().calls({ service: 'ecs', operation: 'DescribeServices' })).filter(
      (c) => c.status === 503,
    );
    expect(failed.length).toBeGreaterThan(0);
    // Backing off: far fewer tries than one every 2 s would make (the SDK retries each up to 3 times).
    expect(failed.length).toBeLessThan(3 * 13);
  });

  it('credentials expiring mid-wait end as unverified, and nothing is rolled back', async () => {
    const f = await ecsService(`expired-${Date.now().toString(36)}`, v1);
    await new EcsSandboxControl().setTimeScale(0.5);
    await control().clearCalls();
    const running = deploy({ 'ecs-cluster': f.cluster });
    await untilCalled('UpdateService');
    await control().addFaults({ service: 'ecs', operation: '*', kind: 'expired-credentials' });
    const run = await running;
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('unverified');
    expect(run.outputs['rolled-back']).toBe('false');
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/ExpiredTokenException|expired/);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/ECS goes on with deployment .* on its own/);
    expect(await control().calls({ service: 'ecs', operation: 'UpdateService' })).toHaveLength(1);
  });

  it('reports ECS’s own circuit-breaker rollback as rolled-back, never as success', async () => {
    const f = await ecsService(`breaker-${Date.now().toString(36)}`, v1);
    const run = await deploy({
      'ecs-cluster': f.cluster,
      containers: `app=${host}/${repository}:missing`,
      'fail-fast-after': '0',
      'rollback-on-failure': 'false',
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('rolled-back');
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/circuit breaker|ECS rolled the service back/);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/CannotPullContainerError/);
    expect((await describeService(f.cluster, 'web')).taskDefinition).toBe(f.taskDefinitionArn);
  });

  it('says so when someone else’s deployment replaces ours mid-wait', async () => {
    const f = await ecsService(`other-${Date.now().toString(36)}`, v1);
    await new EcsSandboxControl().setTimeScale(0.5);
    const running = deploy({ 'ecs-cluster': f.cluster, 'rollback-on-failure': 'false' });
    // Once our deployment is PRIMARY, somebody else updates the service.
    for (let i = 0; i < 200; i++) {
      const svc = await describeService(f.cluster, 'web');
      if (svc.taskDefinition !== f.taskDefinitionArn) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await ecs().send(
      new UpdateServiceCommand({ cluster: f.cluster, service: 'web', taskDefinition: f.taskDefinitionArn }),
    );
    const run = await running;
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('failed');
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(
      /another deployment .* replaced ours.*someone else updated the service/,
    );
  });

  it('times out with the last state printed', async () => {
    const f = await ecsService(`slow-${Date.now().toString(36)}`, v1);
    await new EcsSandboxControl().setTimeScale(1);
    const run = await deploy({ 'ecs-cluster': f.cluster, timeout: '3s', 'rollback-on-failure': 'false' });
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('timed-out');
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/not done after 3\.0 s; last state: \d\/2 running/);
    // One ::error for the failed deploy (the step's, with the reason), none of it in the log twice.
    expect(errorsOf(run.main.stdout)).toHaveLength(1);
    expect(run.main.stdout).not.toMatch(/::notice/);
  });

  it('runs the pre-deploy task first, and updates nothing when it exits 1', async () => {
    const f = await ecsService(`migrate-${Date.now().toString(36)}`, v1);
    await control().clearCalls();
    const run = await deploy({
      'ecs-cluster': f.cluster,
      'pre-deploy-command': '["sh", "-c", "echo migrating; exit 1"]',
    });
    expect(run.main.exitCode).toBe(1);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(
      /pre-deploy task did not succeed .*app: exit 1.*No service was updated/,
    );
    expect(await control().calls({ service: 'ecs', operation: 'UpdateService' })).toEqual([]);
    expect((await describeService(f.cluster, 'web')).taskDefinition).toBe(f.taskDefinitionArn);

    const ok = await deploy({ 'ecs-cluster': f.cluster, 'pre-deploy-command': '["sh", "-c", "exit 0"]' });
    expect(ok.main.exitCode, ok.main.stdout).toBe(0);
    expect(ok.main.stdout).toMatch(/Pre-deploy task finished with exit code 0/);
  });

  it('still succeeds within its deadline with 30% of ECS calls throttled', async () => {
    const f = await ecsService(`throttle-${Date.now().toString(36)}`, v1);
    await control().addFaults({ service: 'ecs', operation: '*', kind: 'throttle', rate: 0.3, seed: 42 });
    const run = await deploy({ 'ecs-cluster': f.cluster });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const throttled = (await control().calls({ service: 'ecs' })).filter(
      (c) => c.errorType === 'ThrottlingException',
    );
    expect(throttled.length).toBeGreaterThan(0);
  });

  it('refuses, before building or registering, an unknown container, a malformed file, a missing service and CODE_DEPLOY', async () => {
    const f = await ecsService(`bad-${Date.now().toString(36)}`, v1);
    const cd = await ecsService(`cd-${Date.now().toString(36)}`, v1, { controller: 'CODE_DEPLOY' });
    const before = await revisions(f.family);
    const ws = workspace();
    writeFileSync(
      join(ws, 'broken.json'),
      '{\n  "family": "x",\n  "containerDefinitions": [\n    { "name": "app", }\n  ]\n}\n',
    );
    const cases: [Record<string, string>, RegExp][] = [
      [
        { 'ecs-cluster': f.cluster, containers: 'nope' },
        /Input "containers": service web: Task definition .* has no container "nope"; its containers are: app/,
      ],
      [
        { 'ecs-cluster': f.cluster, 'task-definition': 'broken.json' },
        /broken\.json: invalid JSON at line 4, column 22/,
      ],
      [
        { 'ecs-cluster': f.cluster, 'ecs-service': 'missing' },
        /Input "ecs-service": service "missing" does not exist in cluster/,
      ],
      [{ 'ecs-cluster': 'no-such-cluster' }, /Input "ecs-cluster": cluster "no-such-cluster" does not exist/],
      [{ 'ecs-cluster': cd.cluster }, /uses the CODE_DEPLOY deployment controller.*Nothing was registered/],
    ];
    for (const [inputs, message] of cases) {
      const run = await runAction({
        inputs: { repository, 'ecs-service': 'web', ...inputs },
        event: branchPush('main', sha(0x203)),
        workspace: ws,
        env: sandbox(),
      });
      expect(run.main.exitCode, JSON.stringify(inputs)).toBe(1);
      expect(errorsOf(run.main.stdout).join('\n')).toMatch(message);
      expect(errorsOf(run.main.stdout)).toHaveLength(1);
      if (inputs['task-definition']) {
        // Annotated where the file is wrong, relative to the workspace.
        expect(errorsOf(run.main.stdout)[0]).toMatch(
          /^::error title=[^,]*,file=broken\.json,line=4,col=22::/,
        );
      }
      expect(run.main.stdout).not.toMatch(/\[command\]\S*(docker|buildah)/); // nothing built
    }
    expect(await revisions(f.family)).toEqual(before);
    expect(await revisions(cd.family)).toHaveLength(1);
  });

  it('dry-run prints the diff and changes nothing', async () => {
    const f = await ecsService(`dry-${Date.now().toString(36)}`, v1);
    await control().clearCalls();
    const run = await deploy({ 'ecs-cluster': f.cluster, 'dry-run': 'true', environment: 'A=1' });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.stdout).toMatch(/would register .* and update the service/);
    expect(run.main.stdout).toContain(
      `~ containerDefinitions[app].image: "${v1}" → "${host}/${repository}@${digest}"`,
    );
    expect(run.main.stdout).toMatch(
      /\+ containerDefinitions\[app\]\.environment(\[A\])?: .*"name":"A","value":"1"/,
    );
    const writes = (await control().calls({ service: 'ecs' })).filter((c) =>
      ['RegisterTaskDefinition', 'UpdateService', 'RunTask'].includes(c.operation),
    );
    expect(writes).toEqual([]);
    expect(await revisions(f.family)).toHaveLength(1);
  });
});
