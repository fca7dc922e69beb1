// The AWS CLI (botocore's ELBv2 model) judges the sandbox's ELBv2: each answer must parse and match the
// operation's output shape; errors must carry the codes botocore knows.
import { describe, expect, it } from 'vitest';
import { aws, modelViolations, type CliResult } from './aws-cli.ts';
import { awsCli } from './judges.ts';

const cli = awsCli();
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
const endpoint = () => process.env.AWS_ENDPOINT_URL_ECS ?? '';

function first<T>(items: readonly T[] | undefined): T {
  const item = items?.[0];
  if (item === undefined) throw new Error('the answer has no entry');
  return item;
}

function run(args: string[]): Promise<CliResult> {
  return aws(cli ?? 'aws', 'elbv2', args, { endpoint: endpoint() });
}

async function ok<T = Record<string, unknown>>(operation: string, args: string[]): Promise<T> {
  const r = await run(args);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(await modelViolations('elbv2', operation, r.json ?? {})).toEqual([]);
  return (r.json ?? {}) as T;
}

describe.skipIf(!cli)('the AWS CLI judges the sandbox ELBv2', () => {
  it('target groups, a listener and its rules parse with the model; errors have its codes', async () => {
    type Tgs = { TargetGroups: { TargetGroupArn: string }[] };
    const lb = await ok<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', [
      'create-load-balancer',
      '--name',
      `cli-${RUN}`,
      '--subnets',
      'subnet-1',
      'subnet-2',
    ]);
    const base = await ok<Tgs>('CreateTargetGroup', [
      'create-target-group',
      '--name',
      `cli-${RUN}-base`,
      '--protocol',
      'HTTP',
      '--port',
      '8080',
      '--vpc-id',
      'vpc-1',
      '--target-type',
      'ip',
      '--health-check-path',
      '/healthz',
    ]);
    const baseArn = first(base.TargetGroups).TargetGroupArn;
    const listener = await ok<{ Listeners: { ListenerArn: string }[] }>('CreateListener', [
      'create-listener',
      '--load-balancer-arn',
      first(lb.LoadBalancers).LoadBalancerArn,
      '--protocol',
      'HTTP',
      '--port',
      '80',
      '--default-actions',
      `Type=forward,TargetGroupArn=${baseArn}`,
    ]);
    const listenerArn = first(listener.Listeners).ListenerArn;
    const rule = await ok<{ Rules: { RuleArn: string; Priority: string }[] }>('CreateRule', [
      'create-rule',
      '--listener-arn',
      listenerArn,
      '--priority',
      '10042',
      '--conditions',
      'Field=host-header,HostHeaderConfig={Values=[pr-42.preview.example.com]}',
      '--actions',
      `Type=forward,TargetGroupArn=${baseArn}`,
    ]);
    expect(first(rule.Rules).Priority).toBe('10042');
    const rules = await ok<{ Rules: { Priority: string; IsDefault: boolean }[] }>('DescribeRules', [
      'describe-rules',
      '--listener-arn',
      listenerArn,
    ]);
    expect(rules.Rules.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ['10042', false],
      ['default', true],
    ]);
    const described = await ok<{ TargetGroups: { LoadBalancerArns: string[]; HealthCheckPath: string }[] }>(
      'DescribeTargetGroups',
      ['describe-target-groups', '--names', `cli-${RUN}-base`],
    );
    expect(described.TargetGroups[0]).toMatchObject({
      HealthCheckPath: '/healthz',
      LoadBalancerArns: [first(lb.LoadBalancers).LoadBalancerArn],
    });
    await ok('DescribeListeners', ['describe-listeners', '--listener-arns', listenerArn]);

    const errors = await Promise.all([
      run([
        'create-rule',
        '--listener-arn',
        listenerArn,
        '--priority',
        '10042',
        '--conditions',
        'Field=host-header,HostHeaderConfig={Values=[x.example.com]}',
        '--actions',
        `Type=forward,TargetGroupArn=${baseArn}`,
      ]),
      run(['delete-target-group', '--target-group-arn', baseArn]),
      run(['describe-target-groups', '--names', `cli-${RUN}-missing`]),
      run(['describe-rules', '--listener-arn', listenerArn.replace(/[0-9a-f]{16}$/, '0000000000000000')]),
    ]);
    expect(errors.map((e) => e.errorCode)).toEqual([
      'PriorityInUse',
      'ResourceInUse',
      'TargetGroupNotFound',
      'ListenerNotFound',
    ]);
    await ok('DeleteRule', ['delete-rule', '--rule-arn', first(rule.Rules).RuleArn]);
  });
});
