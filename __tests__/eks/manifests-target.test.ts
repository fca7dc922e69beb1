// Applying manifests through the driver, in-process: a scripted Kubernetes API and a fake clock.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runTarget } from '../../src/deploy/driver.ts';
import type { DeployOptions, EksResult } from '../../src/deploy/types.ts';
import { KubeApiError } from '../../src/eks/kube-client.ts';
import { prepareManifestsTarget } from '../../src/eks/manifests-target.ts';
import { deploySummary } from '../../src/report/deploy-report.ts';
import { FakeClock } from '../fakes/clock.ts';
import { RecordingLog } from '../fakes/log.ts';
import { FakeManifestKube } from './fake-manifest-kube.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';
const NEW = `${REPO}@sha256:${'a'.repeat(64)}`;
const BROKEN = `${REPO}@sha256:${'b'.repeat(64)}`;
const DEPLOY: DeployOptions = {
  wait: true,
  timeoutMs: 10 * 60_000,
  failFastAfter: 2,
  rollbackOnFailure: true,
  dryRun: false,
};
const DEPLOYMENT_PATH = '/apis/apps/v1/namespaces/web/deployments/api';

const pod = (name: string) => `
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: "${REPO}:placeholder" }]`;
const FILES: Record<string, string> = {
  'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { LEVEL: info }\n',
  'service.yaml':
    'apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { selector: { app: api }, ports: [{ port: 80 }] }\n',
  'ingress.yaml':
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: api }\nspec: { defaultBackend: { service: { name: api, port: { number: 80 } } } }\n',
  'deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  replicas: 2${pod('api')}\n`,
  'hpa.yaml':
    'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: api }\nspec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }, minReplicas: 2, maxReplicas: 10 }\n',
};

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function world(files: Record<string, string> = FILES) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  const write = (tree: Record<string, string>) => {
    rmSync(path.join(dir, 'k8s'), { recursive: true, force: true });
    mkdirSync(path.join(dir, 'k8s'));
    for (const [name, text] of Object.entries(tree)) writeFileSync(path.join(dir, 'k8s', name), text);
  };
  write(files);
  const clock = new FakeClock();
  const kube = new FakeManifestKube(clock);
  kube.seed('/api/v1/namespaces/web', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  const log = new RecordingLog();
  cleanup.push(() => {
    kube.stop();
    clock.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, clock, kube, log, write };
}

type World = ReturnType<typeof world>;

const prepare = (w: World, manifests: { forceConflicts?: boolean; prune?: boolean } = {}) =>
  prepareManifestsTarget({
    target: {
      kind: 'eks',
      cluster: 'prod',
      namespace: 'web',
      deployments: [],
      containers: [],
      manifests: { entries: ['k8s'], cwd: w.dir, forceConflicts: false, prune: false, ...manifests },
    },
    kube: w.kube,
    clock: w.clock,
    log: w.log,
    repositoryUri: REPO,
    runUrl: 'https://github.com/octo/app/actions/runs/1',
  });

async function deploy(
  w: World,
  options: {
    image?: string;
    deploy?: Partial<DeployOptions>;
    prune?: boolean;
    forceConflicts?: boolean;
  } = {},
): Promise<EksResult[]> {
  const port = await prepare(w, {
    prune: options.prune ?? false,
    forceConflicts: options.forceConflicts ?? false,
  });
  return (await runTarget(
    port,
    { imageRef: options.image ?? NEW, repositoryUri: REPO },
    { deploy: { ...DEPLOY, ...options.deploy }, clock: w.clock, log: w.log },
  )) as EksResult[];
}

const applies = (w: World, dryRun: boolean) =>
  w.kube.calls
    .filter(
      (c) =>
        c.method === 'PATCH' &&
        c.path.includes('fieldManager=ecr-deploy') &&
        c.path.includes('dryRun=All') === dryRun,
    )
    .map((c) => c.path.split('?')[0]!.split('/').slice(-2).join('/'));

describe('applying manifests', () => {
  it('dry-runs every object, applies them in dependency order with the digest, and waits for the Deployment', async () => {
    const w = world();
    const [result] = await deploy(w);
    expect(result).toMatchObject({
      target: 'eks',
      kind: 'Deployment',
      name: 'web/deployment/api',
      status: 'completed',
    });
    const order = [
      'configmaps/settings',
      'services/api',
      'deployments/api',
      'horizontalpodautoscalers/api',
      'ingresses/api',
    ];
    expect(applies(w, false)).toEqual(order);
    // Checked twice before the first change: while preparing (stand-in digest), then with the real one.
    expect(applies(w, true)).toEqual([...order, ...order]);
    const firstReal = w.kube.calls.findIndex((c) => c.method === 'PATCH' && !c.path.includes('dryRun'));
    expect(w.kube.calls.slice(firstReal).some((c) => c.path.includes('dryRun=All'))).toBe(false);
    const d = w.kube.object(DEPLOYMENT_PATH)!;
    expect(d.spec.template.spec.containers[0].image).toBe(NEW);
    expect(d.metadata.namespace).toBe('web');
    expect(w.log.text()).toMatch(/ConfigMap web\/settings: created/);
  });

  it('keeps the count the HPA set: the next deploy applies no replicas', async () => {
    const w = world();
    await deploy(w);
    expect(w.kube.object(DEPLOYMENT_PATH)!.spec.replicas).toBeUndefined();
    w.kube.scale(DEPLOYMENT_PATH, 5);
    const [result] = await deploy(w, { image: `${REPO}@sha256:${'c'.repeat(64)}` });
    expect(result!.status).toBe('completed');
    expect(w.kube.object(DEPLOYMENT_PATH)!.spec.replicas).toBe(5);
    const sent = w.kube.calls.filter((c) => c.method === 'PATCH' && c.path.startsWith(DEPLOYMENT_PATH));
    expect(sent.every((c) => (c.body as { spec: { replicas?: number } }).spec.replicas === undefined)).toBe(
      true,
    );
  });

  it('an HPA scaling the Deployment while it rolls out (a newer generation, our template) is not a change of someone else', async () => {
    const w = world();
    w.clock.at(w.clock.now() + 1500, () => w.kube.scale(DEPLOYMENT_PATH, 4));
    const [result] = await deploy(w);
    expect(result!.status).toBe('completed');
    expect(w.kube.object(DEPLOYMENT_PATH)!.metadata.generation).toBe(2);
    expect(w.kube.object(DEPLOYMENT_PATH)!.status.availableReplicas).toBe(4);
  });

  it('stops on a field another manager owns, naming both, before anything is applied', async () => {
    const w = world();
    w.kube.conflictOn(/deployments\/api/, '.spec.template.spec.containers[name="app"].image', 'kubectl-edit');
    await expect(prepare(w)).rejects.toThrow(
      /Input "manifests": Deployment web\/api: conflict: \.spec\.template\.spec\.containers\[name="app"\]\.image is owned by "kubectl-edit"\..*force-conflicts: true/,
    );
    expect(applies(w, false)).toEqual([]);
    const [forced] = await deploy(w, { forceConflicts: true });
    expect(forced!.status).toBe('completed');
    expect(w.kube.calls.some((c) => c.path.includes('force=true'))).toBe(true);
  });

  it('prunes a dropped ConfigMap it applied before, and nothing else', async () => {
    const w = world({
      ...FILES,
      'extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\n',
    });
    w.kube.seed('/api/v1/namespaces/web/configmaps/someone-elses', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'someone-elses', namespace: 'web' },
    });
    await deploy(w, { prune: true });
    expect(w.kube.object('/api/v1/namespaces/web/configmaps/extra')!.metadata.labels).toMatchObject({
      'applyset.kubernetes.io/part-of': expect.stringMatching(/^applyset-/),
    });
    const parent = w.kube.object('/api/v1/namespaces/web/secrets/ecr-deploy-applyset-web')!;
    expect(parent.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe(
      'ConfigMap,Deployment.apps,HorizontalPodAutoscaler.autoscaling,Ingress.networking.k8s.io,Service',
    );
    w.write(FILES);
    await deploy(w, { prune: true });
    expect(w.kube.object('/api/v1/namespaces/web/configmaps/extra')).toBeUndefined();
    expect(w.kube.object('/api/v1/namespaces/web/configmaps/settings')).toBeDefined();
    expect(w.kube.object('/api/v1/namespaces/web/configmaps/someone-elses')).toBeDefined();
    expect(w.kube.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/api/v1/namespaces/web/configmaps/extra',
    ]);
    expect(w.log.text()).toMatch(/ConfigMap web\/extra: pruned/);
  });

  it('waits for a StatefulSet, a DaemonSet and a Job; a bad image fails only its own workload, fast', async () => {
    const w = world({
      'db.yaml': `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec:\n  replicas: 2\n  serviceName: db${pod('db')}\n`,
      'agent.yaml': `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: agent }\nspec:${pod('agent').replace(`${REPO}:placeholder`, 'busybox:broken')}\n`,
      'migrate.yaml': `apiVersion: batch/v1\nkind: Job\nmetadata: { name: migrate }\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{ name: run, image: "${REPO}:placeholder" }]\n`,
    });
    w.kube.pullFails('busybox:broken');
    const started = w.clock.now();
    const results = await deploy(w);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['web/daemonset/agent', 'failed'],
      ['web/statefulset/db', 'completed'],
      ['web/job/migrate', 'completed'],
    ]);
    const agent = results.find((r) => r.kind === 'DaemonSet')!;
    expect(agent.reason).toMatch(/container app: ErrImagePull/);
    expect(agent.reason).toMatch(/not rolled back: DaemonSet agent did not exist before this deploy/);
    expect(w.clock.now() - started).toBeLessThan(30_000);
    expect(results.find((r) => r.kind === 'StatefulSet')!.revision).toBe('db-1');
    expect(w.log.text()).toMatch(/partitioned roll out complete|statefulset rolling update complete/);
  });

  it('rolls a failed Deployment back to the template it had before', async () => {
    const w = world();
    await deploy(w);
    w.kube.pullFails(BROKEN);
    const [result] = await deploy(w, { image: BROKEN });
    expect(result!.status).toBe('rolled-back');
    expect(result!.reason).toMatch(/ErrImagePull/);
    expect(w.kube.object(DEPLOYMENT_PATH)!.spec.template.spec.containers[0].image).toBe(NEW);
  });

  it('dry run: the server-side dry run diff, printed and in the summary, and nothing applied', async () => {
    const w = world();
    await deploy(w);
    w.write({ ...FILES, 'config.yaml': FILES['config.yaml']!.replace('info', 'debug') });
    const results = await deploy(w, { deploy: { dryRun: true } });
    expect(results[0]).toMatchObject({ status: 'dry-run', name: 'web/deployment/api' });
    expect(w.log.text()).toMatch(/ConfigMap web\/settings: would change/);
    expect(w.log.text()).toMatch(/-\s+LEVEL: info\n.*\+\s+LEVEL: debug/);
    expect(w.log.text()).not.toMatch(/[-+]\s+image:/);
    expect(results[0]!.diff).toMatch(
      /^Deployment web\/api: unchanged\nConfigMap web\/settings: would change/,
    );
    expect(deploySummary(results)).toMatch(
      /<details><summary>web\/deployment\/api: what would change<\/summary>[\s\S]*```diff/,
    );
    expect(w.kube.object('/api/v1/namespaces/web/configmaps/settings')!.data).toEqual({ LEVEL: 'info' });
  });

  it('an API failure while applying fails every workload and says what was already applied', async () => {
    const w = world();
    w.kube.failOn(
      /^PATCH \/apis\/apps\/v1\/namespaces\/web\/deployments\/api\?fieldManager=ecr-deploy$/,
      () => new KubeApiError(503, 'ServiceUnavailable', 'try again'),
    );
    const [result] = await deploy(w);
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(
      /Applying Deployment web\/api: try again \(already applied: ConfigMap web\/settings, Service web\/api\)/,
    );
    expect(w.kube.object('/apis/networking.k8s.io/v1/namespaces/web/ingresses/api')).toBeUndefined();
  });

  it('refuses manifests the cluster has no kind for, naming it', async () => {
    const w = world({ 'w.yaml': 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: { name: g }\n' });
    await expect(prepare(w)).rejects.toThrow(
      /Input "manifests": the cluster serves example.com\/v1 but no kind Gadget in it \(Widget\)/,
    );
  });

  it('applies kinds found through discovery and reports the objects as one result when there is no workload', async () => {
    const w = world({
      'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: g }\nspec: { size: 2 }\n',
    });
    const results = await deploy(w);
    expect(results).toEqual([expect.objectContaining({ name: 'web/1-objects', status: 'completed' })]);
    expect(w.kube.object('/apis/example.com/v1/namespaces/web/widgets/g')!.spec).toEqual({ size: 2 });
  });
});
