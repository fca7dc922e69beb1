// Applying manifests, end to end: dist/ run as the runner runs it, against the sandbox's API server
// (server-side apply with managedFields, HPA, StatefulSet/DaemonSet/Job controllers).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { EksControl } from '../sandbox/eks/control-client.ts';
import { raw, testCluster, type TestCluster } from '../sandbox/__tests__/eks-helpers.ts';
import { E2E_TEST_MS, branchPush, repoName, sandbox, sha, workspace } from './helpers.ts';

let host: string;
let repository: string;
let digest: string;

beforeAll(async () => {
  host = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('eks-manifests');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x400)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  digest = built.outputs['image-digest']!;
});

const podTemplate = (name: string, image: string) => `
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: "${image}" }]`;

const app = () => ({
  'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { LEVEL: info }\n',
  'service.yaml':
    'apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { selector: { app: api }, ports: [{ port: 80 }] }\n',
  'ingress.yaml':
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: api }\nspec: { defaultBackend: { service: { name: api, port: { number: 80 } } } }\n',
  'deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  replicas: 2${podTemplate('api', `${host}/${repository}:v1`)}\n`,
  'hpa.yaml':
    'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: api }\nspec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }, minReplicas: 2, maxReplicas: 10 }\n',
});

/** A workspace whose k8s/ folder holds `files` (replacing what was there). */
function manifests(files: Record<string, string>, dir = workspace()): string {
  mkdirSync(path.join(dir, 'k8s'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'k8s', name), text);
  return dir;
}

function deploy(c: TestCluster, dir: string, inputs: Record<string, string> = {}) {
  return runAction({
    inputs: {
      image: `${host}/${repository}@${digest}`,
      'eks-cluster': c.name,
      manifests: 'k8s',
      timeout: '2m',
      ...inputs,
    },
    event: branchPush('main', sha(0x401)),
    workspace: dir,
    env: sandbox(),
  });
}

async function get(c: TestCluster, p: string): Promise<{ status: number; json: Loose }> {
  const res = await raw(c, 'GET', p, { token: c.token });
  return { status: res.status, json: res.status < 300 ? res.json() : {} };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const DEPLOYMENT = '/apis/apps/v1/namespaces/default/deployments/api';

describe('EKS manifests, end to end through dist/ against the sandbox', { timeout: E2E_TEST_MS }, () => {
  it('applies a folder by digest; the HPA scales to 5 and the next deploy keeps 5', async () => {
    const c = await testCluster();
    const dir = manifests(app());
    const run = await deploy(c, dir);
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const d = (await get(c, DEPLOYMENT)).json;
    expect(d.spec.template.spec.containers[0].image).toBe(`${host}/${repository}@${digest}`);
    for (const p of [
      '/api/v1/namespaces/default/configmaps/settings',
      '/api/v1/namespaces/default/services/api',
      '/apis/networking.k8s.io/v1/namespaces/default/ingresses/api',
    ])
      expect((await get(c, p)).status, p).toBe(200);

    await new EksControl().setHpaDesiredReplicas(c.name, 'default', 'api', 5);
    for (let i = 0; i < 100 && (await get(c, DEPLOYMENT)).json.spec.replicas !== 5; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await get(c, DEPLOYMENT)).json.spec.replicas).toBe(5);
    const again = await deploy(c, dir);
    expect(again.main.exitCode, again.main.stdout).toBe(0);
    expect((await get(c, DEPLOYMENT)).json.spec.replicas).toBe(5);
  });

  it('stops on a field another manager owns, naming it, with nothing applied', async () => {
    const c = await testCluster();
    const res = await raw(
      c,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/settings?fieldManager=other-tool',
      {
        token: c.token,
        contentType: 'application/apply-patch+yaml',
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'settings' },
          data: { LEVEL: 'warn' },
        },
      },
    );
    expect(res.status, res.body).toBeLessThan(300);
    const run = await deploy(c, manifests(app()));
    expect(run.main.exitCode).not.toBe(0);
    expect(run.main.stdout).toMatch(/\.data\.LEVEL is owned by "other-tool"/);
    expect((await get(c, DEPLOYMENT)).status).toBe(404);
    expect((await get(c, '/api/v1/namespaces/default/configmaps/settings')).json.data).toEqual({
      LEVEL: 'warn',
    });
  });

  it('prunes a dropped ConfigMap and nothing else', async () => {
    const c = await testCluster();
    const other = await raw(c, 'POST', '/api/v1/namespaces/default/configmaps', {
      token: c.token,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-ours' } },
    });
    expect(other.status).toBeLessThan(300);
    const files = { ...app(), 'extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\n' };
    const dir = manifests(files);
    const first = await deploy(c, dir, { prune: 'true' });
    expect(first.main.exitCode, first.main.stdout).toBe(0);
    expect((await get(c, '/api/v1/namespaces/default/configmaps/extra')).status).toBe(200);
    writeFileSync(path.join(dir, 'k8s', 'extra.yaml'), '');
    const second = await deploy(c, dir, { prune: 'true' });
    expect(second.main.exitCode, second.main.stdout).toBe(0);
    expect((await get(c, '/api/v1/namespaces/default/configmaps/extra')).status).toBe(404);
    expect((await get(c, '/api/v1/namespaces/default/configmaps/not-ours')).status).toBe(200);
    expect((await get(c, '/api/v1/namespaces/default/configmaps/settings')).status).toBe(200);
  });

  it('waits for a StatefulSet and a DaemonSet; a bad image fails its own workload, the others are reported', async () => {
    const c = await testCluster();
    const ours = `${host}/${repository}:v1`;
    const run = await deploy(
      c,
      manifests({
        'db.yaml': `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec:\n  replicas: 2\n  serviceName: db${podTemplate('db', ours)}\n`,
        'agent.yaml': `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: agent }\nspec:${podTemplate('agent', ours)}\n`,
        'bad.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: bad }\nspec:\n  replicas: 1${podTemplate('bad', `${host}/missing-${repository}:1`)}\n`,
      }),
      { 'rollback-on-failure': 'false' },
    );
    expect(run.main.exitCode).not.toBe(0);
    const results = JSON.parse(run.outputs.results!) as {
      name: string;
      status: string;
      reason?: string;
      durationSeconds: number;
    }[];
    expect(Object.fromEntries(results.map((r) => [r.name, r.status]))).toEqual({
      'default/daemonset/agent': 'completed',
      'default/deployment/bad': 'failed',
      'default/statefulset/db': 'completed',
    });
    expect(results.find((r) => r.name === 'default/deployment/bad')!.reason).toMatch(
      /ErrImagePull|ImagePullBackOff/,
    );
    expect(run.summary).toMatch(/default\/statefulset\/db/);
  });

  it('builds a kustomization whose images: points at our repository', async () => {
    const c = await testCluster();
    const run = await deploy(
      c,
      manifests({
        'kustomization.yaml': `resources: [deploy.yaml]\nimages:\n  - name: app-image\n    newName: ${host}/${repository}\n`,
        'deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  replicas: 1${podTemplate('api', 'app-image:latest')}\n`,
      }),
    );
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect((await get(c, DEPLOYMENT)).json.spec.template.spec.containers[0].image).toBe(
      `${host}/${repository}@${digest}`,
    );
  });
});
