import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.ts';
import { inputVariable, readInputs } from '../src/inputs.ts';

let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'inputs-'));
  writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM busybox\n');
  mkdirSync(path.join(workspace, 'app'));
  writeFileSync(path.join(workspace, 'app', 'Containerfile'), 'FROM busybox\n');
});

/** Inputs as the runner gives them: every input of action.yml with its default, then the overrides. */
function env(overrides: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const defaults: Record<string, string> = {
    repository: 'my-app',
    registry: '',
    'aws-region': 'eu-west-1',
    'create-repository': 'false',
    'tag-mutability': 'MUTABLE',
    context: '.',
    dockerfile: '',
    'build-args': '',
    target: '',
    platforms: '',
    labels: '',
    tags: '',
    provenance: 'false',
    builder: 'auto',
  };
  const all = { ...defaults, ...overrides };
  return { ...Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v])), ...extra };
}

function read(overrides: Record<string, string>, extra: Record<string, string> = {}) {
  return readInputs({ env: env(overrides, extra), cwd: workspace });
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('readInputs', () => {
  it('reads the defaults into typed values', () => {
    const inputs = read({});
    expect(inputs).toEqual({
      repository: 'my-app',
      registry: undefined,
      region: 'eu-west-1',
      createRepository: false,
      tagMutability: 'MUTABLE',
      context: workspace,
      dockerfile: path.join(workspace, 'Dockerfile'),
      buildArgs: [],
      target: undefined,
      platforms: [],
      labels: [],
      tags: [],
      provenance: false,
      builder: 'auto',
    });
  });

  it('parses lists, key-values and booleans as written', () => {
    const inputs = read({
      repository: 'team/my-app',
      registry: '210987654321',
      'create-repository': 'True',
      'tag-mutability': 'immutable',
      context: 'app',
      dockerfile: 'app/Containerfile',
      'build-args': 'VERSION=1.2.3\nQUERY=a=b&c=d\n\n',
      labels: 'org.example.team=web',
      tags: 'stable, prod\nedge',
      platforms: 'linux/amd64,linux/arm64/v8',
      target: 'runtime',
      provenance: 'TRUE',
    });
    expect(inputs.repository).toBe('team/my-app');
    expect(inputs.registry).toBe('210987654321');
    expect(inputs.createRepository).toBe(true);
    expect(inputs.tagMutability).toBe('IMMUTABLE');
    expect(inputs.context).toBe(path.join(workspace, 'app'));
    expect(inputs.dockerfile).toBe(path.join(workspace, 'app', 'Containerfile'));
    expect(inputs.buildArgs).toEqual([
      { name: 'VERSION', value: '1.2.3' },
      { name: 'QUERY', value: 'a=b&c=d' },
    ]);
    expect(inputs.labels).toEqual([{ name: 'org.example.team', value: 'web' }]);
    expect(inputs.tags).toEqual(['stable', 'prod', 'edge']);
    expect(inputs.platforms).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(inputs.target).toBe('runtime');
    expect(inputs.provenance).toBe(true);
  });

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(read({ 'aws-region': '' }, { AWS_REGION: 'ap-southeast-2' }).region).toBe('ap-southeast-2');
    expect(read({ 'aws-region': '' }, { AWS_DEFAULT_REGION: 'us-gov-west-1' }).region).toBe('us-gov-west-1');
    expect(read({ 'aws-region': 'eu-central-2' }, { AWS_REGION: 'us-east-1' }).region).toBe('eu-central-2');
  });

  // Every input with a bad value: the error names the input and says what to write instead.
  const bad: Array<{ input: string; value: string; message: RegExp; extra?: Record<string, string> }> = [
    { input: 'repository', value: '', message: /is required.*ECR repository name/ },
    { input: 'repository', value: 'My_App', message: /not a valid ECR repository name/ },
    {
      input: 'repository',
      value: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:latest',
      message: /looks like an image reference.*"my-app"/,
    },
    { input: 'registry', value: '1234', message: /not an AWS account id.*12-digit/ },
    { input: 'aws-region', value: 'eu-west-1a', message: /not a region name.*not an availability zone/ },
    { input: 'aws-region', value: 'Ireland', message: /not a region name/ },
    { input: 'aws-region', value: '', message: /no region given.*AWS_REGION/ },
    { input: 'create-repository', value: 'yes', message: /"yes" is not a boolean. Use true or false/ },
    { input: 'provenance', value: '1', message: /"1" is not a boolean/ },
    { input: 'tag-mutability', value: 'sometimes', message: /not MUTABLE or IMMUTABLE/ },
    { input: 'context', value: 'missing-dir', message: /not a directory.*actions\/checkout/ },
    { input: 'dockerfile', value: 'nope/Dockerfile', message: /does not exist.*relative to the workspace/ },
    { input: 'build-args', value: 'VERSION=1\nDEBUG', message: /line 2 \("DEBUG"\) is not NAME=VALUE/ },
    { input: 'build-args', value: '=value', message: /line 1 .* is not NAME=VALUE/ },
    { input: 'labels', value: 'team web', message: /is not NAME=VALUE/ },
    { input: 'tags', value: 'ok,bad tag', message: /"bad tag" is not a valid image tag/ },
    { input: 'tags', value: '-dash', message: /must not start with \. or -/ },
    { input: 'tags', value: 'x'.repeat(129), message: /is not a valid image tag/ },
    { input: 'builder', value: 'kaniko', message: /"kaniko" is not a builder. Use auto, docker or buildah/ },
    { input: 'platforms', value: 'amd64', message: /"amd64" is not a platform.*linux\/amd64/ },
  ];

  it.each(bad)('$input = "$value" → error naming the input', ({ input, value, message, extra }) => {
    const error = errorOf(() => read({ [input]: value }, extra));
    expect(error.input).toBe(input);
    expect(error.message).toMatch(new RegExp(`^Input "${input}": `));
    expect(error.message).toMatch(message);
  });

  it('explains a missing Dockerfile in the context', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'ctx-'));
    const error = errorOf(() => readInputs({ env: env({ context: empty }), cwd: workspace }));
    expect(error.input).toBe('dockerfile');
    expect(error.message).toMatch(/no Dockerfile in the build context/);
  });
});
