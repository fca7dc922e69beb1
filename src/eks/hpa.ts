// The `auto-scaling` input on EKS: one autoscaling/v2 HorizontalPodAutoscaler per Deployment, named like it,
// scaling it between min and max on CPU/memory utilisation (Resource metrics). Pure: what the HPA should be,
// what to write for it given the live one, and what would keep it from acting.
// https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
import { isDeepStrictEqual } from 'node:util';
import type { AutoScalingSettings } from '../ecs/scaling-settings.ts';
import type { PodTemplate } from './rollout.ts';

export const HPA_API_VERSION = 'autoscaling/v2';

export interface HpaMetric {
  type: 'Resource';
  resource: { name: string; target: { type: 'Utilization'; averageUtilization: number } };
}

export interface HpaSpec {
  scaleTargetRef: { apiVersion: string; kind: string; name: string };
  minReplicas: number;
  maxReplicas: number;
  metrics: HpaMetric[];
}

export interface K8sHpa {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: Partial<HpaSpec>;
}

/** Pure: the spec of the HPA that scales Deployment `name` as the settings say. */
export function renderHpaSpec(name: string, settings: AutoScalingSettings): HpaSpec {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    minReplicas: settings.min,
    maxReplicas: settings.max,
    metrics: settings.policies
      .filter((p) => p.metric === 'cpu' || p.metric === 'memory')
      .map((p) => ({
        type: 'Resource' as const,
        resource: { name: p.metric, target: { type: 'Utilization' as const, averageUtilization: p.target } },
      })),
  };
}

export type HpaChange =
  | { readonly kind: 'none' }
  | { readonly kind: 'create'; readonly body: Omit<K8sHpa, 'spec'> & { spec: HpaSpec } }
  /** A JSON merge patch of the fields we own (metrics is a list: a merge patch replaces it whole). */
  | { readonly kind: 'patch'; readonly body: { spec: HpaSpec }; readonly changed: readonly string[] };

/**
 * Pure: what to write so the HPA is the wanted one. Only the fields we set are compared (the API server
 * defaults `minReplicas` to 1; `behavior` and labels someone else set are left alone), so an HPA equal to
 * the wanted one is not written.
 */
export function planHpa(live: K8sHpa | undefined, namespace: string, wanted: HpaSpec): HpaChange {
  const name = wanted.scaleTargetRef.name;
  if (!live) {
    return {
      kind: 'create',
      body: {
        apiVersion: HPA_API_VERSION,
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, namespace },
        spec: wanted,
      },
    };
  }
  const spec = live.spec ?? {};
  const ref = spec.scaleTargetRef;
  const current = {
    scaleTargetRef: ref ? { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name } : undefined,
    minReplicas: spec.minReplicas ?? 1,
    maxReplicas: spec.maxReplicas,
    metrics: spec.metrics ?? [],
  };
  const changed = (Object.keys(current) as (keyof typeof current)[]).filter(
    (k) => !isDeepStrictEqual(current[k], wanted[k]),
  );
  return changed.length === 0 ? { kind: 'none' } : { kind: 'patch', body: { spec: wanted }, changed };
}

/**
 * Pure: for each metric, the containers without a request of that resource. The HPA computes utilisation
 * against the requests; when a container of the pod has none, the metric is undefined and the HPA takes no
 * action for it (Kubernetes' HPA documentation, "Algorithm details").
 */
export function containersWithoutRequests(
  template: PodTemplate,
  spec: HpaSpec,
): { resource: string; containers: string[] }[] {
  const containers = (template.spec?.containers ?? []) as {
    name: string;
    resources?: { requests?: Record<string, unknown> };
  }[];
  return spec.metrics
    .map((m) => ({
      resource: m.resource.name,
      containers: containers
        .filter((c) => c.resources?.requests?.[m.resource.name] === undefined)
        .map((c) => c.name),
    }))
    .filter((r) => r.containers.length > 0);
}

/** Pure: `2–10 replicas, cpu 60 %, memory 70 %` for the log, the summary and the results output. */
export function describeHpa(spec: HpaSpec): string {
  const targets = spec.metrics.map((m) => `${m.resource.name} ${m.resource.target.averageUtilization} %`);
  return [`${spec.minReplicas}–${spec.maxReplicas} replicas`, ...targets].join(', ');
}
