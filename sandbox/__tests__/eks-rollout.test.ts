// Deployment controller, pod runtime and watch semantics of the sandbox Kubernetes API, through
// @kubernetes/client-node (raw HTTPS where a case needs it). Each test uses its own cluster on a fast clock.
import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { control, deployment, raw, testCluster, until, type TestCluster } from './eks-helpers.ts';

const REV = 'deployment.kubernetes.io/revision';
const image = () => `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;
const smp = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

function apis(c: TestCluster) {
  return { apps: c.kc.makeApiClient(AppsV1Api), core: c.kc.makeApiClient(CoreV1Api) };
}

const cond = (d: V1Deployment, type: string) => d.status?.conditions?.find((x) => x.type === type);

async function rolledOut(c: TestCluster, name: string): Promise<V1Deployment> {
  const { apps } = apis(c);
  return until(`${name} rolled out`, async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace: 'default' });
    const done =
      (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
      d.status?.updatedReplicas === d.spec?.replicas &&
      d.status?.availableReplicas === d.spec?.replicas &&
      d.status?.replicas === d.spec?.replicas &&
      cond(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';
    return done ? d : undefined;
  });
}

describe('Deployment rollout', () => {
  it('status fields move as in Kubernetes: generation → observedGeneration → updated/available replicas', async () => {
    const c = await testCluster();
    const { apps } = apis(c);
    const created = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('web', image()) as V1Deployment,
    });
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.strategy?.rollingUpdate?.maxSurge).toBe('25%');
    const d1 = await rolledOut(c, 'web');
    expect(d1.metadata?.annotations?.[REV]).toBe('1');
    expect(cond(d1, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    const rs1 = (await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' }))
      .items;
    expect(rs1).toHaveLength(1);
    const hash = rs1[0]!.metadata?.labels?.['pod-template-hash'];
    expect(rs1[0]!.metadata?.name).toBe(`web-${hash}`);
    expect(rs1[0]!.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
    });

    // A template change: generation moves first, observedGeneration follows, then the new ReplicaSet scales up.
    const seen: { gen: number; observed: number; updated: number; available: number; reason?: string }[] = [];
    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: {
          spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'V', value: '2' }] }] } } },
        },
      },
      smp,
    );
    expect(patched.metadata?.generation).toBe(2);
    expect(patched.status?.observedGeneration).toBe(1);
    // Strategic merge kept the container's image (merged by name).
    expect(patched.spec?.template.spec?.containers[0]?.image).toBe(image());
    const d2 = await until('rollout 2', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
      seen.push({
        gen: d.metadata?.generation ?? 0,
        observed: d.status?.observedGeneration ?? 0,
        updated: d.status?.updatedReplicas ?? 0,
        available: d.status?.availableReplicas ?? 0,
        reason: cond(d, 'Progressing')?.reason,
      });
      // Without the observedGeneration check the old, complete status would be mistaken for this rollout's.
      const observed = (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
      return observed &&
        cond(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
        d.status?.updatedReplicas === 3 &&
        d.status.replicas === 3
        ? d
        : undefined;
    });
    expect(d2.metadata?.annotations?.[REV]).toBe('2');
    expect(d2.status?.observedGeneration).toBe(2);
    // Intermediate states were observed: updatedReplicas below 3 while the rollout progressed.
    expect(seen.some((s) => s.updated < 3 && s.observed === 2)).toBe(true);
    // maxUnavailable 25% of 3 rounds down to 0: availability never drops below 3 during the rollout.
    expect(seen.every((s) => s.available >= 3)).toBe(true);
    const rss = (await apps.listNamespacedReplicaSet({ namespace: 'default' })).items;
    expect(rss).toHaveLength(2);
    const old = rss.find((r) => r.metadata?.annotations?.[REV] === '1')!;
    expect(old.spec?.replicas).toBe(0);

    // An identical template is a no-op: no new revision, no new ReplicaSet, generation unchanged.
    const same = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: { spec: { template: { spec: { containers: [{ name: 'app', image: image() }] } } } },
      },
      smp,
    );
    expect(same.metadata?.generation).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect((await apps.listNamespacedReplicaSet({ namespace: 'default' })).items).toHaveLength(2);
    expect(
      (await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).metadata?.annotations?.[
        REV
      ],
    ).toBe('2');

    // Rollback by restoring the older template (JSON patch): the old ReplicaSet is reused with revision 3.
    await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: [{ op: 'replace', path: '/spec/template', value: created.spec!.template }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    const d3 = await rolledOut(c, 'web');
    expect(d3.metadata?.annotations?.[REV]).toBe('3');
    const after = (await apps.listNamespacedReplicaSet({ namespace: 'default' })).items;
    expect(after).toHaveLength(2);
    const reused = after.find((r) => r.metadata?.name === old.metadata?.name)!;
    expect(reused.metadata?.annotations?.[REV]).toBe('3');
    expect(reused.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(reused.spec?.replicas).toBe(3);

    const { rollouts } = await control().rollouts(c.name);
    expect(rollouts.filter((r) => r.deployment === 'web' && r.completedAt).map((r) => r.revision)).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('a missing image: ErrImagePull then ImagePullBackOff with kubelet events, and the progress deadline', async () => {
    const c = await testCluster();
    const { apps, core } = apis(c);
    const missing = `${process.env.SANDBOX_REGISTRY_HOST}/busybox:does-not-exist`;
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('bad', missing, { replicas: 1, progressDeadlineSeconds: 30 }) as V1Deployment,
    });
    const reasons = new Set<string>();
    const pod = await until('ImagePullBackOff', async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=bad' })).items;
      const w = pods[0]?.status?.containerStatuses?.[0]?.state?.waiting;
      if (w?.reason) reasons.add(w.reason);
      return w?.reason === 'ImagePullBackOff' ? pods[0] : undefined;
    });
    expect(reasons.has('ErrImagePull') || reasons.size === 1).toBe(true);
    const events = (
      await core.listNamespacedEvent({
        namespace: 'default',
        fieldSelector: `involvedObject.name=${pod.metadata!.name!}`,
      })
    ).items;
    const failed = events.find((e) => e.reason === 'Failed' && e.message?.startsWith('Failed to pull image'));
    expect(failed?.message).toContain(`"${missing}"`);
    expect(failed?.type).toBe('Warning');
    expect(
      events.some((e) => e.reason === 'BackOff' && e.message === `Back-off pulling image "${missing}"`),
    ).toBe(true);
    expect(events.some((e) => e.reason === 'Failed' && e.message === 'Error: ErrImagePull')).toBe(true);
    // 30 s progress deadline at time scale 0.05 = 1.5 s.
    const d = await until('ProgressDeadlineExceeded', async () => {
      const x = await apps.readNamespacedDeployment({ name: 'bad', namespace: 'default' });
      return cond(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' ? x : undefined;
    });
    expect(cond(d, 'Progressing')).toMatchObject({
      status: 'False',
      message: expect.stringMatching(/^ReplicaSet "bad-\w+" has timed out progressing\.$/),
    });
    expect(d.status?.unavailableReplicas).toBe(1);
    const { rollouts } = await control().rollouts(c.name);
    const r = rollouts.find((x) => x.deployment === 'bad')!;
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(r.firstFailureReason);
    expect(r.completedAt).toBeUndefined();
  });

  it('a crashing image: CrashLoopBackOff with restarts, lastState exit code and previous logs', async () => {
    const c = await testCluster();
    const { apps, core } = apis(c);
    const crashing = `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;
    await control().scriptImage(c.name, crashing, {
      exitCode: 3,
      crashAfterSeconds: 1,
      logs: ['starting', 'fatal: config missing'],
    });
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('crash', crashing, { replicas: 1 }) as V1Deployment,
    });
    const pod: V1Pod = await until(
      '2 restarts',
      async () => {
        const p = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=crash' }))
          .items[0];
        const cs = p?.status?.containerStatuses?.[0];
        return cs && cs.restartCount >= 2 && cs.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
      },
      30_000,
    );
    const cs = pod.status!.containerStatuses![0]!;
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(cs.ready).toBe(false);
    expect(cs.state?.waiting?.message).toMatch(
      /^back-off (20|40)s restarting failed container=app pod=crash-/,
    );
    const prev = await core.readNamespacedPodLog({
      name: pod.metadata!.name!,
      namespace: 'default',
      previous: true,
    });
    expect(prev).toContain('fatal: config missing');
    const tail = await core.readNamespacedPodLog({
      name: pod.metadata!.name!,
      namespace: 'default',
      previous: true,
      tailLines: 1,
    });
    expect(tail).toBe('fatal: config missing\n');
    const events = (
      await core.listNamespacedEvent({
        namespace: 'default',
        fieldSelector: `involvedObject.name=${pod.metadata!.name!},reason=BackOff`,
      })
    ).items;
    expect(events[0]?.message).toMatch(/^Back-off restarting failed container app in pod crash-/);
    const d = await apps.readNamespacedDeployment({ name: 'crash', namespace: 'default' });
    expect(d.status?.availableReplicas ?? 0).toBe(0);
    expect(cond(d, 'Available')?.status).toBe('False');
  });
});

describe('watch', () => {
  it('resumes from a resourceVersion, sends bookmarks, and answers 410 Expired for a too-old one', async () => {
    const c = await testCluster();
    const { core } = apis(c);
    const cm = (n: string) => ({ metadata: { name: n } });
    const ns1 = await core.createNamespace({ body: cm('w1') });
    const rv1 = ns1.metadata!.resourceVersion!;
    await core.createNamespace({ body: cm('w2') });
    await core.createNamespace({ body: cm('w3') });

    // Resume after w1: sees w2 and w3 (ADDED), not w1.
    const events: { type: string; name?: string }[] = [];
    const watch = new Watch(c.kc);
    const req = await watch.watch(
      '/api/v1/namespaces',
      { resourceVersion: rv1, allowWatchBookmarks: true },
      (type, obj: { metadata?: { name?: string } }) => {
        events.push({ type, name: obj.metadata?.name });
      },
      () => undefined,
    );
    await until('w2 and w3', async () => events.filter((e) => e.type === 'ADDED').length >= 2);
    await core.deleteNamespace({ name: 'w2' });
    await until('DELETED w2', async () => events.some((e) => e.type === 'DELETED' && e.name === 'w2'));
    expect(events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.name}`)).toEqual([
      'ADDED w2',
      'ADDED w3',
      'MODIFIED w2',
      'DELETED w2',
    ]);
    // Bookmarks come every minute on the cluster clock (3 s at 0.05).
    await until('BOOKMARK', async () => events.some((e) => e.type === 'BOOKMARK'), 10_000);
    req.abort();

    // Field selector on a list.
    const one = await core.listNamespace({ fieldSelector: 'metadata.name=w3' });
    expect(one.items.map((n) => n.metadata?.name)).toEqual(['w3']);

    // A tiny history: the old version is gone → ERROR event with a 410 Expired Status.
    await control().settings(c.name, { watchHistory: 2 });
    for (const n of ['w4', 'w5', 'w6']) await core.createNamespace({ body: cm(n) });
    const res = await raw(c, 'GET', `/api/v1/namespaces?watch=true&resourceVersion=${rv1}`, {
      token: c.token,
    });
    expect(res.status).toBe(200);
    const line = JSON.parse(res.body.trim().split('\n')[0]!) as {
      type: string;
      object: Record<string, unknown>;
    };
    expect(line.type).toBe('ERROR');
    expect(line.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired', status: 'Failure' });
    expect(String(line.object.message)).toMatch(new RegExp(`^too old resource version: ${rv1} \\(\\d+\\)$`));
  });

  it('drop-watches ends open watches; 5xx faults are served', async () => {
    const c = await testCluster();
    let ended: unknown = 'open';
    const watch = new Watch(c.kc);
    await watch.watch(
      '/api/v1/namespaces',
      {},
      () => undefined,
      (err) => {
        ended = err ?? null;
      },
    );
    await new Promise((r) => setTimeout(r, 100));
    const { dropped } = await control().dropWatches(c.name);
    expect(dropped).toBe(1);
    await until('watch ended', async () => ended !== 'open');
    await control().addFault(c.name, { kind: 'error', status: 503, count: 1 });
    const res = await raw(c, 'GET', '/api/v1/namespaces', { token: c.token });
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect((await raw(c, 'GET', '/api/v1/namespaces', { token: c.token })).status).toBe(200);
  });
});
