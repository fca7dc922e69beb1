// Reading manifests: YAML documents and Lists, folders, kustomizations, namespaces and image substitution.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManifestFiles } from '../../src/eks/manifests/kustomize.ts';
import { applyImageRule } from '../../src/eks/manifests/kustomize.ts';
import type { KubeObject, SourcedObject } from '../../src/eks/manifests/objects.ts';
import { parseManifests } from '../../src/eks/manifests/parse.ts';
import { applyJsonPatch, strategicMerge } from '../../src/eks/manifests/patch.ts';
import { fillNamespaces, readManifests, substituteImages } from '../../src/eks/manifests/read.ts';
import { locationOf } from '../../src/report/annotation.ts';

const ROOT = '/repo';
const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';
const REF = `${REPO}@sha256:${'a'.repeat(64)}`;

function memoryFiles(tree: Record<string, string>): ManifestFiles {
  const files = new Map(Object.entries(tree).map(([k, v]) => [path.join(ROOT, k), v]));
  const isDir = (p: string) => [...files.keys()].some((f) => f.startsWith(`${p}/`));
  return {
    readFile: (f) => {
      const text = files.get(f);
      if (text === undefined) throw new Error(`ENOENT: ${f}`);
      return text;
    },
    isDirectory: isDir,
    exists: (f) => files.has(f) || isDir(f),
    listManifests: (dir) =>
      [...files.keys()].filter((f) => path.dirname(f) === dir && /\.(ya?ml|json)$/.test(f)).sort(),
  };
}

const deployment = (name: string, image = `${REPO}:v1`) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      initContainers:
        - name: migrate
          image: ${image}
      containers:
        - name: app
          image: ${image}
          envFrom:
            - configMapRef: { name: settings }
        - name: sidecar
          image: busybox:1.36
`;

/** The value at a dotted path (`spec.template.spec.containers.0.image`). */
const at = (o: unknown, p: string): unknown =>
  p.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

const names = (objects: readonly SourcedObject[]) =>
  objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`);

describe('parseManifests', () => {
  it.each([
    [
      'multi-document YAML, empty documents skipped',
      'kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n---\n---\nkind: Secret\napiVersion: v1\nmetadata: {name: b}\n',
      ['ConfigMap/a', 'Secret/b'],
    ],
    [
      'a List flattened',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n- {apiVersion: v1, kind: Service, metadata: {name: y}}\n',
      ['ConfigMap/x', 'Service/y'],
    ],
    [
      'a typed list flattened',
      'apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: z}}\n',
      ['ConfigMap/z'],
    ],
  ])('reads %s', (_, text, expected) => {
    expect(names(parseManifests(text, 'k8s/a.yaml'))).toEqual(expected);
  });

  it.each([
    [
      'bad YAML, with its line',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n data: [\n',
      /^k8s\/a\.yaml:5: not valid YAML/,
    ],
    ['no kind', 'apiVersion: v1\nmetadata: {name: a}\n', /k8s\/a\.yaml:1: the object has no kind/],
    [
      'no apiVersion nor name, on the second document',
      'kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n---\nkind: Secret\nmetadata: {}\n',
      /k8s\/a\.yaml:5: the object \(kind Secret\) has no apiVersion, metadata\.name/,
    ],
    [
      'a bad name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Web_App}\n',
      /"Web_App" is not a Kubernetes object name/,
    ],
    ['a scalar document', 'just text\n', /must be a mapping/],
    [
      'a List item without a name',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap}\n',
      /\(items\[0\]\): the object \(kind ConfigMap\) has no metadata\.name/,
    ],
  ])('rejects %s', (_, text, message) => {
    expect(() => parseManifests(text, 'k8s/a.yaml')).toThrow(message);
  });

  it.each([
    [
      'bad YAML: where the parser stopped',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n data: [\n',
      5,
    ],
    ['an object without a kind: its first line', 'apiVersion: v1\nmetadata: {name: a}\n', 1],
    [
      'an object refused on the second document',
      'kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n---\n\nkind: Secret\nmetadata: {}\n',
      6,
    ],
    [
      'a List item without a name: the item',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap}\n',
      5,
    ],
  ])('annotates %s on its line', (_, text, line) => {
    let location;
    try {
      parseManifests(text, 'k8s/a.yaml');
    } catch (error) {
      location = locationOf(error);
      expect((error as Error).message).toMatch(/^k8s\/a\.yaml:\d+/);
    }
    expect(location).toMatchObject({ file: 'k8s/a.yaml', line, title: 'Manifest' });
  });
});

describe('readManifests', () => {
  it('reads a folder: its YAML files in name order, not its subfolders', () => {
    const files = memoryFiles({
      'k8s/b-deploy.yaml': deployment('web'),
      'k8s/a-config.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n',
      'k8s/notes.txt': 'not a manifest',
      'k8s/old/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old}\n',
    });
    expect(names(readManifests(['k8s'], ROOT, files))).toEqual(['ConfigMap/settings', 'Deployment/web']);
  });

  it('annotates an error in a file with the path of that file, also inside a kustomization', () => {
    const files = memoryFiles({
      'k8s/kustomization.yaml': 'resources:\n  - app.yaml\n',
      'k8s/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: Secret\n',
    });
    let location;
    try {
      readManifests(['k8s'], ROOT, files);
    } catch (error) {
      location = locationOf(error);
    }
    expect(location).toMatchObject({ file: path.join(ROOT, 'k8s/app.yaml'), line: 5 });
  });

  it('names the entry that does not exist', () => {
    expect(() => readManifests(['k8s/missing.yaml'], ROOT, memoryFiles({}))).toThrow(
      /"k8s\/missing\.yaml" does not exist/,
    );
  });

  it('builds a kustomization: resources, patches, images, namePrefix, commonLabels, namespace', () => {
    const files = memoryFiles({
      'k8s/kustomization.yaml': `resources:
  - deploy.yaml
  - base
namePrefix: shop-
namespace: store
commonLabels:
  team: payments
images:
  - name: app-image
    newName: ${REPO}
    newTag: v2
patches:
  - path: replicas.yaml
  - target: { kind: ConfigMap, name: settings }
    patch: |-
      - op: add
        path: /data/MODE
        value: production
`,
      'k8s/deploy.yaml': deployment('web', 'app-image:latest'),
      'k8s/replicas.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 4\n  template:\n    spec:\n      containers:\n        - name: app\n          env: [{name: A, value: "1"}]\n',
      'k8s/base/kustomization.yaml': 'resources: [config.yaml]\n',
      'k8s/base/config.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LEVEL: info}\n',
    });
    const objects = readManifests(['k8s'], ROOT, files);
    expect(names(objects)).toEqual(['Deployment/shop-web', 'ConfigMap/shop-settings']);
    const [d, cm] = objects.map((o) => o.object) as [KubeObject, KubeObject];
    expect(d.metadata.namespace).toBe('store');
    expect(at(d, 'spec.replicas')).toBe(4);
    const app = at(d, 'spec.template.spec.containers.0');
    expect(app).toMatchObject({ name: 'app', image: `${REPO}:v2`, env: [{ name: 'A', value: '1' }] });
    // The reference to the renamed ConfigMap follows the prefix; the other container is kept.
    expect(at(app, 'envFrom.0.configMapRef.name')).toBe('shop-settings');
    expect(at(d, 'spec.template.spec.containers.1.image')).toBe('busybox:1.36');
    expect(at(d, 'spec.template.spec.initContainers.0.image')).toBe(`${REPO}:v2`);
    expect(d.metadata.labels).toEqual({ team: 'payments' });
    expect(at(d, 'spec.selector.matchLabels')).toEqual({ app: 'web', team: 'payments' });
    expect(at(d, 'spec.template.metadata.labels')).toEqual({ app: 'web', team: 'payments' });
    expect(at(cm, 'data')).toEqual({ LEVEL: 'info', MODE: 'production' });
  });

  it.each([
    [
      'an unsupported field, named',
      'resources: [a.yaml]\nconfigMapGenerator:\n  - name: x\n',
      /"configMapGenerator" is not supported in a kustomization/,
    ],
    ['a remote resource', 'resources: [https://github.com/x/y]\n', /is remote; only local files/],
    [
      'a patch that matches nothing',
      'resources: [a.yaml]\npatches:\n  - patch: "{apiVersion: v1, kind: ConfigMap, metadata: {name: nope}, data: {a: b}}"\n',
      /matches no resource/,
    ],
    [
      'a JSON patch without a target',
      'resources: [a.yaml]\npatches:\n  - patch: "[{op: remove, path: /data}]"\n',
      /JSON 6902 patch needs a target/,
    ],
  ])('rejects a kustomization with %s', (_, kustomization, message) => {
    const files = memoryFiles({
      'k/kustomization.yaml': kustomization,
      'k/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    expect(() => readManifests(['k'], ROOT, files)).toThrow(message);
  });
});

describe('patches', () => {
  it.each([
    [
      'containers merged by name',
      { containers: [{ name: 'a', image: '1', x: 1 }, { name: 'b' }] },
      { containers: [{ name: 'a', image: '2' }, { name: 'c' }] },
      { containers: [{ name: 'a', image: '2', x: 1 }, { name: 'b' }, { name: 'c' }] },
    ],
    [
      'ports merged by containerPort',
      { ports: [{ containerPort: 80, name: 'http' }] },
      { ports: [{ containerPort: 80, protocol: 'TCP' }] },
      { ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }] },
    ],
    ['null deletes a field', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    [
      '$patch: delete removes a named item',
      { env: [{ name: 'A' }, { name: 'B' }] },
      { env: [{ name: 'A', $patch: 'delete' }] },
      { env: [{ name: 'B' }] },
    ],
    ['other lists are replaced', { args: ['a', 'b'] }, { args: ['c'] }, { args: ['c'] }],
  ])('strategic merge: %s', (_, base, patch, expected) => {
    expect(strategicMerge(base, patch)).toEqual(expected);
  });

  it('applies JSON patches and names a path that does not exist', () => {
    const doc = { spec: { ports: [{ port: 80 }] } };
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/spec/ports/-', value: { port: 443 } },
        { op: 'replace', path: '/spec/ports/0/port', value: 8080 },
        { op: 'add', path: '/spec/type', value: 'ClusterIP' },
      ]),
    ).toEqual({ spec: { ports: [{ port: 8080 }, { port: 443 }], type: 'ClusterIP' } });
    expect(doc.spec.ports).toHaveLength(1);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/missing' }])).toThrow(/does not exist/);
  });

  it.each([
    ['app:1', { name: 'app', newName: 'r/app' }, 'r/app:1'],
    ['app:1', { name: 'app', newTag: '2' }, 'app:2'],
    ['app', { name: 'app', digest: 'sha256:abc' }, 'app@sha256:abc'],
    ['other:1', { name: 'app', newTag: '2' }, 'other:1'],
    ['registry:5000/app:1', { name: 'registry:5000/app', newTag: '3' }, 'registry:5000/app:3'],
  ])('images: %s with %o → %s', (image, rule, expected) => {
    expect(applyImageRule(image, rule)).toBe(expected);
  });
});

describe('namespaces and images', () => {
  const objects = parseManifests(
    `${deployment('web')}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: jobs}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: run, image: "${REPO}:old"}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec:\n  containers: [{name: c, image: "${REPO}"}, {name: d, image: "other/web:1"}]\n`,
    'all.yaml',
  );

  it('fills the namespace of namespaced objects only, and keeps a given one', () => {
    const filled = fillNamespaces(objects, 'web', (o) => o.kind !== 'Namespace');
    expect(filled.map((o) => o.object.metadata.namespace)).toEqual(['web', undefined, 'jobs', 'web']);
    expect(objects[0]!.object.metadata.namespace).toBeUndefined();
  });

  it('refuses the same object twice, naming both places', () => {
    const twice = [...objects.slice(0, 1), { ...objects[0]!, source: 'other.yaml:1' }];
    expect(() => fillNamespaces(twice, 'web', () => true)).toThrow(
      /Deployment web\/web is defined twice: all\.yaml:1 and other\.yaml:1/,
    );
  });

  it('puts the digest on every container of the repository, init containers, CronJobs and Pods included', () => {
    const { objects: out, changes } = substituteImages(objects, { imageRef: REF, repositoryUri: REPO });
    expect(changes.map((c) => `${c.object} ${c.container}`)).toEqual([
      'Deployment web migrate',
      'Deployment web app',
      'CronJob jobs/nightly run',
      'Pod debug c',
    ]);
    const d = out[0]!.object;
    expect(at(d, 'spec.template.spec.containers.0.image')).toBe(REF);
    expect(at(d, 'spec.template.spec.containers.1.image')).toBe('busybox:1.36');
    expect(at(out[3]!.object, 'spec.containers.1.image')).toBe('other/web:1');
    expect(at(objects[0]!.object, 'spec.template.spec.containers.0.image')).toBe(`${REPO}:v1`);
  });
});
