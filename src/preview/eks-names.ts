// Pure: the namespace of a PR's EKS preview and the manifests rewritten into it. Deterministic: the same base
// namespace and PR number give the same namespace on every run, so re-runs and the teardown find it again.
import { describeObject, type KubeObject, type SourcedObject } from '../eks/manifests/objects.ts';
import { fitName } from './names.ts';

/** Kubernetes namespace names are DNS labels (RFC 1123): at most 63 characters. */
export const NAMESPACE_NAME_MAX = 63;
/** The PR number on the preview namespace and on every object applied into it. */
export const PREVIEW_PR_LABEL = 'ecr-deploy.dev/preview-pr';
/** The base namespace the preview namespace is a preview of. */
export const PREVIEW_OF_LABEL = 'ecr-deploy.dev/preview-of';

/** The repository (`owner.name`, as a label value) whose PR the preview namespace is. */
export const PREVIEW_REPOSITORY_LABEL = 'ecr-deploy.dev/preview-repository';
/** The same, spelled `owner/name` (a label value cannot hold a slash). */
export const PREVIEW_REPOSITORY_ANNOTATION = 'ecr-deploy.dev/repository';

/**
 * Pure: `owner/name` as a label value (63 characters of letters, digits, `-_.`, alphanumeric at both ends):
 * lower case (GitHub names are case-insensitive), `/` → `.` (an owner has no dot, so it stays unambiguous),
 * shortened with a hash when too long.
 */
export function repositoryLabelValue(repository: string): string {
  const value = repository
    .toLowerCase()
    .replace('/', '.')
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return fitName(value, '', 63);
}

export class PreviewManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewManifestError';
  }
}

/**
 * Pure: `<base>-pr-<N>`, shortened to a DNS label (a hash of the whole base keeps two long bases apart).
 * Refuses a result equal to the base: a preview never deploys into the base namespace.
 */
export function previewNamespace(base: string, pr: number): string {
  const name = fitName(base, `-pr-${pr}`, NAMESPACE_NAME_MAX).replace(/^-+/, '');
  if (name === base)
    throw new PreviewManifestError(
      `the preview namespace ${name} is the base namespace; nothing is applied.`,
    );
  return name;
}

/** Pure: the labels of the preview namespace itself. */
export function previewNamespaceObject(name: string, base: string, pr: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [PREVIEW_PR_LABEL]: String(pr), [PREVIEW_OF_LABEL]: base } },
  };
}

export interface PreviewRewrite {
  readonly namespace: string;
  readonly base: string;
  readonly pr: number;
  /** The host of `preview-url`; undefined: Ingress hosts are left as they are. */
  readonly host: string | undefined;
}

function rewriteIngressHosts(object: KubeObject, host: string): void {
  const spec = object.spec as { rules?: { host?: string }[]; tls?: { hosts?: string[] }[] } | undefined;
  for (const rule of spec?.rules ?? []) rule.host = host;
  for (const tls of spec?.tls ?? []) if (tls.hosts) tls.hosts = tls.hosts.map(() => host);
}

/**
 * Pure: the manifests as a preview applies them: every namespaced object moved into the preview namespace
 * and labelled with the PR, Ingress hosts set to the preview's host. A cluster-scoped object is refused
 * (the error names it): a preview never touches what other namespaces share.
 */
export function rewriteForPreview(
  objects: readonly SourcedObject[],
  rewrite: PreviewRewrite,
  isNamespaced: (object: KubeObject) => boolean,
): SourcedObject[] {
  if (rewrite.namespace === rewrite.base)
    throw new PreviewManifestError(`the preview namespace ${rewrite.namespace} is the base namespace.`);
  const shared = objects.filter((o) => !isNamespaced(o.object));
  if (shared.length > 0) {
    throw new PreviewManifestError(
      `a preview applies namespaced objects only; the manifests have cluster-scoped ${shared
        .map((o) => `${describeObject(o.object)} (${o.source})`)
        .join(', ')}. Remove ${shared.length > 1 ? 'them' : 'it'} from the manifests a preview applies.`,
    );
  }
  return objects.map(({ object, source }) => {
    const copy = structuredClone(object);
    copy.metadata.namespace = rewrite.namespace;
    copy.metadata.labels = { ...copy.metadata.labels, [PREVIEW_PR_LABEL]: String(rewrite.pr) };
    if (rewrite.host && copy.kind === 'Ingress') rewriteIngressHosts(copy, rewrite.host);
    return { object: copy, source };
  });
}
