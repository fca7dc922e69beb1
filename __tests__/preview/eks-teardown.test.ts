import { describe, expect, it } from 'vitest';
import { KubeApiError, type ManifestKubeApi } from '../../src/eks/kube-client.ts';
import type { KubeObject } from '../../src/eks/manifests/objects.ts';
import { teardownEksPreview } from '../../src/preview/eks-teardown.ts';
import { FakeClock } from '../fakes/clock.ts';
import { RecordingLog } from '../fakes/log.ts';
import { FakeManifestKube } from '../eks/fake-manifest-kube.ts';

interface World {
  namespace: KubeObject | undefined;
  /** Polls after the delete before the namespace is gone; Infinity: never. */
  goneAfter: number;
  deleteFails?: KubeApiError;
  getFails?: Error;
  deletes: string[];
}

const notFound = () => new KubeApiError(404, 'NotFound', 'not found');

function fakeKube(world: World): ManifestKubeApi {
  let polls = 0;
  const refuse = () => Promise.reject(new Error('not used'));
  return {
    async get<T>(path: string): Promise<T> {
      if (world.getFails) throw world.getFails;
      if (path.endsWith('/deployments')) return { items: [{ metadata: { name: 'web' } }] } as T;
      if (path.endsWith('/pods') || path.endsWith('/services')) return { items: [] } as T;
      if (!world.namespace) throw notFound();
      if (world.deletes.length > 0 && ++polls > world.goneAfter) {
        world.namespace = undefined;
        throw notFound();
      }
      return structuredClone(world.namespace) as T;
    },
    async delete<T>(path: string): Promise<T> {
      if (world.deleteFails) {
        // A 404: someone else deleted it in between.
        if (world.deleteFails.status === 404) world.namespace = undefined;
        throw world.deleteFails;
      }
      world.deletes.push(path);
      if (world.namespace) world.namespace.status = { phase: 'Terminating' };
      return {} as T;
    },
    post: refuse,
    patch: refuse,
    watch: refuse,
  };
}

const previewNs = (pr: string | undefined): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'shop-pr-4',
    ...(pr !== undefined ? { labels: { 'ecr-deploy.dev/preview-pr': pr } } : {}),
  },
  status: { phase: 'Active' },
});

async function run(
  world: World,
  overrides: { namespace?: string; dryRun?: boolean; repository?: string } = {},
) {
  const clock = new FakeClock();
  try {
    return await teardownEksPreview({
      kube: fakeKube(world),
      namespace: overrides.namespace ?? 'shop-pr-4',
      base: 'shop',
      pr: 4,
      clock,
      log: new RecordingLog(),
      timeoutMs: 60_000,
      pollIntervalMs: 5_000,
      dryRun: overrides.dryRun ?? false,
      ...(overrides.repository !== undefined ? { repository: overrides.repository } : {}),
    });
  } finally {
    clock.stop();
  }
}

describe('teardownEksPreview', () => {
  it.each([
    { what: 'gone at once', goneAfter: 0 },
    { what: 'Terminating for a few polls', goneAfter: 3 },
  ])('deletes the namespace and waits until it is gone ($what)', async ({ goneAfter }) => {
    const world: World = { namespace: previewNs('4'), goneAfter, deletes: [] };
    const report = await run(world);
    expect(world.deletes).toEqual(['/api/v1/namespaces/shop-pr-4']);
    expect(world.namespace).toBeUndefined();
    expect(report).toEqual({ lines: ['Namespace shop-pr-4 deleted.'], left: [], nothingFound: false });
  });

  it('is a success that says so when the namespace is already gone', async () => {
    const world: World = { namespace: undefined, goneAfter: 0, deletes: [] };
    const report = await run(world);
    expect(world.deletes).toEqual([]);
    expect(report.nothingFound).toBe(true);
    expect(report.lines[0]).toMatch(/already gone/);
  });

  it('names what is left when the namespace outlives the wait', async () => {
    const world: World = { namespace: previewNs('4'), goneAfter: Infinity, deletes: [] };
    const report = await run(world);
    expect(report.left).toEqual(['Namespace shop-pr-4 (phase Terminating)', 'Deployment shop-pr-4/web']);
    expect(report.lines[0]).toMatch(/still exists after 60 s/);
  });

  it('deletes nothing in a dry run', async () => {
    const world: World = { namespace: previewNs('4'), goneAfter: 0, deletes: [] };
    const report = await run(world, { dryRun: true });
    expect(world.deletes).toEqual([]);
    expect(report.lines).toEqual(['dry run — would delete namespace shop-pr-4']);
  });

  it.each([
    ['the base namespace', { namespace: 'shop' }, previewNs('4'), /base namespace/],
    [
      'a namespace without the PR label',
      {},
      previewNs(undefined),
      /label ecr-deploy.dev\/preview-pr is missing/,
    ],
    ["another PR's namespace", {}, previewNs('5'), /is "5"/],
  ])('refuses to delete %s', async (_what, overrides, namespace, error) => {
    const world: World = { namespace, goneAfter: 0, deletes: [] };
    await expect(run(world, overrides)).rejects.toThrow(error);
    expect(world.deletes).toEqual([]);
  });

  it.each([
    ['its own repository’s', 'octo-org.hello-app', undefined],
    [
      "another repository's",
      'someone.else',
      /not a preview of octo-org\/hello-app \(label ecr-deploy.dev\/preview-repository is "someone.else"\)/,
    ],
    ['no repository’s (no label)', undefined, /preview-repository is missing/],
  ])(
    'with a repository given, a namespace labelled as %s preview is deleted only when it is its own',
    async (_what, label, error) => {
      const namespace = previewNs('4');
      if (label)
        namespace.metadata.labels = {
          ...namespace.metadata.labels,
          'ecr-deploy.dev/preview-repository': label,
        };
      const world: World = { namespace, goneAfter: 0, deletes: [] };
      if (error) {
        await expect(run(world, { repository: 'octo-org/hello-app' })).rejects.toThrow(error);
        expect(world.deletes).toEqual([]);
      } else {
        expect((await run(world, { repository: 'Octo-Org/hello-app' })).left).toEqual([]);
        expect(world.deletes).toEqual(['/api/v1/namespaces/shop-pr-4']);
      }
    },
  );

  it.each([
    [
      'a refused delete',
      { deleteFails: new KubeApiError(403, 'Forbidden', 'forbidden') },
      /Deleting namespace shop-pr-4: forbidden/,
    ],
    [
      'an unreachable API server',
      { getFails: new Error('ECONNREFUSED') },
      /Reading namespace shop-pr-4: ECONNREFUSED/,
    ],
  ])('fails with what it was doing on %s', async (_what, fault, error) => {
    const world: World = { namespace: previewNs('4'), goneAfter: 0, deletes: [], ...fault };
    await expect(run(world)).rejects.toThrow(error);
  });

  it('treats a namespace that vanished between read and delete as deleted', async () => {
    const world: World = { namespace: previewNs('4'), goneAfter: 0, deletes: [], deleteFails: notFound() };
    const report = await run(world);
    expect(report.left).toEqual([]);
  });
});

describe('teardownEksPreview with an error at every call', () => {
  it.each([
    [1, /^Reading namespace shop-pr-4: injected$/],
    [2, /^Deleting namespace shop-pr-4: injected$/],
    [3, 'deleted'],
  ] as const)('call %i', async (n, expected) => {
    const clock = new FakeClock();
    const kube = new FakeManifestKube(clock);
    try {
      kube.seed('/api/v1/namespaces/shop-pr-4', previewNs('4'));
      let count = 0;
      const failing: ManifestKubeApi = {
        get: (p) => (++count === n ? Promise.reject(new Error('injected')) : kube.get(p)),
        delete: (p, b) => (++count === n ? Promise.reject(new Error('injected')) : kube.delete(p, b)),
        post: (p) => kube.post(p),
        patch: (p, b, t) => kube.patch(p, b, t),
        watch: (p, e) => kube.watch(p, e),
      };
      const teardown = teardownEksPreview({
        kube: failing,
        namespace: 'shop-pr-4',
        base: 'shop',
        pr: 4,
        clock,
        log: new RecordingLog(),
        timeoutMs: 60_000,
        pollIntervalMs: 5_000,
        dryRun: false,
      });
      if (expected === 'deleted') {
        // A failed read while waiting is asked again: the namespace is found gone.
        expect((await teardown).lines).toEqual(['Namespace shop-pr-4 deleted.']);
      } else {
        await expect(teardown).rejects.toThrow(expected);
      }
      // Failed before the delete: the namespace is still there, for the next teardown.
      expect(kube.object('/api/v1/namespaces/shop-pr-4') === undefined).toBe(expected === 'deleted');
    } finally {
      kube.stop();
      clock.stop();
    }
  });

  it('reports what it could not find out when every read fails after the delete', async () => {
    const world: World = { namespace: previewNs('4'), goneAfter: Infinity, deletes: [] };
    const clock = new FakeClock();
    const inner = fakeKube(world);
    let reads = 0;
    const kube: ManifestKubeApi = {
      ...inner,
      get: (p) => (++reads > 1 ? Promise.reject(new Error('ECONNRESET')) : inner.get(p)),
    };
    try {
      const report = await teardownEksPreview({
        kube,
        namespace: 'shop-pr-4',
        base: 'shop',
        pr: 4,
        clock,
        log: new RecordingLog(),
        timeoutMs: 60_000,
        pollIntervalMs: 5_000,
        dryRun: false,
      });
      expect(world.deletes).toEqual(['/api/v1/namespaces/shop-pr-4']);
      expect(report.left).toEqual([
        'Namespace shop-pr-4 (not known whether it is gone: Reading namespace shop-pr-4: ECONNRESET)',
      ]);
    } finally {
      clock.stop();
    }
  });
});
