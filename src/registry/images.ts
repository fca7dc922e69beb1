import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  PutImageCommand,
  type ECRClient,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { describeAwsError, errorName } from '../aws/errors.ts';
import type { EcrRepository } from './repository.ts';

function where(repo: EcrRepository) {
  return { repositoryName: repo.name, registryId: repo.registryId };
}

/** The digest each existing tag points at; tags that do not exist are absent. One call for all tags. */
export async function findTags(
  ecr: ECRClient,
  repo: EcrRepository,
  tags: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (tags.length === 0) return found;
  let details: ImageDetail[] = [];
  try {
    const out = await ecr.send(
      new DescribeImagesCommand({ ...where(repo), imageIds: tags.map((imageTag) => ({ imageTag })) }),
    );
    details = out.imageDetails ?? [];
  } catch (error) {
    // DescribeImages fails the whole call when one id is missing; ask tag by tag then.
    if (errorName(error) !== 'ImageNotFoundException') {
      throw describeAwsError('DescribeImages', error, {
        permission: 'ecr:DescribeImages',
        subject: `repository ${repo.name}`,
      });
    }
    if (tags.length === 1) return found;
    for (const tag of tags) {
      for (const [t, d] of await findTags(ecr, repo, [tag])) found.set(t, d);
    }
    return found;
  }
  const wanted = new Set(tags);
  for (const detail of details) {
    for (const tag of detail.imageTags ?? []) {
      if (wanted.has(tag) && detail.imageDigest) found.set(tag, detail.imageDigest);
    }
  }
  return found;
}

export async function describeImage(
  ecr: ECRClient,
  repo: EcrRepository,
  digest: string,
): Promise<ImageDetail> {
  try {
    const out = await ecr.send(
      new DescribeImagesCommand({ ...where(repo), imageIds: [{ imageDigest: digest }] }),
    );
    const detail = out.imageDetails?.[0];
    if (detail) return detail;
  } catch (error) {
    if (errorName(error) !== 'ImageNotFoundException') {
      throw describeAwsError('DescribeImages', error, {
        permission: 'ecr:DescribeImages',
        subject: `image ${digest}`,
      });
    }
  }
  throw new Error(`ECR does not know image ${digest} in ${repo.uri}, although the push reported it.`);
}

export interface Manifest {
  readonly body: string;
  readonly mediaType: string | undefined;
}

export async function getManifest(ecr: ECRClient, repo: EcrRepository, digest: string): Promise<Manifest> {
  let out;
  try {
    out = await ecr.send(
      new BatchGetImageCommand({
        ...where(repo),
        imageIds: [{ imageDigest: digest }],
        // Ask for every form so ECR returns the manifest as pushed (an index stays an index).
        acceptedMediaTypes: [
          'application/vnd.docker.distribution.manifest.v2+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
          'application/vnd.oci.image.manifest.v1+json',
          'application/vnd.oci.image.index.v1+json',
        ],
      }),
    );
  } catch (error) {
    throw describeAwsError('BatchGetImage', error, {
      permission: 'ecr:BatchGetImage',
      subject: `image ${digest}`,
    });
  }
  const image = out.images?.[0];
  if (!image?.imageManifest) {
    const failure = out.failures?.[0];
    throw new Error(
      `BatchGetImage found no manifest for ${digest}: ${failure?.failureCode ?? ''} ${failure?.failureReason ?? ''}`,
    );
  }
  return { body: image.imageManifest, mediaType: image.imageManifestMediaType };
}

export type PutTagResult = 'added' | 'already-there';

/** Adds a tag to an existing manifest (no upload). ECR answers ImageAlreadyExists when it is already there. */
export async function putTag(
  ecr: ECRClient,
  repo: EcrRepository,
  manifest: Manifest,
  digest: string,
  tag: string,
): Promise<PutTagResult> {
  try {
    await ecr.send(
      new PutImageCommand({
        ...where(repo),
        imageManifest: manifest.body,
        imageManifestMediaType: manifest.mediaType,
        imageDigest: digest,
        imageTag: tag,
      }),
    );
    return 'added';
  } catch (error) {
    if (errorName(error) === 'ImageAlreadyExistsException') return 'already-there';
    throw error;
  }
}
