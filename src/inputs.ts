import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Input, type InputName } from './contract.ts';
import { InputError } from './errors.ts';
import { isValidDockerTag } from './image/tags.ts';
import type { BuilderChoice } from './image/builder.ts';

export type TagMutability = 'MUTABLE' | 'IMMUTABLE';

export interface KeyValue {
  readonly name: string;
  readonly value: string;
}

/** Every input, read and validated once. Everything else receives this object. */
export interface Inputs {
  readonly repository: string;
  /** Account id of the registry; undefined = the caller's own account. */
  readonly registry: string | undefined;
  readonly region: string;
  readonly createRepository: boolean;
  readonly tagMutability: TagMutability;
  /** Absolute path of the build context. */
  readonly context: string;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  readonly buildArgs: readonly KeyValue[];
  readonly target: string | undefined;
  readonly platforms: readonly string[];
  readonly labels: readonly KeyValue[];
  readonly tags: readonly string[];
  readonly provenance: boolean;
  readonly builder: BuilderChoice;
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

function raw(env: NodeJS.ProcessEnv, name: InputName): string {
  return (env[inputVariable(name)] ?? '').trim();
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
    throw new InputError(Input.Repository, 'is required. Set it to the ECR repository name, e.g. my-app.');
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

export function parseRegistry(value: string): string | undefined {
  if (value === '') return undefined;
  if (!/^\d{12}$/.test(value)) {
    throw new InputError(
      Input.Registry,
      `"${value}" is not an AWS account id. Use the 12-digit account id that owns the repository, or leave it empty for your own account.`,
    );
  }
  return value;
}

export function parseTagMutability(value: string): TagMutability {
  const upper = value.toUpperCase();
  if (upper === 'MUTABLE' || upper === 'IMMUTABLE') return upper;
  throw new InputError(Input.TagMutability, `"${value}" is not MUTABLE or IMMUTABLE.`);
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

export function resolveBuildPaths(
  contextValue: string,
  dockerfileValue: string,
  cwd: string,
): { context: string; dockerfile: string } {
  const context = path.resolve(cwd, contextValue || '.');
  if (!isDirectory(context)) {
    throw new InputError(
      Input.Context,
      `build context "${contextValue}" is not a directory (resolved to ${context}). Check out the repository first (actions/checkout) or fix the path.`,
    );
  }
  const dockerfile = dockerfileValue ? path.resolve(cwd, dockerfileValue) : path.join(context, 'Dockerfile');
  if (!isFile(dockerfile)) {
    throw new InputError(
      Input.Dockerfile,
      dockerfileValue
        ? `"${dockerfileValue}" does not exist (resolved to ${dockerfile}). Give the Dockerfile's path relative to the workspace.`
        : `no Dockerfile in the build context ${context}. Set dockerfile to its path, or context to the folder that holds it.`,
    );
  }
  return { context, dockerfile };
}

/** Reads and validates every input. Throws InputError before any side effect. */
export function readInputs({ env, cwd }: ReadInputsOptions): Inputs {
  const { context, dockerfile } = resolveBuildPaths(raw(env, Input.Context), raw(env, Input.Dockerfile), cwd);
  return {
    repository: parseRepository(raw(env, Input.Repository)),
    registry: parseRegistry(raw(env, Input.Registry)),
    region: parseRegion(raw(env, Input.AwsRegion), env),
    createRepository: parseBoolean(Input.CreateRepository, raw(env, Input.CreateRepository) || 'false'),
    tagMutability: parseTagMutability(raw(env, Input.TagMutability) || 'MUTABLE'),
    context,
    dockerfile,
    buildArgs: parseKeyValues(Input.BuildArgs, raw(env, Input.BuildArgs)),
    target: raw(env, Input.Target) || undefined,
    platforms: parsePlatforms(raw(env, Input.Platforms)),
    labels: parseKeyValues(Input.Labels, raw(env, Input.Labels)),
    tags: parseTags(raw(env, Input.Tags)),
    provenance: parseBoolean(Input.Provenance, raw(env, Input.Provenance) || 'false'),
    builder: parseBuilder(raw(env, Input.Builder) || 'auto'),
  };
}
