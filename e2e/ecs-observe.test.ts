// CloudWatch Logs and CloudTrail end to end: the bundled dist/ against the sandbox, whose CloudWatch Logs are
// fed by the real containers of the ECS tasks and whose CloudTrail event history is its own call log.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, paginateLookupEvents, type Event } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { SandboxControl } from '../sandbox/control-client.ts';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describeService, ecs, ecsService } from './ecs.ts';

function cloudwatch(): CloudWatchClient {
  return new CloudWatchClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.AWS_ENDPOINT_URL_ECS,
    maxAttempts: 1,
  });
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

const control = () => new SandboxControl();
let host: string;
let repository: string;

/** The sandbox serves every AWS service on one endpoint; the action finds Logs and CloudTrail there too. */
function env(): Record<string, string> {
  const endpoint = process.env.AWS_ENDPOINT_URL_ECS!;
  return {
    ...sandbox(),
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoint,
    AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH: endpoint,
  };
}

/** A workspace whose image crashes after printing to stdout and stderr, deployed with an awslogs task definition. */
function crashingWorkspace(family: string, logGroup: string): string {
  const ws = workspace(
    'FROM busybox:latest\nCMD ["sh", "-c", "echo booting shop; echo \'fatal: DATABASE_URL is not set\' >&2; exit 3"]\n',
  );
  writeFileSync(
    join(ws, 'task-definition.json'),
    JSON.stringify({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image: `${host}/${repository}:v1`,
          essential: true,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': logGroup,
              'awslogs-stream-prefix': 'ecs',
              'awslogs-create-group': 'true',
            },
          },
        },
      ],
    }),
  );
  return ws;
}

function deployCrash(cluster: string, ws: string, commit: number) {
  return runAction({
    inputs: {
      repository,
      'ecs-cluster': cluster,
      'ecs-service': 'web',
      'task-definition': 'task-definition.json',
      timeout: '2m',
      'rollback-on-failure': 'false',
    },
    event: branchPush('observe', sha(commit)),
    workspace: ws,
    env: env(),
  });
}

beforeAll(async () => {
  host = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('observe');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x3ff)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
});

afterEach(async () => {
  await control().clearFaults();
  await new EcsSandboxControl().setTimeScale(0.02);
});

describe('CloudWatch Logs and CloudTrail, end to end through dist/', { timeout: E2E_TEST_MS }, () => {
  it('prints the last log lines of a crashing task and links its log stream', async () => {
    const f = await ecsService(`logs-${Date.now().toString(36)}`, `${host}/${repository}:v1`, {
      circuitBreaker: false,
      runtime: 'real',
    });
    const run = await deployCrash(f.cluster, crashingWorkspace(f.family, `/ecs/${f.family}`), 0x301);
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('failed');
    const out = run.main.stdout;
    expect(out).toMatch(
      new RegExp(
        `task [0-9a-f]{32}, container app: last \\d+ log line\\(s\\) of /ecs/${f.family}/ecs/app/[0-9a-f]{32}`,
      ),
    );
    // Both streams of the container, in order.
    expect(out).toMatch(/^ {2}booting shop\n(?:.*\n)*? {2}fatal: DATABASE_URL is not set$/m);
    const link = /logs: (https:\/\/\S+#logsV2:log-groups\/log-group\/\S+)/.exec(run.summary)?.[1];
    expect(link, run.summary).toContain(`$252Fecs$252F${f.family}/log-events/ecs$252Fapp$252F`);
    expect(errorsOf(out).join('\n')).toMatch(/EssentialContainerExited.*app: exit 3/);
  });

  it('warns naming logs:GetLogEvents when the logs cannot be read, and the verdict stays failed', async () => {
    const f = await ecsService(`nolog-${Date.now().toString(36)}`, `${host}/${repository}:v1`, {
      circuitBreaker: false,
      runtime: 'real',
    });
    await control().addFaults({
      service: 'logs',
      operation: 'GetLogEvents',
      kind: 'error',
      errorType: 'AccessDeniedException',
      httpStatus: 400,
      message: 'User is not authorized to perform: logs:GetLogEvents',
    });
    const run = await deployCrash(f.cluster, crashingWorkspace(f.family, `/ecs/${f.family}`), 0x302);
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('failed');
    expect(run.main.stdout).toMatch(/::warning::.*permission logs:GetLogEvents is missing/);
    expect(run.main.stdout).not.toMatch(/^ {2}booting shop$/m);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/EssentialContainerExited.*app: exit 3/);
  });

  it('leaves every AWS call of the step in CloudTrail with our user agent', async () => {
    const f = await ecsService(`trail-${Date.now().toString(36)}`, `${host}/${repository}:v1`);
    await control().clearCalls();
    const started = new Date(Date.now() - 1000);
    const run = await runAction({
      inputs: {
        image: `${host}/${repository}:v1`,
        'ecs-cluster': f.cluster,
        'ecs-service': 'web',
        timeout: '2m',
      },
      event: branchPush('main', sha(0x303)),
      workspace: workspace(),
      env: env(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    const calls = (await control().calls()).filter((c) => c.status < 300);
    // The revision records who deployed it: commit and run.
    const td = await ecs().send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: run.outputs['task-definition-arn'],
        include: ['TAGS'],
      }),
    );
    expect(td.tags).toEqual(
      expect.arrayContaining([
        { key: 'ecr-deploy:commit', value: sha(0x303) },
        {
          key: 'ecr-deploy:run-url',
          value: 'https://github.com/octo-org/hello-app/actions/runs/4242/attempts/1',
        },
      ]),
    );
    expect(calls.length).toBeGreaterThan(3);

    const trail = new CloudTrailClient({
      region: process.env.AWS_REGION,
      endpoint: process.env.AWS_ENDPOINT_URL_ECS,
      maxAttempts: 1,
    });
    const events: Event[] = [];
    for await (const page of paginateLookupEvents(
      { client: trail },
      { StartTime: started, EndTime: new Date(Date.now() + 1000) },
    )) {
      events.push(...(page.Events ?? []));
    }
    const ours = events.filter(
      (e) =>
        !(JSON.parse(e.CloudTrailEvent ?? '{}') as { errorCode?: string }).errorCode &&
        /ecr-deploy\/0\.1\.0 gh-repo\/octo-org\/hello-app gh-run\/4242 gh-attempt\/1/.test(
          (JSON.parse(e.CloudTrailEvent ?? '{}') as { userAgent?: string }).userAgent ?? '',
        ),
    );
    // Each call the sandbox answered during the step is an event of ours (same name, same source).
    const key = (name: string, source: string) => `${name}@${source}`;
    const seen = new Map<string, number>();
    for (const e of ours)
      seen.set(key(e.EventName!, e.EventSource!), (seen.get(key(e.EventName!, e.EventSource!)) ?? 0) + 1);
    const sources: Record<string, string> = { ecr: 'ecr', ecs: 'ecs', sts: 'sts', eks: 'eks', logs: 'logs' };
    const made = new Map<string, number>();
    for (const c of calls) {
      const k = key(c.operation, `${sources[c.service] ?? c.service}.amazonaws.com`);
      made.set(k, (made.get(k) ?? 0) + 1);
    }
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(made));
    expect([...seen.keys()]).toEqual(
      expect.arrayContaining(['UpdateService@ecs.amazonaws.com', 'DescribeServices@ecs.amazonaws.com']),
    );
    // A filter as AWS documents it: one lookup attribute.
    const updates = await trail.send(
      new (await import('@aws-sdk/client-cloudtrail')).LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'UpdateService' }],
        StartTime: started,
      }),
    );
    expect(updates.Events?.map((e) => e.EventName)).toEqual(['UpdateService']);
    // The job summary's CloudTrail command, run as written (real AWS CLI, jq), finds the step's calls.
    const block = /```sh\n([\s\S]*?)\n```/.exec(run.summary)?.[1];
    expect(block, run.summary).toContain('aws cloudtrail lookup-events');
    const listed = spawnSync('sh', ['-c', block!], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
        AWS_ENDPOINT_URL_CLOUDTRAIL: process.env.AWS_ENDPOINT_URL_ECS,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(listed.status, listed.stderr).toBe(0);
    const names = listed.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { eventName: string }).eventName);
    expect(names).toEqual(
      expect.arrayContaining(['UpdateService', 'DescribeServices', 'RegisterTaskDefinition']),
    );
    const record = JSON.parse(updates.Events![0]!.CloudTrailEvent!) as Record<string, unknown>;
    expect(record).toMatchObject({
      eventSource: 'ecs.amazonaws.com',
      eventName: 'UpdateService',
      userIdentity: { type: 'IAMUser', accessKeyId: process.env.AWS_ACCESS_KEY_ID },
      requestParameters: { cluster: f.cluster, service: 'web' },
    });
  });

  it('rolls back when an alarm goes to ALARM during the bake, naming the alarm and its reason', async () => {
    const f = await ecsService(`bake-${Date.now().toString(36)}`, `${host}/${repository}:v1`);
    const name = `${f.cluster}-5xx`;
    await alarm(name);
    await control().clearCalls();
    const running = runAction({
      inputs: {
        image: `${host}/${repository}:v1`,
        'ecs-cluster': f.cluster,
        'ecs-service': 'web',
        'force-new-deployment': 'true',
        timeout: '2m',
        alarms: name,
        'bake-time': '40s',
      },
      event: branchPush('main', sha(0x304)),
      workspace: workspace(),
      env: env(),
    });
    // The bake has begun once the alarms are read; then the alarm fires.
    await untilCalled('cloudwatch', 'DescribeAlarms');
    await setAlarm(
      name,
      'ALARM',
      'Threshold Crossed: 1 datapoint [42.0] was greater than the threshold (5.0).',
    );
    const run = await running;
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status']).toBe('rolled-back');
    const reason = (JSON.parse(run.outputs.results!) as { reason: string }[])[0]!.reason;
    expect(reason).toMatch(
      new RegExp(
        `bake, alarm ${name} is in ALARM \\(Threshold Crossed: 1 datapoint \\[42\\.0\\].*; rolled back to .*:1`,
      ),
    );
    expect(run.main.stdout).toMatch(/baking for 40\.0 s, watching alarm\(s\)/);
    // ECS's own deployment alarms were set on the service, with rollback.
    const svc = await describeService(f.cluster, 'web');
    expect(svc.deploymentConfiguration?.alarms).toEqual({ alarmNames: [name], enable: true, rollback: true });
    expect(svc.taskDefinition).toBe(f.taskDefinitionArn);
  });

  it('ECS fails and rolls back a deployment during which an alarm goes to ALARM', async () => {
    const f = await ecsService(`ecsalarm-${Date.now().toString(36)}`, `${host}/${repository}:v1`);
    const name = `${f.cluster}-latency`;
    await alarm(name);
    await new EcsSandboxControl().setTimeScale(0.2);
    await control().clearCalls();
    const running = runAction({
      inputs: {
        image: `${host}/${repository}:v1`,
        'ecs-cluster': f.cluster,
        'ecs-service': 'web',
        'force-new-deployment': 'true',
        timeout: '2m',
        alarms: name,
      },
      event: branchPush('main', sha(0x305)),
      workspace: workspace(),
      env: env(),
    });
    await untilCalled('ecs', 'UpdateService');
    await setAlarm(name, 'ALARM', 'Threshold Crossed: p99 latency 2.5 s');
    const run = await running;
    expect(run.main.exitCode).toBe(1);
    expect(run.outputs['rollout-status'], run.main.stdout).toBe('rolled-back');
    const reason = (JSON.parse(run.outputs.results!) as { reason: string }[])[0]!.reason;
    expect(reason).toMatch(new RegExp(`alarm\\(s\\) detected: ${name}`));
    expect(reason).toMatch(
      new RegExp(`alarm ${name} is in ALARM \\(Threshold Crossed: p99 latency 2\\.5 s\\)`),
    );
  });

  it('warns naming cloudwatch:DescribeAlarms when the alarms cannot be read, and stays completed', async () => {
    const f = await ecsService(`noalarm-${Date.now().toString(36)}`, `${host}/${repository}:v1`);
    const name = `${f.cluster}-5xx`;
    await alarm(name);
    await control().addFaults({
      service: 'cloudwatch',
      operation: 'DescribeAlarms',
      kind: 'error',
      errorType: 'AccessDenied',
      httpStatus: 403,
      message: 'User is not authorized to perform: cloudwatch:DescribeAlarms',
    });
    const run = await runAction({
      inputs: {
        image: `${host}/${repository}:v1`,
        'ecs-cluster': f.cluster,
        'ecs-service': 'web',
        'force-new-deployment': 'true',
        timeout: '2m',
        alarms: name,
        'bake-time': '30s',
      },
      event: branchPush('main', sha(0x306)),
      workspace: workspace(),
      env: env(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    expect(run.main.stdout).toMatch(/::warning::.*permission cloudwatch:DescribeAlarms is missing/);
  });
});
