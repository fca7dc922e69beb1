// The HPA of a Deployment against a scripted API server: what is read, checked and written, and a fault at
// every call. In-process, no network.
import { describe, expect, it } from 'vitest';
import { HpaAccessError, planDeploymentHpa, writeDeploymentHpa } from '../../src/eks/hpa-apply.ts';
import { renderHpaSpec } from '../../src/eks/hpa.ts';
import { KubeApiError, type KubeApi } from '../../src/eks/kube-client.ts';
import type { AutoScalingSettings } from '../../src/ecs/scaling-settings.ts';

const settings: AutoScalingSettings = {
  min: 2,
  max: 6,
  policies: [{ metric: 'cpu', target: 60 }],
  loadBalancer: undefined,
  suspendScaleIn: false,
};
const template = { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }] } };

interface Call {
  method: string;
  path: string;
  verb?: string;
  body?: unknown;
}

/** A fake API server: an HPA (or none), RBAC verbs allowed, and a fault at the n-th call. */
function fakeKube(options: { live?: unknown; allowed?: string[]; failAt?: number }) {
  const calls: Call[] = [];
  const allowed = new Set(options.allowed ?? ['get', 'create', 'patch']);
  const step = (call: Call) => {
    calls.push(call);
    if (options.failAt === calls.length) throw new KubeApiError(503, 'ServiceUnavailable', 'try later');
  };
  const kube: KubeApi = {
    async get<T>(path: string) {
      step({ method: 'GET', path });
      if (options.live === undefined) throw new KubeApiError(404, 'NotFound', 'not found');
      return structuredClone(options.live) as T;
    },
    async post<T>(path: string, body: unknown) {
      const verb = (body as { spec?: { resourceAttributes?: { verb?: string } } }).spec?.resourceAttributes
        ?.verb;
      step({ method: 'POST', path, ...(verb ? { verb } : {}), body });
      if (verb) return { status: { allowed: allowed.has(verb) } } as T;
      return body as T;
    },
    async patch<T>(path: string, body: unknown) {
      step({ method: 'PATCH', path, body });
      return body as T;
    },
    watch: () => Promise.reject(new Error('no watch here')),
  };
  return { kube, calls };
}

const log = { info: () => {}, warning: () => {}, error: () => {} };
const plan = (kube: KubeApi) =>
  planDeploymentHpa({ kube, namespace: 'default', name: 'web', template, settings, user: 'deployer', log });
const writes = (calls: Call[]) => calls.filter((c) => !c.verb && c.method !== 'GET');

describe('planDeploymentHpa + writeDeploymentHpa', () => {
  it('creates a missing HPA after checking get and create', async () => {
    const { kube, calls } = fakeKube({});
    const planned = await plan(kube);
    expect(calls.map((c) => c.verb ?? c.method)).toEqual(['get', 'GET', 'create']);
    await writeDeploymentHpa(kube, 'default', planned, log);
    expect(writes(calls)).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers',
      }),
    ]);
  });
  it('writes nothing when the live HPA is the wanted one', async () => {
    const { kube, calls } = fakeKube({
      live: { metadata: { name: 'web' }, spec: renderHpaSpec('web', settings) },
    });
    await writeDeploymentHpa(kube, 'default', await plan(kube), log);
    expect(calls.map((c) => c.verb ?? c.method)).toEqual(['get', 'GET']);
  });
  it('merge-patches an HPA that differs, after checking patch', async () => {
    const live = { metadata: { name: 'web' }, spec: { ...renderHpaSpec('web', settings), maxReplicas: 3 } };
    const { kube, calls } = fakeKube({ live });
    await writeDeploymentHpa(kube, 'default', await plan(kube), log);
    expect(calls.map((c) => c.verb ?? c.method)).toEqual(['get', 'GET', 'patch', 'PATCH']);
  });
  it.each([
    ['get', {}],
    ['create', {}],
    ['patch', { live: { metadata: { name: 'web' }, spec: { maxReplicas: 3 } } }],
  ])('RBAC without %s fails before anything is written, naming the verb', async (verb, extra) => {
    const { kube, calls } = fakeKube({
      ...extra,
      allowed: ['get', 'create', 'patch'].filter((v) => v !== verb),
    });
    const error = await plan(kube).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HpaAccessError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `User "deployer" cannot ${verb} horizontalpodautoscalers.autoscaling in namespace "default"`,
      ),
    );
    expect(writes(calls)).toEqual([]);
  });
  it.each([1, 2, 3, 4])('a fault at call %i is raised, and nothing is written after it', async (n) => {
    const { kube, calls } = fakeKube({ failAt: n });
    const error = await plan(kube)
      .then((p) => writeDeploymentHpa(kube, 'default', p, log))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(KubeApiError);
    expect(calls).toHaveLength(n);
  });
  it('warns about containers without a request of a metric', async () => {
    const warnings: string[] = [];
    const { kube } = fakeKube({});
    await planDeploymentHpa({
      kube,
      namespace: 'default',
      name: 'web',
      template: { spec: { containers: [{ name: 'app' }] } } as never,
      settings,
      user: 'deployer',
      log: { ...log, warning: (m: string) => warnings.push(m) },
    });
    expect(warnings).toEqual([expect.stringMatching(/^web: container\(s\) app have no cpu request/)]);
  });
});
