// Pure decisions of applying manifests: the order, which workloads an HPA scales (their `replicas` is not
// ours to set), the ApplySet label and parent, what a prune deletes, and how a field conflict reads.
import { createHash } from 'node:crypto';
import { isRecord, groupKind, objectKey, describeObject, type KubeObject } from './objects.ts';

export const FIELD_MANAGER = 'ecr-deploy';
export const PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const CONTAINS_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const ADDITIONAL_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';
export const TOOLING = 'ecr-deploy/v1';

const CONFIG_KINDS = new Set([
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'LimitRange',
  'ResourceQuota',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'IngressClass',
]);
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const AFTER_WORKLOADS = new Set(['HorizontalPodAutoscaler', 'Ingress']);

/** 0 Namespaces, 1 CRDs, 2 configuration and Services, 3 other kinds, 4 workloads, 5 HPAs and Ingresses. */
export function applyRank(object: Pick<KubeObject, 'kind'>): number {
  if (object.kind === 'Namespace') return 0;
  if (object.kind === 'CustomResourceDefinition') return 1;
  if (CONFIG_KINDS.has(object.kind)) return 2;
  if (WORKLOADS.has(object.kind)) return 4;
  if (AFTER_WORKLOADS.has(object.kind)) return 5;
  return 3;
}

/** Pure: the objects in apply order (stable within a rank: the order of the files). */
export function inApplyOrder<T extends { readonly object: KubeObject }>(objects: readonly T[]): T[] {
  return objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => applyRank(a.o.object) - applyRank(b.o.object) || a.i - b.i)
    .map(({ o }) => o);
}

/** `ns/Kind/name` of a workload an HPA scales. */
function scaledKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

/** Pure: the workloads the HPAs (of the manifests and of the cluster) scale. */
export function scaledByHpa(hpas: readonly KubeObject[]): Set<string> {
  const keys = new Set<string>();
  for (const hpa of hpas) {
    const ref = isRecord(hpa.spec) && isRecord(hpa.spec.scaleTargetRef) ? hpa.spec.scaleTargetRef : undefined;
    if (typeof ref?.kind === 'string' && typeof ref.name === 'string')
      keys.add(scaledKey(hpa.metadata.namespace ?? '', ref.kind, ref.name));
  }
  return keys;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

/** Pure: the managers that own `.spec.replicas` of a live object (from its managedFields). */
export function replicasOwners(live: KubeObject | undefined): string[] {
  const entries = (live?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  return entries
    .filter((e) => {
      const spec = e.fieldsV1?.['f:spec'];
      return isRecord(spec) && 'f:replicas' in spec;
    })
    .map((e) => e.manager ?? '');
}

export interface HpaSafeResult {
  readonly object: KubeObject;
  /** What was done about `replicas`, for the log; undefined when the workload is not scaled by an HPA. */
  readonly note?: string;
}

/**
 * Pure: a workload an HPA scales is applied without `spec.replicas`, so each deploy keeps the HPA's count.
 * One exception: when only we own `replicas` in the cluster, leaving it out would make the API server reset
 * it to the default (1) (server-side apply removes fields their last owner stops applying), so the live
 * count is applied once more; after the HPA's next change the field is the HPA's alone.
 */
export function hpaSafe(
  object: KubeObject,
  scaled: ReadonlySet<string>,
  live: KubeObject | undefined,
): HpaSafeResult {
  const key = scaledKey(object.metadata.namespace ?? '', object.kind, object.metadata.name);
  if (!scaled.has(key) || !isRecord(object.spec)) return { object };
  const copy = structuredClone(object) as KubeObject & { spec: Record<string, unknown> };
  const had = copy.spec.replicas;
  delete copy.spec.replicas;
  const owners = replicasOwners(live);
  const liveReplicas = isRecord(live?.spec) ? live.spec.replicas : undefined;
  if (owners.length > 0 && owners.every((o) => o === FIELD_MANAGER) && typeof liveReplicas === 'number') {
    copy.spec.replicas = liveReplicas;
    return {
      object: copy,
      note: `${describeObject(object)} is scaled by an HPA: replicas kept at the live ${liveReplicas} (we are its only owner; leaving it out would reset it to 1)`,
    };
  }
  return {
    object: copy,
    note: `${describeObject(object)} is scaled by an HPA: replicas${had === undefined ? '' : ` (${String(had)} in the manifest)`} left to it`,
  };
}

/** Pure: the ApplySet id of a parent, as the ApplySet KEP (kubectl) computes it. */
export function applySetId(parent: { name: string; namespace: string; kind: string; group: string }): string {
  const hash = createHash('sha256')
    .update(`${parent.name}.${parent.namespace}.${parent.kind}.${parent.group}`)
    .digest('base64url');
  return `applyset-${hash}-v1`;
}

/** Pure: the parent Secret's name for a repository: one ApplySet per repository and namespace. */
export function applySetParentName(repositoryUri: string): string {
  const repo = (repositoryUri.split('/').slice(1).join('-') || repositoryUri)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `ecr-deploy-applyset-${repo}`.slice(0, 253).replace(/-+$/, '');
}

/** Pure: the object with the ApplySet label. */
export function withPartOfLabel(object: KubeObject, id: string): KubeObject {
  return {
    ...object,
    metadata: { ...object.metadata, labels: { ...object.metadata.labels, [PART_OF_LABEL]: id } },
  };
}

/** Pure: the group-kinds and namespaces an annotation value lists. */
export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Pure: the parent Secret that records the ApplySet (its group-kinds and namespaces, sorted). */
export function applySetParent(options: {
  readonly name: string;
  readonly namespace: string;
  readonly id: string;
  readonly groupKinds: Iterable<string>;
  readonly namespaces: Iterable<string>;
}): KubeObject {
  const others = [...new Set(options.namespaces)].filter((n) => n && n !== options.namespace).sort();
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { [APPLYSET_ID_LABEL]: options.id },
      annotations: {
        [TOOLING_ANNOTATION]: TOOLING,
        [CONTAINS_GROUP_KINDS_ANNOTATION]: [...new Set(options.groupKinds)].sort().join(','),
        ...(others.length ? { [ADDITIONAL_NAMESPACES_ANNOTATION]: others.join(',') } : {}),
      },
    },
  };
}

/**
 * Pure: the objects to delete — those that carry our ApplySet label and are no longer in the manifests.
 * Anything without the label (or with another ApplySet's) is never a candidate.
 */
export function pruneCandidates(
  live: readonly KubeObject[],
  applied: readonly KubeObject[],
  id: string,
): KubeObject[] {
  const keep = new Set(applied.map(objectKey));
  const seen = new Set<string>();
  return live.filter((o) => {
    const key = objectKey(o);
    if (seen.has(key)) return false;
    seen.add(key);
    return o.metadata.labels?.[PART_OF_LABEL] === id && !keep.has(key);
  });
}

/** Pure: an object already in another ApplySet is not taken over (the KEP's rule); the reason, if so. */
export function otherApplySet(live: KubeObject | undefined, id: string): string | undefined {
  const other = live?.metadata.labels?.[PART_OF_LABEL];
  return other && other !== id ? other : undefined;
}

export interface StatusCause {
  readonly type?: string;
  readonly message?: string;
  readonly field?: string;
}

/** Pure: a 409 of server-side apply, as a person reads it: each field and the manager that owns it. */
export function describeConflicts(
  object: KubeObject,
  message: string,
  causes: readonly StatusCause[],
): string {
  const conflicts = causes
    .filter((c) => c.type === 'FieldManagerConflict' || c.field)
    .map((c) => {
      const manager = /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1];
      return `${c.field ?? '(a field)'} is owned by ${manager ? `"${manager}"` : (c.message ?? 'another manager')}`;
    });
  const what = conflicts.length ? conflicts.join('; ') : message;
  return `${describeObject(object)}: conflict: ${what}. Remove the field from the manifest, let that manager stop setting it, or set force-conflicts: true to take it over.`;
}

export { groupKind };
