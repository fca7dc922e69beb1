// The EKS side of `preview: cleanup`: the namespaces labelled as previews of the base namespace for this
// repository, named exactly `<base>-pr-<N>` for the PR their label gives. A namespace with the name but
// not the labels (or the labels but another name) is someone else's and is never listed.
import type { ManifestKubeApi } from '../eks/kube-client.ts';
import type { KubeObject } from '../eks/manifests/objects.ts';
import type { FoundPreview } from './cleanup.ts';
import {
  PREVIEW_OF_LABEL,
  PREVIEW_PR_LABEL,
  PREVIEW_REPOSITORY_LABEL,
  previewNamespace,
  repositoryLabelValue,
} from './eks-names.ts';

/** Pure: the label selector that finds this repository's previews of `base`. */
export function eksPreviewSelector(base: string, repository: string): string {
  return `${PREVIEW_OF_LABEL}=${base},${PREVIEW_REPOSITORY_LABEL}=${repositoryLabelValue(repository)}`;
}

/** Pure: the PR of a preview namespace of `base` in `repository`, or undefined when it is not one of ours. */
export function eksPreviewOf(base: string, repository: string, namespace: KubeObject): number | undefined {
  const labels = namespace.metadata.labels ?? {};
  if (labels[PREVIEW_OF_LABEL] !== base) return undefined;
  if (labels[PREVIEW_REPOSITORY_LABEL] !== repositoryLabelValue(repository)) return undefined;
  const value = labels[PREVIEW_PR_LABEL] ?? '';
  if (!/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const pr = Number(value);
  try {
    return previewNamespace(base, pr) === namespace.metadata.name ? pr : undefined;
  } catch {
    return undefined;
  }
}

/** Lists the cluster's namespaces by the preview labels (one call; the API server filters). */
export async function listEksPreviews(
  kube: Pick<ManifestKubeApi, 'get'>,
  base: string,
  repository: string,
): Promise<FoundPreview[]> {
  const selector = encodeURIComponent(eksPreviewSelector(base, repository));
  let list: { items?: KubeObject[] };
  try {
    list = await kube.get<{ items?: KubeObject[] }>(`/api/v1/namespaces?labelSelector=${selector}`);
  } catch (error) {
    throw new Error(`Listing the preview namespaces of ${base}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const found: FoundPreview[] = [];
  for (const ns of list.items ?? []) {
    const pr = eksPreviewOf(base, repository, ns);
    if (pr !== undefined) found.push({ pr, what: `namespace ${ns.metadata.name}` });
  }
  return found.sort((a, b) => a.pr - b.pr);
}
