// EKS with CloudWatch alarms and a bake, end to end: the bundled dist/ against the sandbox's Kubernetes API
// and its CloudWatch, whose alarm states a test sets.
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { SandboxControl } from '../sandbox/control-client.ts';
import { deployment, raw, testCluster, type TestCluster } from '../sandbox/__tests__/eks-helpers.ts';
import { EksControl } from '../sandbox/eks/control-client.ts';
import { kubectlCluster } from '../conformance/kube.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';

interface Dep {
  metadata: { generation: number; annotations?: Record<string, string> };
  spec: { replicas?: number; template: { spec: { containers: { name: string; image: string }[] } } };
  status?: { availableReplicas?: number; updatedReplicas?: number };
}

let host: string;
let repository: string;
let digest: string;
let v1: string;

const control = () => new SandboxControl();

function cloudwatch(): CloudWatchClient {
  return new CloudWatchClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.AWS_ENDPOINT_URL_ECS,
    maxAttempts: 1,
  });
}

/** The sandbox serves CloudWatch on the same endpoint as the other AWS services. */
function env(): Record<string, string> {
  return { ...sandbox(), AWS_ENDPOINT_URL_CLOUDWATCH: process.env.AWS_ENDPOINT_URL_ECS! };
}

async function alarm(name: string): Promise<void> {
  await cloudwatch().send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
  await setAlarm(
    name,
    'OK',
    'Threshold Crossed: 1 datapoint [0.0] was not greater than the threshold (5.0).',
  );
}

function setAlarm(name: string, state: 'OK' | 'ALARM', reason: string) {
  return cloudwatch().send(
    new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }),
  );
}

/** Resolves once the sandbox answered `operation` of `service` (calls cleared before). */
async function untilCalled(service: string, operation: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if ((await control().calls({ service, operation })).some((c) => c.status === 200)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${service} ${operation} within 120 s`);
}

async function getDeployment(c: TestCluster, name: string): Promise<Dep> {
  return (
    await raw(c, 'GET', `/apis/apps/v1/namespaces/default/deployments/${name}`, { token: c.token })
  ).json() as unknown as Dep;
}

/** A cluster with a Deployment `web` running v1 of our image, rolled out. */
async function clusterWithWeb<C extends TestCluster = TestCluster>(
  extra: Record<string, unknown> = {},
  make: () => Promise<C> = () => testCluster(0.05) as Promise<C>,
): Promise<C> {
  const c = await make();
  const res = await raw(c, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
    token: c.token,
    body: deployment('web', v1, extra),
  });
  if (res.status >= 300) throw new Error(`create web: ${res.status} ${res.body}`);
  for (let i = 0; i < 200; i++) {
    const d = await getDeployment(c, 'web');
    if (d.status?.availableReplicas === 3 && d.status.updatedReplicas === 3) return c;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('web never became available');
}

function deploy(c: TestCluster, inputs: Record<string, string>, commit: number) {
  return runAction({
    inputs: {
      image: `${host}/${repository}@${digest}`,
      'eks-cluster': c.name,
      deployment: 'web',
      timeout: '2m',
      ...inputs,
    },
    event: branchPush('main', sha(commit)),
    workspace: workspace(),
    env: env(),
  });
}

beforeAll(async () => {
  host = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('eks-observe');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x4ff)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  digest = built.outputs['image-digest']!;
  v1 = `${host}/${repository}:v1`;
});

describe('EKS with alarms and a bake, end to end through dist/', { timeout: E2E_TEST_MS }, () => {
  it('rolls the Deployment back when an alarm goes to ALARM during the bake, naming the alarm', async () => {
    const c = await clusterWithWeb();
    const name = `${c.name}-5xx`;
    await alarm(name);
    await control().clearCalls();
    const running = deploy(c, { alarms: name, 'bake-time': '40s' }, 0x401);
    // The bake has begun once the alarms are read; then the alarm fires.
    await untilCalled('cloudwatch', 'DescribeAlarms');
    await setAlarm(
      name,
      'ALARM',
      'Threshold Crossed: 1 datapoint [42.0] was greater than the threshold (5.0).',
    );
    const run = await running;
    expect(run.main.exitCode, run.main.stdout).toBe(1);
    expect(run.outputs['rollout-status']).toBe('rolled-back');
    expect(run.outputs['rolled-back']).toBe('true');
    const reason = (JSON.parse(run.outputs.results!) as { reason: string }[])[0]!.reason;
    expect(reason).toMatch(
      new RegExp(
        `during the 40\\.0 s bake, alarm ${name} is in ALARM \\(Threshold Crossed: 1 datapoint \\[42\\.0\\]`,
      ),
    );
    expect(run.main.stdout).toMatch(
      new RegExp(`default/web: baking for 40\\.0 s, watching alarm\\(s\\) ${name}`),
    );
    // Our image had rolled out before the alarm; the rollback put v1 back.
    const d = await getDeployment(c, 'web');
    expect(d.spec.template.spec.containers[0]!.image).toBe(v1);
    expect(run.main.stdout).toMatch(/web: rolling back to revision 1/);
  });

  it('is completed only after a bake in which no alarm fired', async () => {
    const c = await clusterWithWeb();
    const name = `${c.name}-5xx`;
    await alarm(name);
    await control().clearCalls();
    const run = await deploy(c, { alarms: name, 'bake-time': '12s' }, 0x402);
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const lines = run.main.stdout.split('\n');
    const rolledOut = lines.findIndex((l) => /deployment "web" successfully rolled out/.test(l));
    const baking = lines.findIndex((l) =>
      l.includes(`default/web: baking for 12.0 s, watching alarm(s) ${name}`),
    );
    const passed = lines.findIndex((l) => l.includes('default/web: bake of 12.0 s passed; no alarm fired.'));
    expect(rolledOut).toBeGreaterThanOrEqual(0);
    expect(baking).toBeGreaterThan(rolledOut);
    expect(passed).toBeGreaterThan(baking);
    // The alarms were read through the bake: at the start, every 10 s, and at its end.
    expect(
      (await control().calls({ service: 'cloudwatch', operation: 'DescribeAlarms' })).length,
    ).toBeGreaterThanOrEqual(2);
    const d = await getDeployment(c, 'web');
    expect(d.spec.template.spec.containers[0]!.image).toBe(`${host}/${repository}@${digest}`);
  });
});

interface Hpa {
  metadata: {
    managedFields?: { manager?: string; operation?: string; subresource?: string; time?: string }[];
  };
  spec: Record<string, unknown>;
}

async function getHpa(c: TestCluster, name: string): Promise<{ status: number; hpa: Hpa }> {
  const res = await raw(
    c,
    'GET',
    `/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/${name}`,
    {
      token: c.token,
    },
  );
  return { status: res.status, hpa: res.json() as unknown as Hpa };
}

/** Who wrote the HPA's spec and when (the HPA controller's status writes left out). */
const specWrites = (hpa: Hpa) => (hpa.metadata.managedFields ?? []).filter((e) => e.subresource !== 'status');

describe('EKS auto scaling, end to end through dist/', { timeout: E2E_TEST_MS }, () => {
  it("creates the HPA of the Deployment, a re-run writes nothing, replicas stay the HPA's, kubectl sees it", async () => {
    const c = await clusterWithWeb({}, () => kubectlCluster(0.05));
    try {
      const scaling = 'min=2\nmax=6\ncpu=60\nmemory=70';
      const run = await deploy(c, { 'auto-scaling': scaling }, 0x410);
      expect(run.main.exitCode, run.main.stdout).toBe(0);
      expect(run.outputs['rollout-status']).toBe('completed');
      expect(run.main.stdout).toMatch(
        /web: HorizontalPodAutoscaler created: 2–6 replicas, cpu 60 %, memory 70 %/,
      );
      // The sandbox's Deployment has no requests: the HPA could not act on its metrics.
      expect(run.main.stdout).toMatch(/::warning::web: container\(s\) app have no cpu request/);
      const results = JSON.parse(run.outputs.results!) as { autoScaling?: string }[];
      expect(results[0]!.autoScaling).toBe('2–6 replicas, cpu 60 %, memory 70 %');
      const { status, hpa } = await getHpa(c, 'web');
      expect(status).toBe(200);
      expect(hpa.spec).toMatchObject({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
          },
          {
            type: 'Resource',
            resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      });
      // The HPA scales web to 5; the deploys after it keep that count (they never set replicas).
      await new EksControl().setHpaDesiredReplicas(c.name, 'default', 'web', 5);
      for (let i = 0; i < 200 && (await getDeployment(c, 'web')).spec.replicas !== 5; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect((await getDeployment(c, 'web')).spec.replicas).toBe(5);
      const writes = specWrites((await getHpa(c, 'web')).hpa);

      const again = await deploy(c, { 'auto-scaling': scaling }, 0x411);
      expect(again.main.exitCode, again.main.stdout).toBe(0);
      expect(again.outputs['rollout-status']).toBe('unchanged');
      expect(again.main.stdout).not.toMatch(/HorizontalPodAutoscaler (created|updated)/);
      expect(specWrites((await getHpa(c, 'web')).hpa)).toEqual(writes);
      expect((await getDeployment(c, 'web')).spec.replicas).toBe(5);

      // A new target: the HPA is patched, nothing rolls out (same image).
      const changed = await deploy(c, { 'auto-scaling': 'min=2\nmax=8\ncpu=50' }, 0x412);
      expect(changed.main.exitCode, changed.main.stdout).toBe(0);
      expect(changed.outputs['rollout-status']).toBe('completed');
      expect(changed.main.stdout).toMatch(
        /web: HorizontalPodAutoscaler updated \(maxReplicas, metrics\): 2–8 replicas, cpu 50 %/,
      );
      expect((await getHpa(c, 'web')).hpa.spec).toMatchObject({ maxReplicas: 8, minReplicas: 2 });
      expect((await getDeployment(c, 'web')).spec.replicas).toBe(5);

      const get = await c.kubectl('kubectl', [
        'get',
        'hpa',
        'web',
        '-o',
        'jsonpath={.spec.maxReplicas} {.spec.scaleTargetRef.name}',
      ]);
      expect(get.stdout, get.stderr).toBe('8 web');
      const describe = await c.kubectl('kubectl', ['describe', 'hpa', 'web']);
      expect(describe.code, describe.stderr).toBe(0);
      expect(describe.stdout).toMatch(/Reference:\s+Deployment\/web/);
      expect(describe.stdout).toMatch(/Min replicas:\s+2/);
      expect(describe.stdout).toMatch(/Max replicas:\s+8/);
    } finally {
      c.dispose();
    }
  });

  it('fails before anything changes when RBAC forbids writing HPAs', async () => {
    const c = await clusterWithWeb();
    const control = new EksControl();
    await control.putAccessEntry(c.name, 'arn:aws:iam::123456789012:user/sandbox', ['deployers']);
    await control.setRbac(c.name, 'Group', 'deployers', [
      {
        verbs: ['get', 'list', 'watch', 'patch'],
        apiGroups: ['*'],
        resources: ['*'],
        namespaces: ['default'],
      },
    ]);
    const run = await deploy(c, { 'auto-scaling': 'min=2\nmax=6\ncpu=60' }, 0x413);
    expect(run.main.exitCode).toBe(1);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(
      /cannot create horizontalpodautoscalers\.autoscaling in namespace "default".*get, create and patch/,
    );
    expect((await getDeployment(c, 'web')).metadata.generation).toBe(1);
    expect((await getHpa(c, 'web')).status).toBe(404);
  });

  it('refuses requests-per-target for an EKS deploy, naming the input', async () => {
    const c = await clusterWithWeb();
    const run = await deploy(
      c,
      { 'auto-scaling': 'min=2\nmax=6\nrequests-per-target=100\nload-balancer=app/a/0123456789abcdef' },
      0x414,
    );
    expect(run.main.exitCode).toBe(1);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(
      /Input "auto-scaling": requests-per-target .* ECS only/,
    );
    expect((await getDeployment(c, 'web')).metadata.generation).toBe(1);
  });
});
