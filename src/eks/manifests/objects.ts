// What a manifest is once read: a Kubernetes object and where it came from. Types and small pure helpers.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** An object and the place it was read from (`k8s/app.yaml:12`), for messages. */
export interface SourcedObject {
  readonly object: KubeObject;
  readonly source: string;
}

/** A manifest that cannot be used; the message names the file (and line) and the fix. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `Deployment.apps`, `ConfigMap`: the group-kind as the ApplySet annotations spell it. */
export function groupKind(object: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const group = groupOf(object.apiVersion);
  return group ? `${object.kind}.${group}` : object.kind;
}

/** `web/Deployment.apps/api`, a key that tells objects apart (namespace empty when cluster-scoped). */
export function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${groupKind(object)}/${object.metadata.name}`;
}

/** For messages: `Deployment web/api`, `Namespace shop`. */
export function describeObject(object: KubeObject): string {
  const ns = object.metadata.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata.name}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cluster-scoped kinds of the built-in API groups; anything else is asked of discovery. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'CSIDriver',
]);

/** The REST resource (plural) of the built-in kinds, by group-kind. */
export const BUILT_IN_RESOURCES: Readonly<Record<string, string>> = {
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  Service: 'services',
  Pod: 'pods',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  PersistentVolume: 'persistentvolumes',
  LimitRange: 'limitranges',
  ResourceQuota: 'resourcequotas',
  Endpoints: 'endpoints',
  'Deployment.apps': 'deployments',
  'StatefulSet.apps': 'statefulsets',
  'DaemonSet.apps': 'daemonsets',
  'ReplicaSet.apps': 'replicasets',
  'Job.batch': 'jobs',
  'CronJob.batch': 'cronjobs',
  'HorizontalPodAutoscaler.autoscaling': 'horizontalpodautoscalers',
  'Ingress.networking.k8s.io': 'ingresses',
  'NetworkPolicy.networking.k8s.io': 'networkpolicies',
  'IngressClass.networking.k8s.io': 'ingressclasses',
  'Role.rbac.authorization.k8s.io': 'roles',
  'RoleBinding.rbac.authorization.k8s.io': 'rolebindings',
  'ClusterRole.rbac.authorization.k8s.io': 'clusterroles',
  'ClusterRoleBinding.rbac.authorization.k8s.io': 'clusterrolebindings',
  'PodDisruptionBudget.policy': 'poddisruptionbudgets',
  'StorageClass.storage.k8s.io': 'storageclasses',
  'PriorityClass.scheduling.k8s.io': 'priorityclasses',
  'CustomResourceDefinition.apiextensions.k8s.io': 'customresourcedefinitions',
};
