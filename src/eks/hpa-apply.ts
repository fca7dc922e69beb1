// The HorizontalPodAutoscalers of the auto-scaling input on EKS, against the API server: RBAC checked and the
// live HPA read before anything changes; written (created, or merge-patched) only when it differs.
import type { AutoScalingSettings } from '../ecs/scaling-settings.ts';
import type { Log } from '../deploy/log.ts';
import { KubeApiError, type KubeApi } from './kube-client.ts';
import {
  containersWithoutRequests,
  describeHpa,
  planHpa,
  renderHpaSpec,
  type HpaChange,
  type HpaSpec,
  type K8sHpa,
} from './hpa.ts';
import type { PodTemplate } from './rollout.ts';

export interface PlannedHpa {
  readonly name: string;
  readonly spec: HpaSpec;
  readonly change: HpaChange;
  /** `2–10 replicas, cpu 60 %`. */
  readonly summary: string;
}

/** RBAC forbids what the HPA needs: the message names the user, the verb and what to grant. */
export class HpaAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HpaAccessError';
  }
}

const hpaPath = (namespace: string, name?: string) =>
  `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers${name ? `/${name}` : ''}`;

async function mayDo(kube: KubeApi, namespace: string, verb: string, name: string | undefined) {
  const review = await kube.post<{ status?: { allowed?: boolean; reason?: string } }>(
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          namespace,
          verb,
          group: 'autoscaling',
          resource: 'horizontalpodautoscalers',
          ...(name ? { name } : {}),
        },
      },
    },
  );
  return review.status ?? {};
}

async function requireAccess(
  kube: KubeApi,
  namespace: string,
  verb: string,
  name: string | undefined,
  user: string,
) {
  const status = await mayDo(kube, namespace, verb, name);
  if (!status.allowed) {
    throw new HpaAccessError(
      `User "${user}" cannot ${verb} horizontalpodautoscalers.autoscaling in namespace "${namespace}" (RBAC forbids it${status.reason ? `: ${status.reason}` : ''}); auto-scaling needs get, create and patch on them. Bind a Role that allows these on horizontalpodautoscalers (API group autoscaling), or remove auto-scaling.`,
    );
  }
}

/** Reads the HPA of one Deployment and plans its change; checks RBAC for what the change needs. Writes nothing. */
export async function planDeploymentHpa(options: {
  readonly kube: KubeApi;
  readonly namespace: string;
  readonly name: string;
  readonly template: PodTemplate;
  readonly settings: AutoScalingSettings;
  readonly user: string;
  readonly log: Log;
}): Promise<PlannedHpa> {
  const { kube, namespace, name, user, log } = options;
  await requireAccess(kube, namespace, 'get', name, user);
  let live: K8sHpa | undefined;
  try {
    live = await kube.get<K8sHpa>(hpaPath(namespace, name));
  } catch (error) {
    if (!(error instanceof KubeApiError) || error.status !== 404) throw error;
  }
  const spec = renderHpaSpec(name, options.settings);
  const change = planHpa(live, namespace, spec);
  if (change.kind === 'create') await requireAccess(kube, namespace, 'create', undefined, user);
  if (change.kind === 'patch') await requireAccess(kube, namespace, 'patch', name, user);
  for (const missing of containersWithoutRequests(options.template, spec)) {
    log.warning(
      `${name}: container(s) ${missing.containers.join(', ')} have no ${missing.resource} request: the HPA cannot compute ${missing.resource} utilisation for these pods and takes no action on it. Set resources.requests.${missing.resource} on every container.`,
    );
  }
  return { name, spec, change, summary: describeHpa(spec) };
}

/** Writes the planned change (nothing when the live HPA is the wanted one). */
export async function writeDeploymentHpa(
  kube: KubeApi,
  namespace: string,
  hpa: PlannedHpa,
  log: Log,
): Promise<void> {
  const { change } = hpa;
  if (change.kind === 'none') {
    log.info(`${hpa.name}: HorizontalPodAutoscaler unchanged (${hpa.summary})`);
    return;
  }
  if (change.kind === 'create') await kube.post(hpaPath(namespace), change.body);
  else await kube.patch(hpaPath(namespace, hpa.name), change.body, 'merge');
  log.info(
    `${hpa.name}: HorizontalPodAutoscaler ${change.kind === 'create' ? 'created' : `updated (${change.changed.join(', ')})`}: ${hpa.summary}`,
  );
}
