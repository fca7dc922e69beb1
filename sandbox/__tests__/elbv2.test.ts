import { describe, expect, it } from 'vitest';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { uniqueName } from './helpers.ts';

const elb = new ElasticLoadBalancingV2Client({ endpoint: process.env.AWS_ENDPOINT_URL_ECS, maxAttempts: 1 });

/** A short unique name (ELBv2 names: 32 characters). */
const short = (prefix: string) =>
  `${prefix}-${uniqueName('x')
    .replace(/[^a-z0-9]/gi, '')
    .slice(-12)}`;

async function listenerWithDefault() {
  const lb = (
    await elb.send(new CreateLoadBalancerCommand({ Name: short('lb'), Subnets: ['subnet-1', 'subnet-2'] }))
  ).LoadBalancers![0]!;
  const base = (
    await elb.send(
      new CreateTargetGroupCommand({
        Name: short('base'),
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: 'vpc-1',
        TargetType: 'ip',
      }),
    )
  ).TargetGroups![0]!;
  const listener = (
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: base.TargetGroupArn }],
      }),
    )
  ).Listeners![0]!;
  return { lb, base, listener };
}

describe('ELBv2 target groups', () => {
  it('creates a target group with the documented defaults and finds it by name and ARN', async () => {
    const name = short('tg');
    const created = (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: name,
          Protocol: 'HTTP',
          Port: 80,
          VpcId: 'vpc-1',
          HealthCheckPath: '/healthz',
          Tags: [{ Key: 'ecr-deploy:preview', Value: 'pr-1' }],
        }),
      )
    ).TargetGroups![0]!;
    expect(created).toMatchObject({
      TargetGroupName: name,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: 'vpc-1',
      TargetType: 'instance',
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: 30,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
    expect(created.TargetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\//);
    const byName = await elb.send(new DescribeTargetGroupsCommand({ Names: [name] }));
    expect(byName.TargetGroups?.[0]?.TargetGroupArn).toBe(created.TargetGroupArn);
    const byArn = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [created.TargetGroupArn!] }),
    );
    expect(byArn.TargetGroups?.[0]?.TargetGroupName).toBe(name);
    // Same name and settings: idempotent; other settings: a conflict.
    const again = await elb.send(
      new CreateTargetGroupCommand({
        Name: name,
        Protocol: 'HTTP',
        Port: 80,
        VpcId: 'vpc-1',
        HealthCheckPath: '/healthz',
      }),
    );
    expect(again.TargetGroups?.[0]?.TargetGroupArn).toBe(created.TargetGroupArn);
    await expect(
      elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 81, VpcId: 'vpc-1' })),
    ).rejects.toMatchObject({ name: 'DuplicateTargetGroupNameException' });
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: created.TargetGroupArn }));
    await expect(elb.send(new DescribeTargetGroupsCommand({ Names: [name] }))).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
    });
  });

  it.each([
    ['a name over 32 characters', { Name: 'a'.repeat(33), Protocol: 'HTTP', Port: 80, VpcId: 'v' }],
    ['a name ending with a hyphen', { Name: 'web-', Protocol: 'HTTP', Port: 80, VpcId: 'v' }],
    ['no port', { Name: 'noport', Protocol: 'HTTP', VpcId: 'v' }],
    ['a port out of range', { Name: 'badport', Protocol: 'HTTP', Port: 70000, VpcId: 'v' }],
  ] as const)('rejects %s', async (_what, input) => {
    await expect(elb.send(new CreateTargetGroupCommand(input as never))).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });
});

describe('ELBv2 listener rules', () => {
  it('lists the default rule last, keeps priorities unique, and refuses to delete a target group in use', async () => {
    const { lb, base, listener } = await listenerWithDefault();
    const tg = (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: short('pr'),
          Protocol: 'HTTP',
          Port: 8080,
          VpcId: 'vpc-1',
          TargetType: 'ip',
        }),
      )
    ).TargetGroups![0]!;
    const rule = (
      await elb.send(
        new CreateRuleCommand({
          ListenerArn: listener.ListenerArn,
          Priority: 10_042,
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['pr-42.preview.example.com'] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
        }),
      )
    ).Rules![0]!;
    expect(rule).toMatchObject({ Priority: '10042', IsDefault: false });
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!;
    expect(rules.map((r) => r.Priority)).toEqual(['10042', 'default']);
    expect(rules[0]?.Conditions?.[0]?.HostHeaderConfig?.Values).toEqual(['pr-42.preview.example.com']);
    expect(rules[1]?.Actions?.[0]?.TargetGroupArn).toBe(base.TargetGroupArn);
    // The target group now belongs to the listener's load balancer.
    const described = (
      await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.TargetGroupArn!] }))
    ).TargetGroups![0]!;
    expect(described.LoadBalancerArns).toEqual([lb.LoadBalancerArn]);

    await expect(
      elb.send(
        new CreateRuleCommand({
          ListenerArn: listener.ListenerArn,
          Priority: 10_042,
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['other.example.com'] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'PriorityInUseException' });
    await expect(
      elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })),
    ).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await expect(elb.send(new DeleteRuleCommand({ RuleArn: rules[1]!.RuleArn }))).rejects.toMatchObject({
      name: 'OperationNotPermittedException',
    });
    await elb.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
    await expect(elb.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }))).rejects.toMatchObject({
      name: 'RuleNotFoundException',
    });
    expect(
      (await elb.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] }))).Listeners,
    ).toHaveLength(1);
  });

  it.each([
    [
      'priority 0',
      0,
      [{ Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com'] } }],
      'ValidationError',
    ],
    [
      'priority 50001',
      50_001,
      [{ Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com'] } }],
      'ValidationError',
    ],
    ['no condition', 5, [], 'ValidationError'],
    [
      'a host with a space',
      5,
      [{ Field: 'host-header', HostHeaderConfig: { Values: ['a b'] } }],
      'ValidationError',
    ],
    [
      'two host-header conditions',
      5,
      [
        { Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com'] } },
        { Field: 'host-header', HostHeaderConfig: { Values: ['b.example.com'] } },
      ],
      'ValidationError',
    ],
    [
      'six condition values',
      5,
      [{ Field: 'host-header', HostHeaderConfig: { Values: ['a', 'b', 'c', 'd', 'e', 'f'] } }],
      'ValidationError',
    ],
  ] as const)('rejects a rule with %s', async (_what, priority, conditions, name) => {
    const { listener, base } = await listenerWithDefault();
    await expect(
      elb.send(
        new CreateRuleCommand({
          ListenerArn: listener.ListenerArn,
          Priority: priority,
          Conditions: conditions as never,
          Actions: [{ Type: 'forward', TargetGroupArn: base.TargetGroupArn }],
        }),
      ),
    ).rejects.toMatchObject({ name });
  });

  it('answers ListenerNotFound for a listener that does not exist', async () => {
    const { listener } = await listenerWithDefault();
    const missing = listener.ListenerArn!.replace(/[0-9a-f]{16}$/, '0000000000000000');
    await expect(elb.send(new DescribeListenersCommand({ ListenerArns: [missing] }))).rejects.toMatchObject({
      name: 'ListenerNotFoundException',
    });
    await expect(elb.send(new DescribeRulesCommand({ ListenerArn: missing }))).rejects.toMatchObject({
      name: 'ListenerNotFoundException',
    });
  });
});
