// Fake Elastic Load Balancing v2 (awsQuery protocol, XML answers): load balancers, listeners, target groups
// and listener rules as the API reference documents them — enough for previews behind a shared listener.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/ (see sandbox/README.md "ELBv2").
// No traffic is routed and no target health is simulated: these are the control-plane records only.
import { randomBytes } from 'node:crypto';
import { AwsError, xmlEscape, type CallContext, type QueryService } from './protocol.ts';

type Params = Record<string, string>;
type Tree = { [key: string]: Tree | string };

interface Tag {
  Key: string;
  Value?: string;
}
interface TargetGroup {
  TargetGroupArn: string;
  TargetGroupName: string;
  Protocol?: string;
  ProtocolVersion?: string;
  Port?: number;
  VpcId?: string;
  TargetType: string;
  IpAddressType?: string;
  HealthCheckProtocol?: string;
  HealthCheckPort: string;
  HealthCheckEnabled: boolean;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  Matcher?: { HttpCode?: string; GrpcCode?: string };
  tags: Tag[];
}
interface Action {
  Type: string;
  TargetGroupArn?: string;
  Order?: number;
  ForwardConfig?: { TargetGroups: { TargetGroupArn: string; Weight?: number }[] };
  FixedResponseConfig?: Record<string, string>;
  RedirectConfig?: Record<string, string>;
}
interface Condition {
  Field: string;
  Values?: string[];
  HostHeaderConfig?: { Values: string[] };
  PathPatternConfig?: { Values: string[] };
}
interface Rule {
  RuleArn: string;
  listenerArn: string;
  Priority: string;
  IsDefault: boolean;
  Conditions: Condition[];
  Actions: Action[];
  tags: Tag[];
}
interface Listener {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: string;
}
interface LoadBalancer {
  LoadBalancerArn: string;
  LoadBalancerName: string;
  DNSName: string;
  Type: string;
  Scheme: string;
  VpcId: string;
  CreatedTime: Date;
}

export interface Elbv2State {
  loadBalancers: Map<string, LoadBalancer>;
  listeners: Map<string, Listener>;
  targetGroups: Map<string, TargetGroup>;
  rules: Map<string, Rule>;
}

/** The awsQuery form (`A.member.1.B=…`) as a tree: `member` levels become arrays. */
export function unflatten(params: Params): Tree {
  const root: Tree = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Tree;
    });
  }
  return root;
}

function list(tree: Tree | string | undefined): (Tree | string)[] {
  if (tree === undefined || typeof tree === 'string') return [];
  const members = tree.member;
  if (members === undefined || typeof members === 'string') return [];
  return Object.entries(members)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, v]) => v);
}
const strings = (tree: Tree | string | undefined) =>
  list(tree).filter((v): v is string => typeof v === 'string');
const trees = (tree: Tree | string | undefined) => list(tree).filter((v): v is Tree => typeof v !== 'string');
const str = (tree: Tree | string | undefined): string | undefined =>
  typeof tree === 'string' ? tree : undefined;

/** XML for awsQuery answers: arrays as `<member>` elements, Dates in ISO 8601. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(value));
}

const validation = (message: string) => new AwsError('ValidationError', message);
const hex = (n: number) => randomBytes(n).toString('hex');

function int(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value ${n < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
  return n;
}

function tags(tree: Tree | string | undefined): Tag[] {
  return trees(tree).map((t) => {
    const Key = str(t.Key);
    if (!Key) throw validation('A tag key must be specified');
    return { Key, ...(str(t.Value) !== undefined ? { Value: str(t.Value) } : {}) };
  });
}

function parseActions(tree: Tree | string | undefined): Action[] {
  return trees(tree).map((a) => {
    const Type = str(a.Type) ?? '';
    if (
      !['forward', 'fixed-response', 'redirect', 'authenticate-oidc', 'authenticate-cognito'].includes(Type)
    ) {
      throw validation(
        `1 validation error detected: Value '${Type}' at 'actions.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [forward, authenticate-oidc, authenticate-cognito, redirect, fixed-response]`,
      );
    }
    const forward = typeof a.ForwardConfig === 'object' ? a.ForwardConfig : undefined;
    return {
      Type,
      ...(str(a.TargetGroupArn) ? { TargetGroupArn: str(a.TargetGroupArn) } : {}),
      ...(str(a.Order) ? { Order: Number(str(a.Order)) } : {}),
      ...(forward
        ? {
            ForwardConfig: {
              TargetGroups: trees(forward.TargetGroups).map((t) => ({
                TargetGroupArn: str(t.TargetGroupArn) ?? '',
                ...(str(t.Weight) ? { Weight: Number(str(t.Weight)) } : {}),
              })),
            },
          }
        : {}),
    };
  });
}

function targetGroupsOf(action: Action): string[] {
  return [
    ...(action.TargetGroupArn ? [action.TargetGroupArn] : []),
    ...(action.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn),
  ];
}

const HOST_VALUE = /^[A-Za-z0-9\-.*?]{1,128}$/;
const CONDITION_FIELDS = [
  'host-header',
  'path-pattern',
  'http-header',
  'http-request-method',
  'query-string',
  'source-ip',
];

/** Conditions as CreateRule validates them: known fields, host-header at most once, 5 values per rule. */
function parseConditions(tree: Tree | string | undefined): Condition[] {
  const conditions = trees(tree).map((c): Condition => {
    const Field = str(c.Field) ?? '';
    if (!CONDITION_FIELDS.includes(Field)) throw validation(`Condition field '${Field}' is not supported`);
    const values = strings(c.Values);
    const hostConfig =
      typeof c.HostHeaderConfig === 'object' ? strings(c.HostHeaderConfig.Values) : undefined;
    const pathConfig =
      typeof c.PathPatternConfig === 'object' ? strings(c.PathPatternConfig.Values) : undefined;
    if (values.length > 0 && (hostConfig || pathConfig)) {
      throw validation("Specify either 'Values' or the condition's config, not both");
    }
    if (Field === 'host-header') {
      const hosts = hostConfig ?? values;
      if (hosts.length === 0) throw validation("A 'host-header' condition must have at least one value");
      for (const h of hosts) {
        if (!HOST_VALUE.test(h)) {
          throw validation(
            `The host-header value '${h}' is not valid: up to 128 characters of A-Z, a-z, 0-9, - . * ?`,
          );
        }
      }
      return { Field, ...(hostConfig ? { HostHeaderConfig: { Values: hostConfig } } : {}), Values: hosts };
    }
    if (Field === 'path-pattern') {
      const paths = pathConfig ?? values;
      return { Field, ...(pathConfig ? { PathPatternConfig: { Values: paths } } : {}), Values: paths };
    }
    return { Field, Values: values };
  });
  if (conditions.length === 0) throw validation('A rule must have at least one condition');
  for (const field of ['host-header', 'path-pattern', 'http-request-method', 'source-ip']) {
    if (conditions.filter((c) => c.Field === field).length > 1) {
      throw validation(`A rule can only have one '${field}' condition`);
    }
  }
  const total = conditions.reduce((n, c) => n + (c.Values?.length ?? 0), 0);
  if (total > 5) throw validation('A rule can only have up to five condition values');
  return conditions;
}

export function createElbv2Service(): QueryService {
  const s: Elbv2State = {
    loadBalancers: new Map(),
    listeners: new Map(),
    targetGroups: new Map(),
    rules: new Map(),
  };
  const prefix = (ctx: CallContext) => `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}`;

  const listener = (arn: string | undefined): Listener => {
    const l = arn ? s.listeners.get(arn) : undefined;
    if (!l) throw new AwsError('ListenerNotFound', `One or more listeners not found`);
    return l;
  };
  const targetGroup = (arn: string): TargetGroup => {
    const tg = s.targetGroups.get(arn);
    if (!tg) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
    return tg;
  };
  const usersOf = (tgArn: string): { rules: Rule[]; loadBalancers: Set<string> } => {
    const rules = [...s.rules.values()].filter((r) =>
      r.Actions.some((a) => targetGroupsOf(a).includes(tgArn)),
    );
    const loadBalancers = new Set(rules.map((r) => s.listeners.get(r.listenerArn)?.LoadBalancerArn ?? ''));
    return { rules, loadBalancers };
  };
  const checkForwards = (actions: Action[], lbArn: string) => {
    for (const a of actions) {
      for (const tgArn of targetGroupsOf(a)) {
        targetGroup(tgArn);
        // A target group of an Application Load Balancer belongs to that one load balancer only.
        const others = [...usersOf(tgArn).loadBalancers].filter((lb) => lb && lb !== lbArn);
        if (others.length > 0) {
          throw new AwsError(
            'InvalidConfigurationRequest',
            `The target group '${tgArn}' is already associated with a different load balancer`,
          );
        }
      }
    }
  };
  const renderTargetGroup = (tg: TargetGroup) => {
    const { tags: _tags, ...rest } = tg;
    return { ...rest, LoadBalancerArns: [...usersOf(tg.TargetGroupArn).loadBalancers].filter(Boolean) };
  };
  const renderRule = (r: Rule) => ({
    RuleArn: r.RuleArn,
    Priority: r.Priority,
    Conditions: r.Conditions,
    Actions: r.Actions,
    IsDefault: r.IsDefault,
  });
  const page = <T>(items: T[], params: Params, name: string) => {
    const size = int('pageSize', params.PageSize, 1, 400) ?? 400;
    const start = params.Marker ? Number(Buffer.from(params.Marker, 'base64url').toString()) : 0;
    const slice = items.slice(start, start + size);
    const next =
      start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
    return `<${name}>${toXml(slice)}</${name}>${next ? `<NextMarker>${next}</NextMarker>` : ''}`;
  };

  return {
    protocol: 'query',
    name: 'elbv2',
    signingName: 'elasticloadbalancing',
    xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    operations: {
      CreateLoadBalancer(params: Params, ctx: CallContext) {
        const t = unflatten(params);
        const name = str(t.Name) ?? '';
        if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name) || name.startsWith('internal-')) {
          throw validation(
            `The load balancer name '${name}' is not valid: 1-32 letters, digits and hyphens, not starting or ending with a hyphen`,
          );
        }
        const type = str(t.Type) ?? 'application';
        const existing = [...s.loadBalancers.values()].find((l) => l.LoadBalancerName === name);
        if (existing) return `<LoadBalancers>${toXml([existing])}</LoadBalancers>`;
        const id = hex(8);
        const lb: LoadBalancer = {
          LoadBalancerArn: `${prefix(ctx)}:loadbalancer/${type === 'network' ? 'net' : 'app'}/${name}/${id}`,
          LoadBalancerName: name,
          DNSName: `${name}-${id}.${ctx.region}.elb.amazonaws.com`,
          Type: type,
          Scheme: str(t.Scheme) ?? 'internet-facing',
          VpcId: 'vpc-sandbox',
          CreatedTime: ctx.now(),
        };
        s.loadBalancers.set(lb.LoadBalancerArn, lb);
        return `<LoadBalancers>${toXml([lb])}</LoadBalancers>`;
      },

      CreateListener(params: Params, ctx: CallContext) {
        const t = unflatten(params);
        const lb = s.loadBalancers.get(str(t.LoadBalancerArn) ?? '');
        if (!lb) throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
        const port = int('port', str(t.Port), 1, 65535);
        if (port === undefined) throw validation('A listener port must be specified');
        const actions = parseActions(t.DefaultActions);
        if (actions.length === 0) throw validation('A listener must have at least one default action');
        checkForwards(actions, lb.LoadBalancerArn);
        if (
          [...s.listeners.values()].some((l) => l.LoadBalancerArn === lb.LoadBalancerArn && l.Port === port)
        ) {
          throw new AwsError(
            'DuplicateListener',
            'A listener already exists on this port for this load balancer',
          );
        }
        const tail = lb.LoadBalancerArn.split(':loadbalancer/')[1];
        const l: Listener = {
          ListenerArn: `${prefix(ctx)}:listener/${tail}/${hex(8)}`,
          LoadBalancerArn: lb.LoadBalancerArn,
          Port: port,
          Protocol: str(t.Protocol) ?? 'HTTP',
        };
        s.listeners.set(l.ListenerArn, l);
        const rule: Rule = {
          RuleArn: `${prefix(ctx)}:listener-rule/${tail}/${l.ListenerArn.split('/').at(-1)}/${hex(8)}`,
          listenerArn: l.ListenerArn,
          Priority: 'default',
          IsDefault: true,
          Conditions: [],
          Actions: actions,
          tags: [],
        };
        s.rules.set(rule.RuleArn, rule);
        return `<Listeners>${toXml([{ ...l, DefaultActions: actions }])}</Listeners>`;
      },

      DescribeListeners(params: Params) {
        const t = unflatten(params);
        const arns = strings(t.ListenerArns);
        const lbArn = str(t.LoadBalancerArn);
        if (arns.length === 0 && !lbArn)
          throw validation('You must specify either listener ARNs or a load balancer ARN');
        if (arns.length > 0 && lbArn)
          throw validation('Listener ARNs and a load balancer ARN cannot be specified at the same time');
        if (lbArn && !s.loadBalancers.has(lbArn))
          throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
        const found =
          arns.length > 0
            ? arns.map((a) => listener(a))
            : [...s.listeners.values()].filter((l) => l.LoadBalancerArn === lbArn);
        const withDefaults = found.map((l) => ({
          ...l,
          DefaultActions:
            [...s.rules.values()].find((r) => r.listenerArn === l.ListenerArn && r.IsDefault)?.Actions ?? [],
        }));
        return page(withDefaults, params, 'Listeners');
      },

      CreateTargetGroup(params: Params, ctx: CallContext) {
        const t = unflatten(params);
        const name = str(t.Name) ?? '';
        if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name)) {
          throw validation(
            `Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-), must be 1-32 characters long, and must not begin or end with a hyphen`,
          );
        }
        const targetType = str(t.TargetType) ?? 'instance';
        const protocol = str(t.Protocol);
        const port = int('port', str(t.Port), 1, 65535);
        if (targetType !== 'lambda') {
          if (!protocol) throw validation('A protocol must be specified');
          if (port === undefined) throw validation('A port must be specified');
          if (!str(t.VpcId)) throw validation('A VPC ID must be specified');
        }
        const httpLike = protocol === 'HTTP' || protocol === 'HTTPS';
        const tg: TargetGroup = {
          TargetGroupArn: `${prefix(ctx)}:targetgroup/${name}/${hex(8)}`,
          TargetGroupName: name,
          ...(protocol ? { Protocol: protocol } : {}),
          ...(httpLike ? { ProtocolVersion: str(t.ProtocolVersion) ?? 'HTTP1' } : {}),
          ...(port !== undefined ? { Port: port } : {}),
          ...(str(t.VpcId) ? { VpcId: str(t.VpcId) } : {}),
          TargetType: targetType,
          ...(targetType !== 'lambda' ? { IpAddressType: str(t.IpAddressType) ?? 'ipv4' } : {}),
          ...(protocol
            ? { HealthCheckProtocol: str(t.HealthCheckProtocol) ?? (httpLike ? protocol : 'TCP') }
            : {}),
          HealthCheckPort: str(t.HealthCheckPort) ?? 'traffic-port',
          HealthCheckEnabled: str(t.HealthCheckEnabled) !== 'false',
          ...(httpLike ? { HealthCheckPath: str(t.HealthCheckPath) ?? '/' } : {}),
          HealthCheckIntervalSeconds:
            int('healthCheckIntervalSeconds', str(t.HealthCheckIntervalSeconds), 5, 300) ?? 30,
          HealthCheckTimeoutSeconds:
            int('healthCheckTimeoutSeconds', str(t.HealthCheckTimeoutSeconds), 2, 120) ?? 5,
          HealthyThresholdCount: int('healthyThresholdCount', str(t.HealthyThresholdCount), 2, 10) ?? 5,
          UnhealthyThresholdCount: int('unhealthyThresholdCount', str(t.UnhealthyThresholdCount), 2, 10) ?? 2,
          ...(httpLike
            ? {
                Matcher: {
                  HttpCode: (typeof t.Matcher === 'object' ? str(t.Matcher.HttpCode) : undefined) ?? '200',
                },
              }
            : {}),
          tags: tags(t.Tags),
        };
        const same = [...s.targetGroups.values()].find((x) => x.TargetGroupName === name);
        if (same) {
          // The same name with the same settings is idempotent; different settings are a conflict.
          const { TargetGroupArn: _a, tags: _t, ...a } = same;
          const { TargetGroupArn: _b, tags: _u, ...b } = tg;
          if (JSON.stringify(a) !== JSON.stringify(b)) {
            throw new AwsError(
              'DuplicateTargetGroupName',
              'A target group with the same name exists, but with different settings',
            );
          }
          return `<TargetGroups>${toXml([renderTargetGroup(same)])}</TargetGroups>`;
        }
        s.targetGroups.set(tg.TargetGroupArn, tg);
        return `<TargetGroups>${toXml([renderTargetGroup(tg)])}</TargetGroups>`;
      },

      DescribeTargetGroups(params: Params) {
        const t = unflatten(params);
        const arns = strings(t.TargetGroupArns);
        const names = strings(t.Names);
        const lbArn = str(t.LoadBalancerArn);
        if ([arns.length > 0, names.length > 0, Boolean(lbArn)].filter(Boolean).length > 1) {
          throw validation(
            'Target group ARNs, names and a load balancer ARN cannot be specified at the same time',
          );
        }
        let found: TargetGroup[];
        if (arns.length > 0) found = arns.map(targetGroup);
        else if (names.length > 0) {
          found = names.map((n) => {
            const tg = [...s.targetGroups.values()].find((x) => x.TargetGroupName === n);
            if (!tg) throw new AwsError('TargetGroupNotFound', `One or more target groups not found`);
            return tg;
          });
        } else if (lbArn) {
          if (!s.loadBalancers.has(lbArn))
            throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
          found = [...s.targetGroups.values()].filter((tg) =>
            usersOf(tg.TargetGroupArn).loadBalancers.has(lbArn),
          );
        } else found = [...s.targetGroups.values()];
        return page(found.map(renderTargetGroup), params, 'TargetGroups');
      },

      DeleteTargetGroup(params: Params) {
        const arn = params.TargetGroupArn ?? '';
        const tg = s.targetGroups.get(arn);
        // Deleting a target group that does not exist succeeds (the API reference lists no not-found error).
        if (!tg) return '';
        if (usersOf(arn).rules.length > 0) {
          throw new AwsError(
            'ResourceInUse',
            `Target group '${arn}' is currently in use by a listener or a rule`,
          );
        }
        s.targetGroups.delete(arn);
        return '';
      },

      CreateRule(params: Params, ctx: CallContext) {
        const t = unflatten(params);
        const l = listener(str(t.ListenerArn));
        const priority = int('priority', str(t.Priority), 1, 50000);
        if (priority === undefined) throw validation('A rule priority must be specified');
        const conditions = parseConditions(t.Conditions);
        const actions = parseActions(t.Actions);
        if (actions.length === 0) throw validation('A rule must have at least one action');
        checkForwards(actions, l.LoadBalancerArn);
        if (
          [...s.rules.values()].some(
            (r) => r.listenerArn === l.ListenerArn && r.Priority === String(priority),
          )
        ) {
          throw new AwsError('PriorityInUse', `Priority '${priority}' is currently in use`);
        }
        const tail = l.ListenerArn.split(':listener/')[1];
        const rule: Rule = {
          RuleArn: `${prefix(ctx)}:listener-rule/${tail}/${hex(8)}`,
          listenerArn: l.ListenerArn,
          Priority: String(priority),
          IsDefault: false,
          Conditions: conditions,
          Actions: actions,
          tags: tags(t.Tags),
        };
        s.rules.set(rule.RuleArn, rule);
        return `<Rules>${toXml([renderRule(rule)])}</Rules>`;
      },

      DescribeRules(params: Params) {
        const t = unflatten(params);
        const arns = strings(t.RuleArns);
        const listenerArn = str(t.ListenerArn);
        if (arns.length === 0 && !listenerArn)
          throw validation('You must specify either listener ARN or rule ARNs');
        let found: Rule[];
        if (arns.length > 0) {
          found = arns.map((a) => {
            const r = s.rules.get(a);
            if (!r) throw new AwsError('RuleNotFound', 'One or more rules not found');
            return r;
          });
        } else {
          listener(listenerArn);
          found = [...s.rules.values()].filter((r) => r.listenerArn === listenerArn);
        }
        // By priority, the default rule last (the order the listener evaluates them in).
        const order = (r: Rule) => (r.IsDefault ? Infinity : Number(r.Priority));
        return page(found.sort((a, b) => order(a) - order(b)).map(renderRule), params, 'Rules');
      },

      DeleteRule(params: Params) {
        const r = s.rules.get(params.RuleArn ?? '');
        if (!r) throw new AwsError('RuleNotFound', 'One or more rules not found');
        if (r.IsDefault) throw new AwsError('OperationNotPermitted', 'Default rule cannot be deleted');
        s.rules.delete(r.RuleArn);
        return '';
      },
    },
  };
}
