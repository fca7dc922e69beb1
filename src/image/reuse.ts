import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BuildInputs } from './types.ts';

/** The label that records which build inputs produced an image; with the revision label it keys reuse. */
export const BUILD_INPUTS_LABEL = 'ecr-deploy.build-inputs';
export const REVISION_LABEL = 'org.opencontainers.image.revision';

/**
 * Pure: a hash of everything besides the commit that changes what gets built: the checked-out commit, the
 * Dockerfile's path and content, build arguments (names and values, in order), target and platforms. Secrets are left out on
 * purpose: a hash of a secret would be published in the image's labels.
 */
export function buildInputsHash(
  build: Pick<BuildInputs, 'dockerfile' | 'context' | 'buildArgs' | 'target' | 'platforms'>,
  dockerfileContent: string,
  workspace: string,
  checkedOut = '',
): string {
  const canonical = JSON.stringify({
    v: 1,
    // The commit the workspace holds (GITHUB_SHA): a pull request builds its merge commit, which is not
    // the head commit the image is labelled with, so its image is reused only for the same merge.
    checkedOut,
    dockerfile: path.relative(workspace, build.dockerfile).split(path.sep).join('/'),
    context: path.relative(workspace, build.context).split(path.sep).join('/') || '.',
    content: dockerfileContent,
    buildArgs: build.buildArgs.map((a) => [a.name, a.value]),
    target: build.target ?? null,
    platforms: [...build.platforms].sort(),
  });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

export type ReuseVerdict = { readonly reuse: true } | { readonly reuse: false; readonly reason: string };

/** Pure: may the image carrying these labels stand in for a build of this commit with these inputs? */
export function judgeReuse(
  labels: Readonly<Record<string, string>> | undefined,
  expected: { readonly revision: string; readonly hash: string },
): ReuseVerdict {
  const revision = labels?.[REVISION_LABEL];
  const hash = labels?.[BUILD_INPUTS_LABEL];
  if (revision !== expected.revision) {
    return {
      reuse: false,
      reason: revision
        ? `the image under this commit's tag was built from ${revision}, not ${expected.revision}`
        : "the image under this commit's tag carries no revision label (not built by this action)",
    };
  }
  if (hash !== expected.hash) {
    return {
      reuse: false,
      reason: hash
        ? 'the build inputs changed since it was built (Dockerfile, build-args, target or platforms)'
        : 'the image for this commit carries no build-inputs label (not built by this action)',
    };
  }
  return { reuse: true };
}
