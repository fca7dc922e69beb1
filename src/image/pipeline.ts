import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as core from '@actions/core';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { Input, State } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { GithubContext } from '../github-context.ts';
import type { BuildInputs, ExistingImageInputs, Inputs } from '../inputs.ts';
import type { PlannedTag, TagPlan } from './tags.ts';
import { decideTags } from './tag-policy.ts';
import { chooseBuilder, createCommandRunner } from './builder.ts';
import { ociLabels } from './build-command.ts';
import { applyTags, buildAndPush, checkImmutableTags } from './publish.ts';
import { BUILD_INPUTS_LABEL, buildInputsHash, judgeReuse } from './reuse.ts';
import { createEcrClient } from '../aws/clients.ts';
import { describeAwsError, errorName } from '../aws/errors.ts';
import {
  createRepository,
  ensureRepository,
  findRepository,
  missingRepositoryError,
  type EcrRepository,
} from '../registry/repository.ts';
import { getRegistryCredentials, type RegistryCredentials } from '../registry/login.ts';
import { findTags } from '../registry/images.ts';
import { readImageLabels } from '../registry/image-config.ts';
import { isTagImmutable } from '../registry/tag-mutability.ts';
import { userDockerConfigDir, writeTemporaryDockerConfig } from '../registry/docker-config.ts';
import { writeImageOutputs, writeImageSummary, type ImageReport } from '../report/image-report.ts';
import { DescribeImagesCommand, type ImageDetail } from '@aws-sdk/client-ecr';

async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  core.startGroup(name);
  try {
    return await fn();
  } finally {
    core.endGroup();
  }
}

export interface PublishImageOptions {
  readonly inputs: Inputs;
  readonly github: GithubContext;
  readonly plan: TagPlan;
  readonly env: NodeJS.ProcessEnv;
  /**
   * Runs once the repository URI is known and before anything is created, built or pushed: the deploy
   * target's checks, so a wrong service or container fails before the build.
   */
  readonly beforeChanges?: (repositoryUri: string) => Promise<void>;
}

/** The digest shown for an image a dry run does not build. */
export const DRY_RUN_DIGEST = 'sha256:(digest of the image this step would build)';

/** The image the deploy will use: built (or reused) and tagged, or an existing one resolved by digest. */
export async function publishImage(options: PublishImageOptions): Promise<ImageReport> {
  const { inputs, env } = options;
  const ecr = createEcrClient({ region: inputs.region, env });
  const report =
    inputs.source.kind === 'build'
      ? await buildImage({ ...options, ecr, build: inputs.source })
      : await useExistingImage({ ...options, ecr, image: inputs.source });
  if (inputs.deploy.dryRun) {
    core.info(`Dry run: nothing was created, built, pushed or tagged.`);
    return report;
  }
  writeImageOutputs(report);
  await writeImageSummary(report);
  core.info(
    `Image ${report.repositoryUri}@${report.digest}${report.tags.length ? ` tagged ${report.tags.join(', ')}` : ''}`,
  );
  return report;
}

/**
 * Writes the registry login into a private DOCKER_CONFIG, exported to later steps; its path is saved first
 * so the post step removes it whatever happens next.
 */
function exportDockerLogin(
  credentials: RegistryCredentials,
  hosts: readonly string[],
  env: NodeJS.ProcessEnv,
): string {
  const dockerConfig = writeTemporaryDockerConfig({
    parent: env.RUNNER_TEMP || os.tmpdir(),
    source: userDockerConfigDir(env),
    hosts: [...new Set([credentials.host, ...hosts])],
    auth: credentials.auth,
  });
  core.saveState(State.DockerConfig, dockerConfig);
  core.exportVariable('DOCKER_CONFIG', dockerConfig);
  const expiry = credentials.expiresAt ? ` until ${credentials.expiresAt.toISOString()}` : '';
  core.info(`Logged in to ${credentials.host}${expiry}; DOCKER_CONFIG is exported for later steps.`);
  return dockerConfig;
}

interface BuildImageOptions extends PublishImageOptions {
  readonly ecr: ECRClient;
  readonly build: BuildInputs;
}

/** The image for this commit under these build inputs, if the repository already holds it. */
async function findReusableImage(
  options: BuildImageOptions & { repo: EcrRepository; credentials: RegistryCredentials; hash: string },
): Promise<string | undefined> {
  const { ecr, repo, plan, credentials, env } = options;
  const existing = (await findTags(ecr, repo, [plan.commitTag])).get(plan.commitTag);
  if (!existing) {
    core.info(`Building: no image for this commit yet (${plan.commitTag}).`);
    return undefined;
  }
  let labels: Record<string, string> | undefined;
  try {
    labels = await readImageLabels(ecr, repo, credentials, existing, env);
  } catch (error) {
    core.warning(
      `Building: could not read the labels of ${repo.uri}@${existing} (${(error as Error).message}).`,
    );
    return undefined;
  }
  const verdict = judgeReuse(labels, { revision: options.github.sha, hash: options.hash });
  if (!verdict.reuse) {
    core.info(`Building: ${verdict.reason}.`);
    return undefined;
  }
  core.info(`Reusing ${repo.uri}@${existing}: built for this commit from the same inputs; nothing to build.`);
  return existing;
}

async function buildImage(options: BuildImageOptions): Promise<ImageReport> {
  const { ecr, inputs, build, github, plan, env } = options;
  const runner = createCommandRunner();
  const builder = await chooseBuilder(build.builder, build, runner);
  for (const secret of build.secrets) {
    const value =
      secret.source.kind === 'value'
        ? secret.source.value
        : secret.source.kind === 'env'
          ? (env[secret.source.name] ?? '')
          : readFileSync(secret.source.path, 'utf8');
    // Whole values and each line of a multi-line one (a file), so no part of it reaches the log.
    for (const part of [value.trim(), ...value.split('\n').map((l) => l.trim())]) {
      if (part.length >= 4) core.setSecret(part);
    }
  }
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const hash = buildInputsHash(
    build,
    readFileSync(build.dockerfile, 'utf8'),
    workspace,
    env.GITHUB_SHA ?? '',
  );

  const ecrPhase = await group('Amazon ECR', async () => {
    // Read-only first: the repository (or where it would be created) and the deploy target's checks.
    const found = await findRepository(ecr, build.repository, inputs.registry);
    if (!found && !inputs.createRepository) throw missingRepositoryError(build.repository, inputs.registry);
    const credentials = await getRegistryCredentials(ecr, found?.registryId ?? inputs.registry);
    const uri = found?.uri ?? `${credentials.host}/${build.repository}`;
    const rules = found ?? { tagMutability: inputs.tagMutability, exclusionFilters: [] };
    if (
      build.cache === 'registry' &&
      isTagImmutable('buildcache', rules.tagMutability, rules.exclusionFilters)
    ) {
      throw new InputError(
        Input.Cache,
        `the registry cache is rewritten on every build under the tag "buildcache", and ${build.repository}'s tags are immutable (${rules.tagMutability}). Add an exclusion filter for buildcache, or use cache: gha.`,
      );
    }
    await options.beforeChanges?.(uri);
    const decision = decideTags(plan, rules);
    for (const s of decision.skipped) core.notice(`Tag ${s.tag} skipped: ${s.reason}.`);
    if (inputs.deploy.dryRun) {
      core.info(
        `Dry run: would ${found ? '' : `create ${uri} (${inputs.tagMutability}), `}build with ${builder}, push ${uri}:${plan.commitTag} and tag ${decision.apply.map((t) => t.name).join(', ')}.`,
      );
      return { dryRun: true as const, uri, decision, credentials };
    }
    const repo =
      found ??
      (await createRepository(ecr, {
        name: build.repository,
        registryId: inputs.registry,
        create: true,
        tagMutability: inputs.tagMutability,
      }));
    core.info(`Repository ${repo.uri} (tags ${repo.tagMutability})`);
    const dockerConfig = exportDockerLogin(credentials, [repo.host], env);
    const reused = build.skipExisting
      ? await findReusableImage({ ...options, repo, credentials, hash })
      : undefined;
    await checkImmutableTags(ecr, repo, decision, reused);
    return { dryRun: false as const, repo, decision, dockerConfig, reused };
  });
  if (ecrPhase.dryRun) {
    return {
      registry: ecrPhase.credentials.host,
      repositoryUri: ecrPhase.uri,
      ecr: undefined,
      digest: DRY_RUN_DIGEST,
      tags: ecrPhase.decision.apply.map((t) => t.name),
      primary: ecrPhase.decision.primary,
      skipped: ecrPhase.decision.skipped,
      sizeBytes: undefined,
      origin: 'built',
      builder,
    };
  }
  const { repo, decision, dockerConfig, reused } = ecrPhase;

  const digest =
    reused ??
    (await group(`Build and push (${builder})`, () =>
      buildAndPush({
        build,
        repo,
        commitTag: plan.commitTag,
        builder,
        runner,
        dockerConfig,
        tempParent: env.RUNNER_TEMP || os.tmpdir(),
        extraLabels: [
          ...ociLabels({
            source: github.repository ? `${github.serverUrl}/${github.repository}` : github.serverUrl,
            revision: github.sha,
            created: new Date().toISOString(),
          }),
          { name: BUILD_INPUTS_LABEL, value: hash },
        ],
      }),
    ));
  if (!reused) core.info(`Pushed ${repo.uri}@${digest}`);

  const tagged = await group('Tags', () =>
    applyTags(ecr, repo, decision, { digest, commitTag: plan.commitTag }),
  );
  return {
    registry: repo.host,
    repositoryUri: repo.uri,
    ecr: { registryId: repo.registryId, repositoryName: repo.name, region: inputs.region },
    digest,
    tags: tagged.tags,
    primary: decision.primary,
    skipped: decision.skipped,
    sizeBytes: tagged.sizeBytes,
    origin: reused ? 'reused' : 'built',
    builder: reused ? undefined : builder,
  };
}

interface ExistingImageOptions extends PublishImageOptions {
  readonly ecr: ECRClient;
  readonly image: ExistingImageInputs;
}

async function describeGivenImage(
  ecr: ECRClient,
  repo: EcrRepository,
  image: ExistingImageInputs,
): Promise<ImageDetail> {
  const { tag, digest } = image.reference;
  const shown = `${image.reference.host}/${image.reference.path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  try {
    const out = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: repo.name,
        registryId: repo.registryId,
        imageIds: [digest ? { imageDigest: digest } : { imageTag: tag }],
      }),
    );
    const detail = out.imageDetails?.[0];
    if (!detail?.imageDigest) throw Object.assign(new Error('no image'), { name: 'ImageNotFoundException' });
    if (tag && digest && !detail.imageTags?.includes(tag)) {
      throw new InputError(
        Input.Image,
        `"${shown}": the tag ${tag} is not on ${digest} in ${repo.uri}. Give the tag or the digest alone, or fix the one that is wrong.`,
      );
    }
    return detail;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (errorName(error) === 'ImageNotFoundException') {
      throw new InputError(
        Input.Image,
        `"${shown}" is not in ECR: ${repo.uri} has no image ${digest ?? tag}. Check the tag or digest, or build and push it first.`,
      );
    }
    throw describeAwsError('DescribeImages', error, {
      permission: 'ecr:DescribeImages',
      subject: `image ${shown}`,
    });
  }
}

async function useExistingImage({
  ecr,
  inputs,
  image,
  env,
  beforeChanges,
}: ExistingImageOptions): Promise<ImageReport> {
  const { reference } = image;
  return group('Amazon ECR', async () => {
    await beforeChanges?.(`${reference.host}/${reference.path}`);
    const credentials = await getRegistryCredentials(ecr, inputs.registry);
    if (reference.host !== credentials.host) {
      // Not this account's ECR registry: nothing to verify it with, so only an immutable reference will do.
      if (!reference.digest) {
        throw new InputError(
          Input.Image,
          `${reference.host} is not the ECR registry of this account (${credentials.host}${inputs.registry ? `, account ${inputs.registry}` : ''}), so the tag cannot be resolved and checked. Pin the image by digest (…@sha256:…), or set registry to the account that owns it.`,
        );
      }
      if (inputs.tags.length > 0) {
        throw new InputError(
          Input.Tags,
          `tags can only be added to an image in ECR; ${reference.host} is not.`,
        );
      }
      core.info(`Using ${reference.host}/${reference.path}@${reference.digest} as given (not an ECR image).`);
      return {
        registry: reference.host,
        repositoryUri: `${reference.host}/${reference.path}`,
        ecr: undefined,
        digest: reference.digest,
        tags: reference.tag ? [reference.tag] : [],
        primary: reference.tag,
        skipped: [],
        sizeBytes: undefined,
        origin: 'given',
        builder: undefined,
      };
    }
    let repo: EcrRepository;
    try {
      repo = await ensureRepository(ecr, {
        name: reference.path,
        registryId: inputs.registry,
        create: false,
        tagMutability: inputs.tagMutability,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(
        Input.Image,
        `the repository ${reference.path} does not exist in ${credentials.host}. Check the image reference.`,
      );
    }
    const detail = await describeGivenImage(ecr, repo, image);
    const digest = detail.imageDigest ?? '';
    core.info(`Using ${repo.uri}@${digest}${reference.tag ? ` (${reference.tag})` : ''}; nothing to build.`);
    if (!inputs.deploy.dryRun) exportDockerLogin(credentials, [repo.host], env);
    const explicit: PlannedTag[] = inputs.tags.map((name) => ({ name, source: 'explicit', floating: false }));
    let tags = detail.imageTags ?? [];
    let skipped: ImageReport['skipped'] = [];
    const [first] = explicit;
    if (first && inputs.deploy.dryRun) {
      core.info(`Dry run: would tag ${digest} with ${inputs.tags.join(', ')}.`);
    } else if (first) {
      const decision = decideTags({ tags: explicit, primary: first.name, commitTag: first.name }, repo);
      skipped = decision.skipped;
      await checkImmutableTags(ecr, repo, decision, digest);
      const applied = await applyTags(ecr, repo, decision, { digest, commitTag: undefined });
      tags = [...new Set([...applied.tags, ...tags])];
    }
    const primary = first?.name ?? reference.tag;
    return {
      registry: repo.host,
      repositoryUri: repo.uri,
      ecr: { registryId: repo.registryId, repositoryName: repo.name, region: inputs.region },
      digest,
      tags: primary && tags.includes(primary) ? [primary, ...tags.filter((t) => t !== primary)] : tags,
      primary,
      skipped,
      sizeBytes: detail.imageSizeInBytes,
      origin: 'given',
      builder: undefined,
    };
  });
}
