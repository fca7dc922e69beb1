// The `pr-<N>` tag in ECR when a preview is torn down. BatchDeleteImage by tag removes only that tag while
// other tags (`sha-…`, a release) still point to the image; only an image left with no tag goes with it. So
// the tag alone is named, never the digest.
import { BatchDeleteImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { errorName } from '../aws/errors.ts';

export interface PreviewTagOptions {
  readonly ecr: Pick<ECRClient, 'send'>;
  readonly repository: string;
  /** Account id of the registry; undefined = the caller's own. */
  readonly registryId: string | undefined;
  readonly pr: number;
  readonly dryRun?: boolean;
}

export type PreviewTagOutcome =
  | { readonly kind: 'removed'; readonly line: string }
  | { readonly kind: 'gone'; readonly line: string }
  | { readonly kind: 'would-remove'; readonly line: string }
  /** Not removed; the teardown goes on and warns with this text. */
  | { readonly kind: 'not-removed'; readonly line: string; readonly warning: string };

const DENIED = new Set(['AccessDeniedException', 'AccessDenied']);
const NO_REPOSITORY = new Set(['RepositoryNotFoundException']);

export function previewTag(pr: number): string {
  return `pr-${pr}`;
}

/** Removes the PR's tag from the repository (only the tag: other tags keep the image). */
export async function deletePreviewTag(options: PreviewTagOptions): Promise<PreviewTagOutcome> {
  const tag = previewTag(options.pr);
  const what = `image tag ${options.repository}:${tag}`;
  if (options.dryRun) return { kind: 'would-remove', line: `dry run — would remove ${what}` };
  try {
    const out = await options.ecr.send(
      new BatchDeleteImageCommand({
        repositoryName: options.repository,
        ...(options.registryId ? { registryId: options.registryId } : {}),
        imageIds: [{ imageTag: tag }],
      }),
    );
    if ((out.imageIds ?? []).some((id) => id.imageTag === tag))
      return { kind: 'removed', line: `${what}: removed` };
    const failure = out.failures?.find((f) => f.imageId?.imageTag === tag) ?? out.failures?.[0];
    if (!failure || failure.failureCode === 'ImageNotFound')
      return { kind: 'gone', line: `${what}: already gone` };
    const why = `${failure.failureCode ?? 'failure'}: ${failure.failureReason ?? ''}`.trim();
    return {
      kind: 'not-removed',
      line: `${what}: NOT removed — ${why}`,
      warning: `Could not remove ${what} (${why}); remove it by hand or let a lifecycle policy expire it.`,
    };
  } catch (error) {
    const name = errorName(error);
    if (name && NO_REPOSITORY.has(name)) {
      return { kind: 'gone', line: `${what}: already gone (no repository ${options.repository})` };
    }
    const message = (error as Error).message;
    const hint =
      name && DENIED.has(name)
        ? ` Allow ecr:BatchDeleteImage on the repository ${options.repository} for this role.`
        : '';
    return {
      kind: 'not-removed',
      line: `${what}: NOT removed — ${name ? `${name}: ` : ''}${message}`,
      warning: `Could not remove ${what}: ${message}.${hint} The rest of the preview is removed all the same.`,
    };
  }
}
