// The auto-scaling input and the pure decisions about a service's scaling: tables, no I/O.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../../src/errors.ts';
import { inputVariable, readInputs } from '../../src/inputs.ts';
import {
  clampDesiredCount,
  configChanges,
  planScaling,
  policyDiffers,
  previewScaling,
  resourceIdOf,
  resourceLabel,
  type CurrentScaling,
  type PolicySpec,
  type RegisteredPolicy,
} from '../../src/ecs/scaling.ts';
import { parseAutoScaling, type AutoScalingSettings } from '../../src/ecs/scaling-settings.ts';

const LB = 'app/web-alb/50dc6c495c0c9188';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/943f017f100becff';
const LABEL = `${LB}/targetgroup/web-tg/943f017f100becff`;

describe('parseAutoScaling', () => {
  const ok: [string, Partial<AutoScalingSettings> | undefined][] = [
    ['', undefined],
    ['  \n# comment only\n', undefined],
    ['min=2\nmax=10', { min: 2, max: 10, policies: [], loadBalancer: undefined, suspendScaleIn: true }],
    ['min=1, max=4, cpu=60', { min: 1, max: 4, policies: [{ metric: 'cpu', target: 60 }] }],
    [
      'min=0\nmax=3\nmemory=70.5\ncpu=55',
      {
        policies: [
          { metric: 'memory', target: 70.5 },
          { metric: 'cpu', target: 55 },
        ],
      },
    ],
    [
      `min=2\nmax=10\nrequests-per-target=500\nload-balancer=${LB}`,
      { policies: [{ metric: 'requests-per-target', target: 500 }], loadBalancer: LB },
    ],
    [
      `min=2\nmax=10\nrequests-per-target=500\nload-balancer=arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/${LB}`,
      { loadBalancer: LB },
    ],
    ['MIN = 3\nMax=3', { min: 3, max: 3 }],
  ];
  for (const [input, want] of ok) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      const got = parseAutoScaling(input);
      if (want === undefined) expect(got).toBeUndefined();
      else expect(got).toMatchObject(want);
    });
  }

  const bad: [string, RegExp][] = [
    ['max=10', /min= is missing/],
    ['min=2', /max= is missing/],
    ['min=2\nmax=10\ncpu=60\ncpu=70', /"cpu=70": cpu is given twice/],
    ['min=5\nmax=2', /"min=5": min is more than max \(2\)/],
    ['min=0\nmax=0', /"max=0": max must be at least 1/],
    ['min=two\nmax=3', /"min=two": min must be a whole number/],
    ['min=-1\nmax=3', /"min=-1": min must be a whole number/],
    ['min=1\nmax=3\ncpu=0', /"cpu=0": cpu is a target utilisation in percent/],
    ['min=1\nmax=3\nmemory=101', /"memory=101": memory is a target utilisation/],
    ['min=1\nmax=3\ncpu', /"cpu": no value/],
    ['min=1\nmax=3\ncpus=50', /"cpus=50": unknown key "cpus"/],
    ['min=1\nmax=3\nrequests-per-target=500', /needs load-balancer=app\/<name>\/<id>/],
    [`min=1\nmax=3\nload-balancer=${LB}`, /load-balancer is only used by requests-per-target/],
    [
      'min=1\nmax=3\nrequests-per-target=500\nload-balancer=my-alb',
      /"load-balancer=my-alb": give the Application Load Balancer/,
    ],
    [
      `min=1\nmax=3\nrequests-per-target=0\nload-balancer=${LB}`,
      /requests-per-target is a number of requests/,
    ],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)} naming the input and the line`, () => {
      let error: unknown;
      try {
        parseAutoScaling(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe('auto-scaling');
      expect((error as Error).message).toMatch(/^Input "auto-scaling": /);
      expect((error as Error).message).toMatch(message);
    });
  }
});

describe('the auto-scaling input among the others', () => {
  const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const read = (overrides: Record<string, string>) => {
    const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
    const all = { ...defaults, repository: 'my-app', 'aws-region': 'eu-west-1', ...overrides };
    return readInputs({
      env: Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v])),
      cwd: process.cwd(),
    });
  };
  const ecs = {
    repository: '',
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:' + 'a'.repeat(64),
    'ecs-cluster': 'prod',
    'ecs-service': 'web',
  };

  it('reaches the ECS target; scale-in suspension follows wait', () => {
    const inputs = read({ ...ecs, 'auto-scaling': 'min=2\nmax=4' });
    expect(inputs.target).toMatchObject({
      kind: 'ecs',
      autoScaling: { min: 2, max: 4, suspendScaleIn: true },
    });
    const noWait = read({ ...ecs, 'auto-scaling': 'min=2\nmax=4', wait: 'false' });
    expect(noWait.target).toMatchObject({ autoScaling: { suspendScaleIn: false } });
  });

  const eks = { repository: '', image: ecs.image, 'eks-cluster': 'c', deployment: 'web' };
  it('reaches the EKS target with CPU and memory targets', () => {
    expect(read({ ...eks, 'auto-scaling': 'min=2\nmax=4\ncpu=60\nmemory=70' }).target).toMatchObject({
      kind: 'eks',
      autoScaling: {
        min: 2,
        max: 4,
        policies: [
          { metric: 'cpu', target: 60 },
          { metric: 'memory', target: 70 },
        ],
      },
    });
  });

  it.each([
    [
      'requests-per-target',
      'min=2\nmax=4\nrequests-per-target=500\nload-balancer=app/a/0123456789abcdef',
      /requests-per-target \(and load-balancer\) apply to ECS only/,
    ],
    ['min=0', 'min=0\nmax=4\ncpu=60', /"min=0": a HorizontalPodAutoscaler keeps at least 1 replica/],
    [
      'a fractional percent',
      'min=1\nmax=4\ncpu=60.5',
      /"cpu=60.5": an HPA's target utilisation is a whole percent; give cpu=61/,
    ],
    ['no metric', 'min=1\nmax=4', /names no metric: give cpu= and\/or memory=/],
  ])('an EKS deploy refuses %s, naming the input', (_name, value, message) => {
    expect(() => read({ ...eks, 'auto-scaling': value })).toThrow(message);
    expect(() => read({ ...eks, 'auto-scaling': value })).toThrow(/Input "auto-scaling"/);
  });

  it('without a deploy target it is a stray input', () => {
    expect(() => read({ 'auto-scaling': 'min=2\nmax=4' })).toThrow(
      /Input "auto-scaling": only applies to a deploy/,
    );
  });
});

const service = {
  serviceName: 'web',
  loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
};
const settings = (over: Partial<AutoScalingSettings> = {}): AutoScalingSettings => ({
  min: 2,
  max: 10,
  policies: [{ metric: 'cpu', target: 60 }],
  loadBalancer: undefined,
  suspendScaleIn: true,
  ...over,
});
const NOT_SUSPENDED = {
  DynamicScalingInSuspended: false,
  DynamicScalingOutSuspended: false,
  ScheduledScalingSuspended: false,
};
const cpuPolicy = (target: number, extra: object = {}) => ({
  PolicyName: 'ecr-deploy-cpu',
  PolicyType: 'TargetTrackingScaling' as const,
  TargetTrackingScalingPolicyConfiguration: {
    TargetValue: target,
    PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' as const },
    ...extra,
  },
});
function current(over: Partial<CurrentScaling> = {}): CurrentScaling {
  return {
    resourceId: 'service/prod/web',
    target: { min: 2, max: 10, suspended: NOT_SUSPENDED },
    policies: new Map([['ecr-deploy-cpu', cpuPolicy(60)]]),
    ...over,
  };
}

describe('planScaling: what to change', () => {
  const rows: {
    name: string;
    settings: AutoScalingSettings | undefined;
    current: CurrentScaling;
    want: { register?: unknown; put?: string[]; remove?: string[]; suspend?: boolean; summary?: unknown };
  }[] = [
    {
      name: 'a first registration writes the range and every policy',
      settings: settings({
        policies: [
          { metric: 'cpu', target: 60 },
          { metric: 'memory', target: 70 },
        ],
      }),
      current: current({ target: undefined, policies: new Map() }),
      want: {
        register: { min: 2, max: 10 },
        put: ['ecr-deploy-cpu', 'ecr-deploy-memory'],
        remove: [],
        suspend: true,
        summary: '2–10 tasks, cpu 60 %, memory 70 %',
      },
    },
    {
      name: 'the same settings again write nothing but the suspension',
      settings: settings(),
      current: current(),
      want: { register: undefined, put: [], remove: [], suspend: true },
    },
    {
      name: 'a new max re-registers; unchanged policies are not rewritten',
      settings: settings({ max: 12 }),
      current: current(),
      want: { register: { min: 2, max: 12 }, put: [] },
    },
    {
      name: 'a new target value rewrites that policy only',
      settings: settings({
        policies: [
          { metric: 'cpu', target: 50 },
          { metric: 'memory', target: 70 },
        ],
      }),
      current: current({
        policies: new Map<string, RegisteredPolicy>([
          ['ecr-deploy-cpu', cpuPolicy(60)],
          [
            'ecr-deploy-memory',
            {
              ...cpuPolicy(70),
              PolicyName: 'ecr-deploy-memory',
              TargetTrackingScalingPolicyConfiguration: {
                TargetValue: 70,
                PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
              },
            },
          ],
        ]),
      }),
      want: { register: undefined, put: ['ecr-deploy-cpu'], remove: [] },
    },
    {
      name: 'a policy no longer asked for is deleted',
      settings: settings({ policies: [] }),
      current: current(),
      want: { put: [], remove: ['ecr-deploy-cpu'], summary: '2–10 tasks, no policies' },
    },
    {
      name: 'scale-in already suspended by someone: not suspended again (and so not resumed by us)',
      settings: settings(),
      current: current({
        target: { min: 2, max: 10, suspended: { ...NOT_SUSPENDED, DynamicScalingInSuspended: true } },
      }),
      want: { suspend: false },
    },
    {
      name: 'wait: false never suspends',
      settings: settings({ suspendScaleIn: false }),
      current: current(),
      want: { suspend: false },
    },
    {
      name: 'no input: nothing written, the registered range reported',
      settings: undefined,
      current: current({ target: { min: 1, max: 3, suspended: NOT_SUSPENDED } }),
      want: {
        register: undefined,
        put: [],
        remove: [],
        suspend: false,
        summary: '1–3 tasks (registered outside this action)',
      },
    },
    {
      name: 'no input and no target: nothing at all',
      settings: undefined,
      current: current({ target: undefined, policies: new Map() }),
      want: { register: undefined, summary: undefined },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = planScaling(row.settings, row.current, service);
      const got = {
        register: plan.register,
        put: plan.put.map((p) => p.name),
        remove: plan.remove,
        suspend: plan.suspend,
        summary: plan.summary,
      };
      expect(got).toMatchObject(
        Object.fromEntries(Object.entries(row.want).filter(([k]) => k in row.want)) as object,
      );
      expect(configChanges(plan)).toBe(
        plan.register !== undefined || plan.put.length > 0 || plan.remove.length > 0,
      );
    });
  }

  it('requests-per-target builds the ResourceLabel from the load balancer and the service’s target group', () => {
    const plan = planScaling(
      settings({ policies: [{ metric: 'requests-per-target', target: 500 }], loadBalancer: LB }),
      current({ policies: new Map() }),
      service,
    );
    expect(plan.put[0]!.config).toEqual({
      TargetValue: 500,
      PredefinedMetricSpecification: {
        PredefinedMetricType: 'ALBRequestCountPerTarget',
        ResourceLabel: LABEL,
      },
    });
    expect(plan.summary).toBe('2–10 tasks, requests per target 500');
  });
});

describe('resourceLabel / resourceIdOf', () => {
  it('needs exactly one target group', () => {
    expect(resourceLabel(LB, service)).toBe(LABEL);
    expect(() => resourceLabel(LB, { serviceName: 'web', loadBalancers: [] })).toThrow(
      /Input "auto-scaling": requests-per-target: service web has no target group/,
    );
    expect(() =>
      resourceLabel(LB, {
        serviceName: 'web',
        loadBalancers: [{ targetGroupArn: TG }, { targetGroupArn: TG.replace('web-tg', 'other-tg') }],
      }),
    ).toThrow(/has 2 target groups/);
  });
  it('uses the cluster and service names, also from ARNs', () => {
    expect(resourceIdOf('prod', 'web')).toBe('service/prod/web');
    expect(resourceIdOf('arn:aws:ecs:eu-west-1:123456789012:cluster/prod', 'web')).toBe('service/prod/web');
  });
});

describe('policyDiffers', () => {
  const wanted: PolicySpec = {
    name: 'ecr-deploy-cpu',
    config: {
      TargetValue: 60,
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    },
  };
  const rows: [string, Parameters<typeof policyDiffers>[0], boolean][] = [
    ['absent', undefined, true],
    ['identical', cpuPolicy(60), false],
    ['another target value', cpuPolicy(61), true],
    ['scale-in disabled by hand', cpuPolicy(60, { DisableScaleIn: true }), true],
    ['cooldowns set by hand', cpuPolicy(60, { ScaleInCooldown: 300 }), true],
    ['a step policy under our name', { ...cpuPolicy(60), PolicyType: 'StepScaling' }, true],
  ];
  for (const [name, currentPolicy, differs] of rows) {
    it(`${name} → ${differs ? 'rewritten' : 'kept'}`, () => {
      expect(policyDiffers(currentPolicy, wanted)).toBe(differs);
    });
  }
});

describe('clampDesiredCount', () => {
  const rows: [
    number | undefined,
    { min: number; max: number } | undefined,
    number | undefined,
    RegExp | undefined,
  ][] = [
    [undefined, { min: 2, max: 4 }, undefined, undefined],
    [3, undefined, 3, undefined],
    [
      3,
      { min: 2, max: 4 },
      3,
      /desired-count 3 is set while Application Auto Scaling owns the count \(2–4 tasks\);/,
    ],
    [9, { min: 2, max: 4 }, 4, /clamped to 4 \(min 2, max 4\)/],
    [0, { min: 2, max: 4 }, 2, /clamped to 2/],
  ];
  for (const [requested, range, count, warning] of rows) {
    it(`${String(requested)} within ${JSON.stringify(range)} → ${String(count)}`, () => {
      const got = clampDesiredCount(requested, range, 'web');
      expect(got.count).toBe(count);
      if (warning) expect(got.warning).toMatch(warning);
      else expect(got.warning).toBeUndefined();
    });
  }
});

describe('previewScaling', () => {
  it('lists what a deploy would write', () => {
    const plan = planScaling(
      settings({ policies: [{ metric: 'memory', target: 70 }] }),
      current({ target: undefined }),
      service,
    );
    expect(previewScaling(plan)).toEqual([
      'auto scaling: would register service/prod/web with min 2, max 10',
      'auto scaling: would put policy ecr-deploy-memory (memory 70 %)',
      'auto scaling: would delete policy ecr-deploy-cpu',
      'auto scaling: would suspend dynamic scale-in during the rollout',
    ]);
  });
});
