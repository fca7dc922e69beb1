import { existsSync, statSync } from 'node:fs';
import * as core from '@actions/core';
import path from 'node:path';
import { ACTION_DEFAULTS } from './action-defaults.ts';
import { Input, type InputName } from './contract.ts';
import { InputError, InputErrors } from './errors.ts';
import { isValidDockerTag } from './image/tags.ts';
import {
  isTagReference,
  parseTagReference,
  parseTagRules,
  tagReferenceMismatch,
  type TagReference,
  type TagRules,
} from './image/tag-rules.ts';
import { locateInWorkspace } from './workspace-path.ts';
import { foreignPullRequestTarget, readEventPayload } from './github-context.ts';
import { imageReferenceProblem } from './image/reference.ts';
import { SHORT_SECRET_LENGTH, maskBuildSecrets } from './image/secret-masking.ts';
import type {
  BuildInputs,
  BuildSecret,
  BuilderChoice,
  CacheMode,
  ExistingImageInputs,
  ImageReference,
  KeyValue,
  TagMutability,
} from './image/types.ts';
import { formatDuration, parseDurationMs } from './deploy/duration.ts';
import { parseAssumeRole, type AssumeRoleInputs } from './aws/role-inputs.ts';
import { eksAutoScaling, parseAutoScaling } from './ecs/scaling-settings.ts';
import {
  logConfigurationInput,
  parseCommand,
  parseDockerLabels,
  parseLogDriver,
  parseLogOptions,
  parseSecrets,
  type ContainerRender,
} from './ecs/render-container.ts';
import { parseAlarmWatch } from './deploy/bake.ts';
import type {
  ContainerSelection,
  DeployOptions,
  DeployTarget,
  EcsTargetInputs,
  EksTargetInputs,
  ManifestsInputs,
} from './deploy/types.ts';
import type { PreviewInputs } from './preview/types.ts';
import { renderPreviewUrl } from './preview/names.ts';

/** Every input, read and validated once. Everything else receives this object. */
export interface Inputs {
  /** Account id of the registry; undefined = the caller's own account. */
  readonly registry: string | undefined;
  readonly region: string;
  readonly createRepository: boolean;
  readonly tagMutability: TagMutability;
  readonly tags: readonly string[];
  /** `tag-rules`; undefined = the defaults (every family, `latest=auto`, no prefix or suffix). */
  readonly tagRules: TagRules | undefined;
  /** The `tags` entries given as references; their registry host is checked once ECR has answered. */
  readonly tagReferences: readonly TagReference[] | undefined;
  readonly source: BuildInputs | ExistingImageInputs;
  /** Where the image is deployed; undefined = image only. */
  readonly target: DeployTarget | undefined;
  readonly deploy: DeployOptions;
  /** role-to-assume: a role session from the job's OIDC token; undefined = the job's own credentials. */
  readonly assumeRole: AssumeRoleInputs | undefined;
  /** `preview: true`: the ECS target is the base service a PR's preview copies. */
  readonly preview: PreviewInputs | undefined;
}

export interface ReadInputsOptions {
  /** The process environment, where the runner puts inputs as `INPUT_<NAME>`. */
  readonly env: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against (the workspace). */
  readonly cwd: string;
}

/** The runner's mapping: `build-args` → `INPUT_BUILD-ARGS` (spaces become `_`, hyphens stay). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Pure: edit distance (insertions, deletions, substitutions) between two short names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Pure: the `with:` keys of the step (its `INPUT_*` variables) that are no input of this action, each with the
 * closest real input when one is near (`file` → `dockerfile`, `repo` → `repository`).
 */
export function unknownInputs(
  env: NodeJS.ProcessEnv,
): { readonly given: string; readonly closest: InputName | undefined }[] {
  const known = Object.values(Input) as InputName[];
  const variables = new Map(known.map((name) => [inputVariable(name), name]));
  return Object.keys(env)
    .filter((key) => key.startsWith('INPUT_') && !variables.has(key))
    .sort()
    .map((key) => {
      const given = key.slice('INPUT_'.length).toLowerCase();
      const ranked = known
        .map((name) => ({
          name,
          score: name.includes(given) || given.includes(name) ? 0 : distance(given, name),
        }))
        .sort((x, y) => x.score - y.score);
      const best = ranked[0];
      return { given, closest: best && best.score <= Math.max(2, given.length / 3) ? best.name : undefined };
    });
}

/** The input as given, trimmed; unset or empty: its default from action.yml (what the runner passes). */
function raw(env: NodeJS.ProcessEnv, name: InputName): string {
  return (env[inputVariable(name)] ?? '').trim() || ACTION_DEFAULTS[name];
}

/** Collects input errors, so that every bad input is reported at once. */
class InputChecks {
  readonly errors: InputError[] = [];

  /** What `read` returns; on an InputError, records it and returns nothing (readInputs then throws). */
  take<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      if (!this.errors.some((e) => e.message === error.message)) this.errors.push(error);
      return undefined as T;
    }
  }
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core-schema booleans, as the runner documents them; anything else is an error, not `false`. */
export function parseBoolean(name: InputName, value: string): boolean {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InputError(name, `"${value}" is not a boolean. Use true or false.`);
}

/** Splits a list input on newlines (and commas where `commas`), trimming and dropping empty entries. */
export function parseList(value: string, { commas }: { commas: boolean }): string[] {
  const parts = commas ? value.split(/[\n,]/) : value.split('\n');
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** `NAME=VALUE` lines; the value may itself contain `=`. */
export function parseKeyValues(name: InputName, value: string): KeyValue[] {
  return parseList(value, { commas: false }).map((line, i) => {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new InputError(
        name,
        `line ${i + 1} ("${line}") is not NAME=VALUE. Write one NAME=VALUE per line, e.g. VERSION=1.2.3.`,
      );
    }
    return { name: line.slice(0, eq).trim(), value: line.slice(eq + 1) };
  });
}

// ECR repository names: lowercase path components separated by `/`, 2-256 characters.
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function parseRepository(value: string): string {
  if (value === '') {
    throw new InputError(
      Input.Repository,
      'is required. Set it to the ECR repository name, e.g. my-app (or set image to deploy an existing image).',
    );
  }
  if (value.includes('.amazonaws.com') || value.includes(':') || value.includes('@')) {
    const name = value.replace(/^[^/]*\//, '').replace(/[:@].*$/, '');
    throw new InputError(
      Input.Repository,
      `"${value}" looks like an image reference. Give only the repository name (e.g. "${name}"); the registry comes from ECR, and the tags from "tags".`,
    );
  }
  if (value.length < 2 || value.length > 256 || !REPOSITORY.test(value)) {
    throw new InputError(
      Input.Repository,
      `"${value}" is not a valid ECR repository name. Use 2-256 lowercase letters, digits and . _ - separators, with / between path components (e.g. team/my-app).`,
    );
  }
  return value;
}

// Partition-aware region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, eusc-de-east-1.
const REGION = /^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/;

export function parseRegion(inputValue: string, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || '';
  const value = inputValue || fromEnv;
  if (value === '') {
    throw new InputError(
      Input.AwsRegion,
      'no region given. Set aws-region (e.g. eu-west-1), or AWS_REGION in the environment (aws-actions/configure-aws-credentials sets it).',
    );
  }
  if (!REGION.test(value)) {
    const source = inputValue ? 'aws-region' : env.AWS_REGION?.trim() ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    throw new InputError(
      Input.AwsRegion,
      `"${value}" (from ${source}) is not a region name. Use a region code such as eu-west-1, not an availability zone or a display name.`,
    );
  }
  return value;
}

const REGISTRY_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * The registry's account id: a 12-digit id, or an ECR registry host (`123456789012.dkr.ecr.eu-west-1.amazonaws.com`,
 * what amazon-ecr-login outputs), whose region must be the step's: registries are regional.
 */
export function parseRegistry(value: string, region: string | undefined): string | undefined {
  if (value === '') return undefined;
  if (/^\d{12}$/.test(value)) return value;
  const host = REGISTRY_HOST.exec(value.replace(/^https:\/\//, '').replace(/\/$/, ''));
  if (!host) {
    throw new InputError(
      Input.Registry,
      `"${value}" is not an AWS account id or an ECR registry host. Use the 12-digit account id that owns the repository (or its registry, 123456789012.dkr.ecr.eu-west-1.amazonaws.com), or leave it empty for your own account.`,
    );
  }
  const [, account = '', hostRegion] = host;
  if (region && hostRegion !== region) {
    throw new InputError(
      Input.Registry,
      `${value} is in ${hostRegion}, but the step works in ${region}. ECR registries are regional: set aws-region to ${hostRegion}, or give the registry of ${region}.`,
    );
  }
  return account;
}

export function parseTagMutability(value: string): TagMutability {
  const upper = value.toUpperCase();
  if (upper === 'MUTABLE' || upper === 'IMMUTABLE') return upper;
  throw new InputError(Input.TagMutability, `"${value}" is not MUTABLE or IMMUTABLE.`);
}

/** Pure: the tag names of `tags` (a full reference gives its tag), and the entries that are references. */
export function readTags(value: string): { tags: string[]; references: TagReference[] } {
  const entries = parseList(value, { commas: true });
  const references = entries.filter(isTagReference).map(parseTagReference);
  const tags = parseTags(
    entries.map((e) => (isTagReference(e) ? e.slice(e.lastIndexOf(':') + 1) : e)).join('\n'),
  );
  return { tags, references };
}

export function parseTags(value: string): string[] {
  const tags = parseList(value, { commas: true });
  for (const tag of tags) {
    if (!isValidDockerTag(tag)) {
      throw new InputError(
        Input.Tags,
        `"${tag}" is not a valid image tag. A tag is 1-128 characters of letters, digits, _ . and -, and must not start with . or -.`,
      );
    }
  }
  return [...new Set(tags)];
}

export function parseBuilder(value: string): BuilderChoice {
  if (value === 'auto' || value === 'docker' || value === 'buildah') return value;
  throw new InputError(Input.Builder, `"${value}" is not a builder. Use auto, docker or buildah.`);
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

export function parsePlatforms(value: string): string[] {
  const platforms = parseList(value, { commas: true });
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) {
      throw new InputError(
        Input.Platforms,
        `"${platform}" is not a platform. Use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.`,
      );
    }
  }
  return platforms;
}

function isDirectory(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

/**
 * The build context and the Dockerfile, each of which must really be (symlinks resolved) inside the workspace:
 * a path or a committed symlink leading out of it is refused before anything reads the file, so no error can
 * quote what it holds (`/proc/self/environ` is the job's environment).
 */
export function resolveBuildPaths(
  contextValue: string,
  dockerfileValue: string,
  cwd: string,
  workspace: string = cwd,
): { context: string; dockerfile: string } {
  const context = path.resolve(cwd, contextValue || '.');
  const contextPlace = locateInWorkspace(context, workspace);
  if (contextPlace.kind === 'outside') {
    throw new InputError(
      Input.Context,
      `build context "${contextValue || '.'}" resolves to ${contextPlace.real}, outside the workspace ${workspace}. Give a folder of the checked-out repository (a symlink must point inside it too).`,
    );
  }
  if (!isDirectory(context)) {
    throw new InputError(
      Input.Context,
      `build context "${contextValue}" is not a directory (resolved to ${context}). Check out the repository first (actions/checkout) or fix the path.`,
    );
  }
  const dockerfile = dockerfileValue ? path.resolve(cwd, dockerfileValue) : path.join(context, 'Dockerfile');
  const place = locateInWorkspace(dockerfile, workspace);
  if (place.kind === 'outside') {
    throw new InputError(
      Input.Dockerfile,
      `${dockerfileValue ? `"${dockerfileValue}"` : `the Dockerfile of the build context (${dockerfile})`} resolves to ${place.real}, outside the workspace ${workspace}; it is not read. Give a Dockerfile of the checked-out repository (a symlink must point inside it too).`,
    );
  }
  if (place.kind === 'missing' || !isFile(place.real)) {
    throw new InputError(
      Input.Dockerfile,
      dockerfileValue
        ? `"${dockerfileValue}" does not exist (resolved to ${dockerfile}). Give the Dockerfile's path relative to the workspace.`
        : `no Dockerfile in the build context ${context}. Set dockerfile to its path, or context to the folder that holds it.`,
    );
  }
  return { context, dockerfile };
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** `host/path[:tag][@sha256:…]`; the host is required, so the image can be told apart from Docker Hub's. */
export function parseImageReference(value: string): ImageReference {
  const fail = (why: string): never => {
    throw new InputError(Input.Image, `"${value}" ${why}`);
  };
  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail('has a digest that is not sha256:<64 hex digits>.');
  }
  const slash = rest.indexOf('/');
  const host = slash > 0 ? rest.slice(0, slash) : '';
  if (!host || !(host.includes('.') || host.includes(':') || host === 'localhost')) {
    fail(
      'has no registry host. Give the full reference, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:1.2.3.',
    );
  }
  let repoPath = rest.slice(slash + 1);
  let tag: string | undefined;
  const colon = repoPath.lastIndexOf(':');
  if (colon >= 0) {
    tag = repoPath.slice(colon + 1);
    repoPath = repoPath.slice(0, colon);
    if (!isValidDockerTag(tag)) fail(`has an invalid tag "${tag}".`);
  }
  if (!REPOSITORY.test(repoPath)) fail(`has an invalid repository path "${repoPath}".`);
  if (!tag && !digest)
    fail('names no tag or digest. Add :tag or @sha256:… so it is clear which image to deploy.');
  return { host, path: repoPath, tag, digest };
}

const SECRET_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/** `id=VALUE`, `id=env:NAME` or `id=file:PATH` lines. Referenced variables and files must exist. */
export function parseBuildSecrets(value: string, env: NodeJS.ProcessEnv, cwd: string): BuildSecret[] {
  const secrets: BuildSecret[] = [];
  const lines = value.split('\n').filter((l) => l.trim() !== '');
  lines.forEach((line, i) => {
    const eq = line.indexOf('=');
    const id = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!SECRET_ID.test(id)) {
      throw new InputError(
        Input.BuildSecrets,
        `line ${i + 1} does not start with a secret id. Write id=VALUE, id=env:NAME or id=file:PATH (the id is what RUN --mount=type=secret,id=… names).`,
      );
    }
    if (secrets.some((s) => s.id === id)) {
      throw new InputError(Input.BuildSecrets, `secret id "${id}" is given twice.`);
    }
    const rest = line.slice(eq + 1);
    if (rest.startsWith('env:')) {
      const name = rest.slice(4).trim();
      if (!env[name]) {
        throw new InputError(
          Input.BuildSecrets,
          `secret "${id}" reads the environment variable ${name}, which is not set. Set it in the step's env (e.g. ${name}: \${{ secrets.${name} }}).`,
        );
      }
      secrets.push({ id, source: { kind: 'env', name } });
    } else if (rest.startsWith('file:')) {
      const file = path.resolve(cwd, rest.slice(5).trim());
      if (!isFile(file)) {
        throw new InputError(
          Input.BuildSecrets,
          `secret "${id}" reads the file ${file}, which does not exist.`,
        );
      }
      secrets.push({ id, source: { kind: 'file', path: file } });
    } else {
      if (rest === '') throw new InputError(Input.BuildSecrets, `secret "${id}" has an empty value.`);
      secrets.push({ id, source: { kind: 'value', value: rest } });
    }
  });
  return secrets;
}

export function parseCache(value: string): CacheMode | undefined {
  if (value === '') return undefined;
  if (value === 'registry' || value === 'gha') return value;
  throw new InputError(
    Input.Cache,
    `"${value}" is not a cache mode. Use registry (an ECR cache image) or gha (GitHub's cache), or leave it empty.`,
  );
}

// Inputs that only mean something when the step builds.
const BUILD_ONLY: readonly InputName[] = [
  Input.Repository,
  Input.Context,
  Input.Dockerfile,
  Input.BuildArgs,
  Input.Target,
  Input.Platforms,
  Input.Labels,
  Input.BuildSecrets,
  Input.Cache,
];

function readExistingImage(env: NodeJS.ProcessEnv, image: string): ExistingImageInputs {
  const conflicting: string[] = BUILD_ONLY.filter((name) => raw(env, name) !== '');
  if (parseBoolean(Input.Provenance, raw(env, Input.Provenance))) conflicting.push(Input.Provenance);
  if (raw(env, Input.Builder) !== 'auto') conflicting.push(Input.Builder);
  if (parseBoolean(Input.CreateRepository, raw(env, Input.CreateRepository))) {
    conflicting.push(Input.CreateRepository);
  }
  if (conflicting.length > 0) {
    throw new InputError(
      Input.Image,
      `deploys an existing image, so nothing is built; remove ${conflicting.join(', ')} (they only apply to a build), or remove image to build.`,
    );
  }
  return { kind: 'image', reference: parseImageReference(image) };
}

// A build stage name, as `FROM … AS <name>` accepts it (BuildKit's rule, case-insensitive).
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

export function parseTarget(value: string): string | undefined {
  if (value === '') return undefined;
  if (!STAGE_NAME.test(value)) {
    throw new InputError(
      Input.Target,
      `"${value}" is not a build stage name. Give the name after AS in the Dockerfile's FROM line (a letter, then letters, digits, _ . and -).`,
    );
  }
  return value;
}

/** Build argument and label names: what the builders take as one word of `--build-arg`/`--label NAME=VALUE`. */
export function parseNamedValues(name: InputName, value: string): KeyValue[] {
  const pairs = parseKeyValues(name, value);
  for (const { name: key } of pairs) {
    if (/[\s\p{C}]/u.test(key)) {
      throw new InputError(
        name,
        `the name "${key}" contains white space or control characters. Names are one word, e.g. org.example.team=payments.`,
      );
    }
  }
  return pairs;
}

/** The event payload for the untrusted-build check; an unreadable one counts as empty (main reports it). */
/** The payload for the input checks; a broken payload file is reported once, by the step, not as an input. */
function readEventPayloadQuietly(env: NodeJS.ProcessEnv): Record<string, unknown> {
  try {
    return readEventPayload(env);
  } catch {
    return {};
  }
}

/**
 * Pure over env and payload: under `pull_request_target` a build of another repository's pull request runs
 * its Dockerfile with this repository's secrets, so it needs `allow-untrusted-build: true`.
 */
export function checkUntrustedBuild(
  env: NodeJS.ProcessEnv,
  payload: Record<string, unknown>,
  allowed: boolean,
): void {
  const foreign = foreignPullRequestTarget(env.GITHUB_EVENT_NAME ?? '', payload);
  if (!foreign || allowed) return;
  const from = foreign.head ?? 'a repository the event payload does not name';
  const into = foreign.base ?? 'this repository';
  throw new InputError(
    Input.AllowUntrustedBuild,
    `this pull_request_target run is for a pull request from ${from} into ${into}. Building it would run that repository's Dockerfile with this workflow's build secrets, registry login and AWS credentials at hand, so the step does not build it. Build in a pull_request workflow (no secrets), deploy an image built elsewhere (image), or set allow-untrusted-build: true if the workflow only builds code a maintainer has approved (see the README's Security section).`,
  );
}

function readBuild(env: NodeJS.ProcessEnv, cwd: string, c: InputChecks): BuildInputs {
  const workspace = env.GITHUB_WORKSPACE?.trim() || cwd;
  const paths = c.take(() =>
    resolveBuildPaths(raw(env, Input.Context), raw(env, Input.Dockerfile), cwd, workspace),
  );
  const allowUntrusted = c.take(() =>
    parseBoolean(Input.AllowUntrustedBuild, raw(env, Input.AllowUntrustedBuild)),
  );
  // An unreadable allow-untrusted-build is its own error; the refusal would only repeat the input's name.
  if (allowUntrusted !== undefined) {
    c.take(() => checkUntrustedBuild(env, readEventPayloadQuietly(env), allowUntrusted));
  }
  const secrets = c.take(() => parseBuildSecrets(env[inputVariable(Input.BuildSecrets)] ?? '', env, cwd));
  if (secrets) {
    const short = maskBuildSecrets(secrets, env, (value) => core.setSecret(value));
    if (short.length > 0) {
      core.warning(
        `Build secret${short.length > 1 ? 's' : ''} ${short.join(', ')}: a value (or line) shorter than ${SHORT_SECRET_LENGTH} characters is masked, so every occurrence of it in the log shows as ***; so short a secret is also easy to guess.`,
      );
    }
  }
  return {
    kind: 'build',
    repository: c.take(() => parseRepository(raw(env, Input.Repository))),
    context: paths?.context ?? '',
    dockerfile: paths?.dockerfile ?? '',
    buildArgs: c.take(() => parseNamedValues(Input.BuildArgs, raw(env, Input.BuildArgs))),
    target: c.take(() => parseTarget(raw(env, Input.Target))),
    platforms: c.take(() => parsePlatforms(raw(env, Input.Platforms))),
    labels: c.take(() => parseNamedValues(Input.Labels, raw(env, Input.Labels))),
    provenance: c.take(() => parseBoolean(Input.Provenance, raw(env, Input.Provenance))),
    builder: c.take(() => parseBuilder(raw(env, Input.Builder))),
    secrets,
    cache: c.take(() => parseCache(raw(env, Input.Cache))),
    skipExisting: c.take(() => parseBoolean(Input.SkipExisting, raw(env, Input.SkipExisting))),
  };
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// Inputs that only an ECS deploy reads.
const ECS_ONLY: readonly InputName[] = [
  Input.TaskDefinition,
  Input.Environment,
  Input.DesiredCount,
  Input.PreDeployCommand,
  Input.ForceNewDeployment,
];

/**
 * `manifests` (files, folders, globs; one per line) with `force-conflicts` and `prune`; undefined without
 * it. Entries that are not globs must exist.
 */
export function readManifestsInputs(env: NodeJS.ProcessEnv, cwd: string): ManifestsInputs | undefined {
  const entries = parseList(raw(env, Input.Manifests), { commas: false });
  const forceConflicts = parseBoolean(Input.ForceConflicts, raw(env, Input.ForceConflicts));
  const prune = parseBoolean(Input.Prune, raw(env, Input.Prune));
  if (entries.length === 0) {
    const stray = [forceConflicts && Input.ForceConflicts, prune && Input.Prune].filter(Boolean);
    if (stray[0]) throw new InputError(stray[0], 'only applies with manifests. Set manifests, or remove it.');
    return undefined;
  }
  for (const entry of entries) {
    if (!/[*?[{]/.test(entry) && !existsSync(path.resolve(cwd, entry))) {
      throw new InputError(
        Input.Manifests,
        `"${entry}" does not exist (relative to ${cwd}). Give files, folders or globs, one per line.`,
      );
    }
  }
  return { entries, cwd, forceConflicts, prune };
}

function readEksTarget(env: NodeJS.ProcessEnv, cwd: string, c: InputChecks): EksTargetInputs | undefined {
  const cluster = raw(env, Input.EksCluster);
  const deployments = parseList(raw(env, Input.Deployment), { commas: false });
  const manifests = readManifestsInputs(env, cwd);
  if (!cluster && deployments.length === 0 && !manifests) return undefined;
  if (!cluster)
    throw new InputError(
      Input.EksCluster,
      `is required with ${manifests ? 'manifests' : 'deployment'}. Set it to the EKS cluster name.`,
    );
  if (manifests && deployments.length > 0) {
    throw new InputError(
      Input.Deployment,
      'and manifests are two ways to deploy: manifests applies the objects (and waits for their workloads), deployment patches the image of existing Deployments. Remove one.',
    );
  }
  if (manifests && raw(env, Input.Containers) !== '') {
    throw new InputError(
      Input.Containers,
      'does not apply with manifests: every container whose image is in the repository gets the new image. Remove containers.',
    );
  }
  if (deployments.length === 0 && !manifests) {
    throw new InputError(
      Input.Deployment,
      'is required with eks-cluster. Give the Deployment name (several: one per line), or set manifests to apply Kubernetes manifests.',
    );
  }
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(cluster)) {
    throw new InputError(
      Input.EksCluster,
      `"${cluster}" is not an EKS cluster name (letters, digits, - and _, up to 100).`,
    );
  }
  for (const d of deployments) {
    if (!DNS_SUBDOMAIN.test(d)) {
      throw new InputError(
        Input.Deployment,
        `"${d}" is not a Kubernetes object name (lowercase letters, digits, - and .).`,
      );
    }
  }
  if (new Set(deployments).size !== deployments.length)
    throw new InputError(Input.Deployment, 'names a Deployment twice.');
  const namespace = raw(env, Input.Namespace);
  if (!DNS_LABEL.test(namespace)) {
    throw new InputError(
      Input.Namespace,
      `"${namespace}" is not a namespace name (lowercase letters, digits and -, up to 63).`,
    );
  }
  if (manifests && raw(env, Input.AutoScaling) !== '') {
    throw new InputError(
      Input.AutoScaling,
      'works with deployment, not with manifests yet: put a HorizontalPodAutoscaler in your manifests (the Deployment it scales is then applied without replicas).',
    );
  }
  if (manifests && raw(env, Input.BakeTime) !== '') {
    throw new InputError(
      Input.BakeTime,
      'works with deployment, not with manifests yet: the manifests path has no bake. Deploy with deployment, or leave bake-time out.',
    );
  }
  const ecsOnly = ECS_ONLY.filter(
    (n) => raw(env, n) !== '' && !(n === Input.ForceNewDeployment && raw(env, n) === 'false'),
  );
  if (ecsOnly.length > 0) {
    throw new InputError(
      ecsOnly[0] ?? Input.EksCluster,
      `applies to ECS deploys only; remove ${ecsOnly.join(', ')} for an EKS deploy.`,
    );
  }
  return {
    kind: 'eks',
    cluster,
    namespace,
    deployments,
    containers: c.take(() => parseContainers(raw(env, Input.Containers))),
    ...(manifests ? { manifests } : {}),
    autoScaling: c.take(() => eksAutoScaling(parseAutoScaling(raw(env, Input.AutoScaling)))),
  };
}

function readTarget(env: NodeJS.ProcessEnv, cwd: string, c: InputChecks): DeployTarget | undefined {
  const ecsSet = raw(env, Input.EcsCluster) !== '' || raw(env, Input.EcsService) !== '';
  const eksSet =
    raw(env, Input.EksCluster) !== '' ||
    raw(env, Input.Deployment) !== '' ||
    raw(env, Input.Manifests) !== '';
  if (ecsSet && eksSet) {
    throw new InputError(
      Input.EksCluster,
      'one step deploys to ECS or to EKS, not both: remove the ecs-* inputs or the eks-cluster/deployment inputs (use two steps).',
    );
  }
  const target = eksSet ? readEksTarget(env, cwd, c) : readEcsTarget(env, cwd, c);
  const alarms = c.take(() =>
    parseAlarmWatch(
      raw(env, Input.Alarms),
      raw(env, Input.BakeTime),
      raw(env, Input.RollbackOnFailure).trim().toLowerCase() !== 'false',
    ),
  );
  if (!target) {
    if (alarms)
      throw new InputError(Input.Alarms, 'only applies to a deploy. Set ecs-cluster or eks-cluster.');
    return undefined;
  }
  return alarms ? { ...target, alarms } : target;
}

const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ECS_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(cluster|service)\/[A-Za-z0-9_/-]+$/;

function parseEcsName(name: InputName, value: string, what: string): string {
  if (ECS_NAME.test(value) || ECS_ARN.test(value)) return value;
  throw new InputError(
    name,
    `"${value}" is not an ECS ${what} name or ARN (letters, digits, - and _, up to 255).`,
  );
}

export function parseContainers(value: string): ContainerSelection[] {
  const seen = new Set<string>();
  return parseList(value, { commas: false }).map((line) => {
    const eq = line.indexOf('=');
    const name = (eq >= 0 ? line.slice(0, eq) : line).trim();
    const image = eq >= 0 ? line.slice(eq + 1).trim() : undefined;
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw new InputError(
        Input.Containers,
        `"${line}" does not start with a container name. Write name, or name=image.`,
      );
    }
    if (image === '')
      throw new InputError(Input.Containers, `"${line}" has an empty image. Write name, or name=image.`);
    const problem = image === undefined ? undefined : imageReferenceProblem(image);
    if (problem) {
      throw new InputError(
        Input.Containers,
        `the image of container "${name}" ${problem}. Write name=image with a full image reference, e.g. ${name}=123456789012.dkr.ecr.eu-west-1.amazonaws.com/sidecar:1.4 (or only the name, for this step's image).`,
      );
    }
    if (seen.has(name)) throw new InputError(Input.Containers, `container "${name}" is named twice.`);
    seen.add(name);
    return { name, image };
  });
}

export function parseNonNegativeInteger(name: InputName, value: string, hint: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InputError(
      name,
      `"${value}" is not a whole number${/^\d+$/.test(value) ? ' this action can hold' : ''}. ${hint}`,
    );
  }
  return Number(value);
}

/** ECS's desiredCount is an Integer (32-bit signed) in the API reference; more cannot be sent. */
export const MAX_DESIRED_COUNT = 2_147_483_647;

export function parseDesiredCount(value: string): number {
  const hint =
    'Give the number of tasks, or leave it empty to keep the current count (auto scaling owns it).';
  const count = parseNonNegativeInteger(Input.DesiredCount, value, hint);
  if (count > MAX_DESIRED_COUNT) {
    throw new InputError(
      Input.DesiredCount,
      `"${value}" is more than ${MAX_DESIRED_COUNT}, the largest count ECS's UpdateService takes (a 32-bit integer; a service runs at most 5,000 tasks by default). ${hint}`,
    );
  }
  return count;
}

/** The longest wait `timeout` may ask for: a job on a self-hosted runner may run for 5 days. */
export const MAX_TIMEOUT_MS = 120 * 3_600_000;

export function parseTimeout(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0) {
    throw new InputError(
      Input.Timeout,
      `invalid duration "${value}". Use number + unit: 30s, 5m, 1h (or 1h30m).`,
    );
  }
  if (ms > MAX_TIMEOUT_MS) {
    throw new InputError(
      Input.Timeout,
      `"${value}" is longer than ${formatDuration(MAX_TIMEOUT_MS)} (120h), the longest a job may run even on a self-hosted runner. Give a shorter duration.`,
    );
  }
  return ms;
}

/** RunTask's documented limit on `overrides`: 8,192 characters, the JSON formatting included. */
export const MAX_RUN_TASK_OVERRIDES = 8192;

export function parsePreDeployCommand(value: string): string[] | undefined {
  if (value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === 'string')) {
    throw new InputError(
      Input.PreDeployCommand,
      `must be a JSON array of strings, the container command to run, e.g. ["bin/migrate", "--yes"] (got ${JSON.stringify(value)}).`,
    );
  }
  const command = parsed as string[];
  // RunTask takes at most 8,192 characters of overrides, JSON included; the container's name adds to it.
  const overrides = JSON.stringify({ containerOverrides: [{ name: '', command }] }).length;
  if (overrides > MAX_RUN_TASK_OVERRIDES) {
    throw new InputError(
      Input.PreDeployCommand,
      `is ${overrides.toLocaleString('en-US')} characters as RunTask's overrides, and ECS takes at most ${MAX_RUN_TASK_OVERRIDES.toLocaleString('en-US')}. Put the long part in a script in the image and run that.`,
    );
  }
  return command;
}

/**
 * A task definition file larger than this is refused unread. ECS's limit is 64 KiB of task definition; the
 * file may be YAML or indented JSON, so the file itself may be larger than what is registered, but not 16×.
 */
export const MAX_TASK_DEFINITION_FILE_BYTES = 1024 * 1024;

function readTaskDefinitionFiles(
  value: string,
  services: readonly string[],
  cwd: string,
): Map<string, string> {
  const files = new Map<string, string>();
  const lines = parseList(value, { commas: false });
  const resolveFile = (service: string, file: string) => {
    const full = path.resolve(cwd, file);
    if (!isFile(full)) {
      throw new InputError(
        Input.TaskDefinition,
        `${file} does not exist (resolved to ${full}). Give the task definition file's path relative to the workspace.`,
      );
    }
    const bytes = statSync(full).size;
    if (bytes > MAX_TASK_DEFINITION_FILE_BYTES) {
      throw new InputError(
        Input.TaskDefinition,
        `${file} is ${bytes.toLocaleString('en-US')} bytes; ECS registers a task definition of at most 65,536 bytes (64 KiB), so this file cannot be one (not read). Give the task definition file, and keep large values out of it (secrets, environmentFiles).`,
      );
    }
    files.set(service, full);
  };
  const [first] = lines;
  if (lines.length === 1 && first !== undefined && !first.includes('=')) {
    const [only, ...more] = services;
    if (more.length > 0 || only === undefined) {
      throw new InputError(
        Input.TaskDefinition,
        `one file for ${services.length} services is ambiguous. Write one service=path line per service that has a file; services without a line deploy their current task definition.`,
      );
    }
    resolveFile(only, first);
    return files;
  }
  for (const line of lines) {
    const eq = line.indexOf('=');
    const service = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!services.includes(service)) {
      throw new InputError(
        Input.TaskDefinition,
        `"${line}" must be service=path with a service from ecs-service (${services.join(', ')}).`,
      );
    }
    resolveFile(service, line.slice(eq + 1).trim());
  }
  return files;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function readContainerRender(
  env: NodeJS.ProcessEnv,
  environment: readonly KeyValue[],
  c: InputChecks,
): ContainerRender | undefined {
  const given = [
    Input.Secrets,
    Input.DockerLabels,
    Input.LogConfigurationLogDriver,
    Input.LogConfigurationOptions,
    Input.Command,
  ].some((n) => raw(env, n) !== '');
  if (!given) return undefined;
  const logDriver = c.take(() => parseLogDriver(raw(env, Input.LogConfigurationLogDriver)));
  const logOptions = c.take(() => parseLogOptions(raw(env, Input.LogConfigurationOptions)));
  return {
    secrets: c.take(() => parseSecrets(raw(env, Input.Secrets), environment)) ?? [],
    dockerLabels: c.take(() => parseDockerLabels(raw(env, Input.DockerLabels))) ?? [],
    logConfiguration: logConfigurationInput(logDriver, logOptions ?? []),
    command: c.take(() => parseCommand(raw(env, Input.Command))),
  };
}

function readEcsTarget(env: NodeJS.ProcessEnv, cwd: string, c: InputChecks): EcsTargetInputs | undefined {
  const clusterValue = raw(env, Input.EcsCluster);
  const services = parseList(raw(env, Input.EcsService), { commas: false });
  if (!clusterValue && services.length === 0) {
    const stray = [
      Input.TaskDefinition,
      Input.Containers,
      Input.Environment,
      Input.Secrets,
      Input.DockerLabels,
      Input.LogConfigurationLogDriver,
      Input.LogConfigurationOptions,
      Input.Command,
      Input.DesiredCount,
      Input.PreDeployCommand,
      Input.AutoScaling,
    ].filter((n) => raw(env, n) !== '');
    const [firstStray] = stray;
    if (firstStray) {
      throw new InputError(
        firstStray,
        `only applies to a deploy. Set ecs-cluster and ecs-service (or eks-cluster and deployment), or remove ${stray.join(', ')}.`,
      );
    }
    return undefined;
  }
  if (!clusterValue)
    throw new InputError(
      Input.EcsCluster,
      'is required with ecs-service. Set it to the cluster the services run in.',
    );
  if (services.length === 0) {
    throw new InputError(
      Input.EcsService,
      'is required with ecs-cluster. Give the service name (several: one per line).',
    );
  }
  const cluster = parseEcsName(Input.EcsCluster, clusterValue, 'cluster');
  for (const s of services) parseEcsName(Input.EcsService, s, 'service');
  if (new Set(services).size !== services.length) {
    throw new InputError(Input.EcsService, 'names a service twice.');
  }
  const desired = raw(env, Input.DesiredCount);
  const environment = c.take(() => parseKeyValues(Input.Environment, raw(env, Input.Environment)));
  return {
    kind: 'ecs',
    cluster,
    services,
    taskDefinitionFiles: c.take(() => readTaskDefinitionFiles(raw(env, Input.TaskDefinition), services, cwd)),
    containers: c.take(() => parseContainers(raw(env, Input.Containers))),
    environment,
    ...optional('render', readContainerRender(env, environment ?? [], c)),
    forceNewDeployment: c.take(() =>
      parseBoolean(Input.ForceNewDeployment, raw(env, Input.ForceNewDeployment)),
    ),
    desiredCount: desired ? c.take(() => parseDesiredCount(desired)) : undefined,
    preDeployCommand: c.take(() => parsePreDeployCommand(raw(env, Input.PreDeployCommand))),
    autoScaling: c.take(() => parseAutoScaling(raw(env, Input.AutoScaling))),
  };
}

/** Without `wait` nothing would restore a suspended scale-in: the rollout then runs with scaling as it is. */
function scalingFollowsWait(target: DeployTarget | undefined, wait: boolean): DeployTarget | undefined {
  if (target?.kind !== 'ecs' || !target.autoScaling || wait) return target;
  return { ...target, autoScaling: { ...target.autoScaling, suspendScaleIn: false } };
}

function readDeployOptions(env: NodeJS.ProcessEnv, c: InputChecks): DeployOptions {
  return {
    wait: c.take(() => parseBoolean(Input.Wait, raw(env, Input.Wait))),
    timeoutMs: c.take(() => parseTimeout(raw(env, Input.Timeout))),
    failFastAfter: c.take(() =>
      parseNonNegativeInteger(
        Input.FailFastAfter,
        raw(env, Input.FailFastAfter),
        'Give how many definitive task failures end the wait early (0 never ends it early).',
      ),
    ),
    rollbackOnFailure: c.take(() => parseBoolean(Input.RollbackOnFailure, raw(env, Input.RollbackOnFailure))),
    rollbackOnCancel: c.take(() => parseBoolean(Input.RollbackOnCancel, raw(env, Input.RollbackOnCancel))),
    dryRun: c.take(() => parseBoolean(Input.DryRun, raw(env, Input.DryRun))),
  };
}

const LISTENER_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/(app|net)\/[A-Za-z0-9-]+\/[0-9a-f]+\/[0-9a-f]+$/;
const PREVIEW_ONLY = [
  Input.PreviewUrl,
  Input.PreviewListener,
  Input.PreviewDesiredCount,
  Input.AllowForkPreviews,
] as const;

/** Outside a runner the default `${{ github.token }}` arrives unevaluated: that is no token. */
function githubToken(value: string): string | undefined {
  return value && !value.startsWith('${{') ? value : undefined;
}

/** `preview`: true, false, or `cleanup` (handled by the caller). */
function parsePreviewFlag(value: string): boolean {
  try {
    return parseBoolean(Input.Preview, value);
  } catch {
    throw new InputError(
      Input.Preview,
      `"${value}" is not a preview mode. Use true (pull_request events), false, or cleanup (a scheduled run that removes the previews of closed PRs).`,
    );
  }
}

/** An EKS preview: the manifests applied into `<namespace>-pr-<N>`; the ECS-only inputs are refused. */
function readEksPreview(
  env: NodeJS.ProcessEnv,
  target: EksTargetInputs,
  cleanup: boolean,
  c: InputChecks,
): PreviewInputs {
  if (!target.manifests) {
    throw new InputError(
      Input.Preview,
      'with an EKS target needs manifests: a preview namespace gets its own copy of the objects, which deployment (a patch of existing Deployments) cannot make.',
    );
  }
  for (const [name, hint] of [
    [Input.PreviewListener, 'on EKS the Ingress hosts are rewritten from preview-url instead'],
    [Input.PreviewDesiredCount, 'on EKS the manifests say the replicas'],
  ] as const) {
    if (raw(env, name) !== ACTION_DEFAULTS[name])
      throw new InputError(name, `applies to ECS previews only (${hint}).`);
  }
  const urlTemplate = raw(env, Input.PreviewUrl) || undefined;
  if (urlTemplate) {
    c.take(() => {
      try {
        renderPreviewUrl(urlTemplate, 1);
      } catch (error) {
        throw new InputError(Input.PreviewUrl, (error as Error).message);
      }
    });
  }
  return {
    urlTemplate,
    listenerArn: undefined,
    desiredCount: 0,
    allowForks: c.take(() => parseBoolean(Input.AllowForkPreviews, raw(env, Input.AllowForkPreviews))),
    githubToken: githubToken(raw(env, Input.GithubToken)),
    ...(cleanup ? { cleanup } : {}),
  };
}

function readPreview(
  env: NodeJS.ProcessEnv,
  target: DeployTarget | undefined,
  c: InputChecks,
): PreviewInputs | undefined {
  const mode = raw(env, Input.Preview);
  // `cleanup` (a schedule or workflow_dispatch run): tear down the previews whose PR is closed.
  const cleanup = mode === 'cleanup';
  if (!cleanup && !parsePreviewFlag(mode)) {
    const stray = PREVIEW_ONLY.filter((n) => raw(env, n) !== ACTION_DEFAULTS[n]);
    const [first] = stray;
    if (first)
      throw new InputError(
        first,
        `only applies with preview: true. Set preview: true, or remove ${stray.join(', ')}.`,
      );
    return undefined;
  }
  if (target?.kind === 'eks') return readEksPreview(env, target, cleanup, c);
  if (!target) {
    throw new InputError(
      Input.Preview,
      'needs ecs-cluster and ecs-service (the base service the preview copies), or eks-cluster and manifests (the objects a preview namespace gets).',
    );
  }
  if (target.services.length !== 1) {
    throw new InputError(Input.EcsService, 'with preview: true, give exactly one base service.');
  }
  for (const [name, hint] of [
    [Input.DesiredCount, "use preview-desired-count for the preview's tasks"],
    [Input.PreDeployCommand, 'a pre-deploy task is not run for previews'],
  ] as const) {
    if (raw(env, name) !== '') throw new InputError(name, `does not apply with preview: true (${hint}).`);
  }
  const urlTemplate = raw(env, Input.PreviewUrl) || undefined;
  if (urlTemplate) {
    c.take(() => {
      try {
        renderPreviewUrl(urlTemplate, 1);
      } catch (error) {
        throw new InputError(Input.PreviewUrl, (error as Error).message);
      }
    });
  }
  const listenerArn = raw(env, Input.PreviewListener) || undefined;
  if (listenerArn) {
    if (!LISTENER_ARN.test(listenerArn)) {
      c.take(() => {
        throw new InputError(
          Input.PreviewListener,
          `"${listenerArn}" is not an ELBv2 listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>).`,
        );
      });
    }
    if (!urlTemplate) {
      c.take(() => {
        throw new InputError(
          Input.PreviewUrl,
          'is required with preview-listener: its host is what the listener rule matches.',
        );
      });
    }
  }
  return {
    urlTemplate,
    listenerArn,
    desiredCount: c.take(() =>
      parseNonNegativeInteger(
        Input.PreviewDesiredCount,
        raw(env, Input.PreviewDesiredCount),
        'Give the number of tasks the preview runs.',
      ),
    ),
    allowForks: c.take(() => parseBoolean(Input.AllowForkPreviews, raw(env, Input.AllowForkPreviews))),
    githubToken: githubToken(raw(env, Input.GithubToken)),
    ...(cleanup ? { cleanup } : {}),
  };
}

/**
 * Reads and validates every input. Throws before any side effect: the InputError, or InputErrors listing
 * every bad input when there are several.
 */
export function readInputs({ env, cwd }: ReadInputsOptions): Inputs {
  const image = raw(env, Input.Image);
  const c = new InputChecks();
  const region = c.take(() => parseRegion(raw(env, Input.AwsRegion), env));
  const given = c.take(() => readTags(raw(env, Input.Tags)));
  const inputs: Inputs = {
    registry: c.take(() => parseRegistry(raw(env, Input.Registry), region)),
    region,
    createRepository: c.take(() => parseBoolean(Input.CreateRepository, raw(env, Input.CreateRepository))),
    tagMutability: c.take(() => parseTagMutability(raw(env, Input.TagMutability))),
    tags: given?.tags ?? [],
    tagReferences: given && given.references.length > 0 ? given.references : undefined,
    tagRules: c.take(() => {
      const value = raw(env, Input.TagRules);
      const { rules, errors } = parseTagRules(value);
      // Every bad line is its own error (readInputs throws them all below).
      c.errors.push(...errors);
      return value === '' ? undefined : rules;
    }),
    source: image ? c.take(() => readExistingImage(env, image)) : readBuild(env, cwd, c),
    target: c.take(() => readTarget(env, cwd, c)),
    deploy: readDeployOptions(env, c),
    assumeRole: c.take(() =>
      parseAssumeRole(
        {
          roleToAssume: raw(env, Input.RoleToAssume),
          roleSessionName: raw(env, Input.RoleSessionName),
          roleDuration: raw(env, Input.RoleDuration),
        },
        env,
      ),
    ),
    preview: undefined,
  };
  const preview = c.take(() => readPreview(env, inputs.target, c));
  const repository =
    inputs.source?.kind === 'build' ? inputs.source.repository : inputs.source?.reference.path;
  if (inputs.tagReferences && repository) {
    // The registry host is only known from ECR's answer; the repository can be checked now.
    const error = tagReferenceMismatch(inputs.tagReferences, { host: undefined, repository });
    if (error) c.errors.push(error);
  }
  const [first, ...more] = c.errors;
  if (first) throw more.length > 0 ? new InputErrors(c.errors) : first;
  return { ...inputs, preview, target: scalingFollowsWait(inputs.target, inputs.deploy.wait) };
}
