// ReplicaFailure: the ReplicaSet controller's pod creates refused (as by a ResourceQuota or an admission
// webhook) through the EKS control interface → ReplicaSet and Deployment conditions, FailedCreate events,
// the rollout timeline; clearing the refusal lets the rollout finish and removes the condition.
import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { control, deployment, testCluster, until, type TestCluster } from './eks-helpers.ts';

const REV = 'deployment.kubernetes.io/revision';
const image = () => `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;
const smp = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

function apis(c: TestCluster) {
  return { apps: c.kc.makeApiClient(AppsV1Api), core: c.kc.makeApiClient(CoreV1Api) };
}

type WithConditions = { status?: { conditions?: { type: string }[] } };
const cond = <T extends WithConditions>(o: T, type: string) =>
  o.status?.conditions?.find((x) => x.type === type) as
    NonNullable<NonNullable<T['status']>['conditions']>[number] | undefined;

async function rsOfRevision(c: TestCluster, app: string, rev: string): Promise<V1ReplicaSet> {
  const { apps } = apis(c);
  return until(`${app} ReplicaSet revision ${rev}`, async () =>
    (await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: `app=${app}` })).items.find(
      (rs) => rs.metadata?.annotations?.[REV] === rev,
    ),
  );
}

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

describe('ReplicaFailure (pod creation refused)', () => {
  it('a refused new template: FailedCreate on the ReplicaSet and Deployment, events, timeline; cleared → completes', async () => {
    const c = await testCluster();
    const { apps, core } = apis(c);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('web', image()) as V1Deployment,
    });
    await rolledOut(c, 'web');
    const rs1 = await rsOfRevision(c, 'web', '1');

    const refusal = await control().refusePodCreation(c.name, { deployment: 'web' });
    expect(refusal.id).toBeGreaterThan(0);
    expect((await control().podCreationRefusals(c.name)).refusals).toEqual([refusal]);
    await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: {
          spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'V', value: '2' }] }] } } },
        },
      },
      smp,
    );
    const rs2name = (await rsOfRevision(c, 'web', '2')).metadata!.name!;

    // The ReplicaSet: ReplicaFailure True FailedCreate with the API server's refusal (named by generateName).
    const rs2 = await until('ReplicaFailure on the new ReplicaSet', async () => {
      const rs = await apps.readNamespacedReplicaSet({ name: rs2name, namespace: 'default' });
      return cond(rs, 'ReplicaFailure') ? rs : undefined;
    });
    expect(rs2.spec?.replicas).toBe(1); // scaled up by maxSurge (25% of 3 → 1)
    expect(rs2.status?.replicas ?? 0).toBe(0);
    const rsCond = cond(rs2, 'ReplicaFailure')!;
    expect(rsCond).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(rsCond.message).toMatch(
      new RegExp(
        `^pods "${rs2name}-" is forbidden: exceeded quota: sandbox-quota, requested: pods=1, used: pods=\\d+, limited: pods=\\d+$`,
      ),
    );
    expect(rsCond.lastTransitionTime).toBeDefined();

    // The Deployment copies it; the old ReplicaSet keeps serving (maxUnavailable 0 of 3).
    const d = await until('ReplicaFailure on the Deployment', async () => {
      const x = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
      return cond(x, 'ReplicaFailure') ? x : undefined;
    });
    expect(cond(d, 'ReplicaFailure')).toMatchObject({
      status: 'True',
      reason: 'FailedCreate',
      message: rsCond.message,
    });
    expect(new Date(cond(d, 'ReplicaFailure')!.lastUpdateTime!).getTime()).toBe(
      new Date(rsCond.lastTransitionTime!).getTime(),
    );
    expect(d.status?.updatedReplicas ?? 0).toBe(0);
    expect(d.status?.availableReplicas).toBe(3);
    const pods = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata?.name?.startsWith(`${rs1.metadata!.name!}-`))).toBe(true);

    // FailedCreate Warning events on the ReplicaSet, by the replicaset-controller.
    const events = (
      await core.listNamespacedEvent({
        namespace: 'default',
        fieldSelector: `involvedObject.name=${rs2name},reason=FailedCreate`,
      })
    ).items;
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({
      type: 'Warning',
      reason: 'FailedCreate',
      source: { component: 'replicaset-controller' },
      involvedObject: { kind: 'ReplicaSet', name: rs2name, uid: rs2.metadata!.uid },
    });
    expect(events[0]!.message).toMatch(
      new RegExp(`^Error creating: pods "${rs2name}-" is forbidden: exceeded quota`),
    );
    const created = (
      await core.listNamespacedEvent({
        namespace: 'default',
        fieldSelector: `involvedObject.name=${rs2name},reason=SuccessfulCreate`,
      })
    ).items;
    expect(created).toHaveLength(0);

    // The rollout timeline: the first FailedCreate is the rollout's first failure.
    const during = (await control().rollouts(c.name)).rollouts.find(
      (r) => r.deployment === 'web' && r.revision === '2',
    )!;
    expect(during.firstFailureReason).toBe('FailedCreate');
    expect(during.firstFailureMessage).toBe(rsCond.message);
    expect(during.completedAt).toBeUndefined();

    // Cleared: the controller's next retry creates the pods, the rollout completes, the condition goes away.
    expect((await control().clearPodCreationRefusals(c.name)).removed).toBe(1);
    const done = await rolledOut(c, 'web');
    expect(cond(done, 'ReplicaFailure')).toBeUndefined();
    const rs2done = await apps.readNamespacedReplicaSet({ name: rs2name, namespace: 'default' });
    expect(cond(rs2done, 'ReplicaFailure')).toBeUndefined();
    expect(rs2done.status?.availableReplicas).toBe(3);
    const after = (await control().rollouts(c.name)).rollouts.find(
      (r) => r.deployment === 'web' && r.revision === '2',
    )!;
    expect(after.completedAt).toBeDefined();
    expect(after.firstFailureReason).toBe('FailedCreate');
    expect(Date.parse(after.firstFailureAt!)).toBeLessThan(Date.parse(after.completedAt!));
  });

  it('by image, with a webhook-style message: only matching templates are refused; the progress deadline still applies', async () => {
    const c = await testCluster();
    const { apps, core } = apis(c);
    const message =
      'admission webhook "policy.example.com" denied the request: {pod} uses an unapproved image';
    const { id } = await control().refusePodCreation(c.name, { image: 'busybox', message });
    await control().refusePodCreation(c.name, { image: 'busybox', namespace: 'other' });
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('blocked', image(), { replicas: 2, progressDeadlineSeconds: 5 }) as V1Deployment,
    });
    // Another image is not refused (its pull fails instead: the refusal is about creating the pod).
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('other', `${process.env.SANDBOX_REGISTRY_HOST}/not-there:1`, {
        replicas: 1,
      }) as V1Deployment,
    });
    await until('a pod of the other Deployment', async () => {
      const p = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=other' });
      return p.items.length === 1;
    });
    const d = await until('ProgressDeadlineExceeded with ReplicaFailure', async () => {
      const x = await apps.readNamespacedDeployment({ name: 'blocked', namespace: 'default' });
      return cond(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && cond(x, 'ReplicaFailure')
        ? x
        : undefined;
    });
    const rs = await rsOfRevision(c, 'blocked', '1');
    const want = `admission webhook "policy.example.com" denied the request: ${rs.metadata!.name!}- uses an unapproved image`;
    expect(cond(d, 'Progressing')?.status).toBe('False');
    expect(cond(d, 'ReplicaFailure')).toMatchObject({
      status: 'True',
      reason: 'FailedCreate',
      message: want,
    });
    expect(cond(d, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(cond(rs, 'ReplicaFailure')?.message).toBe(want);
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=blocked' });
    expect(pods.items).toHaveLength(0);
    const events = (
      await core.listNamespacedEvent({
        namespace: 'default',
        fieldSelector: `involvedObject.name=${rs.metadata!.name!},reason=FailedCreate`,
      })
    ).items;
    expect(events[0]?.message).toBe(`Error creating: ${want}`);
    const r = (await control().rollouts(c.name)).rollouts.find((x) => x.deployment === 'blocked')!;
    expect(r.firstFailureReason).toBe('FailedCreate'); // before the deadline passed
    expect(r.firstFailureMessage).toBe(want);

    // Removing just this refusal (the other namespace's stays) lets the pods be created.
    expect((await control().clearPodCreationRefusals(c.name, id)).removed).toBe(1);
    expect((await control().podCreationRefusals(c.name)).refusals).toHaveLength(1);
    const ok = await rolledOut(c, 'blocked');
    expect(cond(ok, 'ReplicaFailure')).toBeUndefined();
    expect(cond(ok, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it('the control route validates its input', async () => {
    const c = await testCluster();
    await expect(control().refusePodCreation(c.name, { message: 'no' })).rejects.toThrow(/400/);
    expect((await control().clearPodCreationRefusals(c.name)).removed).toBe(0);
  });
});
