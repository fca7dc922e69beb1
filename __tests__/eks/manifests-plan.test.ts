// The pure decisions of applying manifests: order, HPA safety, ApplySet and prune, conflicts, diffs, and
// the rollout rules of StatefulSets, DaemonSets and Jobs.
import { describe, expect, it } from 'vitest';
import { diffLines, diffObject } from '../../src/eks/manifests/diff.ts';
import type { KubeObject } from '../../src/eks/manifests/objects.ts';
import {
  CONTAINS_GROUP_KINDS_ANNOTATION,
  PART_OF_LABEL,
  applySetId,
  applySetParent,
  applySetParentName,
  describeConflicts,
  hpaSafe,
  inApplyOrder,
  otherApplySet,
  pruneCandidates,
  scaledByHpa,
  withPartOfLabel,
} from '../../src/eks/manifests/plan.ts';
import {
  evaluateDaemonSet,
  evaluateJob,
  evaluateStatefulSet,
  isPodOfOurRevision,
} from '../../src/eks/manifests/workload-rollout.ts';

const obj = (
  kind: string,
  name: string,
  extra: Record<string, unknown> = {},
  namespace = 'web',
): KubeObject => ({
  apiVersion:
    kind === 'Deployment' || kind === 'StatefulSet'
      ? 'apps/v1'
      : kind === 'HorizontalPodAutoscaler'
        ? 'autoscaling/v2'
        : kind === 'Ingress'
          ? 'networking.k8s.io/v1'
          : 'v1',
  kind,
  metadata: { name, ...(kind === 'Namespace' ? {} : { namespace }) },
  ...extra,
});

describe('apply order', () => {
  it('applies Namespaces, then configuration, other kinds, workloads, then HPAs and Ingresses', () => {
    const objects = [
      obj('Ingress', 'web'),
      obj('HorizontalPodAutoscaler', 'web'),
      obj('Deployment', 'web'),
      { ...obj('Widget', 'w'), apiVersion: 'example.com/v1' },
      obj('Service', 'web'),
      obj('ConfigMap', 'settings'),
      obj('Namespace', 'web'),
      obj('Deployment', 'worker'),
    ].map((object) => ({ object }));
    expect(inApplyOrder(objects).map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual([
      'Namespace/web',
      'Service/web',
      'ConfigMap/settings',
      'Widget/w',
      'Deployment/web',
      'Deployment/worker',
      'Ingress/web',
      'HorizontalPodAutoscaler/web',
    ]);
  });
});

describe('HPA safety', () => {
  const hpa = obj('HorizontalPodAutoscaler', 'web-hpa', {
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2 },
  });
  const deployment = obj('Deployment', 'web', { spec: { replicas: 3, template: {} } });
  const live = (managers: string[], replicas = 5): KubeObject => ({
    ...deployment,
    spec: { replicas },
    metadata: {
      ...deployment.metadata,
      managedFields: managers.map((manager) => ({
        manager,
        operation: 'Apply',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      })),
    },
  });
  const scaled = scaledByHpa([hpa]);

  it.each([
    [
      'a workload no HPA scales keeps its replicas',
      obj('Deployment', 'other', { spec: { replicas: 3 } }),
      undefined,
      3,
    ],
    ['a new workload an HPA scales is applied without replicas', deployment, undefined, undefined],
    [
      'the HPA owns replicas in the cluster: left out',
      deployment,
      live(['kube-controller-manager']),
      undefined,
    ],
    ['shared with the HPA: left out', deployment, live(['ecr-deploy', 'kube-controller-manager']), undefined],
    ['only we own it: the live count is kept (never reset to 1)', deployment, live(['ecr-deploy'], 4), 4],
  ])('%s', (_, object, current, replicas) => {
    const result = hpaSafe(object, scaled, current);
    expect((result.object.spec as { replicas?: number }).replicas).toBe(replicas);
    expect((object.spec as { replicas?: number }).replicas).toBe(3);
  });

  it('finds the HPA of another namespace only for that namespace', () => {
    expect(
      scaledByHpa([{ ...hpa, metadata: { ...hpa.metadata, namespace: 'other' } }]).has('web/Deployment/web'),
    ).toBe(false);
  });
});

describe('ApplySet', () => {
  it('computes the id as the ApplySet KEP does (sha256 of name.namespace.kind.group, base64url)', () => {
    expect(applySetId({ name: 'p', namespace: 'web', kind: 'Secret', group: '' })).toMatch(
      /^applyset-[A-Za-z0-9_-]{43}-v1$/,
    );
    expect(applySetId({ name: 'p', namespace: 'web', kind: 'Secret', group: '' })).not.toBe(
      applySetId({ name: 'p', namespace: 'other', kind: 'Secret', group: '' }),
    );
    expect(applySetParentName('123.dkr.ecr.eu-west-1.amazonaws.com/team/Web_App')).toBe(
      'ecr-deploy-applyset-team-web-app',
    );
  });

  it('writes the parent with the sorted group-kinds and the other namespaces', () => {
    const parent = applySetParent({
      name: 'p',
      namespace: 'web',
      id: 'applyset-x-v1',
      groupKinds: ['Deployment.apps', 'ConfigMap', 'Deployment.apps'],
      namespaces: ['web', 'jobs', ''],
    });
    expect(parent.metadata.annotations).toEqual({
      'applyset.kubernetes.io/tooling': 'ecr-deploy/v1',
      [CONTAINS_GROUP_KINDS_ANNOTATION]: 'ConfigMap,Deployment.apps',
      'applyset.kubernetes.io/additional-namespaces': 'jobs',
    });
    expect(parent.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': 'applyset-x-v1' });
  });

  it('prunes only labelled objects of this ApplySet that the manifests no longer have', () => {
    const id = 'applyset-ours-v1';
    const ours = (o: KubeObject) => withPartOfLabel(o, id);
    const live = [
      ours(obj('ConfigMap', 'kept')),
      ours(obj('ConfigMap', 'dropped')),
      withPartOfLabel(obj('ConfigMap', 'theirs'), 'applyset-other-v1'),
      obj('ConfigMap', 'unlabelled'),
      ours(obj('ConfigMap', 'dropped')),
    ];
    expect(pruneCandidates(live, [obj('ConfigMap', 'kept')], id).map((o) => o.metadata.name)).toEqual([
      'dropped',
    ]);
    expect(otherApplySet(live[2], id)).toBe('applyset-other-v1');
    expect(otherApplySet(live[0], id)).toBeUndefined();
    expect(live[0]!.metadata.labels?.[PART_OF_LABEL]).toBe(id);
  });
});

describe('conflicts', () => {
  it('names each field and its manager', () => {
    expect(
      describeConflicts(obj('Deployment', 'web'), 'Apply failed with 1 conflict', [
        {
          type: 'FieldManagerConflict',
          message: 'conflict with "kubectl-edit" using apps/v1',
          field: '.spec.replicas',
        },
      ]),
    ).toBe(
      'Deployment web/web: conflict: .spec.replicas is owned by "kubectl-edit". Remove the field from the manifest, let that manager stop setting it, or set force-conflicts: true to take it over.',
    );
  });
});

describe('diffs', () => {
  it.each([
    [['a', 'b', 'c'], ['a', 'b', 'c'], []],
    [
      ['a', 'b', 'c'],
      ['a', 'x', 'c'],
      ['  a', '- b', '+ x', '  c'],
    ],
    [
      ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['1', '2', '3', '4', '5', '6', '7', '8', 'X'],
      ['  6', '  7', '  8', '- 9', '+ X'],
    ],
  ])('%j → %j', (before, after, expected) => {
    expect(diffLines(before, after)).toEqual(expected);
  });

  it('ignores what only the server writes, and says when an object is new or unchanged', () => {
    const live = {
      ...obj('ConfigMap', 'a', { data: { k: 'v' }, status: {} }),
      metadata: { name: 'a', namespace: 'web', resourceVersion: '9', managedFields: [{}] },
    };
    expect(
      diffObject(live, {
        ...obj('ConfigMap', 'a', { data: { k: 'v' } }),
        metadata: { name: 'a', namespace: 'web', resourceVersion: '10' },
      }).summary,
    ).toBe('unchanged');
    const changed = diffObject(live, obj('ConfigMap', 'a', { data: { k: 'w' } }));
    expect(changed.summary).toBe('would change');
    expect(changed.lines).toContain('-   k: v');
    expect(changed.lines).toContain('+   k: w');
    expect(diffObject(undefined, obj('ConfigMap', 'a')).summary).toBe('would be created');
  });
});

describe('secrets in diffs', () => {
  it('masks every value of a Secret, marking the changed ones', () => {
    const secret = (data: Record<string, string>) => obj('Secret', 's', { data });
    const d = diffObject(
      secret({ password: 'aHVudGVyMg==', user: 'YWRtaW4=' }),
      secret({ password: 'c2VjcmV0', user: 'YWRtaW4=' }),
    );
    const text = d.lines.join('\n');
    expect(text).not.toMatch(/aHVudGVyMg|c2VjcmV0|YWRtaW4/);
    expect(text).toMatch(/^- +password: "\*\*\* \(before\)"$/m);
    expect(text).toMatch(/^\+ +password: "\*\*\* \(after\)"$/m);
    expect(diffObject(undefined, secret({ token: 'dG9rZW4=' })).lines.join('\n')).not.toMatch(/dG9rZW4/);
  });
});

describe('rollout rules', () => {
  const sts = (
    spec: Record<string, unknown>,
    status: Record<string, unknown>,
    generation = 2,
  ): KubeObject => ({
    ...obj('StatefulSet', 'db', { spec, status }),
    metadata: { name: 'db', namespace: 'web', generation },
  });
  it.each([
    [sts({ replicas: 3 }, { observedGeneration: 1 }), 'in-progress', /spec update to be observed/],
    [
      sts({ replicas: 3 }, { observedGeneration: 2, readyReplicas: 1 }),
      'in-progress',
      /Waiting for 2 pods to be ready/,
    ],
    [
      sts(
        { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } },
        { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 },
      ),
      'in-progress',
      /partitioned roll out to finish: 1 out of 2/,
    ],
    [
      sts(
        { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
        { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3 },
      ),
      'completed',
      /partitioned roll out complete: 3 new pods/,
    ],
    [
      sts(
        { replicas: 3 },
        {
          observedGeneration: 2,
          readyReplicas: 3,
          updatedReplicas: 2,
          updateRevision: 'db-2',
          currentRevision: 'db-1',
        },
      ),
      'in-progress',
      /rolling update to complete 2 pods at revision db-2/,
    ],
    [
      sts(
        { replicas: 3 },
        {
          observedGeneration: 2,
          readyReplicas: 3,
          currentReplicas: 3,
          updateRevision: 'db-2',
          currentRevision: 'db-2',
        },
      ),
      'completed',
      /rolling update complete 3 pods at revision db-2/,
    ],
    [sts({ replicas: 3 }, { observedGeneration: 3 }, 3), 'failed', /someone else changed StatefulSet db/],
  ])('StatefulSet %#: %s', (object, kind, message) => {
    const verdict = evaluateStatefulSet(object, 2);
    expect(verdict.kind).toBe(kind);
    expect('message' in verdict ? verdict.message : verdict.reason).toMatch(message);
  });

  const ds = (status: Record<string, unknown>, strategy = 'RollingUpdate'): KubeObject => ({
    ...obj('DaemonSet', 'agent', { spec: { updateStrategy: { type: strategy } }, status }),
    metadata: { name: 'agent', namespace: 'web', generation: 4 },
  });
  it.each([
    [ds({ observedGeneration: 3 }), 'in-progress', /spec update to be observed/],
    [
      ds({ observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 1 }),
      'in-progress',
      /1 out of 3 new pods have been updated/,
    ],
    [
      ds({ observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }),
      'in-progress',
      /2 of 3 updated pods are available/,
    ],
    [
      ds({ observedGeneration: 4, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }),
      'completed',
      /successfully rolled out/,
    ],
    [ds({ observedGeneration: 4 }, 'OnDelete'), 'completed', /OnDelete/],
  ])('DaemonSet %#: %s', (object, kind, message) => {
    const verdict = evaluateDaemonSet(object, 4);
    expect(verdict.kind).toBe(kind);
    expect('message' in verdict ? verdict.message : verdict.reason).toMatch(message);
  });

  const job = (conditions: unknown[], status: Record<string, unknown> = {}) =>
    obj('Job', 'migrate', { status: { conditions, ...status } });
  it.each([
    [job([], { active: 1 }), 'in-progress', /1 active, 0 succeeded/],
    [job([{ type: 'Complete', status: 'True' }], { succeeded: 1 }), 'completed', /completed \(1 succeeded\)/],
    [
      job([
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ]),
      'failed',
      /BackoffLimitExceeded \(Job has reached/,
    ],
    [job([{ type: 'Complete', status: 'False' }]), 'in-progress', /Waiting for job/],
  ])('Job %#: %s', (object, kind, message) => {
    const verdict = evaluateJob(object);
    expect(verdict.kind).toBe(kind);
    expect('message' in verdict ? verdict.message : verdict.reason).toMatch(message);
  });

  it.each([
    [
      'StatefulSet pod at the update revision',
      'StatefulSet',
      { 'controller-revision-hash': 'db-2' },
      [],
      true,
    ],
    ['StatefulSet pod at the old revision', 'StatefulSet', { 'controller-revision-hash': 'db-1' }, [], false],
    ['DaemonSet pod of our template generation', 'DaemonSet', { 'pod-template-generation': '4' }, [], true],
    ['DaemonSet pod of the last generation', 'DaemonSet', { 'pod-template-generation': '3' }, [], false],
    ['Job pod running the template images', 'Job', {}, ['r@sha256:new'], true],
    ['unlabelled pod running other images', 'StatefulSet', {}, ['r@sha256:old'], false],
  ])('%s', (_, kind, labels, images, expected) => {
    const workload: KubeObject = {
      ...obj(kind, 'w', {
        spec: { template: { spec: { containers: [{ name: 'a', image: 'r@sha256:new' }] } } },
        status: { updateRevision: 'db-2' },
      }),
    };
    const pod = { metadata: { name: 'p', labels }, spec: { containers: images.map((image) => ({ image })) } };
    expect(isPodOfOurRevision(workload, pod, 4)).toBe(expected);
  });
});
