import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { EksControl } from '../sandbox/eks/control-client.ts';
import { deployment, raw, testCluster, type TestCluster } from '../sandbox/__tests__/eks-helpers.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';

const SANDBOX_PRINCIPAL = 'arn:aws:iam::123456789012:user/sandbox';
let host: string;
let repository: string;
let digest: string;
let v1: string;

interface Dep {
  metadata: { generation: number; annotations?: Record<string, string> };
  spec: {
    template: {
      spec: {
        containers: { name: string; image: string }[];
        initContainers?: { name: string; image: string }[];
      };
    };
  };
  status?: { availableReplicas?: number; updatedReplicas?: number };
}

async function create(c: TestCluster, path: string, body: Record<string, unknown>): Promise<void> {
  const res = await raw(c, 'POST', path, { token: c.token, body });
  if (res.status >= 300) throw new Error(`create ${path}: ${res.status} ${res.body}`);
}

async function getDeployment(c: TestCluster, name: string): Promise<Dep> {
  return (
    await raw(c, 'GET', `/apis/apps/v1/namespaces/default/deployments/${name}`, { token: c.token })
  ).json() as unknown as Dep;
}

/** A cluster with a Deployment `web` running v1 of our image, rolled out. */
async function clusterWithWeb(
  extra: Record<string, unknown> = {},
  timeScale = 0.05,
  runtime: 'simulated' | 'containers' = 'simulated',
): Promise<TestCluster> {
  const c = await testCluster(timeScale, runtime);
  const body = deployment('web', v1, extra);
  await create(c, '/apis/apps/v1/namespaces/default/deployments', body);
  for (let i = 0; i < 200; i++) {
    const d = await getDeployment(c, 'web');
    if (d.status?.availableReplicas === 3 && d.status.updatedReplicas === 3) return c;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('web never became available');
}

function deploy(c: TestCluster, inputs: Record<string, string> = {}) {
  return runAction({
    inputs: {
      image: `${host}/${repository}@${digest}`,
      'eks-cluster': c.name,
      deployment: 'web',
      timeout: '2m',
      ...inputs,
    },
    event: branchPush('main', sha(0x300)),
    workspace: workspace(),
    env: sandbox(),
  });
}

beforeAll(async () => {
  host = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('eks-app');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x2ff)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  digest = built.outputs['image-digest']!;
  v1 = `${host}/${repository}:v1`;
});

describe('EKS deploy, end to end through dist/ against the sandbox', { timeout: E2E_TEST_MS }, () => {
  it('patches by digest, watches the rollout to completion, and a second run is unchanged', async () => {
    const c = await clusterWithWeb();
    const run = await deploy(c);
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      'rollout-status': 'completed',
      revision: '2',
      'previous-revision': '1',
      'rolled-back': 'false',
    });
    expect(run.main.stdout).toMatch(/deployment "web" successfully rolled out/);
    const d = await getDeployment(c, 'web');
    expect(d.spec.template.spec.containers[0]!.image).toBe(`${host}/${repository}@${digest}`);
    expect(d.metadata.annotations?.['kubernetes.io/change-cause']).toMatch(/^ecr-deploy: .*@sha256:/);
    // The token the action minted is masked and appears nowhere else.
    const token = /::add-mask::(k8s-aws-v1\.\S+)/.exec(run.main.stdout)?.[1];
    expect(token).toBeDefined();
    const visible = run.main.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const text of [visible, run.main.stderr, JSON.stringify(run.outputs), run.summary])
      expect(text.includes(token!)).toBe(false);

    const again = await deploy(c);
    expect(again.main.exitCode, again.main.stdout).toBe(0);
    expect(again.outputs['rollout-status']).toBe('unchanged');
    expect((await getDeployment(c, 'web')).metadata.generation).toBe(d.metadata.generation);
  });

  it('rolls out pods that run as real containers of the pushed image', async () => {
    const c = await clusterWithWeb({}, 0.05, 'containers');
    const run = await deploy(c);
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const docker = (args: string[]) =>
      execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
    const ids = docker(['ps', '-q', '--filter', `label=ecr-deploy.sandbox.eks-cluster=${c.name}`]);
    // The image as the container was started with (docker ps shows a digest reference without its digest).
    // One at a time: an old pod's container listed by `ps` may be removed before it is inspected.
    const running = ids.flatMap((id) => {
      try {
        return docker(['inspect', '--format', '{{.Config.Image}}', id]);
      } catch {
        return [];
      }
    });
    expect(running.filter((image) => image === `${host}/${repository}@${digest}`)).toHaveLength(3);
  });

  it('patches only our repository’s containers, init containers included', async () => {
    const c = await testCluster();
    const body = deployment('web', v1);
    const spec = (body.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    spec.containers = [
      ...(spec.containers as object[]),
      { name: 'sidecar', image: `${host}/busybox:latest` },
    ];
    spec.initContainers = [{ name: 'migrate', image: v1 }];
    await create(c, '/apis/apps/v1/namespaces/default/deployments', body);
    const run = await deploy(c);
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    const d = await getDeployment(c, 'web');
    const images = Object.fromEntries(
      [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])].map((x) => [
        x.name,
        x.image,
      ]),
    );
    expect(images).toEqual({
      app: `${host}/${repository}@${digest}`,
      sidecar: `${host}/busybox:latest`,
      migrate: `${host}/${repository}@${digest}`,
    });
  });

  it('fails within seconds on ErrImagePull and is back on the previous template, rolled out', async () => {
    const c = await clusterWithWeb();
    const run = await deploy(c, { containers: `app=${host}/${repository}:no-such-tag` });
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('rolled-back');
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/container app: (ErrImagePull|ImagePullBackOff)/);
    const d = await getDeployment(c, 'web');
    expect(d.spec.template.spec.containers[0]!.image).toBe(v1);
    expect(d.status?.availableReplicas).toBe(3);
    // The pods' failure decided it, not the Deployment's progress deadline.
    expect(run.main.stdout).not.toMatch(/ProgressDeadlineExceeded/);
  });

  it('reports CrashLoopBackOff after the restarts, with the exit code and the last log lines', async () => {
    const c = await clusterWithWeb();
    await new EksControl().scriptImage(c.name, `${host}/${repository}@${digest}`, {
      exitCode: 3,
      crashAfterSeconds: 1,
      logs: ['starting web', 'fatal: DATABASE_URL is not set'],
    });
    const run = await deploy(c, { 'rollback-on-failure': 'false' });
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('failed');
    const error = errorsOf(run.main.stdout).join('\n');
    expect(error).toMatch(/container app: CrashLoopBackOff after [2-9] restart\(s\); last exit code 3/);
    expect(error).toMatch(/fatal: DATABASE_URL is not set/);
  });

  it('fails at once on ReplicaFailure (pods refused), well before the progress deadline', async () => {
    const c = await clusterWithWeb({ progressDeadlineSeconds: 600 });
    await new EksControl().refusePodCreation(c.name, { image: `${host}/${repository}@${digest}` });
    const run = await deploy(c);
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status'], run.outputs.results).toBe('rolled-back');
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(
      /ReplicaFailure: FailedCreate .*forbidden: exceeded quota/,
    );
    expect((await getDeployment(c, 'web')).spec.template.spec.containers[0]!.image).toBe(v1);
  });

  it('fails with ProgressDeadlineExceeded when pods never become ready', async () => {
    const c = await clusterWithWeb({ progressDeadlineSeconds: 20 });
    await new EksControl().scriptImage(c.name, `${host}/${repository}@${digest}`, { neverReady: true });
    const run = await deploy(c, { 'rollback-on-failure': 'false' });
    expect(run.main.exitCode).toBe(1);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/ProgressDeadlineExceeded/);
  });

  it('reaches the right verdict when the watches are dropped and resumed past the history (410)', async () => {
    const c = await clusterWithWeb({}, 0.3);
    const control = new EksControl();
    await control.settings(c.name, { watchHistory: 2 });
    const running = deploy(c);
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 700));
      await control.dropWatches(c.name);
    }
    const run = await running;
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    expect(run.main.stdout).toMatch(/The watch on .* (dropped|expired)/);
  });

  it('completes through 503s on the ReplicaSet reads and the pod watch', async () => {
    const c = await clusterWithWeb();
    const control = new EksControl();
    await control.addFault(c.name, {
      kind: 'error',
      status: 503,
      count: 3,
      pathContains: '/replicasets',
      watch: false,
    });
    await control.addFault(c.name, { kind: 'error', status: 503, count: 2, pathContains: '/pods' });
    try {
      const run = await deploy(c);
      expect(run.main.exitCode, run.main.stdout).toBe(0);
      expect(run.outputs['rollout-status']).toBe('completed');
      expect(run.main.stdout).toMatch(/The watch on \/api\/v1\/namespaces\/[^ ]+\/pods dropped/);
    } finally {
      await control.clearFaults(c.name);
    }
  });

  it('names the principal on 401, and the verb and namespace on 403, patching nothing', async () => {
    const c = await clusterWithWeb();
    const control = new EksControl();
    await control.putAccessEntry(c.name, SANDBOX_PRINCIPAL, ['readers']);
    await control.setRbac(c.name, 'Group', 'readers', [
      { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'], namespaces: ['default'] },
    ]);
    const forbidden = await deploy(c);
    expect(forbidden.main.exitCode).toBe(1);
    expect(errorsOf(forbidden.main.stdout).join('\n')).toMatch(
      /cannot patch deployments in namespace "default".*Bind a Role/,
    );
    expect((await getDeployment(c, 'web')).metadata.generation).toBe(1);

    await control.deleteAccessEntry(c.name, SANDBOX_PRINCIPAL);
    const unauthorized = await deploy(c);
    expect(unauthorized.main.exitCode).toBe(1);
    expect(errorsOf(unauthorized.main.stdout).join('\n')).toMatch(
      new RegExp(
        `does not accept the credentials of ${SANDBOX_PRINCIPAL} \\(401 Unauthorized\\).*create-access-entry`,
      ),
    );
  });

  it('refuses a StatefulSet by that name, and an unknown container, before building', async () => {
    const c = await clusterWithWeb();
    await create(c, '/apis/apps/v1/namespaces/default/statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        replicas: 1,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: v1 }] } },
      },
    });
    const sts = await runAction({
      inputs: { repository, 'eks-cluster': c.name, deployment: 'db' },
      event: branchPush('main', sha(0x301)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(sts.main.exitCode).toBe(1);
    expect(errorsOf(sts.main.stdout).join('\n')).toMatch(
      /Input "deployment": "db" in namespace default is a StatefulSet; only Deployments are supported/,
    );
    expect(sts.main.stdout).not.toMatch(/\[command\]\S*(docker|buildah)/);

    const unknown = await deploy(c, { containers: 'nope' });
    expect(unknown.main.exitCode).toBe(1);
    expect(errorsOf(unknown.main.stdout).join('\n')).toMatch(
      /has no container "nope"; its containers are: app/,
    );
  });
});
