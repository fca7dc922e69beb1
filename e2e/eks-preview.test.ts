// A PR's EKS preview end to end: the bundled action on pull_request events against the sandbox's API server:
// opened → the labelled namespace <namespace>-pr-<N> with the manifests rewritten into it, the image by
// digest, the rollout completed, the PR comment; synchronize → the same namespace updated (a dropped object
// pruned); a cluster-scoped object refused; closed → the namespace gone and the pr-<N> tag deleted; closed
// again → a no-op success; preview: cleanup → a closed PR's namespace found by its labels and removed. The
// base namespace is never touched. The namespace and its labels are also read back with the real kubectl.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinaries } from '../conformance/judges.ts';
import { kubectlCluster, type KubectlCluster } from '../conformance/kube.ts';
import { raw } from '../sandbox/__tests__/eks-helpers.ts';
import { GithubFake } from '../sandbox/github/fake.ts';
import { runAction, type GithubEvent } from '../sandbox/run-action.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';
import { registryTags } from './registry.ts';

const PR = 50_000 + (process.pid % 1000);
const NS = `default-pr-${PR}`;
const host = `pr-${PR}.preview.example.com`;
const TOKEN = 'ghs_ekspreviewe2etoken0123456789';

const github = new GithubFake(TOKEN, 'octo-org/hello-app');
const comments = (pr = PR) => github.comments.get(pr) ?? [];
let githubUrl: string;
let cluster: KubectlCluster;
let registry: string;
let repository: string;
let image: string;
let digest: string;
let dir: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const pod = (name: string, ref: string) => `
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: "${ref}" }]`;

const files = (): Record<string, string> => ({
  'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { LEVEL: info }\n',
  'extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\n',
  'service.yaml':
    'apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { selector: { app: api }, ports: [{ port: 80 }] }\n',
  'ingress.yaml':
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: api }\nspec:\n  rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: api, port: { number: 80 } } } }] } }]\n  tls: [{ hosts: [shop.example.com], secretName: shop-tls }]\n',
  'deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api, namespace: default }\nspec:\n  replicas: 2${pod('api', `${registry}/${repository}:v1`)}\n`,
});

function writeManifests(tree: Record<string, string>): void {
  const k8s = path.join(dir, 'k8s');
  mkdirSync(k8s, { recursive: true });
  for (const [name, text] of Object.entries(tree)) writeFileSync(path.join(k8s, name), text);
}

function pullRequest(action: string, commit: string, pr = PR, headRepo = 'octo-org/hello-app'): GithubEvent {
  return {
    name: 'pull_request',
    ref: `refs/pull/${pr}/merge`,
    sha: sha(0x500),
    payload: {
      action,
      number: pr,
      pull_request: {
        number: pr,
        state: action === 'closed' ? 'closed' : 'open',
        merged: false,
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
      'eks-cluster': cluster.name,
      namespace: 'default',
      manifests: 'k8s',
      preview: 'true',
      'preview-url': 'https://pr-{number}.preview.example.com',
      'github-token': TOKEN,
      timeout: '2m',
      ...inputs,
    },
    event,
    workspace: dir,
    env: { ...sandbox(), GITHUB_API_URL: githubUrl },
  });
}

async function get(p: string): Promise<{ status: number; json: Loose }> {
  const res = await raw(cluster, 'GET', p, { token: cluster.token });
  return { status: res.status, json: res.status < 300 ? res.json() : {} };
}

/** Polls until the namespace is gone (the teardown waits for it; this only absorbs a watch-cache lag). */
async function namespaceStatus(name: string): Promise<number> {
  return (await get(`/api/v1/namespaces/${name}`)).status;
}

beforeAll(async () => {
  githubUrl = await github.start();
  registry = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('eks-preview');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x4ff)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  digest = built.outputs['image-digest']!;
  image = `${registry}/${repository}@${digest}`;
  cluster = await kubectlCluster();
  dir = workspace();
  writeManifests(files());
  // The base namespace holds the same ConfigMap: a preview never touches it.
  const base = await raw(cluster, 'POST', '/api/v1/namespaces/default/configmaps', {
    token: cluster.token,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { LEVEL: 'base' } },
  });
  if (base.status >= 300) throw new Error(base.body);
}, E2E_TEST_MS);

afterAll(async () => {
  await github.stop();
  cluster?.dispose();
});

const baseUntouched = async () => {
  const cm = (await get('/api/v1/namespaces/default/configmaps/settings')).json;
  expect(cm.data).toEqual({ LEVEL: 'base' });
  expect(cm.metadata.labels?.['ecr-deploy.dev/preview-pr']).toBeUndefined();
  expect((await get('/apis/apps/v1/namespaces/default/deployments/api')).status).toBe(404);
};

describe('pull-request previews on EKS (dist/ against the sandbox)', { timeout: E2E_TEST_MS }, () => {
  it('opened → the labelled namespace with the rewritten objects, the digest, the rollout and the PR comment', async () => {
    const run = await preview(pullRequest('opened', sha(0x501)));
    expect(errorsOf(run.main.stdout), run.main.stdout).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    expect(run.outputs['preview-url']).toBe(`https://${host}`);
    const results = JSON.parse(run.outputs.results!) as { name: string; status: string }[];
    expect(results.map((r) => [r.name, r.status])).toEqual([[`${NS}/deployment/api`, 'completed']]);

    // Judged by the real kubectl: the namespace and its labels.
    const kubectl = kubectlBinaries().find((k) => k.minor === 27) ?? kubectlBinaries()[0];
    expect(kubectl, 'a kubectl binary on the machine').toBeDefined();
    const got = await cluster.kubectl(kubectl!.path, ['get', 'namespace', NS, '-o', 'json']);
    expect(got.code, got.stderr).toBe(0);
    const namespace = JSON.parse(got.stdout) as Loose;
    expect(namespace.metadata.labels).toMatchObject({
      'ecr-deploy.dev/preview-pr': String(PR),
      'ecr-deploy.dev/preview-of': 'default',
      'ecr-deploy.dev/preview-repository': 'octo-org.hello-app',
    });
    expect(namespace.metadata.annotations['ecr-deploy.dev/repository']).toBe('octo-org/hello-app');
    const listed = await cluster.kubectl(kubectl!.path, [
      'get',
      'configmaps,services,ingresses,deployments',
      '-n',
      NS,
      '-l',
      `ecr-deploy.dev/preview-pr=${PR}`,
      '-o',
      'name',
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n').sort()).toEqual(
      [
        'configmap/extra',
        'configmap/settings',
        'deployment.apps/api',
        'ingress.networking.k8s.io/api',
        'service/api',
      ].sort(),
    );

    const d = (await get(`/apis/apps/v1/namespaces/${NS}/deployments/api`)).json;
    expect(d.spec.template.spec.containers[0].image).toBe(image);
    expect(d.status.availableReplicas).toBe(2);
    const ingress = (await get(`/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses/api`)).json;
    expect(ingress.spec.rules.map((r: Loose) => r.host)).toEqual([host]);
    expect(ingress.spec.tls[0].hosts).toEqual([host]);
    await baseUntouched();

    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain('Preview ready');
    expect(comments()[0]!.body).toContain(`https://${host}`);
    expect(comments()[0]!.body).toContain(`| Namespace | \`${NS}\` |`);
    expect(github.deployments).toHaveLength(1);
    expect(github.deployments[0]!.environment).toBe(`pr-${PR}`);
    expect(github.deployments[0]!.statuses.map((x) => x.state)).toEqual(['in_progress', 'success']);
    expect(run.main.stdout.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
  });

  it('synchronize → the same namespace updated with a new build; a dropped object is pruned', async () => {
    writeManifests({ ...files(), 'extra.yaml': '' });
    const run = await preview(pullRequest('synchronize', sha(0x502)), { image: '', repository });
    expect(errorsOf(run.main.stdout), run.main.stdout).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const built = run.outputs['image-digest']!;
    const d = (await get(`/apis/apps/v1/namespaces/${NS}/deployments/api`)).json;
    expect(d.spec.template.spec.containers[0].image).toBe(`${registry}/${repository}@${built}`);
    expect((await get(`/api/v1/namespaces/${NS}/configmaps/extra`)).status).toBe(404);
    expect((await get(`/api/v1/namespaces/${NS}/configmaps/settings`)).status).toBe(200);
    expect((await registryTags(repository)).get(`pr-${PR}`)).toBe(built);
    await baseUntouched();
    // The comment is edited, not a second one.
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain('0000502');
    expect(github.deployments).toHaveLength(2);
  });

  it('refuses a PR from a fork before anything is built or changed', async () => {
    const before = (await get(`/apis/apps/v1/namespaces/${NS}/deployments/api`)).json;
    const run = await preview(pullRequest('synchronize', sha(0x504), PR, 'someone/hello-app'));
    expect(run.main.exitCode).not.toBe(0);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(
      /comes from someone\/hello-app.*allow-fork-previews/,
    );
    const after = (await get(`/apis/apps/v1/namespaces/${NS}/deployments/api`)).json;
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  it('refuses a cluster-scoped object in the manifests, naming it, before anything changes', async () => {
    const before = (await get(`/apis/apps/v1/namespaces/${NS}/deployments/api`)).json;
    writeManifests({
      'role.yaml':
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: preview-reader }\nrules: []\n',
    });
    const run = await preview(pullRequest('synchronize', sha(0x503)));
    writeManifests({ 'role.yaml': '' });
    expect(run.main.exitCode).not.toBe(0);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(
      /manifests.*cluster-scoped ClusterRole preview-reader \(k8s\/role\.yaml/,
    );
    const after = (await get(`/apis/apps/v1/namespaces/${NS}/deployments/api`)).json;
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect((await get('/apis/rbac.authorization.k8s.io/v1/clusterroles/preview-reader')).status).toBe(404);
  });

  it('closed → the namespace deleted and waited for, the pr tag removed; closed again → succeeds, nothing to remove', async () => {
    const tagsBefore = await registryTags(repository);
    expect(tagsBefore.has(`pr-${PR}`)).toBe(true);
    const run = await preview(pullRequest('closed', sha(0x502)));
    expect(errorsOf(run.main.stdout), run.main.stdout).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toContain(`Namespace ${NS} deleted.`);
    expect(run.main.stdout).toContain(`Preview of PR #${PR} (namespace ${NS}) removed.`);
    expect(await namespaceStatus(NS)).toBe(404);
    const tagsAfter = await registryTags(repository);
    expect(tagsAfter.has(`pr-${PR}`)).toBe(false);
    // Only the tag went: the image's sha- tag still points to it.
    const shaTags = [...tagsBefore].filter(
      ([t, d]) => t.startsWith('sha-') && d === tagsBefore.get(`pr-${PR}`),
    );
    expect(shaTags.length).toBeGreaterThan(0);
    for (const [t, d] of shaTags) expect(tagsAfter.get(t)).toBe(d);
    await baseUntouched();
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain('Preview removed');
    expect(github.deployments.map((d) => d.statuses.at(-1)?.state)).toEqual(['inactive', 'inactive']);

    const again = await preview(pullRequest('closed', sha(0x502)));
    expect(again.main.exitCode).toBe(0);
    expect(again.main.stdout).toContain(`Namespace ${NS} does not exist: already gone.`);
    expect(again.main.stdout).toContain('nothing to remove, it was already gone');
  });

  it('preview: cleanup finds the closed PR’s namespace by its labels and removes it; the open one’s stays', async () => {
    writeManifests(files());
    const [closed, open] = [PR + 1, PR + 2];
    for (const pr of [closed, open]) {
      const made = await preview(pullRequest('opened', sha(0x510 + pr - PR), pr));
      expect(errorsOf(made.main.stdout), made.main.stdout).toEqual([]);
      expect(await namespaceStatus(`default-pr-${pr}`)).toBe(200);
    }
    github.setPull(closed, 'closed');
    github.setPull(open, 'open');
    const schedule: GithubEvent = {
      name: 'schedule',
      ref: 'refs/heads/main',
      sha: sha(0x520),
      payload: { schedule: '0 3 * * *', repository: { full_name: 'octo-org/hello-app' } },
    };
    const run = await preview(schedule, { preview: 'cleanup' });
    expect(errorsOf(run.main.stdout), run.main.stdout).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toContain('Preview cleanup: 1 removed, 1 kept.');
    expect(run.main.stdout).toContain(`Kept: namespace default-pr-${open} (PR #${open} is open)`);
    expect(await namespaceStatus(`default-pr-${closed}`)).toBe(404);
    expect(await namespaceStatus(`default-pr-${open}`)).toBe(200);
    expect(comments(closed)[0]?.body).toContain('Preview removed');
    expect(comments(open)[0]?.body).toContain('Preview ready');
    await baseUntouched();

    const closing = await preview(pullRequest('closed', sha(0x512), open));
    expect(closing.main.exitCode).toBe(0);
    expect(await namespaceStatus(`default-pr-${open}`)).toBe(404);
  });

  it('a rollout that fails: the step fails, the comment says so and the deployment status is failure', async () => {
    const pr = PR + 3;
    writeManifests({
      ...files(),
      'bad.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: bad }\nspec:\n  replicas: 1${pod('bad', `${registry}/missing-${repository}:1`)}\n`,
    });
    const run = await preview(pullRequest('opened', sha(0x530), pr), { 'rollback-on-failure': 'false' });
    writeManifests({ 'bad.yaml': '' });
    expect(run.main.exitCode).not.toBe(0);
    const results = JSON.parse(run.outputs.results!) as { name: string; status: string; reason?: string }[];
    const bad = results.find((r) => r.name === `default-pr-${pr}/deployment/bad`);
    expect(bad?.status).toBe('failed');
    expect(bad?.reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(run.outputs['preview-url'] ?? '').toBe('');
    expect(comments(pr)).toHaveLength(1);
    expect(comments(pr)[0]!.body).toContain('Preview deploy failed');
    const mine = github.deployments.filter((d) => d.environment === `pr-${pr}`);
    expect(mine.map((d) => d.statuses.map((x) => x.state))).toEqual([['in_progress', 'failure']]);

    const closing = await preview(pullRequest('closed', sha(0x530), pr));
    expect(closing.main.exitCode, closing.main.stdout).toBe(0);
    expect(await namespaceStatus(`default-pr-${pr}`)).toBe(404);
  });
});
