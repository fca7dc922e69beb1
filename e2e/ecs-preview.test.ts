// A PR's preview end to end: the bundled action on pull_request events against the sandbox (ECS + ELBv2):
// opened → service, family, target group and rule exist and the rollout completed; synchronize → the same
// service updated; closed → everything gone; closed again → a no-op success. The base is never touched.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';
import { runAction, type GithubEvent } from '../sandbox/run-action.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';
import { NETWORK, describeService, ecs, revisions } from './ecs.ts';

const elb = () =>
  new ElasticLoadBalancingV2Client({ endpoint: process.env.AWS_ENDPOINT_URL_ECS, maxAttempts: 1 });
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const PR = 40_000 + (process.pid % 1000);
const cluster = `pv-${RUN}`;
const family = `pv-${RUN}-app`;
const previewService = `web-pr-${PR}`;
const previewFamily = `${family}-pr-${PR}`;
const host = `pr-${PR}.preview.example.com`;

let image: string;
let listenerArn: string;
let baseTargetGroupArn: string;
let baseTaskDefinition: string;

function pullRequest(action: string, commit: string, headRepo = 'octo-org/hello-app'): GithubEvent {
  return {
    name: 'pull_request',
    ref: `refs/pull/${PR}/merge`,
    sha: sha(0x300),
    payload: {
      action,
      number: PR,
      pull_request: {
        number: PR,
        state: action === 'closed' ? 'closed' : 'open',
        merged: action === 'closed',
        head: { sha: commit, repo: { full_name: headRepo } },
      },
      repository: { full_name: 'octo-org/hello-app' },
    },
  };
}

function preview(event: GithubEvent, inputs: Record<string, string> = {}) {
  return runAction({
    inputs: {
      image,
      'ecs-cluster': cluster,
      'ecs-service': 'web',
      preview: 'true',
      'preview-url': 'https://pr-{number}.preview.example.com',
      'preview-listener': listenerArn,
      timeout: '2m',
      ...inputs,
    },
    event,
    workspace: workspace(),
    env: { ...sandbox(), AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: process.env.AWS_ENDPOINT_URL_ECS! },
  });
}

async function previewTargetGroup() {
  try {
    return (await elb().send(new DescribeTargetGroupsCommand({ Names: [previewService] }))).TargetGroups?.[0];
  } catch (error) {
    if ((error as Error).name === 'TargetGroupNotFoundException') return undefined;
    throw error;
  }
}

async function rulesFor(targetGroupArn: string | undefined) {
  const rules = (await elb().send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules ?? [];
  return rules.filter((r) => r.Actions?.some((a) => a.TargetGroupArn === targetGroupArn));
}

beforeAll(async () => {
  const built = await runAction({
    inputs: { repository: repoName('preview-app'), 'create-repository': 'true' },
    event: branchPush('main', sha(0x2ff)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  image = built.outputs['image-ref']!;

  const lb = (
    await elb().send(new CreateLoadBalancerCommand({ Name: `pv-${RUN}`, Subnets: ['subnet-0sandbox'] }))
  ).LoadBalancers![0]!;
  const base = (
    await elb().send(
      new CreateTargetGroupCommand({
        Name: `pv-${RUN}-web`,
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: 'vpc-sandbox',
        TargetType: 'ip',
        HealthCheckPath: '/healthz',
      }),
    )
  ).TargetGroups![0]!;
  baseTargetGroupArn = base.TargetGroupArn!;
  listenerArn = (
    await elb().send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: baseTargetGroupArn }],
      }),
    )
  ).Listeners![0]!.ListenerArn!;

  const control = new EcsSandboxControl();
  await control.setRuntime('simulated', family);
  await control.setRuntime('simulated', previewFamily);
  await ecs().send(new CreateClusterCommand({ clusterName: cluster }));
  baseTaskDefinition = (
    await ecs().send(
      new RegisterTaskDefinitionCommand({
        family,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image, portMappings: [{ containerPort: 8080 }], essential: true },
        ],
      }),
    )
  ).taskDefinition!.taskDefinitionArn!;
  await ecs().send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'web',
      taskDefinition: baseTaskDefinition,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      loadBalancers: [{ targetGroupArn: baseTargetGroupArn, containerName: 'app', containerPort: 8080 }],
      tags: [{ key: 'team', value: 'shop' }],
    }),
  );
}, E2E_TEST_MS);

describe('pull-request previews on ECS (dist/ against the sandbox)', () => {
  it(
    'opened → creates the preview service, family, target group and rule, and waits for the rollout',
    async () => {
      const run = await preview(pullRequest('opened', sha(0x301)));
      expect(errorsOf(run.main.stdout)).toEqual([]);
      expect(run.main.exitCode).toBe(0);
      expect(run.outputs['preview-url']).toBe(`https://${host}`);
      expect(run.outputs['rollout-status']).toBe('completed');
      const svc = await describeService(cluster, previewService);
      expect(svc.status).toBe('ACTIVE');
      expect(svc.desiredCount).toBe(1);
      expect(svc.launchType).toBe('FARGATE');
      expect(svc.networkConfiguration).toEqual(NETWORK);
      expect(svc.taskDefinition).toMatch(new RegExp(`task-definition/${previewFamily}:1$`));
      expect(svc.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState).toBe('COMPLETED');
      const tg = await previewTargetGroup();
      expect(tg).toMatchObject({
        Protocol: 'HTTP',
        Port: 8080,
        TargetType: 'ip',
        HealthCheckPath: '/healthz',
      });
      expect(svc.loadBalancers).toEqual([
        { targetGroupArn: tg!.TargetGroupArn, containerName: 'app', containerPort: 8080 },
      ]);
      const rules = await rulesFor(tg!.TargetGroupArn);
      expect(rules).toHaveLength(1);
      expect(rules[0]!.Conditions?.[0]?.HostHeaderConfig?.Values).toEqual([host]);
      expect(await revisions(previewFamily)).toHaveLength(1);
      // The base is untouched.
      const base = await describeService(cluster, 'web');
      expect(base.taskDefinition).toBe(baseTaskDefinition);
      expect(base.desiredCount).toBe(2);
    },
    E2E_TEST_MS,
  );

  it(
    'synchronize → updates the same service with a new revision',
    async () => {
      const run = await preview(pullRequest('synchronize', sha(0x302)), { environment: 'PREVIEW_BUILD=2' });
      expect(errorsOf(run.main.stdout)).toEqual([]);
      expect(run.main.exitCode).toBe(0);
      expect(run.outputs['rollout-status']).toBe('completed');
      expect(run.outputs['task-definition-arn']).toMatch(new RegExp(`${previewFamily}:2$`));
      const svc = await describeService(cluster, previewService);
      expect(svc.taskDefinition).toBe(run.outputs['task-definition-arn']);
      expect(svc.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState).toBe('COMPLETED');
      expect(await rulesFor((await previewTargetGroup())?.TargetGroupArn)).toHaveLength(1);
      expect((await describeService(cluster, 'web')).taskDefinition).toBe(baseTaskDefinition);
    },
    E2E_TEST_MS,
  );

  it(
    'refuses a PR from a fork, before anything is built or changed',
    async () => {
      const run = await preview(pullRequest('synchronize', sha(0x303), 'someone/hello-app'));
      expect(run.main.exitCode).not.toBe(0);
      expect(errorsOf(run.main.stdout).join('\n')).toMatch(
        /comes from someone\/hello-app.*allow-fork-previews/,
      );
      expect((await describeService(cluster, previewService)).taskDefinition).toMatch(/:2$/);
    },
    E2E_TEST_MS,
  );

  it(
    'closed → removes service, rule, target group and revisions; closed again → succeeds, nothing to remove',
    async () => {
      const tgArn = (await previewTargetGroup())?.TargetGroupArn;
      const run = await preview(pullRequest('closed', sha(0x302)));
      expect(errorsOf(run.main.stdout)).toEqual([]);
      expect(run.main.exitCode).toBe(0);
      expect(run.main.stdout).toContain(`Preview of PR #${PR} (${previewService}) removed.`);
      const svc = await describeService(cluster, previewService);
      expect(svc === undefined || svc.status === 'INACTIVE').toBe(true);
      expect(await previewTargetGroup()).toBeUndefined();
      expect(await rulesFor(tgArn)).toEqual([]);
      expect(await revisions(previewFamily)).toEqual([]);
      const base = await describeService(cluster, 'web');
      expect(base.status).toBe('ACTIVE');
      expect(base.taskDefinition).toBe(baseTaskDefinition);
      expect(await rulesFor(baseTargetGroupArn)).toHaveLength(1); // the listener's default rule

      const again = await preview(pullRequest('closed', sha(0x302)));
      expect(again.main.exitCode).toBe(0);
      expect(again.main.stdout).toContain('nothing to remove, it was already gone');
    },
    E2E_TEST_MS,
  );
});
