// Kubernetes object model shared by the sandbox API server, controllers and pod runtime: the resource table
// (group/version/kind/plural, namespaced), `Status` bodies as the API conventions define them, and helpers.
// https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md
import { randomBytes, randomUUID } from 'node:crypto';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  generateName?: string;
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Json;
  status?: Json;
  [key: string]: unknown;
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Objects with a spec get metadata.generation bumped on spec changes. */
  hasGeneration: boolean;
  /** Storage key: events.k8s.io/v1 events are stored as core v1 events and converted on the way out. */
  storage: string;
}

export const RESOURCES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    hasGeneration: false,
    storage: 'namespaces',
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    hasGeneration: false,
    storage: 'pods',
  },
  {
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    hasGeneration: false,
    storage: 'events',
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    hasGeneration: false,
    storage: 'events',
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    hasGeneration: true,
    storage: 'deployments',
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
    hasGeneration: true,
    storage: 'replicasets',
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
    hasGeneration: true,
    storage: 'statefulsets',
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
    hasGeneration: true,
    storage: 'daemonsets',
  },
  ...(
    [
      ['', 'v1', 'Service', 'services', true, false],
      ['', 'v1', 'ConfigMap', 'configmaps', true, false],
      ['', 'v1', 'Secret', 'secrets', true, false],
      ['', 'v1', 'ServiceAccount', 'serviceaccounts', true, false],
      ['', 'v1', 'Node', 'nodes', false, false],
      ['networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, true],
      ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, false],
      ['apps', 'v1', 'ControllerRevision', 'controllerrevisions', true, false],
      ['batch', 'v1', 'Job', 'jobs', true, true],
      ['batch', 'v1', 'CronJob', 'cronjobs', true, true],
    ] as const
  ).map(([group, version, kind, plural, namespaced, hasGeneration]) => ({
    group,
    version,
    kind,
    plural,
    namespaced,
    hasGeneration,
    storage: plural,
  })),
];

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `deployments.apps`, `pods`: how messages name a resource. */
export function qualifiedResource(r: { group: string; plural: string }): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function storageType(storage: string): ResourceType {
  return RESOURCES.find((r) => r.storage === storage && r.group !== 'events.k8s.io')!;
}

export function nowIso(): string {
  // Kubernetes metav1.Time has second precision (RFC 3339).
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function newUid(): string {
  return randomUUID();
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Random suffix as `generateName` / the ReplicaSet controller produce (k8s.io/apimachinery rand.String). */
export function randomSuffix(n = 5): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length];
  return s;
}

/** FNV-1a 32-bit, then SafeEncodeString: how the Deployment controller names pod-template-hash. */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const text = JSON.stringify(canonical(template)) + (collisionCount ? String(collisionCount) : '');
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = '';
  for (const ch of String(h)) out += SUFFIX_ALPHABET[ch.charCodeAt(0) % SUFFIX_ALPHABET.length];
  return out;
}

/** Deterministic JSON form: keys sorted, used for hashing and equality. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: unknown[] };
  code: number;
}

/** An API error carrying the `Status` body the API server answers with. */
export class ApiError extends Error {
  readonly status: StatusBody;
  constructor(code: number, reason: string, message: string, details?: StatusBody['details']) {
    super(message);
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
}

export function notFound(r: ResourceType, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.plural,
  });
}

export function alreadyExists(r: ResourceType, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(r)} "${name}" already exists`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.plural,
  });
}

export function conflict(r: ResourceType, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, ...(r.group ? { group: r.group } : {}), kind: r.plural },
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function invalid(r: ResourceType, name: string, field: string, detail: string): ApiError {
  const kind = r.group ? `${r.kind}.${r.group}` : r.kind;
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${field}: ${detail}`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.kind,
    causes: [{ reason: 'FieldValueInvalid', message: detail, field }],
  });
}
