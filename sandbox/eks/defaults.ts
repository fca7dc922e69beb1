// Defaulting and validation applied on every write, as the API server's registry strategies do
// (pkg/apis/apps/v1/defaults.go, pkg/apis/core/v1/defaults.go; a subset of validation).
import { ApiError, deepEqual, invalid, type Json, type KObject, type ResourceType } from './model.ts';
import { labelsMatch, selectorRequirements } from './store.ts';

function defaultProbe(p: Json): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
}

function defaultContainer(c: Json): void {
  const image: string = c.image ?? '';
  const lastPart = image.split('/').pop() ?? '';
  const tagged = lastPart.includes(':') || image.includes('@');
  const latest = !tagged || (lastPart.endsWith(':latest') && !image.includes('@'));
  c.imagePullPolicy ??= latest ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
}

export function defaultPodSpec(spec: Json): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
}

/** A stable address in the service CIDR (10.100.0.0/16, as EKS uses) for a Service. */
function serviceIp(seed: string): string {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.100.${(h >>> 8) % 256}.${(h % 254) + 1}`;
}

/**
 * Job defaults (pkg/apis/batch/v1/defaults.go) and the generated selector: unless `manualSelector`, the
 * selector is `batch.kubernetes.io/controller-uid: <uid>` and the template carries that and the job name.
 */
function defaultJobSpec(o: KObject): void {
  o.spec ??= {};
  const spec = o.spec;
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  spec.manualSelector ??= undefined;
  if (spec.manualSelector === undefined) Reflect.deleteProperty(spec, 'manualSelector');
  spec.template ??= {};
  spec.template.metadata ??= {};
  if (!spec.manualSelector && o.metadata.uid) {
    const uid = o.metadata.uid;
    spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    spec.template.metadata.labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': o.metadata.name,
      'controller-uid': uid,
      'job-name': o.metadata.name,
      ...(spec.template.metadata.labels ?? {}),
    };
  }
  defaultPodSpec(spec.template.spec);
}

export function applyDefaults(r: ResourceType, o: KObject): void {
  switch (r.kind) {
    case 'Deployment': {
      o.spec ??= {};
      o.spec.replicas ??= 1;
      o.spec.revisionHistoryLimit ??= 10;
      o.spec.progressDeadlineSeconds ??= 600;
      o.spec.strategy ??= {};
      o.spec.strategy.type ??= 'RollingUpdate';
      if (o.spec.strategy.type === 'RollingUpdate') {
        o.spec.strategy.rollingUpdate ??= {};
        o.spec.strategy.rollingUpdate.maxSurge ??= '25%';
        o.spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      }
      defaultPodSpec(o.spec.template?.spec);
      break;
    }
    case 'ReplicaSet':
      o.spec ??= {};
      o.spec.replicas ??= 1;
      defaultPodSpec(o.spec.template?.spec);
      break;
    case 'StatefulSet': {
      o.spec ??= {};
      o.spec.replicas ??= 1;
      o.spec.podManagementPolicy ??= 'OrderedReady';
      o.spec.revisionHistoryLimit ??= 10;
      o.spec.updateStrategy ??= {};
      o.spec.updateStrategy.type ??= 'RollingUpdate';
      if (o.spec.updateStrategy.type === 'RollingUpdate') {
        o.spec.updateStrategy.rollingUpdate ??= {};
        o.spec.updateStrategy.rollingUpdate.partition ??= 0;
      }
      o.spec.persistentVolumeClaimRetentionPolicy ??= {};
      o.spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
      o.spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
      defaultPodSpec(o.spec.template?.spec);
      break;
    }
    case 'DaemonSet':
      o.spec ??= {};
      o.spec.revisionHistoryLimit ??= 10;
      o.spec.updateStrategy ??= {};
      o.spec.updateStrategy.type ??= 'RollingUpdate';
      if (o.spec.updateStrategy.type === 'RollingUpdate') {
        o.spec.updateStrategy.rollingUpdate ??= {};
        o.spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
        o.spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
      }
      defaultPodSpec(o.spec.template?.spec);
      break;
    case 'Job':
      defaultJobSpec(o);
      break;
    case 'CronJob':
      o.spec ??= {};
      o.spec.concurrencyPolicy ??= 'Allow';
      o.spec.suspend ??= false;
      o.spec.successfulJobsHistoryLimit ??= 3;
      o.spec.failedJobsHistoryLimit ??= 1;
      o.spec.jobTemplate ??= {};
      o.spec.jobTemplate.spec ??= {};
      defaultPodSpec(o.spec.jobTemplate.spec.template?.spec);
      break;
    case 'Service': {
      o.spec ??= {};
      o.spec.type ??= 'ClusterIP';
      o.spec.sessionAffinity ??= 'None';
      if (o.spec.type !== 'ExternalName') {
        o.spec.clusterIP ??= serviceIp(o.metadata.uid ?? o.metadata.name);
        o.spec.clusterIPs ??= [o.spec.clusterIP];
        o.spec.ipFamilies ??= ['IPv4'];
        o.spec.ipFamilyPolicy ??= 'SingleStack';
        o.spec.internalTrafficPolicy ??= 'Cluster';
      }
      for (const port of o.spec.ports ?? []) {
        port.protocol ??= 'TCP';
        port.targetPort ??= port.port;
      }
      break;
    }
    case 'HorizontalPodAutoscaler': {
      o.spec ??= {};
      o.spec.minReplicas ??= 1;
      o.spec.metrics ??= [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ];
      break;
    }
    case 'Secret':
      o.type ??= 'Opaque';
      break;
    case 'Pod':
      defaultPodSpec(o.spec);
      break;
    case 'Namespace':
      o.spec ??= { finalizers: ['kubernetes'] };
      o.status ??= { phase: 'Active' };
      break;
  }
}

function validateContainers(r: ResourceType, name: string, field: string, containers: Json): void {
  if (!Array.isArray(containers) || containers.length === 0) {
    throw invalid(r, name, field, 'Required value');
  }
  containers.forEach((c: Json, i: number) => {
    if (!c?.name) throw invalid(r, name, `${field}[${i}].name`, 'Required value');
    if (!c?.image) throw invalid(r, name, `${field}[${i}].image`, 'Required value');
  });
}

export function validate(r: ResourceType, o: KObject, old?: KObject): void {
  const name = o.metadata.name;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw invalid(
      r,
      name,
      'metadata.name',
      `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    );
  }
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(r.kind)) {
    const selector = o.spec?.selector;
    if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
      throw invalid(r, name, 'spec.selector', 'Required value');
    }
    const labels = o.spec?.template?.metadata?.labels;
    if (!labelsMatch(labels, selectorRequirements(selector))) {
      throw invalid(
        r,
        name,
        'spec.template.metadata.labels',
        `Invalid value: ${JSON.stringify(labels ?? {})}: \`selector\` does not match template \`labels\``,
      );
    }
    validateContainers(r, name, 'spec.template.spec.containers', o.spec?.template?.spec?.containers);
    if (old && !deepEqual(old.spec?.selector, selector)) {
      throw invalid(
        r,
        name,
        'spec.selector',
        `Invalid value: ${JSON.stringify(selector)}: field is immutable`,
      );
    }
    if (typeof o.spec.replicas === 'number' && o.spec.replicas < 0) {
      throw invalid(
        r,
        name,
        'spec.replicas',
        `Invalid value: ${o.spec.replicas}: must be greater than or equal to 0`,
      );
    }
  }
  if (r.kind === 'Pod') validateContainers(r, name, 'spec.containers', o.spec?.containers);
  if (r.kind === 'Job') {
    validateContainers(r, name, 'spec.template.spec.containers', o.spec?.template?.spec?.containers);
    const policy = o.spec?.template?.spec?.restartPolicy;
    if (policy !== 'Never' && policy !== 'OnFailure')
      throw invalid(
        r,
        name,
        'spec.template.spec.restartPolicy',
        `Unsupported value: "${String(policy)}": supported values: "OnFailure", "Never"`,
      );
    if (old && !deepEqual(old.spec?.template, o.spec?.template))
      throw invalid(
        r,
        name,
        'spec.template',
        `Invalid value: ${JSON.stringify(o.spec.template)}: field is immutable`,
      );
  }
  if (r.kind === 'Service' && old && old.spec?.clusterIP && o.spec?.clusterIP !== old.spec.clusterIP)
    throw invalid(r, name, 'spec.clusterIPs[0]', 'Invalid value: []string(nil): may not change once set');
  if (r.kind === 'HorizontalPodAutoscaler') {
    const max = o.spec?.maxReplicas;
    if (!Number.isInteger(max) || max < 1)
      throw invalid(
        r,
        name,
        'spec.maxReplicas',
        `Invalid value: ${JSON.stringify(max)}: must be greater than or equal to 1`,
      );
    if (!o.spec?.scaleTargetRef?.kind || !o.spec?.scaleTargetRef?.name)
      throw invalid(r, name, 'spec.scaleTargetRef.name', 'Required value');
  }
}

export function unsupportedMediaType(type: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type})`,
  );
}
