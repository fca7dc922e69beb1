// Fake Amazon ECR control plane (awsJson1_1, target prefix AmazonEC2ContainerRegistry_V20150921) backed by
// the real registry. Behaviour follows https://docs.aws.amazon.com/AmazonECR/latest/APIReference/ — see the
// behaviour table in sandbox/README.md for what is documented and what is assumed.
import { randomBytes } from 'node:crypto';
import { AwsError, type CallContext, type JsonService } from './protocol.ts';
import { MANIFEST_MEDIA_TYPES, sha256Digest } from '../registry/client.ts';
import {
  isTagImmutable,
  type EcrRepository,
  type ExclusionFilter,
  type TagMutability,
  type World,
} from '../world.ts';

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const MUTABILITIES: TagMutability[] = [
  'MUTABLE',
  'IMMUTABLE',
  'MUTABLE_WITH_EXCLUSION',
  'IMMUTABLE_WITH_EXCLUSION',
];
const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

interface ImageIdentifier {
  imageDigest?: string;
  imageTag?: string;
}

/** A batch parameter of 1 to 100 members, as ECR's batch operations take them. */
function batchOf(name: string, list: unknown[] | undefined): asserts list is unknown[] {
  if (!list || list.length === 0 || list.length > 100) {
    throw invalid(
      `Invalid parameter at '${name}' failed to satisfy constraint: 'Member must have length between 1 and 100'`,
    );
  }
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

function repositoryNotFound(name: string, ctx: CallContext): AwsError {
  return new AwsError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${ctx.accountId}'`,
  );
}

function checkRegistryId(input: { registryId?: string }, ctx: CallContext): void {
  if (input.registryId !== undefined && input.registryId !== ctx.accountId) {
    throw new AwsError(
      'AccessDeniedException',
      `User: arn:aws:iam::${ctx.accountId}:user/sandbox is not authorized to perform: ecr:${ctx.operation} on resource: arn:aws:ecr:${ctx.region}:${input.registryId}:repository/*`,
    );
  }
}

function requireName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
    throw invalid(
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`,
    );
  }
  return name;
}

function getRepository(world: World, name: unknown, ctx: CallContext): EcrRepository {
  const repo = world.repositories.get(requireName(name));
  if (!repo) throw repositoryNotFound(String(name), ctx);
  return repo;
}

function validateMutability(
  mutability: unknown,
  filters: unknown,
): { mutability: TagMutability; filters: ExclusionFilter[] } {
  const m = (mutability ?? 'MUTABLE') as TagMutability;
  if (!MUTABILITIES.includes(m)) {
    throw invalid(
      `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [${MUTABILITIES.join(', ')}]'`,
    );
  }
  const list = (filters ?? []) as ExclusionFilter[];
  const withExclusion = m.endsWith('_WITH_EXCLUSION');
  if (withExclusion && list.length === 0) {
    throw invalid(`imageTagMutabilityExclusionFilters must be specified when imageTagMutability is ${m}.`);
  }
  if (!withExclusion && list.length > 0) {
    throw invalid(
      `imageTagMutabilityExclusionFilters can only be specified when imageTagMutability is MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION.`,
    );
  }
  if (list.length > 5) throw invalid('A maximum of 5 imageTagMutabilityExclusionFilters can be specified.');
  for (const f of list) {
    if (
      f.filterType !== 'WILDCARD' ||
      typeof f.filter !== 'string' ||
      !/^[0-9a-zA-Z._*-]{1,128}$/.test(f.filter)
    ) {
      throw invalid(
        `Invalid imageTagMutabilityExclusionFilter: filterType must be WILDCARD and filter must match [0-9a-zA-Z._*-]{1,128}.`,
      );
    }
  }
  return { mutability: m, filters: list.map((f) => ({ filterType: f.filterType, filter: f.filter })) };
}

function renderRepository(world: World, repo: EcrRepository, ctx: CallContext): Record<string, unknown> {
  return {
    repositoryArn: repo.arn,
    registryId: ctx.accountId,
    repositoryName: repo.name,
    repositoryUri: `${world.registryHost}/${repo.name}`,
    createdAt: repo.createdAt,
    imageTagMutability: repo.imageTagMutability,
    ...(repo.exclusionFilters.length > 0
      ? { imageTagMutabilityExclusionFilters: repo.exclusionFilters }
      : {}),
    imageScanningConfiguration: { scanOnPush: repo.scanOnPush },
    encryptionConfiguration: {
      encryptionType: repo.encryptionType,
      ...(repo.kmsKey ? { kmsKey: repo.kmsKey } : {}),
    },
  };
}

interface ManifestInfo {
  digest: string;
  mediaType: string;
  artifactMediaType?: string;
  sizeInBytes: number;
}

const manifestCache = new Map<string, ManifestInfo>();

async function manifestInfo(
  world: World,
  repository: string,
  digest: string,
): Promise<ManifestInfo | undefined> {
  const cached = manifestCache.get(`${repository}@${digest}`);
  if (cached) return cached;
  const m = await world.registry.getManifest(repository, digest);
  if (!m) return undefined;
  const parsed = JSON.parse(m.body.toString('utf8')) as {
    mediaType?: string;
    config?: { mediaType?: string; size?: number };
    layers?: { size?: number }[];
    manifests?: { size?: number }[];
  };
  const info: ManifestInfo = {
    digest: m.digest,
    mediaType: parsed.mediaType ?? m.mediaType,
    ...(parsed.config?.mediaType ? { artifactMediaType: parsed.config.mediaType } : {}),
    sizeInBytes:
      (parsed.layers ?? []).reduce((sum, l) => sum + (l.size ?? 0), 0) +
      (parsed.manifests ?? []).reduce((sum, l) => sum + (l.size ?? 0), 0),
  };
  manifestCache.set(`${repository}@${digest}`, info);
  return info;
}

/** digest → tags, from the registry (tags) and the sandbox's push records (untagged digests). */
async function imagesOf(world: World, repository: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const tag of await world.registry.listTags(repository)) {
    const m = await world.registry.getManifest(repository, tag);
    if (!m) continue;
    out.set(m.digest, [...(out.get(m.digest) ?? []), tag]);
  }
  for (const key of world.pushedAt.keys()) {
    const at = key.lastIndexOf('@');
    if (key.slice(0, at) === repository && !out.has(key.slice(at + 1))) out.set(key.slice(at + 1), []);
  }
  return out;
}

function describeId(id: ImageIdentifier): string {
  return `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;
}

/** The repository's image ids, one per tag and one (digest only) per untagged image, in push order. */
async function imageIdsOf(
  world: World,
  repository: string,
  status: 'TAGGED' | 'UNTAGGED' | 'ANY',
): Promise<ImageIdentifier[]> {
  const out: ImageIdentifier[] = [];
  for (const [digest, tags] of await imagesOf(world, repository)) {
    if (tags.length === 0) {
      if (status !== 'TAGGED') out.push({ imageDigest: digest });
    } else if (status !== 'UNTAGGED') {
      for (const tag of [...tags].sort()) out.push({ imageDigest: digest, imageTag: tag });
    }
  }
  return out;
}

function pageOf<T>(
  items: T[],
  input: { maxResults?: number; nextToken?: string },
): { page: T[]; next?: string } {
  const max = input.maxResults ?? 1000;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw invalid(
      `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and 1000'`,
    );
  }
  const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalid('Invalid parameter: nextToken is invalid.');
  const page = items.slice(start, start + max);
  return start + max < items.length
    ? { page, next: Buffer.from(String(start + max)).toString('base64') }
    : { page };
}

/** Removes a manifest (and every tag on it) from the registry and forgets the sandbox's records of it. */
async function deleteDigest(world: World, repository: string, digest: string): Promise<void> {
  const res = await world.registry.call('DELETE', `/v2/${repository}/manifests/${digest}`, { repository });
  if (res.status !== 202 && res.status !== 404) {
    throw new AwsError('ServerException', `registry answered HTTP ${res.status} to a manifest delete`, 500);
  }
  world.pushedAt.delete(`${repository}@${digest}`);
  manifestCache.delete(`${repository}@${digest}`);
}

function imageFailure(id: ImageIdentifier, code: string, reason: string) {
  return { imageId: id, failureCode: code, failureReason: reason };
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function createEcrService(world: World): JsonService {
  return {
    protocol: 'json',
    name: 'ecr',
    signingName: 'ecr',
    targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
    operations: {
      GetAuthorizationToken(_input: { registryIds?: string[] }, ctx: CallContext) {
        const password = randomBytes(48).toString('base64url');
        const expiresAt = new Date(ctx.now().getTime() + TOKEN_LIFETIME_MS);
        world.passwords.set(password, expiresAt);
        return {
          authorizationData: [
            {
              authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
              expiresAt,
              proxyEndpoint: `https://${world.registryHost}`,
            },
          ],
        };
      },

      CreateRepository(
        input: {
          registryId?: string;
          repositoryName?: string;
          imageTagMutability?: string;
          imageTagMutabilityExclusionFilters?: ExclusionFilter[];
          imageScanningConfiguration?: { scanOnPush?: boolean };
          encryptionConfiguration?: { encryptionType?: string; kmsKey?: string };
        },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const name = requireName(input.repositoryName);
        if (world.repositories.has(name)) {
          throw new AwsError(
            'RepositoryAlreadyExistsException',
            `The repository with name '${name}' already exists in the registry with id '${ctx.accountId}'`,
          );
        }
        const { mutability, filters } = validateMutability(
          input.imageTagMutability,
          input.imageTagMutabilityExclusionFilters,
        );
        const encryptionType = input.encryptionConfiguration?.encryptionType ?? 'AES256';
        if (!['AES256', 'KMS', 'KMS_DSSE'].includes(encryptionType)) {
          throw invalid(
            `Invalid parameter at 'encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [AES256, KMS, KMS_DSSE]'`,
          );
        }
        const repo: EcrRepository = {
          name,
          arn: `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${name}`,
          createdAt: ctx.now(),
          imageTagMutability: mutability,
          exclusionFilters: filters,
          scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
          encryptionType,
          ...(encryptionType !== 'AES256'
            ? {
                kmsKey:
                  input.encryptionConfiguration?.kmsKey ??
                  `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/sandbox`,
              }
            : {}),
        };
        world.repositories.set(name, repo);
        return { repository: renderRepository(world, repo, ctx) };
      },

      DescribeRepositories(
        input: { registryId?: string; repositoryNames?: string[]; maxResults?: number; nextToken?: string },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        if (input.repositoryNames && input.repositoryNames.length > 0) {
          if (input.maxResults !== undefined || input.nextToken !== undefined) {
            throw invalid(
              'Invalid parameter: maxResults and nextToken cannot be used together with repositoryNames.',
            );
          }
          return {
            repositories: input.repositoryNames.map((n) =>
              renderRepository(world, getRepository(world, n, ctx), ctx),
            ),
          };
        }
        const max = input.maxResults ?? 100;
        if (!Number.isInteger(max) || max < 1 || max > 1000) {
          throw invalid(
            `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and 1000'`,
          );
        }
        const all = [...world.repositories.values()].sort(
          (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
        );
        const start = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
        if (!Number.isInteger(start) || start < 0) throw invalid('Invalid parameter: nextToken is invalid.');
        const page = all.slice(start, start + max);
        const next =
          start + max < all.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
        return {
          repositories: page.map((r) => renderRepository(world, r, ctx)),
          ...(next ? { nextToken: next } : {}),
        };
      },

      async DescribeImages(
        input: {
          registryId?: string;
          repositoryName?: string;
          imageIds?: ImageIdentifier[];
          filter?: { tagStatus?: 'TAGGED' | 'UNTAGGED' | 'ANY' };
          maxResults?: number;
          nextToken?: string;
        },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const repo = getRepository(world, input.repositoryName, ctx);
        const images = await imagesOf(world, repo.name);
        let digests: string[];
        if (input.imageIds && input.imageIds.length > 0) {
          if (input.filter || input.maxResults !== undefined || input.nextToken !== undefined) {
            throw invalid(
              'Invalid parameter: imageIds cannot be used together with filter, maxResults or nextToken.',
            );
          }
          digests = [];
          for (const id of input.imageIds) {
            const found = [...images.entries()].find(
              ([digest, tags]) =>
                (id.imageDigest === undefined || id.imageDigest === digest) &&
                (id.imageTag === undefined || tags.includes(id.imageTag)) &&
                (id.imageDigest !== undefined || id.imageTag !== undefined),
            );
            if (!found) {
              throw new AwsError(
                'ImageNotFoundException',
                `The image with imageId ${describeId(id)} does not exist within the repository with name '${repo.name}' in the registry with id '${ctx.accountId}'`,
              );
            }
            if (!digests.includes(found[0])) digests.push(found[0]);
          }
        } else {
          const status = input.filter?.tagStatus ?? 'ANY';
          digests = [...images.entries()]
            .filter(
              ([, tags]) => status === 'ANY' || (status === 'TAGGED' ? tags.length > 0 : tags.length === 0),
            )
            .map(([d]) => d);
        }
        const details = [];
        for (const digest of digests) {
          const info = await manifestInfo(world, repo.name, digest);
          if (!info) continue;
          const tags = images.get(digest) ?? [];
          const pushedAt = world.pushedAt.get(`${repo.name}@${digest}`) ?? repo.createdAt;
          details.push({
            registryId: ctx.accountId,
            repositoryName: repo.name,
            imageDigest: digest,
            ...(tags.length > 0 ? { imageTags: [...tags].sort() } : {}),
            imageSizeInBytes: info.sizeInBytes,
            imagePushedAt: pushedAt,
            imageManifestMediaType: info.mediaType,
            ...(info.artifactMediaType ? { artifactMediaType: info.artifactMediaType } : {}),
            ...(repo.scanOnPush
              ? {
                  imageScanStatus: {
                    status: 'COMPLETE',
                    description: 'The scan was completed successfully.',
                  },
                  imageScanFindingsSummary: {
                    imageScanCompletedAt: pushedAt,
                    vulnerabilitySourceUpdatedAt: pushedAt,
                    findingSeverityCounts: {},
                  },
                }
              : {}),
          });
        }
        return { imageDetails: details };
      },

      async BatchGetImage(
        input: {
          registryId?: string;
          repositoryName?: string;
          imageIds?: ImageIdentifier[];
          acceptedMediaTypes?: string[];
        },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const repo = getRepository(world, input.repositoryName, ctx);
        batchOf('imageIds', input.imageIds);
        const accepted = input.acceptedMediaTypes ?? MANIFEST_MEDIA_TYPES;
        const images = [];
        const failures = [];
        for (const id of input.imageIds) {
          if (id.imageDigest === undefined && id.imageTag === undefined) {
            failures.push({
              imageId: id,
              failureCode: 'MissingDigestAndTag',
              failureReason: 'Invalid request: Missing digest and tag',
            });
            continue;
          }
          if (id.imageDigest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(id.imageDigest)) {
            failures.push({
              imageId: id,
              failureCode: 'InvalidImageDigest',
              failureReason: 'Invalid image digest',
            });
            continue;
          }
          const reference = id.imageTag ?? id.imageDigest!;
          const m = await world.registry.getManifest(repo.name, reference, accepted);
          if (!m) {
            failures.push({
              imageId: id,
              failureCode: 'ImageNotFound',
              failureReason: 'Requested image not found',
            });
            continue;
          }
          if (id.imageDigest !== undefined && id.imageTag !== undefined && m.digest !== id.imageDigest) {
            failures.push({
              imageId: id,
              failureCode: 'ImageTagDoesNotMatchDigest',
              failureReason: 'Invalid image tag',
            });
            continue;
          }
          if (!accepted.includes(m.mediaType)) {
            failures.push({
              imageId: id,
              failureCode: 'ImageNotFound',
              failureReason: 'Requested image not found',
            });
            continue;
          }
          images.push({
            registryId: ctx.accountId,
            repositoryName: repo.name,
            imageId: {
              imageDigest: m.digest,
              ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}),
            },
            imageManifest: m.body.toString('utf8'),
            imageManifestMediaType: m.mediaType,
          });
        }
        return { images, failures };
      },

      async PutImage(
        input: {
          registryId?: string;
          repositoryName?: string;
          imageManifest?: string;
          imageManifestMediaType?: string;
          imageTag?: string;
          imageDigest?: string;
        },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const repo = getRepository(world, input.repositoryName, ctx);
        if (typeof input.imageManifest !== 'string' || input.imageManifest.length === 0) {
          throw invalid(
            `Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must have length greater than or equal to 1'`,
          );
        }
        if (input.imageTag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(input.imageTag)) {
          throw invalid(
            `Invalid parameter at 'imageTag' failed to satisfy constraint: 'must satisfy regular expression '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}''`,
          );
        }
        const body = Buffer.from(input.imageManifest, 'utf8');
        const digest = sha256Digest(body);
        if (input.imageDigest !== undefined && input.imageDigest !== digest) {
          throw new AwsError(
            'ImageDigestDoesNotMatchException',
            `The specified image digest '${input.imageDigest}' does not match the digest '${digest}' that Amazon ECR calculated for the image.`,
          );
        }
        let parsed: { mediaType?: string; schemaVersion?: number };
        try {
          parsed = JSON.parse(input.imageManifest) as typeof parsed;
        } catch {
          throw invalid("Invalid parameter at 'imageManifest': the manifest is not valid JSON.");
        }
        const mediaType = input.imageManifestMediaType ?? parsed.mediaType;
        if (mediaType === undefined || !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
          throw invalid(
            `Invalid parameter at 'imageManifestMediaType': unsupported manifest media type '${String(mediaType)}'.`,
          );
        }
        if (
          parsed.mediaType !== undefined &&
          input.imageManifestMediaType !== undefined &&
          parsed.mediaType !== input.imageManifestMediaType
        ) {
          throw invalid(
            `Invalid parameter: the manifest media type '${parsed.mediaType}' does not match imageManifestMediaType '${input.imageManifestMediaType}'.`,
          );
        }
        const reference = input.imageTag ?? digest;
        const existing = await world.registry.getManifest(repo.name, reference);
        if (existing && existing.digest === digest) {
          throw new AwsError(
            'ImageAlreadyExistsException',
            input.imageTag !== undefined
              ? `Image with digest '${digest}' and tag '${input.imageTag}' already exists in the repository with name '${repo.name}' in registry with id '${ctx.accountId}'`
              : `Image with digest '${digest}' already exists in the repository with name '${repo.name}' in registry with id '${ctx.accountId}'`,
          );
        }
        if (existing && input.imageTag !== undefined && isTagImmutable(repo, input.imageTag)) {
          throw new AwsError(
            'ImageTagAlreadyExistsException',
            `The image tag '${input.imageTag}' already exists in the '${repo.name}' repository and cannot be overwritten because the repository is immutable.`,
          );
        }
        const res = await world.registry.putManifest(repo.name, reference, body, mediaType);
        if (res.status === 400 && /BLOB_UNKNOWN|MANIFEST_BLOB_UNKNOWN/.test(res.body.toString())) {
          if (/index|list/.test(mediaType)) {
            throw new AwsError(
              'ReferencedImagesNotFoundException',
              'The manifest list or image index references images that do not exist in the repository.',
            );
          }
          throw new AwsError(
            'LayersNotFoundException',
            `The specified layers could not be found in the repository with name '${repo.name}'.`,
          );
        }
        if (res.status === 400)
          throw invalid(`Invalid parameter at 'imageManifest': ${res.body.toString().slice(0, 300)}`);
        if (res.status !== 201)
          throw new AwsError('ServerException', `registry answered HTTP ${res.status}`, 500);
        world.recordPush(repo.name, digest, ctx.now());
        return {
          image: {
            registryId: ctx.accountId,
            repositoryName: repo.name,
            imageId: {
              imageDigest: digest,
              ...(input.imageTag !== undefined ? { imageTag: input.imageTag } : {}),
            },
            imageManifest: input.imageManifest,
            imageManifestMediaType: mediaType,
          },
        };
      },

      async ListImages(
        input: {
          registryId?: string;
          repositoryName?: string;
          filter?: { tagStatus?: 'TAGGED' | 'UNTAGGED' | 'ANY' };
          maxResults?: number;
          nextToken?: string;
        },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const repo = getRepository(world, input.repositoryName, ctx);
        const status = input.filter?.tagStatus ?? 'ANY';
        if (!['TAGGED', 'UNTAGGED', 'ANY'].includes(status)) {
          throw invalid(
            `Invalid parameter at 'filter.tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]'`,
          );
        }
        const { page, next } = pageOf(await imageIdsOf(world, repo.name, status), input);
        return { imageIds: page, ...(next ? { nextToken: next } : {}) };
      },

      async BatchDeleteImage(
        input: { registryId?: string; repositoryName?: string; imageIds?: ImageIdentifier[] },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const repo = getRepository(world, input.repositoryName, ctx);
        batchOf('imageIds', input.imageIds);
        const imageIds: ImageIdentifier[] = [];
        const failures = [];
        for (const id of input.imageIds) {
          if (id.imageDigest === undefined && id.imageTag === undefined) {
            failures.push(imageFailure(id, 'MissingDigestAndTag', 'Invalid request: Missing digest and tag'));
            continue;
          }
          if (id.imageDigest !== undefined && !DIGEST.test(id.imageDigest)) {
            failures.push(imageFailure(id, 'InvalidImageDigest', 'Invalid image digest'));
            continue;
          }
          const images = await imagesOf(world, repo.name);
          const digest =
            id.imageDigest ?? [...images.entries()].find(([, tags]) => tags.includes(id.imageTag!))?.[0];
          const tags = digest === undefined ? undefined : images.get(digest);
          if (digest === undefined || tags === undefined) {
            failures.push(imageFailure(id, 'ImageNotFound', 'Requested image not found'));
            continue;
          }
          if (id.imageTag !== undefined && !tags.includes(id.imageTag)) {
            failures.push(
              imageFailure(
                id,
                id.imageDigest !== undefined ? 'ImageTagDoesNotMatchDigest' : 'ImageNotFound',
                id.imageDigest !== undefined ? 'Invalid image tag' : 'Requested image not found',
              ),
            );
            continue;
          }
          if (id.imageTag === undefined) {
            // By digest: the image and all of its tags go.
            await deleteDigest(world, repo.name, digest);
            if (tags.length === 0) imageIds.push({ imageDigest: digest });
            for (const tag of tags) imageIds.push({ imageDigest: digest, imageTag: tag });
            continue;
          }
          // By tag: only that tag goes; the last tag takes the image with it. The registry (2.x) deletes by
          // digest only, so the manifest is deleted and put back under the remaining tags.
          const remaining = tags.filter((t) => t !== id.imageTag);
          const manifest = await world.registry.getManifest(repo.name, digest);
          const pushedAt = world.pushedAt.get(`${repo.name}@${digest}`);
          await deleteDigest(world, repo.name, digest);
          if (manifest && remaining.length > 0) {
            for (const tag of remaining) {
              await world.registry.putManifest(repo.name, tag, manifest.body, manifest.mediaType);
            }
            if (pushedAt) world.recordPush(repo.name, digest, pushedAt);
          }
          imageIds.push({ imageDigest: digest, imageTag: id.imageTag });
        }
        return { imageIds, failures };
      },

      async BatchCheckLayerAvailability(
        input: { registryId?: string; repositoryName?: string; layerDigests?: string[] },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const repo = getRepository(world, input.repositoryName, ctx);
        batchOf('layerDigests', input.layerDigests);
        const layers = [];
        const failures = [];
        for (const layerDigest of input.layerDigests) {
          if (!DIGEST.test(layerDigest)) {
            failures.push({
              layerDigest,
              failureCode: 'InvalidLayerDigest',
              failureReason: 'Invalid layer digest',
            });
            continue;
          }
          const res = await world.registry.call('HEAD', `/v2/${repo.name}/blobs/${layerDigest}`, {
            repository: repo.name,
          });
          if (res.status !== 200) {
            failures.push({
              layerDigest,
              failureCode: 'MissingLayerDigest',
              failureReason: 'Could not find layer digest',
            });
            continue;
          }
          layers.push({
            layerDigest,
            layerAvailability: 'AVAILABLE',
            layerSize: Number(res.headers['content-length'] ?? 0),
            mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
          });
        }
        return { layers, failures };
      },

      async DescribeImageScanFindings(
        input: {
          registryId?: string;
          repositoryName?: string;
          imageId?: ImageIdentifier;
          maxResults?: number;
          nextToken?: string;
        },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const repo = getRepository(world, input.repositoryName, ctx);
        const id = input.imageId ?? {};
        if (id.imageDigest === undefined && id.imageTag === undefined) {
          throw invalid(
            `Invalid parameter at 'imageId' failed to satisfy constraint: 'Member must not be null'`,
          );
        }
        const images = await imagesOf(world, repo.name);
        const found = [...images.entries()].find(
          ([digest, tags]) =>
            (id.imageDigest === undefined || id.imageDigest === digest) &&
            (id.imageTag === undefined || tags.includes(id.imageTag)),
        );
        if (!found) {
          throw new AwsError(
            'ImageNotFoundException',
            `The image with imageId ${describeId(id)} does not exist within the repository with name '${repo.name}' in the registry with id '${ctx.accountId}'`,
          );
        }
        const imageId = {
          imageDigest: found[0],
          ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}),
        };
        // Only scan on push is modelled: without it no scan exists (StartImageScan is not implemented).
        if (!repo.scanOnPush) {
          throw new AwsError(
            'ScanNotFoundException',
            `Image scan does not exist for the image with '${describeId(imageId)}' in the repository with name '${repo.name}' in the registry with id '${ctx.accountId}'`,
          );
        }
        const at = world.pushedAt.get(`${repo.name}@${found[0]}`) ?? repo.createdAt;
        return {
          registryId: ctx.accountId,
          repositoryName: repo.name,
          imageId,
          imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
          imageScanFindings: {
            imageScanCompletedAt: at,
            vulnerabilitySourceUpdatedAt: at,
            findingSeverityCounts: {},
            findings: [],
          },
        };
      },

      PutImageTagMutability(
        input: {
          registryId?: string;
          repositoryName?: string;
          imageTagMutability?: string;
          imageTagMutabilityExclusionFilters?: ExclusionFilter[];
        },
        ctx: CallContext,
      ) {
        checkRegistryId(input, ctx);
        const repo = getRepository(world, input.repositoryName, ctx);
        if (input.imageTagMutability === undefined) {
          throw invalid(
            `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must not be null'`,
          );
        }
        const { mutability, filters } = validateMutability(
          input.imageTagMutability,
          input.imageTagMutabilityExclusionFilters,
        );
        repo.imageTagMutability = mutability;
        repo.exclusionFilters = filters;
        return {
          registryId: ctx.accountId,
          repositoryName: repo.name,
          imageTagMutability: mutability,
          ...(filters.length > 0 ? { imageTagMutabilityExclusionFilters: filters } : {}),
        };
      },
    },
  };
}
