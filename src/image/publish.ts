import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { describeAwsError, errorName } from '../aws/errors.ts';
import { InputError } from '../errors.ts';
import { CancelledError } from '../cancel.ts';
import { Input } from '../contract.ts';
import type { BuildInputs, KeyValue } from './types.ts';
import type { EcrRepository } from '../registry/repository.ts';
import { describeImage, findTags, getManifest, putTag } from '../registry/images.ts';
import {
  buildCommands,
  digestFromBuildxMetadata,
  digestFromDockerPush,
  mergeLabels,
  type BuilderKind,
  type BuildSpec,
} from './build-command.ts';
import type { CommandRunner } from './builder.ts';
import type { TagDecision } from './tag-policy.ts';

export class BuildFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildFailedError';
  }
}

/**
 * Before building: a tag ECR will not move must be new (or already on this commit's image, which the next
 * step would then rebuild and fail to push). Checked first so nothing is pushed under a tag we then refuse.
 */
export async function checkImmutableTags(
  ecr: ECRClient,
  repo: EcrRepository,
  decision: TagDecision,
  reusedDigest: string | undefined,
): Promise<void> {
  const taken = await findTags(ecr, repo, decision.immutable);
  for (const [tag, digest] of taken) {
    if (digest === reusedDigest) continue; // already on the image we are about to tag
    const explicit = decision.apply.find((t) => t.name === tag)?.source === 'explicit';
    throw new InputError(
      explicit ? Input.Tags : Input.Repository,
      `tag "${tag}" already exists in ${repo.uri} (${repo.tagMutability}) on ${digest}, and ECR will not move it to a new build. ` +
        (explicit
          ? 'Use a new tag, or deploy the existing image by digest.'
          : 'This commit was already built and pushed; deploy that image by digest, or make the repository MUTABLE.'),
    );
  }
}

function tail(output: string, lines = 25): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

export interface BuildAndPushOptions {
  readonly build: BuildInputs;
  /** Labels to add besides the user's: the OCI ones and the build-inputs hash. */
  readonly extraLabels: readonly KeyValue[];
  readonly repo: EcrRepository;
  readonly commitTag: string;
  readonly builder: BuilderKind;
  readonly runner: CommandRunner;
  readonly dockerConfig: string;
  readonly tempParent: string;
  /** The step is cancelled: the runner stops the build's children; the build folder goes all the same. */
  readonly signal?: AbortSignal;
}

/** Builds and pushes once, under the commit tag; returns the manifest digest the registry reported. */
export async function buildAndPush(options: BuildAndPushOptions): Promise<string> {
  const { build, repo, runner } = options;
  const work = mkdtempSync(path.join(options.tempParent, 'ecr-deploy-build-'));
  try {
    const spec: BuildSpec = {
      context: build.context,
      dockerfile: build.dockerfile,
      buildArgs: build.buildArgs,
      target: build.target,
      platforms: build.platforms,
      labels: mergeLabels(options.extraLabels, build.labels),
      provenance: build.provenance,
      secrets: build.secrets,
      cache: build.cache,
      cacheRef: `${repo.uri}:buildcache`,
      image: `${repo.uri}:${options.commitTag}`,
      metadataFile: path.join(work, 'metadata.json'),
      digestFile: path.join(work, 'digest'),
      authFile: path.join(options.dockerConfig, 'config.json'),
    };
    let lastOutput = '';
    for (const command of buildCommands(options.builder, spec)) {
      // The command's own variables (inline build secrets, DOCKER_BUILDKIT=0 for the legacy builder), the
      // registry login and the variables a build secret names reach the child; the rest of the step's
      // environment (AWS credentials, inputs) does not.
      const { exitCode, output } = await runner.run(command, {
        env: { ...command.env, DOCKER_CONFIG: options.dockerConfig },
        pass: build.secrets.flatMap((s) => (s.source.kind === 'env' ? [s.source.name] : [])),
      });
      lastOutput = output;
      if (options.signal?.aborted) {
        throw new CancelledError(
          `${command.command} ${command.args[0] ?? ''} was stopped: the step was cancelled.`,
        );
      }
      if (exitCode !== 0) {
        const step = `${command.command} ${command.args.slice(0, command.command === 'docker' && command.args[0] === 'buildx' ? 2 : 1).join(' ')}`;
        throw new BuildFailedError(
          `${step} failed with exit code ${exitCode}. Its last lines:\n${tail(output)}`,
        );
      }
    }
    let digest: string | undefined;
    if (options.builder === 'buildx')
      digest = digestFromBuildxMetadata(readFileSync(spec.metadataFile, 'utf8'));
    else if (options.builder === 'buildah') digest = readFileSync(spec.digestFile, 'utf8').trim();
    else digest = digestFromDockerPush(lastOutput);
    if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
      throw new Error(`The push of ${spec.image} did not report a manifest digest.`);
    }
    return digest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * After the push: confirm with ECR that the commit tag points at the digest the push reported, then add
 * every other tag to that manifest with PutImage (no re-upload; an index stays an index).
 */
export async function applyTags(
  ecr: ECRClient,
  repo: EcrRepository,
  decision: TagDecision,
  pushed: { digest: string; commitTag: string | undefined },
): Promise<{ tags: string[]; sizeBytes: number | undefined }> {
  const { digest, commitTag } = pushed;
  const detail = await describeImage(ecr, repo, digest);
  if (commitTag && !detail.imageTags?.includes(commitTag)) {
    const actual = (await findTags(ecr, repo, [commitTag])).get(commitTag);
    throw new Error(
      `The push reported ${digest}, but ECR has ${repo.uri}:${commitTag} on ${actual ?? 'no image'}. Another job may have pushed the same tag at the same time; run the step again.`,
    );
  }
  const manifest = await getManifest(ecr, repo, digest);
  const tags: string[] = [];
  for (const tag of decision.apply) {
    if (detail.imageTags?.includes(tag.name)) {
      tags.push(tag.name);
      continue;
    }
    try {
      const result = await putTag(ecr, repo, manifest, digest, tag.name);
      core.info(`Tagged ${tag.name}${result === 'already-there' ? ' (already there)' : ''}`);
      tags.push(tag.name);
    } catch (error) {
      if (errorName(error) === 'ImageTagAlreadyExistsException') {
        const other = (await findTags(ecr, repo, [tag.name])).get(tag.name) ?? 'another image';
        throw new InputError(
          tag.source === 'explicit' ? Input.Tags : Input.Repository,
          `tag "${tag.name}" already exists in ${repo.uri} on ${other}, and the repository's tags are immutable, so it cannot move to ${digest}. ` +
            'Use a new tag, or make the tag mutable with an exclusion filter.',
        );
      }
      throw describeAwsError('PutImage', error, { permission: 'ecr:PutImage', subject: `tag ${tag.name}` });
    }
  }
  return { tags, sizeBytes: detail.imageSizeInBytes };
}
