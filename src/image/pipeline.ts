// The image path in two phases: `locateImage` only reads (builder, repository, registry login, tag rules),
// so the deploy target can be checked before anything changes; `publishImage` then creates, builds, pushes
// and tags. Floating tags can be held back until the deploy is verified.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as core from '@actions/core';
import { DescribeImagesCommand, type ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import { Input, State } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { GithubContext } from '../github-context.ts';
import type { Inputs } from '../inputs.ts';
import type { BuildInputs, ExistingImageInputs } from './types.ts';
import type { PlannedTag, TagPlan } from './tags.ts';
import { decideTags, type RepositoryTagRules, type TagDecision } from './tag-policy.ts';
import { tagReferenceMismatch } from './tag-rules.ts';
import { chooseBuilder, createCommandRunner, type CommandRunner } from './builder.ts';
import { mergeLabels, ociLabels, workflowRunUrl, type BuilderKind } from './build-command.ts';
import { applyTags, buildAndPush, checkImmutableTags } from './publish.ts';
import { BUILD_INPUTS_LABEL, buildInputsHash, judgeReuse } from './reuse.ts';
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
import type { ImageReport } from '../report/image-report.ts';

async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  core.startGroup(name);
  try {
    return await fn();
  } finally {
    core.endGroup();
  }
}

/** The digest shown for an image a dry run does not build. */
export const DRY_RUN_DIGEST = 'sha256:(digest of the image this step would build)';

export interface ImageContext {
  readonly inputs: Inputs;
  readonly github: GithubContext;
  readonly plan: TagPlan;
  readonly env: NodeJS.ProcessEnv;
  readonly ecr: ECRClient;
  /** Runs the builders; the process runner in the action. */
  readonly runner?: CommandRunner;
  /** The step is cancelled: children are stopped, nothing more is built or pushed. */
  readonly signal?: AbortSignal;
}

/** What the read-only phase found: where the image goes (or is), and what publishing it needs. */
export type ImageLocation =
  | {
      readonly kind: 'build';
      readonly build: BuildInputs;
      readonly builder: BuilderKind;
      readonly runner: CommandRunner;
      readonly hash: string;
      /** The repository, or undefined when this step will create it. */
      readonly found: EcrRepository | undefined;
      readonly credentials: RegistryCredentials;
      readonly repositoryUri: string;
      readonly rules: RepositoryTagRules;
    }
  | { readonly kind: 'image'; readonly image: ExistingImageInputs; readonly repositoryUri: string };

/** The image, and the floating tags still to move once the deploy is verified. */
export interface PublishedImage {
  readonly report: ImageReport;
  /** Tags held back (`holdFloatingTags`); `moveHeldTags` puts them on the image. */
  readonly held: readonly PlannedTag[];
  moveHeldTags(): Promise<ImageReport>;
}

/**
 * Read only: the builder (by probing), the repository (or where it would be created), the registry login
 * and its tag rules; for an existing image, its repository. Nothing is created, built or pushed.
 */
export async function locateImage(context: ImageContext): Promise<ImageLocation> {
  const { inputs, env, ecr } = context;
  if (inputs.source.kind === 'image') {
    const { reference } = inputs.source;
    return { kind: 'image', image: inputs.source, repositoryUri: `${reference.host}/${reference.path}` };
  }
  const build = inputs.source;
  const runner = context.runner ?? createCommandRunner({ env, signal: context.signal });
  const builder = await chooseBuilder(build.builder, build, runner);
  const hash = buildInputsHash(
    build,
    readFileSync(build.dockerfile, 'utf8'),
    env.GITHUB_WORKSPACE || process.cwd(),
    env.GITHUB_SHA ?? '',
  );
  return group('Amazon ECR', async () => {
    const found = await findRepository(ecr, build.repository, inputs.registry);
    if (!found && !inputs.createRepository) throw missingRepositoryError(build.repository, inputs.registry);
    const credentials = await getRegistryCredentials(ecr, found?.registryId ?? inputs.registry);
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
    const repositoryUri = found?.uri ?? `${credentials.host}/${build.repository}`;
    const mismatch = tagReferenceMismatch(inputs.tagReferences ?? [], {
      host: found?.host ?? credentials.host,
      repository: build.repository,
    });
    if (mismatch) throw mismatch;
    return {
      kind: 'build' as const,
      build,
      builder,
      runner,
      hash,
      found,
      credentials,
      repositoryUri,
      rules,
    };
  });
}

export interface PublishOptions {
  /**
   * Hold the automatic floating tags (`latest`, `1`, `1.2`, the branch, `pr-N`) back: they move only when
   * `moveHeldTags()` is called, after the deploy was verified.
   */
  readonly holdFloatingTags: boolean;
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

/** The image that `locateImage` found a place for: built (or reused) and tagged, or resolved by digest. */
export async function publishImage(
  context: ImageContext,
  location: ImageLocation,
  options: PublishOptions,
): Promise<PublishedImage> {
  const published =
    location.kind === 'build'
      ? await buildImage(context, location, options)
      : settled(await useExistingImage(context, location.image));
  if (context.inputs.deploy.dryRun) core.info(`Dry run: nothing was created, built, pushed or tagged.`);
  else {
    core.info(
      `Image ${published.report.repositoryUri}@${published.report.digest}${published.report.tags.length ? ` tagged ${published.report.tags.join(', ')}` : ''}`,
    );
  }
  return published;
}

function settled(report: ImageReport): PublishedImage {
  return { report, held: [], moveHeldTags: async () => report };
}

/** The image for this commit under these build inputs, if the repository already holds it. */
async function findReusableImage(
  context: ImageContext,
  repo: EcrRepository,
  credentials: RegistryCredentials,
  hash: string,
): Promise<{ digest: string; labels: Record<string, string> } | undefined> {
  const { ecr, plan, env } = context;
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
  const verdict = judgeReuse(labels, { revision: context.github.sha, hash });
  if (!verdict.reuse) {
    core.info(`Building: ${verdict.reason}.`);
    return undefined;
  }
  core.info(`Reusing ${repo.uri}@${existing}: built for this commit from the same inputs; nothing to build.`);
  return { digest: existing, labels: labels ?? {} };
}

/** Pure: the tags to apply now, and the floating ones to hold until the deploy is verified. */
export function splitHeldTags(
  decision: TagDecision,
  hold: boolean,
): { readonly now: TagDecision; readonly held: readonly PlannedTag[] } {
  if (!hold) return { now: decision, held: [] };
  const held = decision.apply.filter((t) => t.floating && t.source !== 'explicit');
  return { now: { ...decision, apply: decision.apply.filter((t) => !held.includes(t)) }, held };
}

async function buildImage(
  context: ImageContext,
  location: Extract<ImageLocation, { kind: 'build' }>,
  options: PublishOptions,
): Promise<PublishedImage> {
  const { ecr, inputs, github, plan, env } = context;
  const { build, builder, found, credentials, repositoryUri: uri, rules } = location;
  const decision = decideTags(plan, rules);
  const extraLabels = [
    ...ociLabels({
      source: github.repository ? `${github.serverUrl}/${github.repository}` : github.serverUrl,
      revision: github.sha,
      created: new Date().toISOString(),
      runUrl: workflowRunUrl(env),
    }),
    { name: BUILD_INPUTS_LABEL, value: location.hash },
  ];
  const builtLabels = Object.fromEntries(
    mergeLabels(extraLabels, build.labels).map((l) => [l.name, l.value]),
  );
  for (const s of decision.skipped) core.notice(`Tag ${s.tag} skipped: ${s.reason}.`);
  if (inputs.deploy.dryRun) {
    core.info(
      `Dry run: would ${found ? '' : `create ${uri} (${inputs.tagMutability}), `}build with ${builder}, push ${uri}:${plan.commitTag} and tag ${decision.apply.map((t) => t.name).join(', ')}.`,
    );
    return settled({
      registry: credentials.host,
      repositoryUri: uri,
      ecr: undefined,
      digest: DRY_RUN_DIGEST,
      tags: decision.apply.map((t) => t.name),
      primary: decision.primary,
      skipped: decision.skipped,
      held: [],
      labels: builtLabels,
      sizeBytes: undefined,
      origin: 'built',
      builder,
    });
  }
  const { now, held } = splitHeldTags(decision, options.holdFloatingTags);
  const { repo, dockerConfig, reused } = await group('Amazon ECR', async () => {
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
      ? await findReusableImage(context, repo, credentials, location.hash)
      : undefined;
    await checkImmutableTags(ecr, repo, decision, reused?.digest);
    return { repo, dockerConfig, reused };
  });

  const buildStarted = performance.now();
  const digest =
    reused?.digest ??
    (await group(`Build and push (${builder})`, () =>
      buildAndPush({
        build,
        repo,
        commitTag: plan.commitTag,
        builder,
        runner: location.runner,
        signal: context.signal,
        dockerConfig,
        tempParent: env.RUNNER_TEMP || os.tmpdir(),
        extraLabels,
      }),
    ));
  const buildSeconds = reused ? undefined : (performance.now() - buildStarted) / 1000;
  if (!reused) core.info(`Pushed ${repo.uri}@${digest}`);

  const tagged = await group('Tags', () => applyTags(ecr, repo, now, { digest, commitTag: plan.commitTag }));
  if (held.length > 0) {
    core.info(`Held back until the deploy is verified: ${held.map((t) => t.name).join(', ')}`);
  }
  const report = (tags: readonly string[], stillHeld: readonly PlannedTag[]): ImageReport => ({
    registry: repo.host,
    repositoryUri: repo.uri,
    ecr: { registryId: repo.registryId, repositoryName: repo.name, region: inputs.region },
    digest,
    tags,
    // The primary tag names the image only once it is on it.
    primary: tags.includes(decision.primary) ? decision.primary : plan.commitTag,
    skipped: decision.skipped,
    held: stillHeld.map((t) => t.name),
    labels: reused?.labels ?? builtLabels,
    sizeBytes: tagged.sizeBytes,
    origin: reused ? 'reused' : 'built',
    builder: reused ? undefined : builder,
    ...(buildSeconds !== undefined ? { buildSeconds } : {}),
  });
  return {
    report: report(tagged.tags, held),
    held,
    async moveHeldTags() {
      if (held.length === 0) return report(tagged.tags, []);
      const moved = await group('Tags', () =>
        applyTags(ecr, repo, { ...decision, apply: held }, { digest, commitTag: undefined }),
      );
      // In the decision's order (primary first), whatever was applied when.
      const all = new Set([...tagged.tags, ...moved.tags]);
      return report(
        decision.apply.map((t) => t.name).filter((t) => all.has(t)),
        [],
      );
    },
  };
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

async function useExistingImage(context: ImageContext, image: ExistingImageInputs): Promise<ImageReport> {
  const { ecr, inputs, env } = context;
  const { reference } = image;
  return group('Amazon ECR', async () => {
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
        held: [],
        labels: {},
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
    const mismatch = tagReferenceMismatch(inputs.tagReferences ?? [], {
      host: repo.host,
      repository: repo.name,
    });
    if (mismatch) throw mismatch;
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
      held: [],
      labels: {},
      sizeBytes: detail.imageSizeInBytes,
      origin: 'given',
      builder: undefined,
    };
  });
}
