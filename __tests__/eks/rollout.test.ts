import { describe, expect, it } from 'vitest';
import {
  classifyPod,
  evaluateDeployment,
  planImagePatch,
  rollbackPatch,
  type K8sDeployment,
  type K8sPod,
} from '../../src/eks/rollout.ts';
import { mintEksToken, stsEndpoint } from '../../src/eks/token.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app';
const REF = `${REPO}@sha256:${'a'.repeat(64)}`;

function dep(over: Partial<K8sDeployment['status']> = {}, generation = 2, replicas = 3): K8sDeployment {
  return {
    metadata: { name: 'web', generation, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        spec: {
          containers: [
            { name: 'app', image: `${REPO}:1.0` },
            { name: 'envoy', image: 'public.ecr.aws/envoy:v1' },
          ],
          initContainers: [{ name: 'migrate', image: `${REPO}:1.0` }],
        },
      },
    },
    status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, ...over },
  };
}

describe('planImagePatch', () => {
  const base = { imageRef: REF, repositoryUri: REPO, containers: [], changeCause: 'ecr-deploy: x' };
  it('patches our repository’s containers and init containers by name, with a change cause', () => {
    const plan = planImagePatch(dep(), base);
    expect(plan.patch).toEqual({
      metadata: { annotations: { 'kubernetes.io/change-cause': 'ecr-deploy: x' } },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', image: REF }],
            initContainers: [{ name: 'migrate', image: REF }],
          },
        },
      },
    });
    expect(plan.unchanged).toBe(false);
    expect(plan.changes.map((c) => c.container)).toEqual(['app', 'migrate']);
  });
  it('is unchanged when the template already runs the digest', () => {
    const d = dep();
    d.spec.template.spec!.containers![0]!.image = REF;
    d.spec.template.spec!.initContainers![0]!.image = REF;
    expect(planImagePatch(d, base).unchanged).toBe(true);
  });
  it('patches only the chosen containers, explicit images included', () => {
    const plan = planImagePatch(dep(), {
      ...base,
      containers: [
        { name: 'app', image: undefined },
        { name: 'envoy', image: 'public.ecr.aws/envoy:v2' },
      ],
    });
    expect(plan.patch).toMatchObject({
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', image: REF },
              { name: 'envoy', image: 'public.ecr.aws/envoy:v2' },
            ],
          },
        },
      },
    });
  });
  it('fails on an unknown container, listing the names', () => {
    expect(() => planImagePatch(dep(), { ...base, containers: [{ name: 'api', image: undefined }] })).toThrow(
      'Deployment web has no container "api"; its containers are: app, envoy, migrate. Fix the containers input.',
    );
  });
  it('fails when no container uses the repository', () => {
    expect(() => planImagePatch(dep(), { ...base, repositoryUri: 'other/repo' })).toThrow(
      /No container of Deployment web uses other\/repo/,
    );
  });
});

describe('evaluateDeployment (kubectl rollout status, plus)', () => {
  it.each<[string, K8sDeployment, number, string, RegExp]>([
    ['spec not observed yet', dep({ observedGeneration: 1 }), 2, 'in-progress', /spec update to be observed/],
    [
      'new replicas being created',
      dep({ updatedReplicas: 1 }),
      2,
      'in-progress',
      /1 out of 3 new replicas have been updated/,
    ],
    [
      'old replicas terminating',
      dep({ replicas: 4 }),
      2,
      'in-progress',
      /1 old replicas are pending termination/,
    ],
    [
      'not all available',
      dep({ availableReplicas: 2 }),
      2,
      'in-progress',
      /2 of 3 updated replicas are available/,
    ],
    ['done', dep(), 2, 'completed', /successfully rolled out/],
    [
      'progress deadline',
      dep({
        updatedReplicas: 1,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-1" has timed out progressing.',
          },
        ],
      }),
      2,
      'failed',
      /ProgressDeadlineExceeded: ReplicaSet "web-1" has timed out progressing/,
    ],
    [
      'replica failure: left for the caller to confirm on the new ReplicaSet',
      dep({
        updatedReplicas: 0,
        conditions: [
          { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' },
        ],
      }),
      2,
      'in-progress',
      /0 out of 3 new replicas/,
    ],
    [
      'someone else changed it',
      dep({}, 3),
      2,
      'failed',
      /someone else changed Deployment web .*generation 3, ours was 2/,
    ],
  ])('%s → %s', (_name, d, generation, kind, text) => {
    const verdict = evaluateDeployment(d, generation);
    expect(verdict.kind).toBe(kind);
    expect(verdict.kind === 'failed' ? verdict.reason : verdict.message).toMatch(text);
    // Only someone else's newer generation is "superseded" (never rolled back over).
    expect(verdict.kind === 'failed' && verdict.superseded === true).toBe(
      _name === 'someone else changed it',
    );
  });
});

it('carries the ReplicaFailure condition on an unfinished rollout', () => {
  const verdict = evaluateDeployment(
    dep({
      updatedReplicas: 0,
      conditions: [
        { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' },
      ],
    }),
    2,
  );
  expect(verdict).toMatchObject({
    kind: 'in-progress',
    replicaFailure: 'ReplicaFailure: FailedCreate exceeded quota',
  });
});

describe('classifyPod', () => {
  const pod = (statuses: object[], init: object[] = []): K8sPod =>
    ({
      metadata: { name: 'web-1' },
      status: { containerStatuses: statuses, initContainerStatuses: init },
    }) as K8sPod;
  it.each<[string, K8sPod, number, boolean, RegExp | undefined]>([
    [
      'pull error: definitive at once',
      pod([{ name: 'app', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } }]),
      2,
      true,
      /container app: ErrImagePull: not found/,
    ],
    [
      'pull back-off',
      pod([{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }]),
      2,
      true,
      /ImagePullBackOff/,
    ],
    [
      'init container config error',
      pod(
        [],
        [
          {
            name: 'migrate',
            state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db" not found' } },
          },
        ],
      ),
      2,
      true,
      /container migrate: CreateContainerConfigError/,
    ],
    [
      'one crash: not yet',
      pod([
        {
          name: 'app',
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 3 } },
        },
      ]),
      2,
      false,
      /CrashLoopBackOff after 1 restart\(s\); last exit code 3/,
    ],
    [
      'crash loop after 2 restarts',
      pod([
        {
          name: 'app',
          restartCount: 2,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 3, reason: 'Error' } },
        },
      ]),
      2,
      true,
      /last exit code 3 \(Error\)/,
    ],
    [
      'crash loop with fail-fast off',
      pod([
        {
          name: 'app',
          restartCount: 9,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1 } },
        },
      ]),
      0,
      false,
      /CrashLoopBackOff/,
    ],
    ['running fine', pod([{ name: 'app', state: { running: {} } }]), 2, false, undefined],
    [
      'restarted after a clean exit',
      pod([
        { name: 'app', restartCount: 3, state: { running: {} }, lastState: { terminated: { exitCode: 0 } } },
      ]),
      2,
      false,
      undefined,
    ],
  ])('%s', (_name, p, failFastAfter, definitive, problem) => {
    const verdict = classifyPod(p, failFastAfter);
    expect(verdict.definitive).toBe(definitive);
    if (problem) expect(verdict.problems.join('\n')).toMatch(problem);
    else expect(verdict.problems).toEqual([]);
  });
});

describe('rollbackPatch', () => {
  const template = {
    metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } },
    spec: { containers: [{ name: 'app', image: 'x:1' }] },
  };
  it('first tests our generation, then restores the template without the pod-template-hash label and records why', () => {
    expect(rollbackPatch(template, { changeCause: 'rollback', hasAnnotations: true, generation: 7 })).toEqual(
      [
        { op: 'test', path: '/metadata/generation', value: 7 },
        {
          op: 'replace',
          path: '/spec/template',
          value: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'app', image: 'x:1' }] },
          },
        },
        { op: 'add', path: '/metadata/annotations/kubernetes.io~1change-cause', value: 'rollback' },
      ],
    );
  });
  it('creates the annotations when the Deployment has none', () => {
    expect(
      rollbackPatch(template, { changeCause: 'rollback', hasAnnotations: false, generation: 2 })[2],
    ).toEqual({
      op: 'add',
      path: '/metadata/annotations',
      value: { 'kubernetes.io/change-cause': 'rollback' },
    });
  });
});

describe('EKS token', () => {
  it('presigns GetCallerIdentity for the regional endpoint with the cluster header signed, as k8s-aws-v1.<base64url>', async () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const { token, expiresAt } = await mintEksToken({
      cluster: 'prod',
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
      env: {},
      now,
    });
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/); // base64url, no padding
    const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString());
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261127T120000Z');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261127/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(expiresAt - now.getTime()).toBe(15 * 60_000);
  });
  it('honours the SDK endpoint variables', () => {
    expect(stsEndpoint('eu-west-1', { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566' }).origin).toBe(
      'http://127.0.0.1:4566',
    );
    expect(stsEndpoint('cn-north-1', {}).origin).toBe('https://sts.cn-north-1.amazonaws.com.cn');
  });
});
