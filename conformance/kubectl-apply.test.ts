// Server-side apply of a folder of manifests by real kubectl (oldest and newest on the machine): the objects
// and managedFields the sandbox answers with are what kubectl expects of a Kubernetes API server, conflicts
// come back as kubectl's conflict error, and kubectl's own rollout/wait logic sees StatefulSets, DaemonSets
// and Jobs finish.
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control } from '../sandbox/__tests__/eks-helpers.ts';
import { ecrClient } from '../sandbox/__tests__/helpers.ts';
import { awsCli, kubectlJudges } from './judges.ts';
import { kubectlCluster, manifestFolder, type KubectlCluster } from './kube.ts';

const judges = kubectlJudges();
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function manifests(image: string, jobImage: string, replicas = 2): Record<string, string> {
  const probe = `readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 }`;
  return {
    'configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: web-config }
data: { GREETING: hello, LEVEL: info }
`,
    'deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: ${image}
          ports: [{ containerPort: 8080 }]
          envFrom: [{ configMapRef: { name: web-config } }]
          ${probe}
`,
    'service.yaml': `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
`,
    'ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  rules:
    - host: web.example.test
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`,
    'hpa.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 5
`,
    'statefulset.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 2
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers:
        - name: db
          image: ${image}
          ${probe}
`,
    'daemonset.yaml': `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers:
        - name: agent
          image: ${image}
          ${probe}
`,
    'job.yaml': `apiVersion: batch/v1
kind: Job
metadata: { name: migrate }
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: migrate, image: ${jobImage} }]
`,
  };
}

describe.skipIf(judges.length === 0 || !awsCli()).each(judges.map((k) => [k.minor, k.path] as const))(
  'kubectl 1.%i apply --server-side',
  (minor, bin) => {
    let c: KubectlCluster;
    let folder: { dir: string; dispose: () => void };
    let image: string;
    let jobImage: string;
    const k = (args: string[]) => c.kubectl(bin, args);
    const ok = async (args: string[]) => {
      const r = await k(args);
      expect(r.code, `kubectl ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const json = async (args: string[]): Promise<Obj> =>
      JSON.parse(await ok([...args, '-o', 'json', '--show-managed-fields'])) as Obj;

    beforeAll(async () => {
      c = await kubectlCluster(0.05);
      image = `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;
      // The Job's pod runs the same image by digest, scripted to exit 0 (the others keep running).
      const { imageDetails } = await ecrClient().send(
        new DescribeImagesCommand({ repositoryName: 'busybox' }),
      );
      jobImage = `${process.env.SANDBOX_REGISTRY_HOST}/busybox@${imageDetails?.[0]?.imageDigest ?? ''}`;
      await control().scriptImage(c.name, jobImage, { exitCode: 0, crashAfterSeconds: 1 });
      folder = manifestFolder(manifests(image, jobImage));
    });
    afterAll(() => {
      folder?.dispose();
      c?.dispose();
    });

    it('applies the folder: every object created, owned by "kubectl" with Apply entries', async () => {
      const out = await ok(['apply', '--server-side', '-f', folder.dir]);
      for (const name of [
        'configmap/web-config',
        'deployment.apps/web',
        'service/web',
        'ingress.networking.k8s.io/web',
        'horizontalpodautoscaler.autoscaling/web',
        'statefulset.apps/db',
        'daemonset.apps/agent',
        'job.batch/migrate',
      ])
        expect(out).toContain(`${name} serverside-applied`);
      const d = await json(['get', 'deployment', 'web']);
      const apply = (d.metadata.managedFields as Obj[]).find((e) => e.operation === 'Apply') as Obj;
      expect(apply.manager).toBe('kubectl');
      expect(apply.apiVersion).toBe('apps/v1');
      const container = apply.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}'];
      expect(Object.keys(container).sort()).toEqual([
        '.',
        'f:envFrom',
        'f:image',
        'f:name',
        'f:ports',
        'f:readinessProbe',
      ]);
      expect(Object.keys(container['f:ports'])).toEqual(['k:{"containerPort":8080,"protocol":"TCP"}']);
      const svc = await json(['get', 'service', 'web']);
      expect(svc.spec.clusterIP).toMatch(/^10\.100\./);
      expect(Object.keys(svc.metadata.managedFields[0].fieldsV1['f:spec']['f:ports'])).toEqual([
        'k:{"port":80,"protocol":"TCP"}',
      ]);
      const cm = await json(['get', 'configmap', 'web-config']);
      expect(cm.metadata.managedFields[0].fieldsV1).toEqual({
        'f:data': { 'f:GREETING': {}, 'f:LEVEL': {} },
      });
    });

    it('a re-apply changes nothing', async () => {
      const before = await json(['get', 'configmap,service,ingress,deployment', '-l', 'app!=none']);
      await ok(['apply', '--server-side', '-f', folder.dir]);
      const after = await json(['get', 'configmap,service,ingress,deployment', '-l', 'app!=none']);
      const rv = (l: Obj) =>
        (l.items as Obj[])
          .filter((o) => o.kind !== 'Deployment')
          .map((o) => [o.kind, o.metadata.resourceVersion]);
      expect(rv(after)).toEqual(rv(before));
      const gen = (l: Obj) =>
        (l.items as Obj[]).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.generation);
      expect(gen(after)).toEqual([1]);
    });

    it("a conflicting manager gets kubectl's conflict error; --force-conflicts takes the field", async () => {
      const other = manifestFolder({
        'deployment.yaml': manifests(image, jobImage, 4)['deployment.yaml'] ?? '',
      });
      try {
        const r = await k(['apply', '--server-side', '--field-manager=other', '-f', other.dir]);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toMatch(/Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
        expect(r.stderr).toMatch(/--force-conflicts/);
        expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
        await ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other.dir]);
        expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
        const d = await json(['get', 'deployment', 'web']);
        const mine = (d.metadata.managedFields as Obj[]).find((e) => e.manager === 'kubectl') as Obj;
        expect(mine.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
        const theirs = (d.metadata.managedFields as Obj[]).find((e) => e.manager === 'other') as Obj;
        expect(theirs.fieldsV1['f:spec']['f:replicas']).toEqual({});
      } finally {
        other.dispose();
      }
    });

    it('rollout status works for the statefulset and the daemonset; wait sees the job complete', async () => {
      // The API server defaults rollingUpdate.partition to 0, so kubectl reports a partitioned roll out.
      expect(await ok(['rollout', 'status', 'statefulset/db', '--timeout=60s'])).toMatch(
        /partitioned roll out complete: 2 new pods have been updated/,
      );
      expect(await ok(['rollout', 'status', 'daemonset/agent', '--timeout=60s'])).toMatch(
        /daemon set "agent" successfully rolled out/,
      );
      expect(await ok(['wait', '--for=condition=complete', 'job/migrate', '--timeout=60s'])).toMatch(
        /job.batch\/migrate condition met/,
      );
    });
  },
);
