// The `auto-scaling` input: `min=2`, `max=10`, `cpu=60`, `memory=70`, `requests-per-target=500` (with
// `load-balancer=app/<name>/<id>`), one per line or comma-separated. Pure, and free of SDK imports: the
// inputs are read before any target code is loaded.
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';

/** A target-tracking policy the action manages, by the predefined metric it tracks. */
export type ScalingMetric = 'cpu' | 'memory' | 'requests-per-target';

export interface AutoScalingSettings {
  readonly min: number;
  readonly max: number;
  /** Target values by metric, in the order the input gives them. */
  readonly policies: readonly { readonly metric: ScalingMetric; readonly target: number }[];
  /** `app/<name>/<id>`: the ALB whose request count per target `requests-per-target` tracks. */
  readonly loadBalancer: string | undefined;
  /** Dynamic scale-in is suspended while our rollout runs (not with `wait: false`: nothing would restore it). */
  readonly suspendScaleIn: boolean;
}

const KEYS = ['min', 'max', 'cpu', 'memory', 'requests-per-target', 'load-balancer'] as const;
type Key = (typeof KEYS)[number];

// ALB ARN (…:loadbalancer/app/<name>/<id>) or its `app/<name>/<id>` part, as ResourceLabel needs it.
const LOAD_BALANCER =
  /^(?:arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/)?(app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16})$/;

const HELP =
  'Use one key=value per line: min=2, max=10, and target values for cpu=60 (%), memory=70 (%), requests-per-target=500 (with load-balancer=app/<name>/<id>).';

function integer(line: string, key: Key, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 100_000) {
    throw new InputError(
      Input.AutoScaling,
      `"${line}": ${key} must be a whole number of tasks (0 to 100000).`,
    );
  }
  return Number(value);
}

function percent(line: string, key: Key, value: string): number {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n > 0 && n <= 100)) {
    throw new InputError(
      Input.AutoScaling,
      `"${line}": ${key} is a target utilisation in percent, more than 0 and at most 100.`,
    );
  }
  return n;
}

/** Pure: the settings, or undefined when the input is empty. Errors name the input and the line. */
export function parseAutoScaling(value: string): AutoScalingSettings | undefined {
  const lines = value
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) return undefined;
  const seen = new Map<Key, string>();
  for (const line of lines) {
    const eq = line.indexOf('=');
    const key = (eq >= 0 ? line.slice(0, eq) : line).trim().toLowerCase();
    const v = eq >= 0 ? line.slice(eq + 1).trim() : '';
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new InputError(Input.AutoScaling, `"${line}": unknown key "${key}". ${HELP}`);
    }
    if (eq < 0 || v === '') throw new InputError(Input.AutoScaling, `"${line}": no value. ${HELP}`);
    if (seen.has(key as Key)) throw new InputError(Input.AutoScaling, `"${line}": ${key} is given twice.`);
    seen.set(key as Key, v);
  }
  const lineOf = (key: Key) => `${key}=${seen.get(key) ?? ''}`;
  for (const key of ['min', 'max'] as const) {
    if (!seen.has(key)) {
      throw new InputError(
        Input.AutoScaling,
        `${key}= is missing: give both min= and max= (the task counts auto scaling keeps the service between).`,
      );
    }
  }
  const min = integer(lineOf('min'), 'min', seen.get('min') ?? '');
  const max = integer(lineOf('max'), 'max', seen.get('max') ?? '');
  if (max < 1) throw new InputError(Input.AutoScaling, `"${lineOf('max')}": max must be at least 1.`);
  if (min > max) {
    throw new InputError(Input.AutoScaling, `"${lineOf('min')}": min is more than max (${max}).`);
  }
  const policies: { metric: ScalingMetric; target: number }[] = [];
  for (const [key, v] of seen) {
    if (key === 'cpu' || key === 'memory')
      policies.push({ metric: key, target: percent(lineOf(key), key, v) });
    if (key === 'requests-per-target') {
      const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
      if (!(n > 0)) {
        throw new InputError(
          Input.AutoScaling,
          `"${lineOf(key)}": requests-per-target is a number of requests per target per minute, more than 0.`,
        );
      }
      policies.push({ metric: key, target: n });
    }
  }
  let loadBalancer: string | undefined;
  if (seen.has('load-balancer')) {
    const m = LOAD_BALANCER.exec(seen.get('load-balancer') ?? '');
    if (!m) {
      throw new InputError(
        Input.AutoScaling,
        `"${lineOf('load-balancer')}": give the Application Load Balancer as app/<name>/<id> or its ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>).`,
      );
    }
    loadBalancer = m[1];
    if (!seen.has('requests-per-target')) {
      throw new InputError(
        Input.AutoScaling,
        `"${lineOf('load-balancer')}": load-balancer is only used by requests-per-target=; add it or remove this line.`,
      );
    }
  } else if (seen.has('requests-per-target')) {
    throw new InputError(
      Input.AutoScaling,
      `"${lineOf('requests-per-target')}": needs load-balancer=app/<name>/<id> (the ALB in front of the service's target group) to build the metric's ResourceLabel.`,
    );
  }
  return { min, max, policies, loadBalancer, suspendScaleIn: true };
}

/**
 * Pure: the settings as an EKS deploy can use them (a HorizontalPodAutoscaler per Deployment), or an input
 * error: `requests-per-target` has no Resource-metric equivalent, an HPA's minReplicas is at least 1 and its
 * averageUtilization a whole percent.
 */
export function eksAutoScaling(settings: AutoScalingSettings | undefined): AutoScalingSettings | undefined {
  if (!settings) return undefined;
  if (settings.policies.some((p) => p.metric === 'requests-per-target') || settings.loadBalancer) {
    throw new InputError(
      Input.AutoScaling,
      'requests-per-target (and load-balancer) apply to ECS only: a HorizontalPodAutoscaler has no Resource metric for requests. Use cpu= and memory= on EKS, or keep an HPA with a custom or external metric in your manifests.',
    );
  }
  if (settings.min < 1) {
    throw new InputError(
      Input.AutoScaling,
      `"min=${settings.min}": a HorizontalPodAutoscaler keeps at least 1 replica; give min=1 or more.`,
    );
  }
  for (const p of settings.policies) {
    if (!Number.isInteger(p.target)) {
      throw new InputError(
        Input.AutoScaling,
        `"${p.metric}=${p.target}": an HPA's target utilisation is a whole percent; give ${p.metric}=${Math.round(p.target)}.`,
      );
    }
  }
  if (settings.policies.length === 0) {
    throw new InputError(
      Input.AutoScaling,
      'names no metric: give cpu= and/or memory= (without one the HPA would default to CPU 80 %).',
    );
  }
  return { ...settings, suspendScaleIn: false };
}
