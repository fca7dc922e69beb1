// Pods as real containers in the sandbox's Docker engine (the default pod runtime): real exit codes and
// CrashLoopBackOff, real readiness exec probes, real logs, containers removed with their pods; and the simulated
// runtime as the opt-out. Through @kubernetes/client-node, each test on its own cluster.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { AppsV1Api, CoreV1Api, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuntimeMode } from '../eks/cluster.ts';
import { control, testCluster, until, type TestCluster } from './eks-helpers.ts';
import { ecrClient, sandboxState, sh, uniqueName, withDockerConfig } from './helpers.ts';

let docker: ReturnType<typeof withDockerConfig>;
let context: string;
let crashImage: string;
const busybox = () => `${process.env.SANDBOX_REGISTRY_HOST}/busybox:latest`;

function apis(c: TestCluster) {
  return { apps: c.kc.makeApiClient(AppsV1Api), core: c.kc.makeApiClient(CoreV1Api) };
}

/** Container ids in the sandbox engine carrying a label (`key=value`), running or not. */
async function containers(label: string): Promise<string[]> {
  const r = await sh('docker', ['ps', '-aq', '--no-trunc', '--filter', `label=${label}`], {
    ...process.env,
    DOCKER_HOST: sandboxState().dockerHost,
  });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

function dep(
  name: string,
  image: string,
  container: Record<string, unknown> = {},
  replicas = 1,
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image, ...container }] },
      },
    },
  } as V1Deployment;
}

async function pods(c: TestCluster, app: string): Promise<V1Pod[]> {
  return (await apis(c).core.listNamespacedPod({ namespace: 'default', labelSelector: `app=${app}` })).items;
}

beforeAll(async () => {
  // An image whose CMD prints and exits 4, pushed to the sandbox registry as a pipeline would.
  docker = withDockerConfig();
  context = mkdtempSync(join(tmpdir(), 'eks-containers-'));
  const ecr = ecrClient();
  const auth = await ecr.send(new GetAuthorizationTokenCommand({}));
  const password = Buffer.from(auth.authorizationData![0]!.authorizationToken!, 'base64').toString().slice(4);
  const host = process.env.SANDBOX_REGISTRY_HOST!;
  const login = await sh(
    'docker',
    ['login', '--username', 'AWS', '--password-stdin', host],
    docker.env,
    password,
  );
  expect(login.code, login.stderr).toBe(0);
  const repo = uniqueName('eks-crash');
  await ecr.send(new CreateRepositoryCommand({ repositoryName: repo }));
  writeFileSync(
    join(context, 'Dockerfile'),
    'FROM busybox:latest\nCMD ["sh", "-c", "echo started on $(hostname); echo config missing >&2; exit 4"]\n',
  );
  crashImage = `${host}/${repo}:v1`;
  const build = await sh('docker', ['build', '-q', '-t', crashImage, context], docker.env);
  expect(build.code, build.stderr).toBe(0);
  const push = await sh('docker', ['push', crashImage], docker.env);
  expect(push.code, push.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  docker?.cleanup();
  if (context) rmSync(context, { recursive: true, force: true });
});

describe('pods in real containers', () => {
  it('a real exit 4: CrashLoopBackOff, lastState.terminated.exitCode 4, previous logs of the real process', async () => {
    const c = await testCluster(0.05, 'containers');
    const { apps, core } = apis(c);
    await apps.createNamespacedDeployment({ namespace: 'default', body: dep('crash', crashImage) });
    const seen = new Set<string>();
    const pod = await until(
      'a restart after a real exit',
      async () => {
        const p = (await pods(c, 'crash'))[0];
        if (p?.metadata?.uid)
          for (const id of await containers(`io.kubernetes.pod.uid=${p.metadata.uid}`)) seen.add(id);
        const cs = p?.status?.containerStatuses?.[0];
        return cs && cs.restartCount >= 1 && cs.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
      },
      30_000,
    );
    const cs = pod.status!.containerStatuses![0]!;
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 4, reason: 'Error' });
    expect(cs.ready).toBe(false);
    // The terminated container was a real one in the engine, labelled with the pod...
    const id = /^docker:\/\/([0-9a-f]{64})$/.exec(cs.lastState!.terminated!.containerID!)?.[1];
    expect(id).toBeDefined();
    expect(seen.has(id!)).toBe(true);
    // ... and previous=true serves what its process printed (docker sets the hostname to the id's prefix).
    const prev = await core.readNamespacedPodLog({
      name: pod.metadata!.name!,
      namespace: 'default',
      previous: true,
    });
    expect(prev).toContain(`started on ${id!.slice(0, 12)}`);
    expect(prev).toContain('config missing');
    expect(prev).not.toContain('[sandbox] exec');
    // Each restart is a new container; the exited one is removed.
    await until('the exited container removed', async () => {
      const now = await containers(`io.kubernetes.pod.uid=${pod.metadata!.uid!}`);
      return !now.includes(id!);
    });
    const { rollouts } = await control().rollouts(c.name);
    expect(rollouts.find((r) => r.deployment === 'crash')?.firstFailureReason).toBeDefined();
  });

  it('command/args/env as Kubernetes maps them, and a readiness exec probe that really runs', async () => {
    const c = await testCluster(0.05, 'containers');
    const { apps, core } = apis(c);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: dep('probe', busybox(), {
        command: ['sh', '-c'],
        args: ['echo "greeting=$GREETING"; exec sleep 3600'],
        env: [{ name: 'GREETING', value: 'hi there' }],
        readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 2 },
      }),
    });
    const running = await until('container running', async () => {
      const p = (await pods(c, 'probe'))[0];
      return p?.status?.containerStatuses?.[0]?.state?.running ? p : undefined;
    });
    const name = running.metadata!.name!;
    await until('the real output in /log', async () =>
      (await core.readNamespacedPodLog({ name, namespace: 'default' })).includes('greeting=hi there'),
    );
    // The probe fails for real: Unhealthy events, the pod stays unready.
    await until('Unhealthy events', async () => {
      const ev = await core.listNamespacedEvent({
        namespace: 'default',
        fieldSelector: `involvedObject.name=${name},reason=Unhealthy`,
      });
      return (ev.items[0]?.count ?? 0) >= 2;
    });
    const p = (await pods(c, 'probe'))[0]!;
    expect(p.status?.containerStatuses?.[0]?.ready).toBe(false);
    expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('False');
    // Make the probe's command succeed inside the container: the pod becomes ready.
    const id = p.status!.containerStatuses![0]!.containerID!.replace('docker://', '');
    const touch = await sh('docker', ['exec', id, 'touch', '/tmp/ready'], {
      ...process.env,
      DOCKER_HOST: sandboxState().dockerHost,
    });
    expect(touch.code, touch.stderr).toBe(0);
    await until('ready after the file exists', async () => {
      const q = (await pods(c, 'probe'))[0];
      return q?.status?.containerStatuses?.[0]?.ready === true;
    });
  });

  it('deleting the Deployment stops and removes its containers', async () => {
    const c = await testCluster(0.05, 'containers');
    const { apps } = apis(c);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: dep('gone', busybox(), { command: ['sleep', '3600'] }, 2),
    });
    const label = `ecr-deploy.sandbox.eks-cluster=${c.name}`;
    await until('2 ready replicas', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'gone', namespace: 'default' });
      return d.status?.readyReplicas === 2;
    });
    expect(await containers(label)).toHaveLength(2);
    await apps.deleteNamespacedDeployment({ name: 'gone', namespace: 'default' });
    await until('containers removed', async () => (await containers(label)).length === 0, 30_000);
  });

  it('the simulated runtime as the opt-out: no container, the image config "runs"', async () => {
    expect(defaultRuntimeMode()).toBe(
      process.env.SANDBOX_EKS_RUNTIME === 'simulated' ? 'simulated' : 'containers',
    );
    const env = process.env.SANDBOX_EKS_RUNTIME;
    process.env.SANDBOX_EKS_RUNTIME = 'simulated';
    try {
      expect(defaultRuntimeMode()).toBe('simulated');
    } finally {
      if (env === undefined) delete process.env.SANDBOX_EKS_RUNTIME;
      else process.env.SANDBOX_EKS_RUNTIME = env;
    }
    const c = await testCluster(0.05, 'containers');
    expect((await control().settings(c.name, { runtime: 'simulated' })).runtime).toBe('simulated');
    const { apps, core } = apis(c);
    // The image's CMD exits 4 in a real container; the simulated runtime only logs it and keeps "running".
    await apps.createNamespacedDeployment({ namespace: 'default', body: dep('sim', crashImage) });
    const pod = await until('simulated pod ready', async () => {
      const p = (await pods(c, 'sim'))[0];
      return p?.status?.containerStatuses?.[0]?.ready ? p : undefined;
    });
    expect(pod.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\//);
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    const log = await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: 'default' });
    expect(log).toContain('[sandbox] exec sh -c echo started on');
    expect(await containers(`ecr-deploy.sandbox.eks-cluster=${c.name}`)).toEqual([]);
  });
});
