// The sandbox's Kubernetes API server judged by real kubectl, oldest and newest on the machine: every
// command here is one the action's users run beside it, and kubectl (not our client) decides what the
// answers mean. The token comes from the real AWS CLI (`aws eks get-token`, kubectl's exec plugin).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, kubectlJudges } from './judges.ts';
import { kubectlCluster, awsCliEnv, type KubectlCluster } from './kube.ts';

const judges = kubectlJudges();
const image = (): string => `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;

function manifest(name: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    kubernetes.io/change-cause: first
spec:
  replicas: 2
  progressDeadlineSeconds: 600
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: app
          image: ${image()}
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 2 }
${extra}`;
}

describe.skipIf(judges.length === 0 || !awsCli()).each(judges.map((k) => [k.minor, k.path] as const))(
  'kubectl 1.%i',
  (minor, bin) => {
    let c: KubectlCluster;
    const k = (args: string[], input?: string) => c.kubectl(bin, args, input === undefined ? {} : { input });
    const ok = async (args: string[], input?: string) => {
      const r = await k(args, input);
      expect(r.code, `kubectl ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };

    beforeAll(async () => {
      c = await kubectlCluster(0.05);
    });
    afterAll(() => c?.dispose());

    it('get, short names and -o yaml: the discovery documents say what kubectl needs', async () => {
      expect(await ok(['get', 'deployments'])).toBe('');
      for (const short of ['deploy', 'rs', 'po', 'ns', 'sts', 'ds', 'ev']) await ok(['get', short]);
      const ns = await ok(['get', 'ns', 'default', '-o', 'yaml']);
      expect(ns).toMatch(/^kind: Namespace$/m);
      expect(ns).toMatch(/^ {2}name: default$/m);
      // No "couldn't get resource list" for a group /apis advertises.
      const r = await k(['api-resources']);
      expect(r.stderr).not.toMatch(/couldn't get resource list/);
      expect(r.stdout).toMatch(/selfsubjectaccessreviews/);
    });

    it('apply -f with validation on: created, unchanged, and an unknown field refused', async () => {
      expect(await ok(['apply', '-f', '-'], manifest('web'))).toMatch(/deployment.apps\/web created/);
      expect(await ok(['apply', '-f', '-'], manifest('web'))).toMatch(/deployment.apps\/web unchanged/);
      const bad = manifest('typo').replace('spec:\n  replicas', 'spce: {}\nspec:\n  replicas');
      const r = await k(['apply', '-f', '-'], bad);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/unknown field "spce"/);
      expect((await k(['get', 'deploy', 'typo'])).code).not.toBe(0);
    });

    it('rollout status to completion, history with change-cause, undo reusing the old revision', async () => {
      expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toMatch(
        /successfully rolled out/,
      );
      await ok(['set', 'env', 'deployment/web', 'GREETING=two']);
      await ok(['annotate', 'deployment/web', 'kubernetes.io/change-cause=second', '--overwrite']);
      expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toMatch(
        /successfully rolled out/,
      );
      const history = await ok(['rollout', 'history', 'deployment/web']);
      expect(history).toMatch(/^1\s+first$/m);
      expect(history).toMatch(/^2\s+second$/m);
      await ok(['rollout', 'undo', 'deployment/web']);
      expect(await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toMatch(
        /successfully rolled out/,
      );
      // The undo went back to revision 1's ReplicaSet (now revision 3), no new one.
      const rs = (await ok(['get', 'rs', '-l', 'app=web', '-o', 'name'])).trim().split('\n');
      expect(rs).toHaveLength(2);
      expect(await ok(['rollout', 'history', 'deployment/web'])).toMatch(/^3\s+first$/m);
    });

    it('rollout status fails at the progress deadline when the image cannot be pulled', async () => {
      await ok(
        ['apply', '-f', '-'],
        manifest('broken').replace('progressDeadlineSeconds: 600', 'progressDeadlineSeconds: 60'),
      );
      await ok(['rollout', 'status', 'deployment/broken', '--timeout=60s']);
      await ok([
        'set',
        'image',
        'deployment/broken',
        `app=${process.env.SANDBOX_REGISTRY_HOST}/nope:missing`,
      ]);
      const r = await k(['rollout', 'status', 'deployment/broken', '--timeout=90s']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/deployment "broken" exceeded its progress deadline/);
      expect(await ok(['describe', 'deployment', 'broken'])).toMatch(/ProgressDeadlineExceeded/);
    });

    it('patch of all three types, scale through the scale subresource, server dry run stored nothing', async () => {
      await ok(['patch', 'deployment/web', '-p', '{"metadata":{"labels":{"a":"1"}}}']);
      await ok(['patch', 'deployment/web', '--type=merge', '-p', '{"metadata":{"labels":{"b":"2"}}}']);
      await ok([
        'patch',
        'deployment/web',
        '--type=json',
        '-p',
        '[{"op":"add","path":"/metadata/labels/c","value":"3"}]',
      ]);
      expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels}'])).toMatch(
        /"a":"1".*"b":"2".*"c":"3"/,
      );
      expect(await ok(['scale', 'deployment/web', '--replicas=3'])).toMatch(/scaled/);
      expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
      await ok(['scale', 'deployment/web', '--replicas=1', '--dry-run=server']);
      await ok(['label', 'deployment/web', 'd=4', '--dry-run=server']);
      expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
      expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.d}'])).toBe('');
    });

    it('describe shows events, logs come from the pod, chunked lists are complete', async () => {
      expect(await ok(['describe', 'deployment', 'web'])).toMatch(/ScalingReplicaSet/);
      const pods = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n');
      expect(pods.length).toBeGreaterThanOrEqual(1);
      const r = await k(['logs', pods[0] ?? '']);
      expect(r.code, r.stderr).toBe(0);
      const all = (await ok(['get', 'pods', '-o', 'name'])).trim().split('\n').sort();
      const chunked = (await ok(['get', 'pods', '-o', 'name', '--chunk-size=1'])).trim().split('\n').sort();
      expect(all.length).toBeGreaterThan(1);
      expect(chunked).toEqual(all);
    });

    it('get --watch sees a change as it happens', async () => {
      const child = spawn(
        bin,
        ['--kubeconfig', c.kubeconfig, 'get', 'deploy', 'web', '--watch', '-o', 'name'],
        {
          env: awsCliEnv(),
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      try {
        const deadline = Date.now() + 20_000;
        while (!out.includes('deployment.apps/web') && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        const before = out.split('\n').filter(Boolean).length;
        await ok(['label', 'deployment/web', 'watched=yes']);
        while (out.split('\n').filter(Boolean).length <= before && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        expect(out.split('\n').filter(Boolean).length).toBeGreaterThan(before);
      } finally {
        child.kill();
      }
    });

    it('auth can-i: JSON bodies answered, protobuf bodies refused with 415 UnsupportedMediaType', async () => {
      const r = await k(['auth', 'can-i', 'get', 'pods']);
      if (minor < 32) expect(r.stdout.trim()).toBe('yes');
      else expect(r.stderr).toMatch(/UnsupportedMediaType/);
      const ns = await k(['create', 'namespace', `n${minor}`]);
      if (minor < 32) expect(ns.stdout).toMatch(/created/);
      else expect(ns.stderr).toMatch(/UnsupportedMediaType.*application\/json, application\/yaml/);
    });

    it('a token minted for another cluster is refused', async () => {
      const other = c.kubeconfigFor('some-other-cluster');
      const r = await c.kubectl(bin, ['--kubeconfig', other, 'get', 'pods']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Unauthorized|must be logged in/);
    });
  },
);
