// A PR's preview end to end: the bundled action on pull_request events against the sandbox (ECS + ELBv2):
// opened → service, family, target group and rule exist and the rollout completed; synchronize → the same
// service updated; closed → everything gone; closed again → a no-op success. The base is never touched, and a
// GitHub API fake on loopback sees one sticky comment and the pr-<N> deployment with its statuses.
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';
import { GithubFake } from '../sandbox/github/fake.ts';
import { runAction, type GithubEvent } from '../sandbox/run-action.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';
import { NETWORK, describeService, ecs, revisions } from './ecs.ts';
import { registryTags } from './registry.ts';

const elb = () =>
  new ElasticLoadBalancingV2Client({ endpoint: process.env.AWS_ENDPOINT_URL_ECS, maxAttempts: 1 });
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const PR = 40_000 + (process.pid % 1000);
const cluster = `pv-${RUN}`;
const family = `pv-${RUN}-app`;
const previewService = `web-pr-${PR}`;
const previewFamily = `${family}-pr-${PR}`;
const host = `pr-${PR}.preview.example.com`;

const TOKEN = 'ghs_previewe2etoken0123456789';

// The sandbox's GitHub REST API fake (sandbox/github): it checks the token and records what it is sent.
const github = new GithubFake(TOKEN, 'octo-org/hello-app');
const comments = () => github.comments.get(PR) ?? [];
let githubUrl: string;

let image: string;
const repository = repoName('preview-app');
let listenerArn: string;
let baseTargetGroupArn: string;
let baseTaskDefinition: string;

function pullRequest(action: string, commit: string, headRepo = 'octo-org/hello-app', pr = PR): GithubEvent {
  return {
    name: 'pull_request',
    ref: `refs/pull/${pr}/merge`,
    sha: sha(0x300),
    payload: {
      action,
      number: pr,
      pull_request: {
        number: pr,
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
      'github-token': TOKEN,
      timeout: '2m',
      ...inputs,
    },
    event,
    workspace: workspace(),
    env: {
      ...sandbox(),
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: process.env.AWS_ENDPOINT_URL_ECS!,
      GITHUB_API_URL: githubUrl,
    },
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

afterAll(() => github.stop());

beforeAll(async () => {
  githubUrl = await github.start();
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true' },
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
      // On GitHub: one comment with the URL, a deployment in_progress → success with the URL.
      expect(comments()).toHaveLength(1);
      expect(comments()[0]!.body).toContain('Preview ready');
      expect(comments()[0]!.body).toContain(`https://${host}`);
      expect(github.deployments).toHaveLength(1);
      expect(github.deployments[0]!.environment).toBe(`pr-${PR}`);
      expect(github.deployments[0]!.statuses.map((x) => x.state)).toEqual(['in_progress', 'success']);
      expect(github.deployments[0]!.statuses[1]!.environment_url).toBe(`https://${host}`);
      // The token reaches the log only in the runner's mask command.
      expect(run.main.stdout.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
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
      // This push builds (instead of deploying the given image), so the image gets the pr-<N> tag.
      const run = await preview(pullRequest('synchronize', sha(0x302)), {
        environment: 'PREVIEW_BUILD=2',
        image: '',
        repository,
      });
      expect(errorsOf(run.main.stdout)).toEqual([]);
      expect(run.main.exitCode).toBe(0);
      expect(run.outputs['rollout-status']).toBe('completed');
      expect(run.outputs['task-definition-arn']).toMatch(new RegExp(`${previewFamily}:2$`));
      const svc = await describeService(cluster, previewService);
      expect(svc.taskDefinition).toBe(run.outputs['task-definition-arn']);
      expect(svc.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState).toBe('COMPLETED');
      expect(await rulesFor((await previewTargetGroup())?.TargetGroupArn)).toHaveLength(1);
      expect((await describeService(cluster, 'web')).taskDefinition).toBe(baseTaskDefinition);
      // The comment is edited, not a second one.
      expect(comments()).toHaveLength(1);
      expect(comments()[0]!.body).toContain('0000302');
      expect(github.requests.filter((r) => r.method === 'PATCH')).not.toHaveLength(0);
      expect(github.deployments).toHaveLength(2);
      const tags = await registryTags(repository);
      expect(tags.get(`pr-${PR}`)).toBe(run.outputs['image-digest']);
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
      const tagsBefore = await registryTags(repository);
      expect(tagsBefore.has(`pr-${PR}`)).toBe(true);
      const run = await preview(pullRequest('closed', sha(0x302)));
      expect(errorsOf(run.main.stdout)).toEqual([]);
      expect(run.main.exitCode).toBe(0);
      expect(run.main.stdout).toContain(`Preview of PR #${PR} (${previewService}) removed.`);
      const svc = await describeService(cluster, previewService);
      expect(svc === undefined || svc.status === 'INACTIVE').toBe(true);
      expect(await previewTargetGroup()).toBeUndefined();
      expect(await rulesFor(tgArn)).toEqual([]);
      expect(await revisions(previewFamily)).toEqual([]);
      // Only the pr-<N> tag went: the image's other tags (sha-…) still point to it.
      const tagsAfter = await registryTags(repository);
      expect(tagsAfter.has(`pr-${PR}`)).toBe(false);
      const prDigest = tagsBefore.get(`pr-${PR}`);
      const shaTags = [...tagsBefore].filter(([t, d]) => t.startsWith('sha-') && d === prDigest);
      expect(shaTags).toHaveLength(1);
      for (const [t, digest] of shaTags) expect(tagsAfter.get(t)).toBe(digest);
      expect(run.main.stdout).toContain(`image tag ${repository}:pr-${PR}: removed`);
      const base = await describeService(cluster, 'web');
      expect(base.status).toBe('ACTIVE');
      expect(base.taskDefinition).toBe(baseTaskDefinition);
      expect(await rulesFor(baseTargetGroupArn)).toHaveLength(1); // the listener's default rule

      expect(comments()).toHaveLength(1);
      expect(comments()[0]!.body).toContain('Preview removed');
      expect(github.deployments.map((d) => d.statuses.at(-1)?.state)).toEqual(['inactive', 'inactive']);

      const again = await preview(pullRequest('closed', sha(0x302)));
      expect(again.main.exitCode).toBe(0);
      expect(again.main.stdout).toContain('nothing to remove, it was already gone');
      expect(again.main.stdout).toContain(`image tag ${repository}:pr-${PR}: already gone`);
    },
    E2E_TEST_MS,
  );

  it(
    'preview: cleanup on a schedule tears down the closed PR’s preview and keeps the open one’s',
    async () => {
      const [closed, open] = [PR + 1, PR + 2];
      for (const pr of [closed, open]) {
        const made = await preview(pullRequest('opened', sha(0x310 + pr - PR), 'octo-org/hello-app', pr));
        expect(errorsOf(made.main.stdout)).toEqual([]);
        expect((await describeService(cluster, `web-pr-${pr}`)).status).toBe('ACTIVE');
      }
      github.setPull(closed, 'closed');
      github.setPull(open, 'open');
      const schedule: GithubEvent = {
        name: 'schedule',
        ref: 'refs/heads/main',
        sha: sha(0x320),
        payload: { schedule: '0 3 * * *', repository: { full_name: 'octo-org/hello-app' } },
      };
      const run = await preview(schedule, { preview: 'cleanup' });
      expect(errorsOf(run.main.stdout)).toEqual([]);
      expect(run.main.exitCode).toBe(0);
      expect(run.main.stdout).toContain('Preview cleanup: 1 removed, 1 kept.');
      expect(run.main.stdout).toContain(`Kept: service web-pr-${open} (PR #${open} is open)`);
      const gone = await describeService(cluster, `web-pr-${closed}`);
      expect(gone === undefined || gone.status === 'INACTIVE').toBe(true);
      expect(await revisions(`${family}-pr-${closed}`)).toEqual([]);
      expect((await describeService(cluster, `web-pr-${open}`)).status).toBe('ACTIVE');
      expect(await revisions(`${family}-pr-${open}`)).toHaveLength(1);
      expect((await describeService(cluster, 'web')).taskDefinition).toBe(baseTaskDefinition);
      // GitHub was asked for both PRs' state; the closed one's comment says removed.
      const asked = github.requests.filter((r) => r.method === 'GET' && /\/pulls\/\d+$/.test(r.path));
      expect(asked.map((r) => r.path).sort()).toEqual(
        [closed, open].map((n) => `/repos/octo-org/hello-app/pulls/${n}`).sort(),
      );
      expect(github.comments.get(closed)?.[0]?.body).toContain('Preview removed');
      expect(github.comments.get(open)?.[0]?.body).toContain('Preview ready');

      // Without pull-requests permission the cleanup fails naming it, and nothing is torn down.
      github.withheld.add('pull_requests');
      const refused = await preview(schedule, { preview: 'cleanup' });
      github.withheld.clear();
      expect(refused.main.exitCode).not.toBe(0);
      expect(errorsOf(refused.main.stdout).join('\n')).toMatch(/github-token.*pull-requests: read/);
      expect((await describeService(cluster, `web-pr-${open}`)).status).toBe('ACTIVE');

      const closing = await preview(pullRequest('closed', sha(0x312), 'octo-org/hello-app', open));
      expect(closing.main.exitCode).toBe(0);
    },
    E2E_TEST_MS,
  );
});
