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
    case 'StatefulSet':
    case 'DaemonSet':
      o.spec ??= {};
      if (r.kind !== 'DaemonSet') o.spec.replicas ??= 1;
      defaultPodSpec(o.spec.template?.spec);
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
}

export function unsupportedMediaType(type: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type})`,
  );
}
