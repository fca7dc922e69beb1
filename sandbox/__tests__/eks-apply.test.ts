// Server-side apply and managedFields of the sandbox Kubernetes API (raw HTTPS, as any client sends it),
// generic storage and discovery for the kinds manifests hold, and namespace deletion.
// https://kubernetes.io/docs/reference/using-api/server-side-apply/
import { describe, expect, it } from 'vitest';
import { control, raw, testCluster, until, type TestCluster } from './eks-helpers.ts';

const APPLY = 'application/apply-patch+yaml';
const image = () => `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function web(
  extra: { replicas?: number; env?: { name: string; value: string }[]; image?: string } = {},
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      ...(extra.replicas === undefined ? {} : { replicas: extra.replicas }),
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: extra.image ?? image(),
              ports: [{ containerPort: 8080 }],
              ...(extra.env ? { env: extra.env } : {}),
            },
          ],
        },
      },
    },
  };
}

async function apply(
  c: TestCluster,
  path: string,
  body: unknown,
  query = 'fieldManager=ecr-deploy',
): Promise<{ status: number; json: Obj }> {
  const r = await raw(c, 'PATCH', `${path}?${query}`, { token: c.token, body, contentType: APPLY });
  return { status: r.status, json: r.json() as Obj };
}

async function get(c: TestCluster, path: string): Promise<Obj> {
  const r = await raw(c, 'GET', path, { token: c.token });
  expect(r.status, r.body).toBe(200);
  return r.json() as Obj;
}

const entry = (o: Obj, manager: string, operation = 'Apply') =>
  (o.metadata.managedFields as Obj[]).find((e) => e.manager === manager && e.operation === operation);

describe('server-side apply', () => {
  it('creates the object, owns exactly the applied fields (list-maps by key), and a re-apply is a no-op', async () => {
    const c = await testCluster();
    const created = await apply(c, `${DEPLOY}/web`, web({ replicas: 2 }));
    expect(created.status).toBe(201);
    const o = created.json;
    // Defaults are filled in, but nobody owns them.
    expect(o.spec.revisionHistoryLimit).toBe(10);
    expect(o.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(o.metadata.managedFields).toHaveLength(1);
    const mine = entry(o, 'ecr-deploy')!;
    expect(mine).toMatchObject({ operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    expect(mine.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(mine.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': {
                  'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                },
              },
            },
          },
        },
      },
    });
    const again = await apply(c, `${DEPLOY}/web`, web({ replicas: 2 }));
    expect(again.status).toBe(200);
    expect(again.json.metadata.generation).toBe(1);
    expect(again.json.metadata.managedFields).toEqual(o.metadata.managedFields);
    // Nothing else writes a ConfigMap: the same apply does not even bump its resourceVersion.
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    const first = await apply(c, '/api/v1/namespaces/default/configmaps/c', cm);
    const second = await apply(c, '/api/v1/namespaces/default/configmaps/c', cm);
    expect(second.status).toBe(200);
    expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
  });

  it('conflicts with another manager: 409 with FieldManagerConflict causes; force takes the field', async () => {
    const c = await testCluster();
    expect((await apply(c, `${DEPLOY}/web`, web({ replicas: 2 }))).status).toBe(201);
    const clash = await apply(c, `${DEPLOY}/web`, web({ replicas: 4 }), 'fieldManager=other');
    expect(clash.status).toBe(409);
    expect(clash.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "ecr-deploy": .spec.replicas',
      details: {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "ecr-deploy"', field: '.spec.replicas' },
        ],
      },
    });
    expect((await get(c, `${DEPLOY}/web`)).spec.replicas).toBe(2);

    // The same value is no conflict: both own it.
    const shared = await apply(c, `${DEPLOY}/web`, web({ replicas: 2 }), 'fieldManager=other');
    expect(shared.status).toBe(200);
    expect(entry(shared.json, 'other')!.fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(entry(shared.json, 'ecr-deploy')!.fieldsV1['f:spec']['f:replicas']).toEqual({});

    const forced = await apply(
      c,
      `${DEPLOY}/web`,
      web({ replicas: 4, image: `${image()}-x` }),
      'fieldManager=other&force=true',
    );
    expect(forced.status).toBe(200);
    expect(forced.json.spec.replicas).toBe(4);
    const mine = entry(forced.json, 'ecr-deploy')!.fieldsV1;
    expect(mine['f:spec']['f:replicas']).toBeUndefined();
    expect(
      mine['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}']['f:image'],
    ).toBeUndefined();
    expect(entry(forced.json, 'other')!.fieldsV1['f:spec']['f:replicas']).toEqual({});

    // Two conflicting fields: one message naming both, one cause each.
    const two = await apply(c, `${DEPLOY}/web`, web({ replicas: 1 }));
    expect(two.status).toBe(409);
    expect(two.json.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "other":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image',
    );
    expect((two.json.details.causes as Obj[]).map((x) => x.field)).toEqual([
      '.spec.replicas',
      '.spec.template.spec.containers[name="app"].image',
    ]);
  });

  it('removes fields the applier no longer sends, unless another manager owns them too', async () => {
    const c = await testCluster();
    const env = [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ];
    expect((await apply(c, `${DEPLOY}/web`, web({ replicas: 2, env }))).status).toBe(201);
    // Another manager co-owns env B (same value).
    expect(
      (
        await apply(
          c,
          `${DEPLOY}/web`,
          {
            ...web(),
            spec: {
              ...web().spec,
              template: { ...web().spec.template, spec: { containers: [{ name: 'app', env: [env[1]] }] } },
            },
          },
          'fieldManager=other',
        )
      ).status,
    ).toBe(200);
    const after = await apply(c, `${DEPLOY}/web`, web({}));
    expect(after.status).toBe(200);
    const container = after.json.spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'B', value: '2' }]);
    // replicas was only ours: gone from the applied fields, so it falls back to the default.
    expect(after.json.spec.replicas).toBe(1);
    expect(entry(after.json, 'ecr-deploy')!.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
  });

  it('updates are recorded as Update entries that an apply then conflicts with, by manager and apiVersion', async () => {
    const c = await testCluster();
    const body = web({ replicas: 2 });
    const created = await raw(c, 'POST', `${DEPLOY}?fieldManager=kubectl-client-side-apply`, {
      token: c.token,
      body,
    });
    expect(created.status).toBe(201);
    const o = created.json() as Obj;
    const upd = entry(o, 'kubectl-client-side-apply', 'Update')!;
    expect(upd.apiVersion).toBe('apps/v1');
    // An Update owns what it set, defaults included, with `.` for maps and items it added.
    expect(upd.fieldsV1['f:metadata']['f:labels']).toEqual({ '.': {}, 'f:app': {} });
    expect(upd.fieldsV1['f:spec']['f:revisionHistoryLimit']).toEqual({});
    expect(upd.fieldsV1['f:spec']['f:strategy']['f:rollingUpdate']).toEqual({
      '.': {},
      'f:maxSurge': {},
      'f:maxUnavailable': {},
    });
    expect(upd.fieldsV1['f:status']).toBeUndefined();
    // A merge patch by a second manager takes the field it changes.
    const patched = await raw(c, 'PATCH', `${DEPLOY}/web?fieldManager=kubectl-edit`, {
      token: c.token,
      body: { spec: { replicas: 3 } },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.status).toBe(200);
    const p = patched.json() as Obj;
    expect(entry(p, 'kubectl-edit', 'Update')!.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entry(p, 'kubectl-client-side-apply', 'Update')!.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    const clash = await apply(c, `${DEPLOY}/web`, web({ replicas: 5 }));
    expect(clash.status).toBe(409);
    expect(clash.json.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
    );
    // /scale writes are owned with their subresource.
    const scaled = await raw(c, 'PATCH', `${DEPLOY}/web/scale?fieldManager=scaler`, {
      token: c.token,
      body: { spec: { replicas: 6 } },
      contentType: 'application/merge-patch+json',
    });
    expect(scaled.status).toBe(200);
    const d = await get(c, `${DEPLOY}/web`);
    expect((d.metadata.managedFields as Obj[]).find((e) => e.manager === 'scaler')).toMatchObject({
      operation: 'Update',
      subresource: 'scale',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    const clash2 = await apply(c, `${DEPLOY}/web`, web({ replicas: 5 }));
    expect(clash2.json.message).toBe(
      'Apply failed with 1 conflict: conflict with "scaler" with subresource "scale" using apps/v1: .spec.replicas',
    );
  });

  it('refuses an apply without fieldManager, and dryRun=All changes nothing', async () => {
    const c = await testCluster();
    const none = await apply(c, `${DEPLOY}/web`, web(), '');
    expect(none.status).toBe(422);
    expect(none.json.message).toMatch(/fieldManager: Required value/);
    const dry = await apply(c, `${DEPLOY}/web`, web(), 'fieldManager=ecr-deploy&dryRun=All');
    expect(dry.status).toBe(201);
    expect(dry.json.metadata.managedFields[0].manager).toBe('ecr-deploy');
    expect((await raw(c, 'GET', `${DEPLOY}/web`, { token: c.token })).status).toBe(404);
    const wrongName = await apply(c, `${DEPLOY}/other`, web());
    expect(wrongName.status).toBe(400);
    expect(wrongName.json.message).toMatch(/does not match the name on the URL/);
  });

  it('an HPA scales the target through /scale as kube-controller-manager; an apply without replicas keeps its count', async () => {
    const c = await testCluster();
    expect((await apply(c, `${DEPLOY}/web`, web({ replicas: 2 }))).status).toBe(201);
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 10,
      },
    };
    const made = await apply(c, '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web', hpa);
    expect(made.status).toBe(201);
    await control().setHpaDesiredReplicas(c.name, 'default', 'web', 5);
    const scaled = await until('scaled to 5', async () => {
      const d = await get(c, `${DEPLOY}/web`);
      return d.spec.replicas === 5 ? d : undefined;
    });
    expect(
      (scaled.metadata.managedFields as Obj[]).find(
        (e) => e.manager === 'kube-controller-manager' && e.subresource === 'scale',
      ),
    ).toMatchObject({
      operation: 'Update',
      apiVersion: 'apps/v1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    const status = await until('HPA status', async () => {
      const h = await get(c, '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web');
      return h.status?.desiredReplicas === 5 ? h : undefined;
    });
    expect(status.status.lastScaleTime).toBeDefined();
    // Applying with replicas now conflicts with the HPA, the real message and all.
    const clash = await apply(c, `${DEPLOY}/web`, web({ replicas: 2 }));
    expect(clash.status).toBe(409);
    expect(clash.json.message).toBe(
      'Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "scale" using apps/v1: .spec.replicas',
    );
    // Without replicas: the count stays the HPA's.
    const kept = await apply(c, `${DEPLOY}/web`, web({ image: `${image()}-v2` }));
    expect(kept.status).toBe(200);
    expect(kept.json.spec.replicas).toBe(5);
    // Above maxReplicas is clamped.
    await control().setHpaDesiredReplicas(c.name, 'default', 'web', 50);
    await until('clamped to 10', async () => (await get(c, `${DEPLOY}/web`)).spec.replicas === 10);
  });
});

describe('generic kinds, discovery and namespaces', () => {
  it('serves the kinds manifests hold: discovery, apply, get, list, update, delete', async () => {
    const c = await testCluster();
    const core = await get(c, '/api/v1');
    const names = (core.resources as Obj[]).map((r) => r.name);
    for (const n of ['services', 'configmaps', 'secrets', 'serviceaccounts', 'namespaces', 'nodes'])
      expect(names).toContain(n);
    const groups = await get(c, '/apis');
    const autoscaling = (groups.groups as Obj[]).find((g) => g.name === 'autoscaling')!;
    expect(autoscaling.preferredVersion.groupVersion).toBe('autoscaling/v2');
    for (const [gv, kind] of [
      ['networking.k8s.io/v1', 'Ingress'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['batch/v1', 'Job'],
      ['batch/v1', 'CronJob'],
      ['apps/v1', 'StatefulSet'],
    ]) {
      const list = await get(c, `/apis/${gv}`);
      expect((list.resources as Obj[]).map((r) => r.kind)).toContain(kind);
    }
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' }, data: { a: '1', b: '2' } };
    const made = await apply(c, '/api/v1/namespaces/default/configmaps/conf', cm);
    expect(made.status).toBe(201);
    expect(entry(made.json, 'ecr-deploy')!.fieldsV1).toEqual({ 'f:data': { 'f:a': {}, 'f:b': {} } });
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    const s = await apply(c, '/api/v1/namespaces/default/services/web', svc);
    expect(s.status).toBe(201);
    expect(s.json.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None' });
    expect(s.json.spec.clusterIP).toMatch(/^10\.100\.\d+\.\d+$/);
    expect(entry(s.json, 'ecr-deploy')!.fieldsV1['f:spec']).toEqual({
      'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } },
      'f:selector': {},
    });
    const ing = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: {
        rules: [
          {
            host: 'web.example.test',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    };
    const i = await apply(c, '/apis/networking.k8s.io/v1/namespaces/default/ingresses/web', ing);
    expect(i.status).toBe(201);
    expect(i.json.metadata.generation).toBe(1);
    const list = await get(c, '/api/v1/namespaces/default/configmaps');
    expect(list.kind).toBe('ConfigMapList');
    expect((list.items as Obj[]).map((x) => x.metadata.name)).toEqual(['conf']);
    const secret = await raw(c, 'POST', '/api/v1/namespaces/default/secrets', {
      token: c.token,
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } },
    });
    expect(secret.status).toBe(201);
    expect((secret.json() as Obj).type).toBe('Opaque');
    const del = await raw(c, 'DELETE', '/api/v1/namespaces/default/configmaps/conf', { token: c.token });
    expect(del.status).toBe(200);
    expect(
      (await raw(c, 'GET', '/api/v1/namespaces/default/configmaps/conf', { token: c.token })).status,
    ).toBe(404);
    const nodes = await get(c, '/api/v1/nodes');
    expect((nodes.items as Obj[]).length).toBe(2);
  });

  it('deleting a namespace: Terminating (no new content) until what it holds is gone, then gone', async () => {
    const c = await testCluster();
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } };
    expect((await apply(c, '/api/v1/namespaces/team', ns)).status).toBe(201);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' }, data: { a: '1' } };
    expect((await apply(c, '/api/v1/namespaces/team/configmaps/conf', cm)).status).toBe(201);
    expect(
      (await apply(c, '/apis/apps/v1/namespaces/team/deployments/web', web({ replicas: 1 }))).status,
    ).toBe(201);
    await until(
      'a pod',
      async () => ((await get(c, '/api/v1/namespaces/team/pods')).items as Obj[]).length > 0,
    );
    const del = await raw(c, 'DELETE', '/api/v1/namespaces/team', { token: c.token });
    expect(del.status).toBe(200);
    expect((del.json() as Obj).status.phase).toBe('Terminating');
    const refused = await apply(c, '/api/v1/namespaces/team/configmaps/late', {
      ...cm,
      metadata: { name: 'late' },
    });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/because it is being terminated/);
    await until(
      'namespace gone',
      async () => (await raw(c, 'GET', '/api/v1/namespaces/team', { token: c.token })).status === 404,
    );
    expect((await get(c, '/apis/apps/v1/deployments')).items as Obj[]).toEqual([]);
    expect(
      ((await get(c, '/api/v1/configmaps')).items as Obj[]).filter((x) => x.metadata.namespace === 'team'),
    ).toEqual([]);
  });
});
