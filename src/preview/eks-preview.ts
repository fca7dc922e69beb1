// A PR's EKS preview: the manifests applied into the namespace `<namespace>-pr-<N>` (made if missing, labelled
// so it can be found again), through the manifests target with a rewrite of every object. Nothing changes
// before the image is built: a namespace that is someone else's, or a cluster-scoped object in the manifests,
// stops the step while it is being prepared; the namespace is made just before the first object is applied.
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { Clock } from '../deploy/clock.ts';
import type { Log } from '../deploy/log.ts';
import type { TargetPort } from '../deploy/target.ts';
import type { EksTargetInputs, ManifestsInputs } from '../deploy/types.ts';
import { KubeApiError, type ManifestKubeApi } from '../eks/kube-client.ts';
import { prepareManifestsTarget } from '../eks/manifests-target.ts';
import {
  ManifestError,
  describeObject,
  objectKey,
  type KubeObject,
  type SourcedObject,
} from '../eks/manifests/objects.ts';
import { FIELD_MANAGER } from '../eks/manifests/plan.ts';
import {
  PREVIEW_OF_LABEL,
  PREVIEW_PR_LABEL,
  PREVIEW_REPOSITORY_ANNOTATION,
  PREVIEW_REPOSITORY_LABEL,
  PreviewManifestError,
  previewNamespace,
  previewNamespaceObject,
  repositoryLabelValue,
  rewriteForPreview,
} from './eks-names.ts';
import { renderPreviewUrl } from './names.ts';
import type { PreviewInputs } from './types.ts';

export interface PreviewNamespaceIdentity {
  readonly base: string;
  readonly pr: number;
  /** `owner/name`. */
  readonly repository: string;
}

/** Pure: the preview namespace as applied: the PR, the base namespace and the repository on it. */
export function previewNamespaceManifest(name: string, who: PreviewNamespaceIdentity): KubeObject {
  const object = previewNamespaceObject(name, who.base, who.pr);
  object.metadata.labels = {
    ...object.metadata.labels,
    [PREVIEW_REPOSITORY_LABEL]: repositoryLabelValue(who.repository),
  };
  object.metadata.annotations = { [PREVIEW_REPOSITORY_ANNOTATION]: who.repository };
  return object;
}

/**
 * Pure: why a namespace that already exists is not this PR's preview (another PR's, another base's, another
 * repository's, or nobody's preview at all), or undefined when it is.
 */
export function notOurNamespace(live: KubeObject, who: PreviewNamespaceIdentity): string | undefined {
  const labels = live.metadata.labels ?? {};
  const expected: [string, string][] = [
    [PREVIEW_PR_LABEL, String(who.pr)],
    [PREVIEW_OF_LABEL, who.base],
    [PREVIEW_REPOSITORY_LABEL, repositoryLabelValue(who.repository)],
  ];
  const wrong = expected.filter(([key, value]) => labels[key] !== value);
  if (wrong.length === 0) return undefined;
  return wrong
    .map(([key, value]) =>
      labels[key] === undefined
        ? `${key} is missing (expected "${value}")`
        : `${key} is "${labels[key]}", not "${value}"`,
    )
    .join('; ');
}

export interface PreviewObjectsOptions extends PreviewNamespaceIdentity {
  readonly namespace: string;
  /** The host of `preview-url`; undefined: Ingress hosts stay as they are. */
  readonly host: string | undefined;
}

/**
 * Pure: the objects a preview applies: the manifests rewritten into the preview namespace (cluster-scoped
 * objects refused, naming them; RoleBinding subjects that are ServiceAccounts of the manifests' namespaces
 * moved along), two objects that become one there refused, and the preview namespace itself
 * first, so it is part of what the step applies (and its ApplySet) on every run.
 */
export function previewObjects(
  objects: readonly SourcedObject[],
  isNamespaced: (object: KubeObject) => boolean,
  options: PreviewObjectsOptions,
): SourcedObject[] {
  let rewritten: SourcedObject[];
  try {
    rewritten = rewriteForPreview(objects, options, isNamespaced);
  } catch (error) {
    if (error instanceof PreviewManifestError) throw new ManifestError(error.message);
    throw error;
  }
  // A RoleBinding's ServiceAccounts that come with the manifests move with them: the preview's pods get the
  // rights, not the base's ServiceAccount in the preview namespace.
  const moved = new Set(objects.map((o) => o.object.metadata.namespace).filter((n): n is string => !!n));
  for (const { object } of rewritten) {
    if (object.kind !== 'RoleBinding') continue;
    const subjects = (object as { subjects?: { kind?: string; namespace?: string }[] }).subjects ?? [];
    for (const subject of subjects)
      if (subject.kind === 'ServiceAccount' && subject.namespace && moved.has(subject.namespace))
        subject.namespace = options.namespace;
  }
  const seen = new Map<string, string>();
  for (const { object, source } of rewritten) {
    const key = objectKey(object);
    const before = seen.get(key);
    if (before) {
      throw new ManifestError(
        `${describeObject(object)} would be there twice in the preview namespace (${before} and ${source}): a preview puts every object into one namespace.`,
      );
    }
    seen.set(key, source);
  }
  return [
    { object: previewNamespaceManifest(options.namespace, options), source: 'the preview namespace' },
    ...rewritten,
  ];
}

export interface EksPreviewOptions {
  readonly kube: ManifestKubeApi;
  readonly target: EksTargetInputs & { readonly manifests: ManifestsInputs };
  readonly preview: PreviewInputs;
  readonly pr: number;
  /** `owner/name` of the repository whose PR this is. */
  readonly repository: string;
  readonly clock: Clock;
  readonly log: Log;
  readonly repositoryUri: string;
  readonly runUrl: string;
}

export interface PreparedEksPreview {
  readonly namespace: string;
  // The driver never mixes two ports' types; this one goes straight to it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly port: TargetPort<any, any, any>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Pure: the preview namespace of the target, or the input error saying why there is none. */
export function namespaceOf(base: string, pr: number): string {
  try {
    return previewNamespace(base, pr);
  } catch (error) {
    if (error instanceof PreviewManifestError) throw new InputError(Input.Namespace, error.message);
    throw error;
  }
}

/**
 * Reads what is there and checks every object (the manifests target's server-side dry run) in the preview
 * namespace. Nothing is changed here; the namespace is made (or its labels kept) right before the apply.
 */
export async function prepareEksPreview(options: EksPreviewOptions): Promise<PreparedEksPreview> {
  const { kube, target, preview, pr, repository, log } = options;
  const base = target.namespace;
  const namespace = namespaceOf(base, pr);
  const who = { base, pr, repository };
  let live: KubeObject | undefined;
  try {
    live = await kube.get<KubeObject>(`/api/v1/namespaces/${namespace}`);
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404))
      throw new Error(`Reading namespace ${namespace}: ${message(error)}`, { cause: error });
  }
  if (live) {
    const phase = (live.status as { phase?: string } | undefined)?.phase;
    const foreign = notOurNamespace(live, who);
    if (foreign) {
      throw new InputError(
        Input.Namespace,
        `the preview namespace ${namespace} exists and is not the preview of PR #${pr} of ${base} in ${repository} (${foreign}); nothing is applied. Remove that namespace or choose another base namespace.`,
      );
    }
    if (phase === 'Terminating') {
      throw new Error(
        `Namespace ${namespace} is being deleted (phase Terminating, from an earlier teardown); nothing is applied. Run the step again once it is gone.`,
      );
    }
    log.info(`Preview namespace ${namespace} exists: the manifests are applied into it again.`);
  } else {
    log.info(
      `Preview namespace ${namespace} does not exist yet: it is made before the first object is applied.`,
    );
  }
  const host = preview.urlTemplate ? renderPreviewUrl(preview.urlTemplate, pr).host : undefined;
  const port = await prepareManifestsTarget({
    target: { ...target, namespace, manifests: { ...target.manifests, prune: true } },
    kube,
    clock: options.clock,
    log,
    repositoryUri: options.repositoryUri,
    runUrl: options.runUrl,
    transform: (objects, isNamespaced) => previewObjects(objects, isNamespaced, { ...who, namespace, host }),
  });
  const applyNamespace = async () => {
    try {
      await kube.patch(
        `/api/v1/namespaces/${namespace}?fieldManager=${FIELD_MANAGER}&force=true`,
        previewNamespaceManifest(namespace, who),
        'apply',
      );
    } catch (error) {
      throw new Error(`Making the preview namespace ${namespace}: ${message(error)} (nothing was applied)`, {
        cause: error,
      });
    }
  };
  return {
    namespace,
    port: {
      ...port,
      async beforeApply(items) {
        // The ApplySet parent lives in the namespace: it must exist before the parent is written.
        await applyNamespace();
        try {
          await port.beforeApply?.(items);
        } catch (error) {
          if (live) throw error;
          // A new preview that could not be applied: its namespace goes again, nothing is left half-made.
          let undo: string;
          try {
            await kube.delete(`/api/v1/namespaces/${namespace}`, {
              apiVersion: 'v1',
              kind: 'DeleteOptions',
              propagationPolicy: 'Background',
            });
            undo = `the new preview namespace ${namespace} is deleted again`;
          } catch (deleteError) {
            undo = `the new preview namespace ${namespace} could not be deleted again (${message(deleteError)}); the teardown on closed removes it`;
          }
          throw new Error(`${message(error)}; ${undo}`, { cause: error });
        }
      },
    },
  };
}
