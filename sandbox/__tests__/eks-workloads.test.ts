// StatefulSet, DaemonSet and Job controllers of the sandbox cluster, with pods on the simulated kubelet:
// the status fields `kubectl rollout status` and `kubectl wait` read move as in Kubernetes.
import { describe, expect, it } from 'vitest';
import { control, raw, testCluster, until, type TestCluster } from './eks-helpers.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const image = () => `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;
const APPLY = 'application/apply-patch+yaml';

async function apply(c: TestCluster, path: string, body: unknown): Promise<Obj> {
  const r = await raw(c, 'PATCH', `${path}?fieldManager=test`, { token: c.token, body, contentType: APPLY });
  expect([200, 201], r.body).toContain(r.status);
  return r.json() as Obj;
}

async function get(c: TestCluster, path: string): Promise<Obj> {
  const r = await raw(c, 'GET', path, { token: c.token });
  expect(r.status, r.body).toBe(200);
  return r.json() as Obj;
}

function podTemplate(app: string, env = 'one', extra: Obj = {}): Obj {
  return {
    metadata: { labels: { app } },
    spec: {
      containers: [
        {
          name: 'app',
          image: image(),
          env: [{ name: 'V', value: env }],
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
        },
      ],
      ...extra,
    },
  };
}

const STS = '/apis/apps/v1/namespaces/default/statefulsets';
const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const JOBS = '/apis/batch/v1/namespaces/default/jobs';

function sts(v: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      replicas: 3,
      selector: { matchLabels: { app: 'db' } },
      template: podTemplate('db', v),
      ...extra,
    },
  };
}

const pods = async (c: TestCluster, selector: string): Promise<Obj[]> =>
  (await get(c, `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)}`))
    .items as Obj[];

describe('StatefulSet controller', () => {
  it('creates pods in order, rolls an update from the highest ordinal, and honours a partition', async () => {
    const c = await testCluster();
    const created = await apply(c, `${STS}/db`, sts('one'));
    expect(created.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
    });
    // OrderedReady: db-1 is not created before db-0 is Running and Ready.
    const first = await until('db-0', async () => {
      const list = await pods(c, 'app=db');
      return list.length ? list : undefined;
    });
    expect(first.map((p) => p.metadata.name)).toEqual(['db-0']);
    const done = await until('3 ready at one revision', async () => {
      const s = await get(c, `${STS}/db`);
      return s.status?.readyReplicas === 3 && s.status.updatedReplicas === 3 ? s : undefined;
    });
    expect(done.status.observedGeneration).toBe(1);
    expect(done.status.currentRevision).toBe(done.status.updateRevision);
    expect(done.status.currentRevision).toMatch(/^db-[a-z0-9]+$/);
    const all = await pods(c, 'app=db');
    expect(all.map((p) => p.metadata.name).sort()).toEqual(['db-0', 'db-1', 'db-2']);
    expect(all[0]!.metadata.labels['controller-revision-hash']).toBe(done.status.currentRevision);
    const revisions = await get(c, '/apis/apps/v1/namespaces/default/controllerrevisions');
    expect((revisions.items as Obj[]).map((r) => r.metadata.name)).toEqual([done.status.currentRevision]);

    // An update: a new updateRevision; the highest ordinal is replaced first.
    const two = await apply(c, `${STS}/db`, sts('two'));
    expect(two.metadata.generation).toBe(2);
    const rolling = await until('update revision', async () => {
      const s = await get(c, `${STS}/db`);
      return s.status?.observedGeneration === 2 && s.status.updateRevision !== done.status.currentRevision
        ? s
        : undefined;
    });
    expect(rolling.status.currentRevision).toBe(done.status.currentRevision);
    const firstUpdated = await until('a pod at the new revision', async () => {
      const p = (await pods(c, 'app=db')).find(
        (x) => x.metadata.labels['controller-revision-hash'] === rolling.status.updateRevision,
      );
      return p;
    });
    expect(firstUpdated.metadata.name).toBe('db-2');
    const rolled = await until('rolled', async () => {
      const s = await get(c, `${STS}/db`);
      return s.status.currentRevision === s.status.updateRevision && s.status.updatedReplicas === 3
        ? s
        : undefined;
    });
    expect(rolled.status.readyReplicas).toBe(3);

    // partition: 2 → only db-2 moves to the next revision; the others stay.
    await apply(
      c,
      `${STS}/db`,
      sts('three', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }),
    );
    const partitioned = await until('db-2 updated', async () => {
      const s = await get(c, `${STS}/db`);
      return s.status.observedGeneration === 3 &&
        s.status.updatedReplicas === 1 &&
        s.status.readyReplicas === 3
        ? s
        : undefined;
    });
    expect(partitioned.status.currentRevision).not.toBe(partitioned.status.updateRevision);
    const byName = Object.fromEntries(
      (await pods(c, 'app=db')).map((p) => [p.metadata.name, p.metadata.labels['controller-revision-hash']]),
    );
    expect(byName['db-2']).toBe(partitioned.status.updateRevision);
    expect(byName['db-0']).toBe(rolled.status.updateRevision);
    expect(byName['db-1']).toBe(rolled.status.updateRevision);
  });
});

describe('DaemonSet controller', () => {
  it('runs one pod per node and rolls an update within maxUnavailable', async () => {
    const c = await testCluster();
    const ds = (v: string) => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate('agent', v) },
    });
    const made = await apply(c, `${DS}/agent`, ds('one'));
    expect(made.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    const up = await until('available on both nodes', async () => {
      const d = await get(c, `${DS}/agent`);
      return d.status?.numberAvailable === 2 ? d : undefined;
    });
    expect(up.status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      updatedNumberScheduled: 2,
      numberReady: 2,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });
    const nodes = (await pods(c, 'app=agent')).map((p) => p.spec.nodeName).sort();
    expect(nodes).toEqual(['sandbox-node-1', 'sandbox-node-2']);

    await apply(c, `${DS}/agent`, ds('two'));
    let worst = 2;
    const rolled = await until('rolled', async () => {
      const d = await get(c, `${DS}/agent`);
      if (d.status.observedGeneration === 2) worst = Math.min(worst, d.status.numberAvailable ?? 0);
      return d.status.observedGeneration === 2 &&
        d.status.updatedNumberScheduled === 2 &&
        d.status.numberAvailable === 2
        ? d
        : undefined;
    });
    expect(rolled.status.desiredNumberScheduled).toBe(2);
    // maxUnavailable 1: never both nodes down at once.
    expect(worst).toBeGreaterThanOrEqual(1);
  });
});

describe('Job controller', () => {
  const job = (name: string, img: string, backoffLimit = 6): Obj => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      backoffLimit,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: img }] } },
    },
  });

  it('runs a pod to completion: succeeded 1, Complete condition, selector and labels generated', async () => {
    const c = await testCluster();
    await control().scriptImage(c.name, image(), { exitCode: 0, crashAfterSeconds: 1 });
    const made = await apply(c, `${JOBS}/once`, job('once', image()));
    expect(made.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
    });
    expect(made.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(made.metadata.uid);
    expect(made.spec.template.metadata.labels['job-name']).toBe('once');
    const done = await until('complete', async () => {
      const j = await get(c, `${JOBS}/once`);
      return (j.status?.conditions ?? []).some((x: Obj) => x.type === 'Complete' && x.status === 'True')
        ? j
        : undefined;
    });
    expect(done.status.succeeded).toBe(1);
    expect(done.status.failed).toBeUndefined();
    expect(done.status.completionTime).toBeDefined();
    // The controller's status writes are its own managedFields entry, through the status subresource.
    const kcm = (done.metadata.managedFields as Obj[]).find((e) => e.manager === 'kube-controller-manager');
    expect(kcm).toMatchObject({ operation: 'Update', subresource: 'status', apiVersion: 'batch/v1' });
    expect(kcm?.fieldsV1['f:status']['f:succeeded']).toEqual({});
    expect((done.metadata.managedFields as Obj[]).find((e) => e.manager === 'test')?.operation).toBe('Apply');
    expect((done.status.conditions as Obj[]).map((x) => x.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    const ps = await pods(c, 'job-name=once');
    expect(ps.map((p) => p.status.phase)).toEqual(['Succeeded']);
  });

  it('fails after backoffLimit failed pods with BackoffLimitExceeded', async () => {
    const c = await testCluster();
    await control().scriptImage(c.name, image(), { exitCode: 2, crashAfterSeconds: 0.5 });
    await apply(c, `${JOBS}/bad`, job('bad', image(), 1));
    const failed = await until(
      'failed',
      async () => {
        const j = await get(c, `${JOBS}/bad`);
        return (j.status?.conditions ?? []).some((x: Obj) => x.type === 'Failed') ? j : undefined;
      },
      30_000,
    );
    expect(failed.status.failed).toBe(2);
    expect(failed.status.succeeded).toBeUndefined();
    const cond = (failed.status.conditions as Obj[]).find((x) => x.type === 'Failed')!;
    expect(cond).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(failed.status.conditions.map((x: Obj) => x.type)).toEqual(['FailureTarget', 'Failed']);
  });

  it('refuses a Job whose pods would restart forever', async () => {
    const c = await testCluster();
    const bad = job('always', image());
    bad.spec.template.spec.restartPolicy = 'Always';
    const r = await raw(c, 'POST', '/apis/batch/v1/namespaces/default/jobs', { token: c.token, body: bad });
    expect(r.status).toBe(422);
    expect((r.json() as Obj).message).toMatch(
      /spec.template.spec.restartPolicy: Unsupported value: "Always"/,
    );
  });
});
