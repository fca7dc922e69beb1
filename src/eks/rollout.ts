// Pure decisions of the EKS deploy: which containers get the image, whether our rollout is done or failed,
// which pod states are definitive failures, and what restoring a revision patches.
import { selectContainers } from '../deploy/containers.ts';
import type { ContainerSelection } from '../deploy/types.ts';

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
export interface ContainerSpec {
  name: string;
  image?: string;
  [key: string]: unknown;
}
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; [key: string]: unknown };
}
export interface K8sDeployment {
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template: PodTemplate;
    progressDeadlineSeconds?: number;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}
export interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: object;
    terminated?: { exitCode?: number; reason?: string };
  };
  lastState?: { terminated?: { exitCode?: number; reason?: string; message?: string } };
}
export interface K8sPod {
  metadata: { name: string; ownerReferences?: { kind?: string; name?: string }[] };
  status?: {
    phase?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** Pure: the label selector of a Deployment's pods and ReplicaSets, as a query value. */
export function selectorOf(d: K8sDeployment): string {
  return Object.entries(d.spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

export interface ImagePatchPlan {
  /** Strategic merge patch: containers (and init containers) merged by name. */
  readonly patch: Record<string, unknown>;
  readonly changes: readonly { readonly container: string; readonly from: string; readonly to: string }[];
  /** The template already runs exactly these images: patching would make no new revision. */
  readonly unchanged: boolean;
}

/**
 * Pure: the containers that get the image (default: those, init containers included, whose image is in our
 * repository; `containers` to choose; `name=image` for a given image) and the patch that sets it.
 */
export function planImagePatch(
  deployment: K8sDeployment,
  options: {
    readonly imageRef: string;
    readonly repositoryUri: string;
    readonly containers: readonly ContainerSelection[];
    readonly changeCause: string;
  },
): ImagePatchPlan {
  const spec = deployment.spec.template.spec ?? {};
  const all = [
    ...(spec.containers ?? []).map((c) => ({ ...c, init: false })),
    ...(spec.initContainers ?? []).map((c) => ({ ...c, init: true })),
  ];
  const wanted = selectContainers(all, {
    owner: `Deployment ${deployment.metadata.name}`,
    imageRef: options.imageRef,
    repositoryUri: options.repositoryUri,
    selection: options.containers,
  });
  const changes = all
    .filter((c) => wanted.has(c.name) && c.image !== wanted.get(c.name))
    .map((c) => ({ container: c.name, from: c.image ?? '', to: wanted.get(c.name) ?? '' }));
  const pick = (init: boolean) =>
    all
      .filter((c) => c.init === init && wanted.has(c.name))
      .map((c) => ({ name: c.name, image: wanted.get(c.name) }));
  const containers = pick(false);
  const initContainers = pick(true);
  return {
    patch: {
      metadata: { annotations: { [CHANGE_CAUSE_ANNOTATION]: options.changeCause } },
      spec: {
        template: {
          spec: {
            ...(containers.length ? { containers } : {}),
            ...(initContainers.length ? { initContainers } : {}),
          },
        },
      },
    },
    changes,
    unchanged: changes.length === 0,
  };
}

export type DeploymentVerdict =
  | {
      readonly kind: 'in-progress';
      readonly message: string;
      /**
       * The Deployment reports ReplicaFailure. It may come from an old ReplicaSet being scaled down (after a
       * rollback, say), so the caller confirms it on the new ReplicaSet before failing.
       */
      readonly replicaFailure?: string;
    }
  | { readonly kind: 'completed'; readonly message: string }
  /** `superseded`: a newer generation than ours — someone else's change, never to be rolled back over. */
  | { readonly kind: 'failed'; readonly reason: string; readonly superseded?: boolean };

function condition(d: K8sDeployment, type: string): Condition | undefined {
  return d.status?.conditions?.find((c) => c.type === type);
}

/**
 * `kubectl rollout status`'s rule for our generation, plus what kubectl does not check: a newer generation
 * than ours (someone else changed the Deployment) and a ReplicaFailure condition.
 */
export function evaluateDeployment(d: K8sDeployment, ourGeneration: number): DeploymentVerdict {
  const name = d.metadata.name;
  const generation = d.metadata.generation ?? 0;
  if (generation > ourGeneration) {
    return {
      kind: 'failed',
      reason: `someone else changed Deployment ${name} while it rolled out (generation ${generation}, ours was ${ourGeneration})`,
      superseded: true,
    };
  }
  const status = d.status ?? {};
  if ((status.observedGeneration ?? 0) < ourGeneration) {
    return { kind: 'in-progress', message: `Waiting for deployment spec update to be observed...` };
  }
  const progressing = condition(d, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return {
      kind: 'failed',
      reason: `ProgressDeadlineExceeded: ${progressing.message ?? `deployment "${name}" exceeded its progress deadline`}`,
    };
  }
  const failure = condition(d, 'ReplicaFailure');
  const replicaFailure =
    failure?.status === 'True'
      ? `ReplicaFailure: ${failure.reason ?? ''} ${failure.message ?? ''}`.trim()
      : undefined;
  const pending = (message: string): DeploymentVerdict =>
    replicaFailure ? { kind: 'in-progress', message, replicaFailure } : { kind: 'in-progress', message };
  const want = d.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const prefix = `Waiting for deployment "${name}" rollout to finish:`;
  if (updated < want) return pending(`${prefix} ${updated} out of ${want} new replicas have been updated...`);
  if (replicas > updated)
    return pending(`${prefix} ${replicas - updated} old replicas are pending termination...`);
  if (available < updated)
    return pending(`${prefix} ${available} of ${updated} updated replicas are available...`);
  return { kind: 'completed', message: `deployment "${name}" successfully rolled out` };
}

const DEFINITIVE_WAITING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

export interface PodVerdict {
  readonly definitive: boolean;
  /** What is wrong, one line per failing container; empty when nothing is. */
  readonly problems: readonly string[];
  /** Containers that crashed and have a previous log worth printing. */
  readonly crashed: readonly string[];
}

/**
 * Pure: a pod of our ReplicaSet fails for good when an image cannot be pulled or a container cannot be
 * created (at once), or a container keeps crashing: CrashLoopBackOff after `failFastAfter` restarts.
 */
export function classifyPod(pod: K8sPod, failFastAfter: number): PodVerdict {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const problems: string[] = [];
  const crashed: string[] = [];
  let definitive = false;
  for (const c of statuses) {
    const waiting = c.state?.waiting;
    const last = c.lastState?.terminated;
    const restarts = c.restartCount ?? 0;
    if (waiting?.reason && DEFINITIVE_WAITING.has(waiting.reason)) {
      definitive = true;
      problems.push(
        `pod ${pod.metadata.name} container ${c.name}: ${waiting.reason}: ${waiting.message ?? ''}`.trim(),
      );
    } else if (last && last.exitCode !== 0 && (waiting?.reason === 'CrashLoopBackOff' || restarts > 0)) {
      crashed.push(c.name);
      problems.push(
        `pod ${pod.metadata.name} container ${c.name}: ${waiting?.reason ?? 'restarting'} after ${restarts} restart(s); last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}`,
      );
      if (failFastAfter > 0 && restarts >= failFastAfter) definitive = true;
    }
  }
  return { definitive, problems, crashed };
}

/**
 * Pure: restoring a revision = putting its ReplicaSet's template back, without the pod-template-hash label
 * (what `kubectl rollout undo --to-revision` does), as a JSON patch. Its first operation tests that the
 * Deployment is still at our generation, so a change someone made since is never rolled back over (the API
 * server refuses the whole patch).
 */
export function rollbackPatch(
  template: PodTemplate,
  options: { readonly changeCause: string; readonly hasAnnotations: boolean; readonly generation: number },
): unknown[] {
  const labels = Object.fromEntries(
    Object.entries(template.metadata?.labels ?? {}).filter(([k]) => k !== 'pod-template-hash'),
  );
  const cause = options.hasAnnotations
    ? {
        op: 'add',
        path: `/metadata/annotations/${CHANGE_CAUSE_ANNOTATION.replace('/', '~1')}`,
        value: options.changeCause,
      }
    : { op: 'add', path: '/metadata/annotations', value: { [CHANGE_CAUSE_ANNOTATION]: options.changeCause } };
  return [
    { op: 'test', path: '/metadata/generation', value: options.generation },
    {
      op: 'replace',
      path: '/spec/template',
      value: { ...template, metadata: { ...template.metadata, labels } },
    },
    cause,
  ];
}
