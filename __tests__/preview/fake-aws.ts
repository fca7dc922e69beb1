// A scripted ECS + ELBv2 for the preview's in-process tests: just the calls a preview makes, answered in the
// SDK's shapes, with every call recorded and a fault table (an error for an operation, every time or once).
// Rollouts complete at once: how a rollout is waited for is the driver's and the ECS wait's own tests' concern.
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function sdkError(name: string, message = name, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-fake' },
  });
}

interface FakeService {
  serviceName: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  deployments: { id: string; status: string; taskDefinition: string }[];
  loadBalancers: Input[];
  tags: Input[];
  input: Input;
}

export class FakeAws {
  readonly calls: { op: string; input: Input }[] = [];
  readonly services = new Map<string, FakeService>();
  readonly taskDefinitions = new Map<
    string,
    { arn: string; family: string; body: Input; tags: Input[]; active: boolean }
  >();
  readonly targetGroups = new Map<string, Input>();
  readonly rules = new Map<string, Input>();
  readonly listenerArn =
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/preview/0123456789abcdef/0123456789abcdef';
  /** Operation → the error it throws; `once: true` ones are removed after firing. */
  readonly faults = new Map<string, { error: Error; once: boolean }>();
  /** Polls of a DRAINING service before it turns INACTIVE. */
  drainPolls = 0;
  private seq = 0;

  constructor() {
    const td = this.register(
      { family: 'web', containerDefinitions: [{ name: 'app', image: 'repo/app:old' }], cpu: '256' },
      [{ key: 'team', value: 'shop' }],
    );
    this.targetGroups.set('arn:tg/web', {
      TargetGroupArn: 'arn:tg/web',
      TargetGroupName: 'web',
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: 'vpc-1',
      TargetType: 'ip',
    });
    this.rules.set('arn:rule/default', {
      RuleArn: 'arn:rule/default',
      Priority: 'default',
      IsDefault: true,
      Actions: [{ Type: 'forward', TargetGroupArn: 'arn:tg/web' }],
    });
    this.rules.set('arn:rule/base', {
      RuleArn: 'arn:rule/base',
      Priority: '10042',
      Actions: [{ Type: 'forward', TargetGroupArn: 'arn:tg/web' }],
    });
    this.addService('web', td, {
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      loadBalancers: [{ targetGroupArn: 'arn:tg/web', containerName: 'app', containerPort: 8080 }],
      tags: [{ key: 'team', value: 'shop' }],
    });
  }

  fail(op: string, error: Error, once = false): this {
    this.faults.set(op, { error, once });
    return this;
  }

  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  /** Writes only: what changed the world, in order. */
  writes(): string[] {
    return this.ops().filter((op) => !/^(Describe|List)/.test(op));
  }

  private register(body: Input, tags: Input[]): string {
    const family = String(body.family);
    const revision = [...this.taskDefinitions.values()].filter((t) => t.family === family).length + 1;
    const arn = `arn:aws:ecs:eu-west-1:123456789012:task-definition/${family}:${revision}`;
    this.taskDefinitions.set(arn, { arn, family, body, tags, active: true });
    return arn;
  }

  private addService(name: string, taskDefinition: string, input: Input): FakeService {
    const svc: FakeService = {
      serviceName: name,
      status: 'ACTIVE',
      taskDefinition,
      desiredCount: input.desiredCount ?? 2,
      deployments: [],
      loadBalancers: input.loadBalancers ?? [],
      tags: input.tags ?? [],
      input,
    };
    this.deploy(svc, taskDefinition);
    this.services.set(name, svc);
    return svc;
  }

  private deploy(svc: FakeService, taskDefinition: string) {
    svc.taskDefinition = taskDefinition;
    svc.deployments = [{ id: `ecs-svc/${++this.seq}`, status: 'PRIMARY', taskDefinition }];
  }

  private render(svc: FakeService, withTags: boolean) {
    return {
      serviceName: svc.serviceName,
      serviceArn: `arn:aws:ecs:eu-west-1:123456789012:service/preview/${svc.serviceName}`,
      status: svc.status,
      taskDefinition: svc.taskDefinition,
      desiredCount: svc.desiredCount,
      runningCount: svc.desiredCount,
      pendingCount: 0,
      launchType: svc.input.launchType,
      networkConfiguration: svc.input.networkConfiguration,
      loadBalancers: svc.loadBalancers,
      deploymentController: { type: 'ECS' },
      deployments: svc.deployments.map((d) => ({
        ...d,
        desiredCount: svc.desiredCount,
        runningCount: svc.desiredCount,
        pendingCount: 0,
        failedTasks: 0,
        rolloutState: 'COMPLETED',
        createdAt: new Date(0),
      })),
      events: [],
      ...(withTags ? { tags: svc.tags } : {}),
    };
  }

  private handle(op: string, i: Input): unknown {
    switch (op) {
      case 'DescribeServicesCommand': {
        if (i.cluster !== 'preview') throw sdkError('ClusterNotFoundException', 'Cluster not found.');
        const services = (i.services as string[])
          .map((n) => this.services.get(n))
          .filter((s): s is FakeService => s !== undefined);
        for (const s of services) {
          if (s.status === 'DRAINING' && this.drainPolls-- <= 0) s.status = 'INACTIVE';
        }
        return {
          services: services.map((s) => this.render(s, (i.include ?? []).includes('TAGS'))),
          failures: [],
        };
      }
      case 'DescribeTaskDefinitionCommand': {
        const td = this.taskDefinitions.get(i.taskDefinition);
        if (!td) throw sdkError('ClientException', 'Unable to describe task definition.');
        return {
          taskDefinition: { ...td.body, taskDefinitionArn: td.arn, revision: 1, status: 'ACTIVE' },
          tags: td.tags,
        };
      }
      case 'RegisterTaskDefinitionCommand': {
        const { tags, ...body } = i;
        const arn = this.register(body, tags ?? []);
        return { taskDefinition: { ...body, taskDefinitionArn: arn } };
      }
      case 'CreateServiceCommand': {
        if (this.services.get(i.serviceName)?.status === 'ACTIVE')
          throw sdkError('InvalidParameterException', 'Creation of service was not idempotent.');
        return { service: this.render(this.addService(i.serviceName, i.taskDefinition, i), false) };
      }
      case 'UpdateServiceCommand': {
        const svc = this.services.get(i.service);
        if (!svc || svc.status !== 'ACTIVE')
          throw sdkError('ServiceNotActiveException', 'Service was not ACTIVE.');
        if (i.desiredCount !== undefined) svc.desiredCount = i.desiredCount;
        if (i.taskDefinition && i.taskDefinition !== svc.taskDefinition) this.deploy(svc, i.taskDefinition);
        return { service: this.render(svc, false) };
      }
      case 'DeleteServiceCommand': {
        const svc = this.services.get(i.service);
        if (!svc || svc.status !== 'ACTIVE')
          throw sdkError('ServiceNotActiveException', 'Service was not ACTIVE.');
        if (svc.desiredCount > 0)
          throw sdkError(
            'InvalidParameterException',
            'The service cannot be stopped while it is scaled above 0.',
          );
        svc.status = 'DRAINING';
        return { service: this.render(svc, false) };
      }
      case 'ListTaskDefinitionsCommand':
        return {
          taskDefinitionArns: [...this.taskDefinitions.values()]
            .filter((t) => t.active && t.family === i.familyPrefix)
            .map((t) => t.arn),
        };
      case 'DeregisterTaskDefinitionCommand': {
        const td = this.taskDefinitions.get(i.taskDefinition);
        if (!td) throw sdkError('ClientException', 'The specified task definition does not exist.');
        td.active = false;
        return { taskDefinition: {} };
      }
      case 'ListTasksCommand':
        return { taskArns: [] };
      case 'ListServiceDeploymentsCommand':
        return { serviceDeployments: [] };
      case 'DescribeListenersCommand':
        if (i.ListenerArns[0] !== this.listenerArn) throw sdkError('ListenerNotFoundException');
        return { Listeners: [{ ListenerArn: this.listenerArn }] };
      case 'DescribeTargetGroupsCommand': {
        const all = [...this.targetGroups.values()];
        const found = i.Names
          ? all.filter((t) => i.Names.includes(t.TargetGroupName))
          : all.filter((t) => i.TargetGroupArns.includes(t.TargetGroupArn));
        if (found.length === 0)
          throw sdkError('TargetGroupNotFoundException', 'One or more target groups not found');
        return { TargetGroups: found };
      }
      case 'CreateTargetGroupCommand': {
        const arn = `arn:tg/${i.Name}`;
        const tg = { ...i, TargetGroupArn: arn, TargetGroupName: i.Name };
        this.targetGroups.set(arn, tg);
        return { TargetGroups: [tg] };
      }
      case 'DeleteTargetGroupCommand': {
        if (
          [...this.rules.values()].some((r) =>
            r.Actions.some((a: Input) => a.TargetGroupArn === i.TargetGroupArn),
          )
        ) {
          throw sdkError(
            'ResourceInUseException',
            'Target group is currently in use by a listener or a rule',
          );
        }
        this.targetGroups.delete(i.TargetGroupArn);
        return {};
      }
      case 'DescribeRulesCommand':
        if (i.ListenerArn !== this.listenerArn) throw sdkError('ListenerNotFoundException');
        return { Rules: [...this.rules.values()] };
      case 'CreateRuleCommand': {
        if ([...this.rules.values()].some((r) => r.Priority === String(i.Priority)))
          throw sdkError('PriorityInUseException');
        const arn = `arn:rule/${++this.seq}`;
        const rule = {
          RuleArn: arn,
          Priority: String(i.Priority),
          Conditions: i.Conditions,
          Actions: i.Actions,
        };
        this.rules.set(arn, rule);
        return { Rules: [rule] };
      }
      case 'DeleteRuleCommand':
        if (!this.rules.delete(i.RuleArn)) throw sdkError('RuleNotFoundException');
        return {};
      default:
        throw new Error(`the fake does not know ${op}`);
    }
  }

  private async send(command: { constructor: { name: string }; input: Input }): Promise<unknown> {
    const op = command.constructor.name;
    this.calls.push({ op: op.replace(/Command$/, ''), input: command.input });
    await Promise.resolve();
    const fault = this.faults.get(op.replace(/Command$/, ''));
    if (fault) {
      if (fault.once) this.faults.delete(op.replace(/Command$/, ''));
      throw fault.error;
    }
    return structuredClone(this.handle(op, command.input));
  }

  get ecs(): ECSClient {
    return { send: (c: never) => this.send(c) } as unknown as ECSClient;
  }
  get elb(): ElasticLoadBalancingV2Client {
    return { send: (c: never) => this.send(c) } as unknown as ElasticLoadBalancingV2Client;
  }
}
