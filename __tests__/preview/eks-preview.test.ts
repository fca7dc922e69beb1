// An EKS preview in-process: the pure rewrites and refusals (tables), then the preparation and the driver
// against a scripted Kubernetes API and a fake clock, with a fault at every call.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runTarget } from '../../src/deploy/driver.ts';
import type { DeployOptions, DeployResult } from '../../src/deploy/types.ts';
import { InputError } from '../../src/errors.ts';
import { KubeApiError, type ManifestKubeApi } from '../../src/eks/kube-client.ts';
import { ManifestError, type KubeObject, type SourcedObject } from '../../src/eks/manifests/objects.ts';
import { eksPreviewOf, eksPreviewSelector, listEksPreviews } from '../../src/preview/cleanup-eks.ts';
import {
  PREVIEW_OF_LABEL,
  PREVIEW_PR_LABEL,
  PREVIEW_REPOSITORY_LABEL,
  repositoryLabelValue,
} from '../../src/preview/eks-names.ts';
import {
  notOurNamespace,
  prepareEksPreview,
  previewNamespaceManifest,
  previewObjects,
} from '../../src/preview/eks-preview.ts';
import { FakeManifestKube } from '../eks/fake-manifest-kube.ts';
import { FakeClock } from '../fakes/clock.ts';
import { RecordingLog } from '../fakes/log.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';
const NEW = `${REPO}@sha256:${'a'.repeat(64)}`;
const DEPLOY: DeployOptions = {
  wait: true,
  timeoutMs: 10 * 60_000,
  failFastAfter: 2,
  rollbackOnFailure: true,
  dryRun: false,
};
const REPOSITORY = 'Octo-Org/hello-app';
const who = { base: 'shop', pr: 7, repository: REPOSITORY };

describe('repositoryLabelValue', () => {
  it.each([
    ['octo-org/hello-app', 'octo-org.hello-app'],
    ['Octo-Org/Hello.App', 'octo-org.hello.app'],
    ['o/_x_', 'o._x'],
    ['', ''],
  ])('%s → %s', (repository, value) => {
    expect(repositoryLabelValue(repository)).toBe(value);
  });

  it('shortens a long name to a valid label value, different for two names sharing their start', () => {
    const a = repositoryLabelValue(`org/${'x'.repeat(90)}a`);
    const b = repositoryLabelValue(`org/${'x'.repeat(90)}b`);
    for (const v of [a, b]) expect(v).toMatch(/^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/);
    expect(a).not.toBe(b);
  });
});

const ns = (labels: Record<string, string> | undefined, name = 'shop-pr-7'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(labels ? { labels } : {}) },
});
const ours = {
  [PREVIEW_PR_LABEL]: '7',
  [PREVIEW_OF_LABEL]: 'shop',
  [PREVIEW_REPOSITORY_LABEL]: 'octo-org.hello-app',
};

describe('notOurNamespace', () => {
  it.each([
    ['our labels', ours, undefined],
    ['no labels (somebody made it by hand)', undefined, /preview-pr is missing \(expected "7"\)/],
    ['another PR', { ...ours, [PREVIEW_PR_LABEL]: '8' }, /preview-pr is "8", not "7"/],
    ['another base', { ...ours, [PREVIEW_OF_LABEL]: 'shop-pr-7' }, /preview-of is "shop-pr-7", not "shop"/],
    [
      'another repository',
      { ...ours, [PREVIEW_REPOSITORY_LABEL]: 'someone.else' },
      /preview-repository is "someone.else"/,
    ],
  ])('%s', (_what, labels, expected) => {
    const why = notOurNamespace(ns(labels), who);
    if (expected === undefined) expect(why).toBeUndefined();
    else expect(why).toMatch(expected);
  });
});

const sourced = (object: KubeObject, source = 'k8s/app.yaml:1'): SourcedObject => ({ object, source });
const namespaced = (o: KubeObject) => !['Namespace', 'ClusterRole', 'StorageClass'].includes(o.kind);
const rewrite = { ...who, namespace: 'shop-pr-7', host: 'pr-7.preview.example.com' };

describe('previewObjects', () => {
  it('puts the labelled preview namespace first, then every object moved into it', () => {
    const out = previewObjects(
      [sourced({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } })],
      namespaced,
      rewrite,
    );
    expect(out.map((o) => `${o.object.kind} ${o.object.metadata.namespace ?? ''}`)).toEqual([
      'Namespace ',
      'ConfigMap shop-pr-7',
    ]);
    expect(out[0]!.object.metadata).toEqual({
      name: 'shop-pr-7',
      labels: ours,
      annotations: { 'ecr-deploy.dev/repository': REPOSITORY },
    });
    expect(out[1]!.object.metadata.labels).toEqual({ [PREVIEW_PR_LABEL]: '7' });
  });

  it.each([
    [
      'a ServiceAccount of the manifests’ namespace',
      { kind: 'ServiceAccount', name: 'app', namespace: 'shop' },
      'shop-pr-7',
    ],
    [
      'a ServiceAccount of another namespace',
      { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
      'tools',
    ],
    ['a User', { kind: 'User', name: 'ann', apiGroup: 'rbac.authorization.k8s.io' }, undefined],
  ])('a RoleBinding subject that is %s', (_what, subject, namespace) => {
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'app', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [subject],
    };
    const [, out] = previewObjects([sourced(binding)], namespaced, rewrite);
    expect((out!.object.subjects as { namespace?: string }[])[0]!.namespace).toBe(namespace);
    expect((binding.subjects as { namespace?: string }[])[0]!.namespace).toBe(
      (subject as { namespace?: string }).namespace,
    );
  });

  it.each([
    [
      'a cluster-scoped object, naming it and its file',
      [
        sourced(
          { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } },
          'k8s/rbac.yaml:3',
        ),
      ],
      /cluster-scoped ClusterRole r \(k8s\/rbac\.yaml:3\)/,
    ],
    [
      'a Namespace of the manifests',
      [sourced({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } })],
      /cluster-scoped Namespace shop/,
    ],
    [
      'two objects that become one in the preview namespace',
      [
        sourced(
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' } },
          'k8s/a.yaml:1',
        ),
        sourced(
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'b' } },
          'k8s/b.yaml:1',
        ),
      ],
      /ConfigMap shop-pr-7\/c would be there twice .*k8s\/a\.yaml:1 and k8s\/b\.yaml:1/,
    ],
  ])('refuses %s', (_what, objects, message) => {
    expect(() => previewObjects(objects, namespaced, rewrite)).toThrow(ManifestError);
    expect(() => previewObjects(objects, namespaced, rewrite)).toThrow(message);
  });
});

describe('eksPreviewOf', () => {
  it.each([
    ['our preview namespace', ns(ours), 7],
    ['another repository', ns({ ...ours, [PREVIEW_REPOSITORY_LABEL]: 'x.y' }), undefined],
    ['another base', ns({ ...ours, [PREVIEW_OF_LABEL]: 'cart' }), undefined],
    ['a name that is not the PR’s', ns(ours, 'shop-pr-8'), undefined],
    ['a PR label that is no number', ns({ ...ours, [PREVIEW_PR_LABEL]: '07' }, 'shop-pr-07'), undefined],
    ['no labels', ns(undefined), undefined],
  ])('%s', (_what, object, pr) => {
    expect(eksPreviewOf('shop', REPOSITORY, object)).toBe(pr);
  });

  it('lists by label selector, only the namespaces that are ours, by PR', async () => {
    const asked: string[] = [];
    const kube = {
      async get<T>(p: string): Promise<T> {
        asked.push(p);
        return {
          items: [ns({ ...ours, [PREVIEW_PR_LABEL]: '9' }, 'shop-pr-9'), ns(ours), ns(ours, 'shop-pr-1')],
        } as T;
      },
    };
    expect(await listEksPreviews(kube, 'shop', REPOSITORY)).toEqual([
      { pr: 7, what: 'namespace shop-pr-7' },
      { pr: 9, what: 'namespace shop-pr-9' },
    ]);
    expect(asked).toEqual([
      `/api/v1/namespaces?labelSelector=${encodeURIComponent(eksPreviewSelector('shop', REPOSITORY))}`,
    ]);
    expect(decodeURIComponent(asked[0]!)).toContain(
      'ecr-deploy.dev/preview-of=shop,ecr-deploy.dev/preview-repository=octo-org.hello-app',
    );
  });
});

// ---- the preparation and the driver against a scripted API server ----

const pod = (name: string, image: string) => `
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: "${image}" }]`;
const FILES: Record<string, string> = {
  'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { LEVEL: info }\n',
  'deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api, namespace: shop }\nspec:\n  replicas: 2${pod('api', `${REPO}:latest`)}\n`,
  'ingress.yaml':
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: api }\nspec:\n  rules: [{ host: shop.example.com }]\n  tls: [{ hosts: [shop.example.com], secretName: tls }]\n',
};
const BASE_DEPLOYMENT = '/apis/apps/v1/namespaces/shop/deployments/api';
const PREVIEW_DEPLOYMENT = '/apis/apps/v1/namespaces/shop-pr-7/deployments/api';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function world(files: Record<string, string> = FILES) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eks-preview-'));
  const write = (tree: Record<string, string>) => {
    rmSync(path.join(dir, 'k8s'), { recursive: true, force: true });
    mkdirSync(path.join(dir, 'k8s'));
    for (const [name, text] of Object.entries(tree)) writeFileSync(path.join(dir, 'k8s', name), text);
  };
  write(files);
  const clock = new FakeClock();
  const kube = new FakeManifestKube(clock);
  kube.seed('/api/v1/namespaces/shop', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  kube.seed(BASE_DEPLOYMENT, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop', generation: 1 },
    spec: { replicas: 3, selector: { matchLabels: { app: 'api' } }, template: { spec: { containers: [] } } },
  });
  const log = new RecordingLog();
  cleanup.push(() => {
    kube.stop();
    clock.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, clock, kube, log, write };
}
type World = ReturnType<typeof world>;

const prepare = (
  w: World,
  kube: ManifestKubeApi = w.kube,
  host = 'https://pr-{number}.preview.example.com',
) =>
  prepareEksPreview({
    kube,
    target: {
      kind: 'eks',
      cluster: 'prod',
      namespace: 'shop',
      deployments: [],
      containers: [],
      manifests: { entries: ['k8s'], cwd: w.dir, forceConflicts: false, prune: false },
    },
    preview: {
      urlTemplate: host,
      listenerArn: undefined,
      desiredCount: 0,
      allowForks: false,
      githubToken: undefined,
    },
    pr: 7,
    repository: REPOSITORY,
    clock: w.clock,
    log: w.log,
    repositoryUri: REPO,
    runUrl: 'https://github.com/octo-org/hello-app/actions/runs/1',
  });

async function deploy(w: World, kube: ManifestKubeApi = w.kube): Promise<DeployResult[]> {
  const { port } = await prepare(w, kube);
  return runTarget(
    port,
    { imageRef: NEW, repositoryUri: REPO },
    { deploy: DEPLOY, clock: w.clock, log: w.log },
  );
}

/** Calls that change something (not a read, not a dry run, not a watch). */
const writes = (w: World) =>
  w.kube.calls.filter(
    (c) => c.method === 'DELETE' || (c.method === 'PATCH' && !c.path.includes('dryRun=All')),
  );

describe('prepareEksPreview + the driver', () => {
  it('opened: makes the labelled namespace, applies the rewritten objects with the digest, waits; the base is untouched', async () => {
    const w = world();
    const baseBefore = w.kube.object(BASE_DEPLOYMENT);
    const { namespace, port } = await prepare(w);
    expect(namespace).toBe('shop-pr-7');
    expect(writes(w)).toEqual([]);
    const results = await runTarget(
      port,
      { imageRef: NEW, repositoryUri: REPO },
      { deploy: DEPLOY, clock: w.clock, log: w.log },
    );
    expect(results.map((r) => [r.name, r.status])).toEqual([['shop-pr-7/deployment/api', 'completed']]);
    expect(w.kube.object('/api/v1/namespaces/shop-pr-7')!.metadata.labels).toMatchObject(ours);
    const d = w.kube.object(PREVIEW_DEPLOYMENT)!;
    expect(d.spec.template.spec.containers[0].image).toBe(NEW);
    expect(d.metadata.labels).toMatchObject({ [PREVIEW_PR_LABEL]: '7' });
    expect(w.kube.object('/api/v1/namespaces/shop-pr-7/configmaps/settings')!.metadata.labels).toMatchObject({
      [PREVIEW_PR_LABEL]: '7',
    });
    const ingress = w.kube.object('/apis/networking.k8s.io/v1/namespaces/shop-pr-7/ingresses/api')!;
    expect(ingress.spec).toMatchObject({
      rules: [{ host: 'pr-7.preview.example.com' }],
      tls: [{ hosts: ['pr-7.preview.example.com'] }],
    });
    // The namespace is made before any object goes into it; nothing is written in the base namespace.
    const first = writes(w)[0]!;
    expect(first.path).toMatch(/^\/api\/v1\/namespaces\/shop-pr-7\?/);
    expect(
      writes(w).filter((c) => /namespaces\/shop\//.test(c.path) || /namespaces\/shop\?/.test(c.path)),
    ).toEqual([]);
    // (The fake's controller reports status on it; its spec and generation are as they were.)
    expect(w.kube.object(BASE_DEPLOYMENT)!.spec).toEqual(baseBefore!.spec);
    expect(w.kube.object(BASE_DEPLOYMENT)!.metadata.generation).toBe(1);
  });

  it('synchronize: applies into the same namespace again and prunes what left the manifests', async () => {
    const w = world({
      ...FILES,
      'extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\n',
    });
    expect((await deploy(w))[0]!.status).toBe('completed');
    expect(w.kube.object('/api/v1/namespaces/shop-pr-7/configmaps/extra')).toBeDefined();
    w.write(FILES);
    const again = await deploy(w);
    expect(again[0]!.status).toBe('completed');
    expect(w.kube.object('/api/v1/namespaces/shop-pr-7/configmaps/extra')).toBeUndefined();
    expect(w.kube.object('/api/v1/namespaces/shop-pr-7/configmaps/settings')).toBeDefined();
    expect(w.kube.object('/api/v1/namespaces/shop-pr-7')).toBeDefined();
    expect(w.log.text()).toMatch(/Preview namespace shop-pr-7 exists/);
  });

  it.each([
    [
      'a cluster-scoped object in the manifests',
      (w: World) =>
        w.write({
          ...FILES,
          'role.yaml':
            'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: reader }\n',
        }),
      /Input "manifests": .*cluster-scoped ClusterRole reader \(k8s\/role\.yaml/,
    ],
    [
      'a namespace of that name that is not this preview',
      (w: World) =>
        w.kube.seed('/api/v1/namespaces/shop-pr-7', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'shop-pr-7', labels: { team: 'x' } },
        }),
      /Input "namespace": the preview namespace shop-pr-7 exists and is not the preview of PR #7 of shop/,
    ],
    [
      'a namespace still being deleted',
      (w: World) =>
        w.kube.seed('/api/v1/namespaces/shop-pr-7', {
          ...previewNamespaceManifest('shop-pr-7', who),
          status: { phase: 'Terminating' },
        }),
      /Namespace shop-pr-7 is being deleted \(phase Terminating/,
    ],
  ])('refuses %s before anything changes', async (_what, arrange, message) => {
    const w = world();
    arrange(w);
    await expect(prepare(w)).rejects.toThrow(message);
    expect(writes(w)).toEqual([]);
  });

  it('dry run: changes nothing and says the namespace and its objects would be created', async () => {
    const w = world();
    const { port } = await prepare(w);
    const results = await runTarget(
      port,
      { imageRef: NEW, repositoryUri: REPO },
      { deploy: { ...DEPLOY, dryRun: true }, clock: w.clock, log: w.log },
    );
    expect(results.map((r) => r.status)).toEqual(['dry-run']);
    expect(writes(w)).toEqual([]);
    expect(w.kube.object('/api/v1/namespaces/shop-pr-7')).toBeUndefined();
    expect(w.log.text()).toMatch(
      /Deployment shop-pr-7\/api: would be created \(in namespace shop-pr-7, which these manifests create\)/,
    );
  });

  it('a cluster-scoped object is an input error', async () => {
    const w = world();
    w.write({
      ...FILES,
      'sc.yaml': 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\n',
    });
    await expect(prepare(w)).rejects.toBeInstanceOf(InputError);
  });

  it('with an error at every call: it stops before any change, or the result says what failed', async () => {
    const probe = world();
    expect((await deploy(probe))[0]!.status).toBe('completed');
    const total = probe.kube.calls.length;
    expect(total).toBeGreaterThan(10);
    const seen = { stopped: 0, failed: 0, recovered: 0, undone: 0 };
    for (let n = 1; n <= total; n++) {
      const w = world();
      let count = 0;
      const fault = new KubeApiError(500, 'InternalError', `injected fault at call ${n}`);
      const failing = new Proxy(w.kube, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver) as unknown;
          if (
            typeof value !== 'function' ||
            !['get', 'patch', 'delete', 'post', 'watch'].includes(String(key))
          )
            return value;
          return (...args: unknown[]) => {
            count += 1;
            if (count === n) return Promise.reject(fault);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      let results: DeployResult[] | undefined;
      let error: Error | undefined;
      try {
        results = await deploy(w, failing);
      } catch (e) {
        error = e as Error;
      }
      if (error) {
        // Stopped while preparing: nothing was changed, and the message says what was being done.
        expect(error.message, `call ${n}`).toMatch(/injected fault at call/);
        expect(writes(w), `call ${n}`).toEqual([]);
        seen.stopped += 1;
      } else {
        const [result] = results!;
        expect(result, `call ${n}`).toBeDefined();
        if (result!.status !== 'completed') {
          expect(result!.reason, `call ${n}`).toMatch(/injected fault at call/);
          seen.failed += 1;
          // The apply of a new preview failed: its namespace went again (or the reason says why not).
          if (/deleted again/.test(result!.reason ?? '')) {
            seen.undone += 1;
            if (!/could not be deleted again/.test(result!.reason ?? ''))
              expect(w.kube.object('/api/v1/namespaces/shop-pr-7'), `call ${n}`).toBeUndefined();
          }
        } else seen.recovered += 1;
      }
      // The base namespace is never written, whatever failed.
      expect(
        w.kube.calls.filter(
          (c) => c.method !== 'GET' && c.method !== 'WATCH' && /namespaces\/shop(\/|\?|$)/.test(c.path),
        ),
        `call ${n}`,
      ).toEqual([]);
    }
    // Each way out was taken: stopped while preparing, failed while applying, a retried read recovered.
    expect(seen.stopped).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.undone).toBeGreaterThan(0);
  });
});
