// EKS with CloudWatch alarms and a bake, end to end: the bundled dist/ against the sandbox's Kubernetes API
// and its CloudWatch, whose alarm states a test sets.
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { SandboxControl } from '../sandbox/control-client.ts';
import { deployment, raw, testCluster, type TestCluster } from '../sandbox/__tests__/eks-helpers.ts';
import { E2E_TEST_MS, branchPush, repoName, sandbox, sha, workspace } from './helpers.ts';

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
async function clusterWithWeb(extra: Record<string, unknown> = {}): Promise<TestCluster> {
  const c = await testCluster(0.05);
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
