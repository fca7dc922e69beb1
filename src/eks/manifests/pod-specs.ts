// Pure: where the containers of each workload kind live, and the workload kinds the step waits for.
import { isRecord, type KubeObject } from './objects.ts';

/** The kinds whose rollout is waited for (Deployments, StatefulSets, DaemonSets; Jobs to completion). */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment.apps',
  'StatefulSet.apps',
  'DaemonSet.apps',
  'Job.batch',
]);

function at(object: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let value: unknown = object;
  for (const p of path) value = isRecord(value) ? value[p] : undefined;
  return isRecord(value) ? value : undefined;
}

/** The pod template's metadata path, per kind (none for a bare Pod). */
export function templatePath(kind: string): readonly string[] | undefined {
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return ['spec', 'template'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template'];
    default:
      return undefined;
  }
}

/** The object's pod spec (live, not a copy): a bare Pod's spec, or the pod template's spec. */
export function podSpecOf(object: KubeObject): Record<string, unknown> | undefined {
  if (object.kind === 'Pod') return at(object, ['spec']);
  const path = templatePath(object.kind);
  return path ? at(object, [...path, 'spec']) : undefined;
}

export interface ContainerRef {
  name: string;
  image?: string;
  [key: string]: unknown;
}

/** Every container of the pod spec, init containers included (live records, to read or to change). */
export function containersOf(object: KubeObject): ContainerRef[] {
  const spec = podSpecOf(object);
  if (!spec) return [];
  return [spec.initContainers, spec.containers, spec.ephemeralContainers].flatMap((list) =>
    Array.isArray(list)
      ? (list.filter((c) => isRecord(c) && typeof c.name === 'string') as ContainerRef[])
      : [],
  );
}
