import { createHash } from 'node:crypto';
import { isNode, parseDocument } from 'yaml';
import { Input } from '../contract.ts';
import { selectContainers } from '../deploy/containers.ts';
import type { ContainerSelection } from '../deploy/types.ts';
import type { KeyValue } from '../image/types.ts';
import { InputError, InputErrors } from '../errors.ts';
import { atLocation, linePosition, type SourceLocation } from '../report/annotation.ts';
import { applyContainerRender, type ContainerRender } from './render-container.ts';

/** A task definition as RegisterTaskDefinition takes it (loosely typed: unknown keys are kept, then warned about). */
export type TaskDefinitionBody = Record<string, unknown> & {
  family?: string;
  containerDefinitions?: ContainerDefinitionBody[];
};
export type ContainerDefinitionBody = Record<string, unknown> & {
  name?: string;
  image?: string;
  environment?: { name?: string; value?: string }[];
  essential?: boolean;
};
export interface Tag {
  key: string;
  value: string;
}

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. Nothing else is removed. */
export const DESCRIBE_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

/** The tag that records what a revision was rendered from; equal hashes mean nothing to register. */
export const RENDER_HASH_TAG = 'ecr-deploy:render-hash';

export class TaskDefinitionFileError extends Error {
  constructor(file: string, problem: string) {
    super(`Task definition ${file}: ${problem}`);
    this.name = 'TaskDefinitionFileError';
  }
}

/** The error, annotated on the line of `text` at `offset` (the file's first line when unknown). */
function fileError(file: string, problem: string, text: string, offset: number | undefined) {
  const { line, column } = linePosition(text, offset ?? 0);
  return atLocation(new TaskDefinitionFileError(file, problem), {
    file,
    line,
    ...(offset === undefined ? {} : { column }),
    title: 'Task definition file',
  });
}

/**
 * Pure: the offset in `text` of the node at `keys` (JSON is YAML, so the YAML parser has every node's
 * place), or of its nearest parent that exists; undefined when the text does not parse.
 */
function offsetOf(text: string, keys: readonly (string | number)[]): number | undefined {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  for (let n = keys.length; n > 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return isNode(doc.contents) ? doc.contents.range?.[0] : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Line and column of a character offset, 1-based. */
function position(text: string, offset: number): string {
  const { line, column } = linePosition(text, offset);
  return `line ${line}, column ${column}`;
}

/** The first syntax error the YAML parser (a superset of JSON) finds, as "line L, column C". */
function yamlErrorPosition(text: string): { where: string; offset: number; message: string } | undefined {
  const doc = parseDocument(text, { prettyErrors: false });
  const [first] = doc.errors;
  if (!first) return undefined;
  return {
    where: ` at ${position(text, first.pos[0])}`,
    offset: first.pos[0],
    message: first.message.split('\n')[0] ?? '',
  };
}

/**
 * Pure: JSON.parse's message without the snippet of the text it may quote (`Unexpected token 'S', "{"a":
 * SECRETVALU"... is not valid JSON`): the file may hold secrets, and the position says where to look.
 */
export function describeJsonError(message: string): string {
  return message
    .replace(/ in JSON at position.*$/, '')
    .replace(/^Unexpected token .*, ".*"(?:\.\.\.)? is not valid JSON$/s, 'Unexpected character')
    .replace(/^(Unexpected (?:non-whitespace character|end of JSON input)).*$/s, '$1');
}

function parseText(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const at = /position (\d+)/.exec(message);
      const offset = at ? Number(at[1]) : yamlErrorPosition(text)?.offset;
      const where = offset === undefined ? '' : ` at ${position(text, offset)}`;
      throw fileError(file, `invalid JSON${where}: ${describeJsonError(message)}`, text, offset);
    }
  }
  const error = yamlErrorPosition(text);
  if (error) throw fileError(file, `invalid YAML${error.where}: ${error.message}`, text, error.offset);
  return parseDocument(text).toJS();
}

/** Pure: a described task definition without the fields RegisterTaskDefinition does not take. */
export function stripDescribeFields(described: Record<string, unknown>): TaskDefinitionBody {
  const dropped: readonly string[] = DESCRIBE_ONLY_FIELDS;
  return Object.fromEntries(
    Object.entries(described).filter(([k, v]) => !dropped.includes(k) && v !== undefined),
  ) as TaskDefinitionBody;
}

export interface ParsedTaskDefinition {
  readonly taskDefinition: TaskDefinitionBody;
  readonly tags: Tag[];
}

/**
 * Pure: a task definition file's text (JSON or YAML; the output of `aws ecs describe-task-definition` with or
 * without its `taskDefinition` wrapper and `tags`) → what RegisterTaskDefinition takes. Only the fields
 * Describe adds are stripped; everything else stays as written, empty strings and zeros included.
 */
export function parseTaskDefinitionFile(text: string, file: string): ParsedTaskDefinition {
  const doc = record(parseText(text, file));
  // Each problem is annotated on the line of what it is about (the mapping itself for what is missing).
  const at = (problem: string, ...keys: (string | number)[]) =>
    fileError(file, problem, text, offsetOf(text, keys));
  if (!doc) throw at('is not an object (a task definition is a JSON/YAML mapping).');
  const wrapped = record(doc.taskDefinition);
  const base = wrapped ? ['taskDefinition'] : [];
  const rawTags = doc.tags;
  const body = stripDescribeFields(wrapped ?? doc);
  delete body.tags;
  if (!Array.isArray(body.containerDefinitions) || body.containerDefinitions.length === 0) {
    throw at('has no containerDefinitions.', ...base, 'containerDefinitions');
  }
  body.containerDefinitions.forEach((c: unknown, i: number) => {
    if (!record(c) || typeof (c as ContainerDefinitionBody).name !== 'string') {
      throw at(`containerDefinitions[${i}] has no name.`, ...base, 'containerDefinitions', i);
    }
  });
  if (typeof body.family !== 'string' || body.family === '') {
    throw at('has no family.', ...base, 'family');
  }
  const tags: Tag[] = [];
  if (rawTags !== undefined) {
    if (!Array.isArray(rawTags)) throw at('tags must be a list of {key, value}.', 'tags');
    rawTags.forEach((t: unknown, i: number) => {
      const tag = record(t);
      if (typeof tag?.key !== 'string') throw at('tags must be a list of {key, value}.', 'tags', i);
      tags.push({ key: tag.key, value: typeof tag.value === 'string' ? tag.value : '' });
    });
  }
  return { taskDefinition: body as TaskDefinitionBody, tags };
}

/**
 * Pure: where in a task definition file's text a key of `unknownKeys` is (`cpu`, `containerDefinitions[app].x`),
 * for the warning's annotation; undefined when it cannot be found.
 */
export function keyLocation(text: string, file: string, key: string): SourceLocation | undefined {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  // The output of describe-task-definition has it under `taskDefinition`.
  const base = doc.hasIn(['taskDefinition', 'containerDefinitions']) ? ['taskDefinition'] : [];
  const container = /^containerDefinitions\[(.*)\]\.([^.]+)$/.exec(key);
  let keys: (string | number)[] = [...base, key];
  if (container) {
    const list: unknown = doc.getIn([...base, 'containerDefinitions']);
    const items = isNode(list) ? (list.toJSON() as unknown) : list;
    const index = Array.isArray(items) ? items.findIndex((c) => record(c)?.name === container[1]) : -1;
    if (index < 0) return undefined;
    keys = [...base, 'containerDefinitions', index, container[2] ?? ''];
  }
  const offset = offsetOf(text, keys);
  if (offset === undefined) return undefined;
  return { file, ...linePosition(text, offset), title: 'Task definition file' };
}

/** Pure: keys the SDK model does not know (it would drop them silently). */
export function unknownKeys(
  taskDefinition: TaskDefinitionBody,
  known: { readonly taskDefinition: readonly string[]; readonly container: readonly string[] },
): string[] {
  const unknown = Object.keys(taskDefinition).filter((k) => !known.taskDefinition.includes(k));
  for (const c of taskDefinition.containerDefinitions ?? []) {
    for (const k of Object.keys(c)) {
      if (!known.container.includes(k)) unknown.push(`containerDefinitions[${c.name}].${k}`);
    }
  }
  return unknown;
}

export interface RenderOptions {
  /** `repo@sha256:…`: what the selected containers run. */
  readonly imageRef: string;
  /** Containers using this repository get the new image by default. */
  readonly repositoryUri: string;
  readonly containers: readonly ContainerSelection[];
  readonly environment: readonly KeyValue[];
  /** Secrets, docker labels, log configuration and command for the same containers. */
  readonly render?: ContainerRender;
}

export interface RenderedTaskDefinition {
  readonly taskDefinition: TaskDefinitionBody;
  /** What changed per container: `name: old → new`. */
  readonly changes: readonly { readonly container: string; readonly from: string; readonly to: string }[];
  /** Containers that got the new image. */
  readonly rendered: readonly string[];
  readonly hash: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  const obj = record(value);
  if (!obj) return value;
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, canonical(obj[k])]),
  );
}

/** Pure: a stable hash of a task definition body (key order does not matter). */
export function taskDefinitionHash(taskDefinition: TaskDefinitionBody): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(taskDefinition)))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The most ECS registers: RegisterTaskDefinition answers a larger one with ClientException "Actual length:
 * '…'. Max allowed length is '65536' bytes." (the developer guide's quota "Task definition size": 64 KiB).
 */
export const MAX_TASK_DEFINITION_BYTES = 65_536;

/** Pure: the task definition's size as the request carries it (compact JSON, UTF-8). */
export function taskDefinitionBytes(taskDefinition: TaskDefinitionBody): number {
  return Buffer.byteLength(JSON.stringify(taskDefinition), 'utf8');
}

/** Pure: refuses, before anything is registered, a task definition ECS would refuse for its size. */
export function checkTaskDefinitionSize(taskDefinition: TaskDefinitionBody): void {
  const bytes = taskDefinitionBytes(taskDefinition);
  if (bytes <= MAX_TASK_DEFINITION_BYTES) return;
  const largest = (taskDefinition.containerDefinitions ?? [])
    .map((c) => ({ name: c.name ?? '?', bytes: Buffer.byteLength(JSON.stringify(c), 'utf8') }))
    .sort((a, b) => b.bytes - a.bytes)[0];
  throw new InputError(
    Input.TaskDefinition,
    `the task definition ${taskDefinition.family ?? ''} would be ${bytes.toLocaleString('en-US')} bytes, and ECS registers at most ${MAX_TASK_DEFINITION_BYTES.toLocaleString('en-US')} (64 KiB)${largest ? `; the largest container is ${largest.name} (${largest.bytes.toLocaleString('en-US')} bytes)` : ''}. Make it smaller: move large values out of environment and the file (secrets from Secrets Manager or SSM, environmentFiles from S3).`,
  );
}

/**
 * Pure: puts the image into the selected containers (default: every container whose image is in our
 * repository) and sets `environment` on them. Unknown container names fail (ContainerSelectionError),
 * listing the names that exist.
 */
export function renderTaskDefinition(
  source: TaskDefinitionBody,
  options: RenderOptions,
): RenderedTaskDefinition {
  const containers = (source.containerDefinitions ?? []).map((c) => ({ ...c }));
  const selected = selectContainers(
    containers.map((c) => ({ name: c.name ?? '', image: typeof c.image === 'string' ? c.image : undefined })),
    {
      owner: `task definition ${source.family ?? '(no family)'}`,
      imageRef: options.imageRef,
      repositoryUri: options.repositoryUri,
      selection: options.containers,
    },
  );
  const changes: { container: string; from: string; to: string }[] = [];
  const problems: InputError[] = [];
  for (const [index, c] of containers.entries()) {
    const image = selected.get(c.name ?? '');
    if (image === undefined) continue;
    if (c.image !== image) changes.push({ container: c.name ?? '', from: String(c.image ?? ''), to: image });
    c.image = image;
    if (options.environment.length > 0) {
      const env = [...(c.environment ?? [])];
      for (const { name, value } of options.environment) {
        const i = env.findIndex((e) => e.name === name);
        if (i >= 0) env[i] = { ...env[i], name, value };
        else env.push({ name, value });
      }
      c.environment = env;
    }
    if (options.render) {
      const applied = applyContainerRender(c, options.render, {
        owner: `task definition ${source.family ?? '(no family)'}`,
        environment: options.environment,
      });
      containers[index] = applied.container as ContainerDefinitionBody;
      problems.push(...applied.problems.map((p) => new InputError(p.input, p.message)));
    }
  }
  const [first, ...more] = problems;
  if (first) throw more.length > 0 ? new InputErrors(problems) : first;
  const taskDefinition: TaskDefinitionBody = { ...source, containerDefinitions: containers };
  checkTaskDefinitionSize(taskDefinition);
  return {
    taskDefinition,
    changes,
    rendered: [...selected.keys()],
    hash: taskDefinitionHash(taskDefinition),
  };
}

export const COMMIT_TAG = 'ecr-deploy:commit';
export const RUN_URL_TAG = 'ecr-deploy:run-url';

/** Commit and run of the deploy, recorded on each registered revision (who deployed what, from AWS's side). */
export interface Provenance {
  readonly commit?: string;
  readonly runUrl?: string;
}

/** Pure: the commit and run URL from the runner's variables (what a tag value may hold; else left out). */
export function provenanceOf(env: NodeJS.ProcessEnv): Provenance {
  const commit = /^[0-9a-f]{7,64}$/i.test(env.GITHUB_SHA ?? '') ? env.GITHUB_SHA : undefined;
  const runUrl =
    env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
      : undefined;
  const tagValue = (v: string | undefined) =>
    v && v.length <= 256 && /^[\w .:/=+\-@]*$/.test(v) ? v : undefined;
  const c = tagValue(commit);
  const r = tagValue(runUrl);
  return { ...(c ? { commit: c } : {}), ...(r ? { runUrl: r } : {}) };
}

/**
 * Pure: the tags to register with: the source's, with our render hash (and, when known, the commit and run
 * URL of this deploy) replaced.
 */
export function tagsWithHash(tags: readonly Tag[], hash: string, provenance: Provenance = {}): Tag[] {
  const ours = new Set([RENDER_HASH_TAG, COMMIT_TAG, RUN_URL_TAG]);
  return [
    ...tags.filter((t) => !ours.has(t.key)),
    { key: RENDER_HASH_TAG, value: hash },
    ...(provenance.commit ? [{ key: COMMIT_TAG, value: provenance.commit }] : []),
    ...(provenance.runUrl ? [{ key: RUN_URL_TAG, value: provenance.runUrl }] : []),
  ];
}

/** Pure: a line-by-line description of what differs between two task definitions, for dry runs. */
export function diffTaskDefinitions(before: unknown, after: unknown, prefix = ''): string[] {
  const a = record(before);
  const b = record(after);
  if (Array.isArray(before) && Array.isArray(after)) {
    const lines: string[] = [];
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const label = record(after[i])?.name ?? record(before[i])?.name ?? i;
      lines.push(...diffTaskDefinitions(before[i], after[i], `${prefix}[${String(label)}]`));
    }
    return lines;
  }
  if (a && b) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffTaskDefinitions(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === undefined) return [`+ ${prefix}: ${JSON.stringify(after)}`];
  if (after === undefined) return [`- ${prefix}: ${JSON.stringify(before)}`];
  return [`~ ${prefix}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`];
}
