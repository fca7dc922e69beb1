// Pure: when a StatefulSet, a DaemonSet or a Job is done — `kubectl rollout status`'s rules for the first
// two (kubectl/pkg/polymorphichelpers/rollout_status.go), the Complete/Failed conditions for Jobs — and
// which pods belong to the revision we applied.
import { isRecord, type KubeObject } from './objects.ts';

export type WorkloadVerdict =
  | { readonly kind: 'in-progress'; readonly message: string }
  | { readonly kind: 'completed'; readonly message: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly superseded?: boolean };

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

function superseded(object: KubeObject, ourGeneration: number): WorkloadVerdict | undefined {
  const generation = num(object.metadata.generation) ?? 0;
  if (generation <= ourGeneration) return undefined;
  return {
    kind: 'failed',
    reason: `someone else changed ${object.kind} ${object.metadata.name} while it rolled out (generation ${generation}, ours was ${ourGeneration})`,
    superseded: true,
  };
}

/** kubectl's StatefulSet rule, for our generation. */
export function evaluateStatefulSet(sts: KubeObject, ourGeneration: number): WorkloadVerdict {
  const newer = superseded(sts, ourGeneration);
  if (newer) return newer;
  const spec = rec(sts.spec);
  const status = rec(sts.status);
  const strategy = rec(spec.updateStrategy);
  const name = sts.metadata.name;
  const observed = num(status.observedGeneration) ?? 0;
  if (strategy.type === 'OnDelete') {
    return observed >= ourGeneration
      ? {
          kind: 'completed',
          message: `statefulset "${name}" uses OnDelete: pods change only when deleted (not waited for)`,
        }
      : { kind: 'in-progress', message: 'Waiting for statefulset spec update to be observed...' };
  }
  if (observed === 0 || observed < ourGeneration)
    return { kind: 'in-progress', message: 'Waiting for statefulset spec update to be observed...' };
  const replicas = num(spec.replicas) ?? 1;
  const ready = num(status.readyReplicas) ?? 0;
  if (ready < replicas)
    return { kind: 'in-progress', message: `Waiting for ${replicas - ready} pods to be ready...` };
  const updated = num(status.updatedReplicas) ?? 0;
  const rolling = isRecord(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
  if ((strategy.type === undefined || strategy.type === 'RollingUpdate') && rolling) {
    const partition = num(rolling.partition);
    if (partition !== undefined && updated < replicas - partition) {
      return {
        kind: 'in-progress',
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`,
      };
    }
    return {
      kind: 'completed',
      message: `partitioned roll out complete: ${updated} new pods have been updated...`,
    };
  }
  if (status.updateRevision !== status.currentRevision) {
    return {
      kind: 'in-progress',
      message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${String(status.updateRevision)}...`,
    };
  }
  return {
    kind: 'completed',
    message: `statefulset rolling update complete ${num(status.currentReplicas) ?? 0} pods at revision ${String(status.currentRevision)}...`,
  };
}

/** kubectl's DaemonSet rule, for our generation. */
export function evaluateDaemonSet(ds: KubeObject, ourGeneration: number): WorkloadVerdict {
  const newer = superseded(ds, ourGeneration);
  if (newer) return newer;
  const spec = rec(ds.spec);
  const status = rec(ds.status);
  const name = ds.metadata.name;
  const observed = num(status.observedGeneration) ?? 0;
  if (observed < ourGeneration)
    return { kind: 'in-progress', message: 'Waiting for daemon set spec update to be observed...' };
  if (rec(spec.updateStrategy).type === 'OnDelete')
    return {
      kind: 'completed',
      message: `daemon set "${name}" uses OnDelete: pods change only when deleted (not waited for)`,
    };
  const desired = num(status.desiredNumberScheduled) ?? 0;
  const updated = num(status.updatedNumberScheduled) ?? 0;
  const available = num(status.numberAvailable) ?? 0;
  if (updated < desired)
    return {
      kind: 'in-progress',
      message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
    };
  if (available < desired)
    return {
      kind: 'in-progress',
      message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
    };
  return { kind: 'completed', message: `daemon set "${name}" successfully rolled out` };
}

/** A Job is done when its Complete condition is True, failed when its Failed condition is. */
export function evaluateJob(job: KubeObject): WorkloadVerdict {
  const status = rec(job.status);
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
  const name = job.metadata.name;
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed)
    return {
      kind: 'failed',
      reason:
        `job "${name}" failed: ${failed.reason ?? ''}${failed.message ? ` (${failed.message})` : ''}`.trim(),
    };
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True'))
    return {
      kind: 'completed',
      message: `job "${name}" completed (${num(status.succeeded) ?? 0} succeeded)`,
    };
  return {
    kind: 'in-progress',
    message: `Waiting for job "${name}" to complete: ${num(status.active) ?? 0} active, ${num(status.succeeded) ?? 0} succeeded, ${num(status.failed) ?? 0} failed...`,
  };
}

interface PodLike {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { containers?: { image?: string }[] };
}

/**
 * Pure: whether a pod runs the revision we applied. StatefulSets label theirs with the update revision,
 * DaemonSets with the template generation; without those labels (or for Jobs, whose template cannot change),
 * a pod is ours when it runs exactly the template's images.
 */
export function isPodOfOurRevision(workload: KubeObject, pod: PodLike, ourGeneration: number): boolean {
  const labels = pod.metadata.labels ?? {};
  const status = rec(workload.status);
  if (
    workload.kind === 'StatefulSet' &&
    labels['controller-revision-hash'] &&
    typeof status.updateRevision === 'string'
  )
    return labels['controller-revision-hash'] === status.updateRevision;
  if (workload.kind === 'DaemonSet' && labels['pod-template-generation'])
    return labels['pod-template-generation'] === String(ourGeneration);
  const template = rec(rec(rec(workload.spec).template).spec);
  const want = (Array.isArray(template.containers) ? template.containers : []).map((c) =>
    String(rec(c).image),
  );
  const have = (pod.spec?.containers ?? []).map((c) => String(c.image));
  return want.length > 0 && JSON.stringify(want) === JSON.stringify(have);
}
