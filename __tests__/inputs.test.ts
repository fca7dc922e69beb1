import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError, InputErrors } from '../src/errors.ts';
import { inputVariable, parseRegistry, readInputs, unknownInputs } from '../src/inputs.ts';

let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'inputs-'));
  writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM busybox\n');
  mkdirSync(path.join(workspace, 'app'));
  writeFileSync(path.join(workspace, 'app', 'Containerfile'), 'FROM busybox\n');
});

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

/** Inputs as the runner gives them: every input of action.yml with its default, then the overrides. */
function env(overrides: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const all = { ...defaults, repository: 'my-app', 'aws-region': 'eu-west-1', ...overrides };
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
      registry: undefined,
      region: 'eu-west-1',
      createRepository: false,
      tagMutability: 'MUTABLE',
      tags: [],
      source: {
        kind: 'build',
        repository: 'my-app',
        context: workspace,
        dockerfile: path.join(workspace, 'Dockerfile'),
        buildArgs: [],
        target: undefined,
        platforms: [],
        labels: [],
        provenance: false,
        builder: 'auto',
        secrets: [],
        cache: undefined,
        skipExisting: true,
      },
      target: undefined,
      deploy: {
        wait: true,
        timeoutMs: 900_000,
        failFastAfter: 2,
        rollbackOnFailure: true,
        rollbackOnCancel: false,
        dryRun: false,
      },
    });
  });

  it('parses lists, key-values and booleans as written', () => {
    const inputs = read(
      {
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
        'build-secrets': 'npm=tok=en\ngh=env:GH_TOKEN\nnetrc=file:app/Containerfile',
        cache: 'registry',
        'skip-existing': 'false',
      },
      { GH_TOKEN: 'ghs_x' },
    );
    expect(inputs.registry).toBe('210987654321');
    expect(inputs.createRepository).toBe(true);
    expect(inputs.tagMutability).toBe('IMMUTABLE');
    expect(inputs.tags).toEqual(['stable', 'prod', 'edge']);
    expect(inputs.source).toEqual({
      kind: 'build',
      repository: 'team/my-app',
      context: path.join(workspace, 'app'),
      dockerfile: path.join(workspace, 'app', 'Containerfile'),
      buildArgs: [
        { name: 'VERSION', value: '1.2.3' },
        { name: 'QUERY', value: 'a=b&c=d' },
      ],
      labels: [{ name: 'org.example.team', value: 'web' }],
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      target: 'runtime',
      provenance: true,
      builder: 'auto',
      secrets: [
        { id: 'npm', source: { kind: 'value', value: 'tok=en' } },
        { id: 'gh', source: { kind: 'env', name: 'GH_TOKEN' } },
        { id: 'netrc', source: { kind: 'file', path: path.join(workspace, 'app', 'Containerfile') } },
      ],
      cache: 'registry',
      skipExisting: false,
    });
  });

  it('reads an existing image instead of build inputs', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const inputs = read({
      repository: '',
      image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2.3@${digest}`,
      tags: 'prod',
    });
    expect(inputs.source).toEqual({
      kind: 'image',
      reference: {
        host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        path: 'team/app',
        tag: '1.2.3',
        digest,
      },
    });
    expect(inputs.tags).toEqual(['prod']);
    expect(read({ repository: '', image: 'localhost:5000/app:v1' }).source).toEqual({
      kind: 'image',
      reference: { host: 'localhost:5000', path: 'app', tag: 'v1', digest: undefined },
    });
  });

  it('reads an ECS target and the deploy options', () => {
    writeFileSync(path.join(workspace, 'web.json'), '{}');
    const inputs = read({
      'ecs-cluster': 'prod',
      'ecs-service': 'web\nworker',
      'task-definition': 'web=web.json',
      containers: 'app\nenvoy=public.ecr.aws/appmesh/aws-appmesh-envoy:v1',
      environment: 'MODE=prod',
      'force-new-deployment': 'true',
      'desired-count': '3',
      'pre-deploy-command': '["bin/migrate", "--yes"]',
      wait: 'false',
      timeout: '1h30m',
      'fail-fast-after': '0',
      'rollback-on-failure': 'false',
      'rollback-on-cancel': 'true',
      'dry-run': 'true',
    });
    expect(inputs.target).toEqual({
      kind: 'ecs',
      cluster: 'prod',
      services: ['web', 'worker'],
      taskDefinitionFiles: new Map([['web', path.join(workspace, 'web.json')]]),
      containers: [
        { name: 'app', image: undefined },
        { name: 'envoy', image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1' },
      ],
      environment: [{ name: 'MODE', value: 'prod' }],
      forceNewDeployment: true,
      desiredCount: 3,
      preDeployCommand: ['bin/migrate', '--yes'],
    });
    expect(inputs.deploy).toEqual({
      wait: false,
      timeoutMs: 5_400_000,
      failFastAfter: 0,
      rollbackOnFailure: false,
      rollbackOnCancel: true,
      dryRun: true,
    });
  });

  it('reads an EKS target, sharing containers with ECS', () => {
    const inputs = read({
      'eks-cluster': 'prod-cluster',
      namespace: 'web',
      deployment: 'frontend\napi',
      containers: 'app',
    });
    expect(inputs.target).toEqual({
      kind: 'eks',
      cluster: 'prod-cluster',
      namespace: 'web',
      deployments: ['frontend', 'api'],
      containers: [{ name: 'app', image: undefined }],
    });
    expect(read({ 'eks-cluster': 'c', deployment: 'x' }).target).toMatchObject({ namespace: 'default' });
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
    { input: 'registry', value: '1234', message: /not an AWS account id or an ECR registry host.*12-digit/ },
    {
      input: 'registry',
      value: '210987654321.dkr.ecr.us-east-1.amazonaws.com',
      message: /is in us-east-1, but the step works in eu-west-1.*set aws-region to us-east-1/,
    },
    {
      input: 'registry',
      value: '210987654321.dkr.ecr.eu-west-1.example.com',
      message: /not an AWS account id/,
    },
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
    { input: 'image', value: 'my-app:1.2.3', message: /has no registry host/, extra: { repository: '' } },
    {
      input: 'image',
      value: 'r.example.com/app',
      message: /names no tag or digest/,
      extra: { repository: '' },
    },
    {
      input: 'image',
      value: 'r.example.com/app@sha256:abc',
      message: /digest that is not sha256/,
      extra: { repository: '' },
    },
    {
      input: 'image',
      value: 'r.example.com/app:1',
      message: /deploys an existing image, so nothing is built; remove repository, build-args/,
      extra: { 'build-args': 'A=1' },
    },
    {
      input: 'image',
      value: 'r.example.com/app:1',
      message: /remove create-repository/,
      extra: { repository: '', 'create-repository': 'true' },
    },
    { input: 'build-secrets', value: 'no-equals', message: /line 1 does not start with a secret id/ },
    { input: 'build-secrets', value: 'a=1\na=2', message: /secret id "a" is given twice/ },
    { input: 'build-secrets', value: 'tok=env:NOPE_NOT_SET', message: /NOPE_NOT_SET, which is not set/ },
    { input: 'build-secrets', value: 'f=file:missing.txt', message: /missing.txt, which does not exist/ },
    { input: 'cache', value: 's3', message: /"s3" is not a cache mode. Use registry .* or gha/ },
    { input: 'skip-existing', value: 'maybe', message: /"maybe" is not a boolean/ },
    {
      input: 'ecs-cluster',
      value: '',
      message: /is required with ecs-service/,
      extra: { 'ecs-service': 'web' },
    },
    {
      input: 'ecs-service',
      value: '',
      message: /is required with ecs-cluster/,
      extra: { 'ecs-cluster': 'prod' },
    },
    {
      input: 'ecs-cluster',
      value: 'prod cluster',
      message: /not an ECS cluster name or ARN/,
      extra: { 'ecs-service': 'web' },
    },
    {
      input: 'ecs-service',
      value: 'web\nweb',
      message: /names a service twice/,
      extra: { 'ecs-cluster': 'p' },
    },
    {
      input: 'task-definition',
      value: 'Dockerfile',
      message: /one file for 2 services is ambiguous.*service=path/,
      extra: { 'ecs-cluster': 'p', 'ecs-service': 'web\napi' },
    },
    {
      input: 'task-definition',
      value: 'api=Dockerfile',
      message: /must be service=path with a service from ecs-service \(web\)/,
      extra: { 'ecs-cluster': 'p', 'ecs-service': 'web' },
    },
    {
      input: 'task-definition',
      value: 'nope.json',
      message: /nope.json does not exist/,
      extra: { 'ecs-cluster': 'p', 'ecs-service': 'web' },
    },
    { input: 'task-definition', value: 'x.json', message: /only applies to a deploy/ },
    {
      input: 'containers',
      value: 'app\napp',
      message: /container "app" is named twice/,
      extra: { 'ecs-cluster': 'p', 'ecs-service': 'w' },
    },
    {
      input: 'containers',
      value: '=img',
      message: /does not start with a container name/,
      extra: { 'ecs-cluster': 'p', 'ecs-service': 'w' },
    },
    {
      input: 'desired-count',
      value: '-1',
      message: /"-1" is not a whole number/,
      extra: { 'ecs-cluster': 'p', 'ecs-service': 'w' },
    },
    {
      input: 'pre-deploy-command',
      value: 'bin/migrate --yes',
      message: /must be a JSON array of strings.*\["bin\/migrate", "--yes"\]/,
      extra: { 'ecs-cluster': 'p', 'ecs-service': 'w' },
    },
    {
      input: 'eks-cluster',
      value: 'prod',
      message: /one step deploys to ECS or to EKS, not both/,
      extra: { deployment: 'web', 'ecs-cluster': 'c', 'ecs-service': 's' },
    },
    { input: 'eks-cluster', value: '', message: /is required with deployment/, extra: { deployment: 'web' } },
    {
      input: 'deployment',
      value: '',
      message: /is required with eks-cluster/,
      extra: { 'eks-cluster': 'c' },
    },
    {
      input: 'deployment',
      value: 'Web_App',
      message: /not a Kubernetes object name/,
      extra: { 'eks-cluster': 'c' },
    },
    {
      input: 'namespace',
      value: 'Prod',
      message: /not a namespace name/,
      extra: { 'eks-cluster': 'c', deployment: 'w' },
    },
    {
      input: 'task-definition',
      value: 'Dockerfile',
      message: /applies to ECS deploys only/,
      extra: { 'eks-cluster': 'c', deployment: 'w' },
    },
    { input: 'timeout', value: '30x', message: /invalid duration "30x". Use number \+ unit: 30s, 5m, 1h/ },
    { input: 'timeout', value: '0s', message: /invalid duration "0s"/ },
    { input: 'timeout', value: '600h', message: /"600h" is longer than .*120h.*Give a shorter duration/ },
    {
      input: 'fail-fast-after',
      value: '99999999999999999999',
      message: /"99999999999999999999" is not a whole number this action can hold/,
    },
    { input: 'fail-fast-after', value: 'two', message: /"two" is not a whole number/ },
    { input: 'wait', value: 'yes', message: /"yes" is not a boolean/ },
    { input: 'dry-run', value: 'on', message: /"on" is not a boolean/ },
    { input: 'platforms', value: 'amd64', message: /"amd64" is not a platform.*linux\/amd64/ },
  ];

  it.each(bad)('$input = "$value" → error naming the input', ({ input, value, message, extra }) => {
    const error = errorOf(() => read({ ...extra, [input]: value }));
    expect(error.input).toBe(input);
    expect(error.message).toMatch(new RegExp(`^Input "${input}": `));
    expect(error.message).toMatch(message);
  });

  it('reports every bad input at once, each naming its input, in the order of the inputs', () => {
    let error: unknown;
    try {
      read({
        'aws-region': 'eu-west-1a',
        timeout: '30x',
        wait: 'yes',
        platforms: 'amd64',
        'ecs-cluster': 'c',
        'ecs-service': 'web',
        'desired-count': '-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputErrors);
    const errors = (error as InputErrors).errors;
    expect(errors.map((e) => e.input)).toEqual([
      'aws-region',
      'platforms',
      'desired-count',
      'wait',
      'timeout',
    ]);
    for (const e of errors) expect(e.message).toMatch(new RegExp(`^Input "${e.input}": `));
    expect((error as Error).message.split('\n')).toHaveLength(5);
  });

  it('one bad input is that InputError itself, reported once', () => {
    const error = errorOf(() => read({ 'create-repository': 'yes', image: 'x/y:1' }));
    expect(error.input).toBe('create-repository');
  });

  it('explains a missing Dockerfile in the context', () => {
    // Inside the workspace: a context outside it is refused for that alone.
    const empty = mkdtempSync(path.join(workspace, 'ctx-'));
    const error = errorOf(() => readInputs({ env: env({ context: empty }), cwd: workspace }));
    expect(error.input).toBe('dockerfile');
    expect(error.message).toMatch(/no Dockerfile in the build context/);
  });
});

describe('parseRegistry', () => {
  it.each([
    ['210987654321', '210987654321'],
    ['210987654321.dkr.ecr.eu-west-1.amazonaws.com', '210987654321'],
    ['https://210987654321.dkr.ecr.eu-west-1.amazonaws.com/', '210987654321'],
    ['210987654321.dkr.ecr-fips.eu-west-1.amazonaws.com', '210987654321'],
    ['', undefined],
  ])('%s → %s', (value, account) => {
    expect(parseRegistry(value, 'eu-west-1')).toBe(account);
  });
  it('takes the China partition host in its region', () => {
    expect(parseRegistry('210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn', 'cn-north-1')).toBe(
      '210987654321',
    );
  });
});

describe('unknownInputs', () => {
  it.each([
    ['INPUT_FILE', 'file', 'dockerfile'],
    ['INPUT_REPO', 'repo', 'repository'],
    ['INPUT_BUILD_ARGS', 'build_args', 'build-args'],
    ['INPUT_ECS-SERVICES', 'ecs-services', 'ecs-service'],
    ['INPUT_TIMEOUT-MINUTES', 'timeout-minutes', 'timeout'],
    ['INPUT_CLUSTER', 'cluster', 'ecs-cluster'],
    ['INPUT_WHATEVER-ELSE-ENTIRELY', 'whatever-else-entirely', undefined],
  ])('%s → "%s", closest %s', (variable, given, closest) => {
    expect(unknownInputs({ [variable]: 'x', INPUT_REPOSITORY: 'my-app', 'INPUT_BUILD-ARGS': '' })).toEqual([
      { given, closest },
    ]);
  });

  it('finds nothing when every INPUT_ variable is an input of action.yml', () => {
    expect(unknownInputs(env({ timeout: '5m' }))).toEqual([]);
  });
});
