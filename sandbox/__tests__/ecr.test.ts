import { describe, expect, it } from 'vitest';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  ImageAlreadyExistsException,
  ImageDigestDoesNotMatchException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  InvalidParameterException,
  PutImageCommand,
  PutImageTagMutabilityCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { ecrClient, sandboxState, uniqueName } from './helpers.ts';

const ecr = ecrClient();

async function busyboxManifest(): Promise<{ manifest: string; mediaType: string; digest: string }> {
  const out = await ecr.send(
    new BatchGetImageCommand({ repositoryName: 'busybox', imageIds: [{ imageTag: 'latest' }] }),
  );
  const image = out.images?.[0];
  return {
    manifest: image!.imageManifest!,
    mediaType: image!.imageManifestMediaType!,
    digest: image!.imageId!.imageDigest!,
  };
}

/** A second, distinct manifest over the same blobs: the same image with a different annotation. */
function variant(manifest: string, note: string): string {
  const m = JSON.parse(manifest) as Record<string, unknown>;
  return JSON.stringify({ ...m, annotations: { 'org.example.note': note } });
}

describe('ECR GetAuthorizationToken', () => {
  it('returns an AWS:<password> token for the HTTPS registry host that expires in 12 hours', async () => {
    const state = sandboxState();
    const before = Date.now();
    const out = await ecr.send(new GetAuthorizationTokenCommand({}));
    const data = out.authorizationData![0]!;
    expect(data.proxyEndpoint).toBe(`https://${state.registryHost}`);
    const decoded = Buffer.from(data.authorizationToken!, 'base64').toString();
    expect(decoded).toMatch(/^AWS:.{40,}$/);
    const lifetime = data.expiresAt!.getTime() - before;
    expect(lifetime).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(12 * 3600_000 + 5_000);
  });
});

describe('ECR repositories', () => {
  it('creates a repository with scanning, mutability and exclusion filters and describes it', async () => {
    const name = uniqueName('team/app');
    const created = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
      }),
    );
    const state = sandboxState();
    expect(created.repository).toMatchObject({
      repositoryName: name,
      registryId: '123456789012',
      repositoryArn: `arn:aws:ecr:us-east-1:123456789012:repository/${name}`,
      repositoryUri: `${state.registryHost}/${name}`,
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect(created.repository!.createdAt).toBeInstanceOf(Date);
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    expect(described.repositories).toHaveLength(1);
    expect(described.repositories![0]!.repositoryUri).toBe(`${state.registryHost}/${name}`);
    const all = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(all.repositories!.map((r) => r.repositoryName)).toEqual(expect.arrayContaining(['busybox', name]));
  });

  it('refuses to create a repository twice with RepositoryAlreadyExistsException', async () => {
    const name = uniqueName('dup');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    const err = await ecr
      .send(new CreateRepositoryCommand({ repositoryName: name }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RepositoryAlreadyExistsException);
    expect((err as Error).message).toBe(
      `The repository with name '${name}' already exists in the registry with id '123456789012'`,
    );
  });

  it('rejects invalid names and inconsistent mutability settings with InvalidParameterException', async () => {
    await expect(
      ecr.send(new CreateRepositoryCommand({ repositoryName: 'Upper/Case' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecr.send(
        new CreateRepositoryCommand({
          repositoryName: uniqueName('x'),
          imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('answers RepositoryNotFoundException for an unknown repository in every repository operation', async () => {
    const name = uniqueName('missing');
    const calls = [
      () => ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })),
      () => ecr.send(new DescribeImagesCommand({ repositoryName: name })),
      () => ecr.send(new BatchGetImageCommand({ repositoryName: name, imageIds: [{ imageTag: 'x' }] })),
      () => ecr.send(new PutImageCommand({ repositoryName: name, imageManifest: '{}', imageTag: 'x' })),
      () =>
        ecr.send(new PutImageTagMutabilityCommand({ repositoryName: name, imageTagMutability: 'IMMUTABLE' })),
    ];
    for (const call of calls) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RepositoryNotFoundException);
      expect((err as Error).message).toBe(
        `The repository with name '${name}' does not exist in the registry with id '123456789012'`,
      );
    }
  });

  it('changes tag mutability with PutImageTagMutability', async () => {
    const name = uniqueName('mut');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    const out = await ecr.send(
      new PutImageTagMutabilityCommand({
        repositoryName: name,
        imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'v*' }],
      }),
    );
    expect(out).toMatchObject({
      repositoryName: name,
      registryId: '123456789012',
      imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
    });
    const d = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    expect(d.repositories![0]!.imageTagMutabilityExclusionFilters).toEqual([
      { filterType: 'WILDCARD', filter: 'v*' },
    ]);
  });
});

describe('ECR images', () => {
  it('describes the pushed busybox image with digest, tags, size, push time and media types', async () => {
    const { digest } = await busyboxManifest();
    const out = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'busybox', imageIds: [{ imageTag: 'latest' }] }),
    );
    const d = out.imageDetails![0]!;
    expect(d.imageDigest).toBe(digest);
    expect(d.imageTags).toContain('latest');
    expect(d.imageSizeInBytes).toBeGreaterThan(500_000);
    expect(d.imagePushedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(d.imageManifestMediaType).toMatch(/manifest/);
    expect(d.artifactMediaType).toMatch(/container\.image|config/);
  });

  it('answers ImageNotFoundException for an unknown imageId in DescribeImages', async () => {
    const err = await ecr
      .send(new DescribeImagesCommand({ repositoryName: 'busybox', imageIds: [{ imageTag: 'no-such-tag' }] }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageNotFoundException);
    expect((err as Error).message).toContain("imageTag:'no-such-tag'");
  });

  it('returns manifests and a failures list from BatchGetImage, honouring acceptedMediaTypes', async () => {
    const { mediaType, digest } = await busyboxManifest();
    const out = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'busybox',
        imageIds: [{ imageTag: 'latest' }, { imageTag: 'nope' }, { imageDigest: digest, imageTag: 'latest' }],
        acceptedMediaTypes: [mediaType],
      }),
    );
    expect(out.images).toHaveLength(2);
    expect(out.images![0]!.imageId).toEqual({ imageDigest: digest, imageTag: 'latest' });
    expect(out.failures).toEqual([
      {
        imageId: { imageTag: 'nope' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
    ]);
    const other = mediaType.includes('oci')
      ? 'application/vnd.docker.distribution.manifest.v2+json'
      : 'application/vnd.oci.image.manifest.v1+json';
    const refused = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'busybox',
        imageIds: [{ imageTag: 'latest' }],
        acceptedMediaTypes: [other],
      }),
    );
    expect(refused.images).toEqual([]);
    expect(refused.failures![0]!.failureCode).toBe('ImageNotFound');
  });

  it('retags with PutImage without re-upload and reports the errors ECR gives', async () => {
    const name = uniqueName('retag');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: 'IMMUTABLE' }));
    const { manifest, mediaType } = await busyboxManifest();
    // The blobs are only in repository busybox: a manifest that references them elsewhere is refused.
    const missingLayers = await ecr
      .send(
        new PutImageCommand({
          repositoryName: name,
          imageManifest: manifest,
          imageManifestMediaType: mediaType,
          imageTag: 'v1',
        }),
      )
      .catch((e: unknown) => e);
    expect((missingLayers as Error).name).toBe('LayersNotFoundException');

    const put = await ecr.send(
      new PutImageCommand({
        repositoryName: 'busybox',
        imageManifest: manifest,
        imageManifestMediaType: mediaType,
        imageTag: uniqueName('t'),
      }),
    );
    const digest = put.image!.imageId!.imageDigest!;
    const again = await ecr
      .send(
        new PutImageCommand({
          repositoryName: 'busybox',
          imageManifest: manifest,
          imageTag: put.image!.imageId!.imageTag!,
        }),
      )
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ImageAlreadyExistsException);

    const wrongDigest = await ecr
      .send(
        new PutImageCommand({
          repositoryName: 'busybox',
          imageManifest: manifest,
          imageTag: 'x',
          imageDigest: `sha256:${'0'.repeat(64)}`,
        }),
      )
      .catch((e: unknown) => e);
    expect(wrongDigest).toBeInstanceOf(ImageDigestDoesNotMatchException);

    const described = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'busybox', imageIds: [{ imageDigest: digest }] }),
    );
    expect(described.imageDetails![0]!.imageTags).toEqual(
      expect.arrayContaining(['latest', put.image!.imageId!.imageTag!]),
    );
  });

  it('refuses PutImage of an existing tag with another digest in an immutable repository', async () => {
    const { manifest, mediaType } = await busyboxManifest();
    const tag = uniqueName('release');
    await ecr.send(
      new PutImageCommand({
        repositoryName: 'busybox',
        imageManifest: variant(manifest, 'one'),
        imageManifestMediaType: mediaType,
        imageTag: tag,
      }),
    );
    await ecr.send(
      new PutImageTagMutabilityCommand({
        repositoryName: 'busybox',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
      }),
    );
    try {
      const err = await ecr
        .send(
          new PutImageCommand({
            repositoryName: 'busybox',
            imageManifest: variant(manifest, 'two'),
            imageManifestMediaType: mediaType,
            imageTag: tag,
          }),
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageTagAlreadyExistsException);
      expect((err as Error).message).toBe(
        `The image tag '${tag}' already exists in the 'busybox' repository and cannot be overwritten because the repository is immutable.`,
      );
      // 'latest' is excluded from immutability: it can move.
      const moved = await ecr.send(
        new PutImageCommand({
          repositoryName: 'busybox',
          imageManifest: variant(manifest, 'three'),
          imageManifestMediaType: mediaType,
          imageTag: 'latest',
        }),
      );
      expect(moved.image!.imageId!.imageTag).toBe('latest');
      await ecr.send(
        new PutImageCommand({
          repositoryName: 'busybox',
          imageManifest: manifest,
          imageManifestMediaType: mediaType,
          imageTag: 'latest',
        }),
      );
    } finally {
      await ecr.send(
        new PutImageTagMutabilityCommand({ repositoryName: 'busybox', imageTagMutability: 'MUTABLE' }),
      );
    }
  });
});
