import { describe, expect, it } from 'vitest';
import { InputError, InputErrors } from '../../src/errors.ts';
import {
  NO_CONTAINER_RENDER,
  applyContainerRender,
  logConfigurationProblems,
  parseCommand,
  parseDockerLabels,
  parseLogDriver,
  parseLogOptions,
  parseSecrets,
  type ContainerRender,
} from '../../src/ecs/render-container.ts';
import { renderTaskDefinition, type TaskDefinitionBody } from '../../src/ecs/task-definition.ts';

const SM = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf';
const SSM = 'arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key';
const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app';
const REF = `${REPO}@sha256:${'a'.repeat(64)}`;

function inputError(read: () => unknown): InputError {
  try {
    read();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no InputError');
}

describe('parseSecrets', () => {
  it.each([
    ['', []],
    [`DB=${SM}`, [{ name: 'DB', valueFrom: SM }]],
    [`DB=${SM}:password::`, [{ name: 'DB', valueFrom: `${SM}:password::` }]],
    [
      `\n API_KEY = ${SSM} \n\nDB=${SM}`,
      [
        { name: 'API_KEY', valueFrom: SSM },
        { name: 'DB', valueFrom: SM },
      ],
    ],
    [
      'CN=arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x',
      [{ name: 'CN', valueFrom: 'arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x' }],
    ],
  ])('%j → %j', (value, want) => {
    expect(parseSecrets(value)).toEqual(want);
  });

  it.each([
    ['DB', /line 1 \("DB"\) is not KEY=VALUE/],
    ['DB=hunter2', /DB: "hunter2" is not a Secrets Manager secret ARN .* or an SSM parameter ARN/],
    ['DB=arn:aws:ssm:eu-west-1:123456789012:secret:x', /not a Secrets Manager secret ARN/],
    ['DB=arn:aws:secretsmanager:eu-west-1:1234:secret:x', /not a Secrets Manager secret ARN/],
    [`1DB=${SM}`, /"1DB" is not a variable name/],
    [`DB=${SM}\nDB=${SSM}`, /DB is given twice/],
  ])('refuses %j', (value, message) => {
    const error = inputError(() => parseSecrets(value));
    expect(error.input).toBe('secrets');
    expect(error.message).toMatch(message);
  });

  it('names both inputs when a secret is also a plain environment variable', () => {
    const error = inputError(() => parseSecrets(`MODE=${SM}`, [{ name: 'MODE', value: 'x' }]));
    expect(error.input).toBe('secrets');
    expect(error.message).toMatch(/MODE is in both secrets and environment/);
  });

  it('lists every bad line of the input in one error', () => {
    const error = inputError(() => parseSecrets(`A=x\nB=${SM}\nC\nB=${SSM}`));
    expect(error.message.split('\n- ').slice(1)).toHaveLength(3);
    expect(error.message).toMatch(/A: "x"/);
    expect(error.message).toMatch(/line 3 \("C"\)/);
    expect(error.message).toMatch(/B is given twice/);
  });
});

describe('parseDockerLabels, parseLogDriver, parseLogOptions', () => {
  it.each([
    ['', []],
    [
      'com.example.team=payments\nversion=1.2=3',
      [
        { name: 'com.example.team', value: 'payments' },
        { name: 'version', value: '1.2=3' },
      ],
    ],
    ['empty=', [{ name: 'empty', value: '' }]],
  ])('labels %j → %j', (value, want) => {
    expect(parseDockerLabels(value)).toEqual(want);
  });

  it.each([
    ['=x', 'docker-labels', /is not KEY=VALUE/],
    ['a=1\na=2', 'docker-labels', /a is given twice/],
  ])('labels %j refused', (value, input, message) => {
    const error = inputError(() => parseDockerLabels(value));
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['', undefined],
    ['awslogs', 'awslogs'],
    [' awsfirelens ', 'awsfirelens'],
  ])('log driver %j → %j', (value, want) => {
    expect(parseLogDriver(value)).toBe(want);
  });

  it('refuses a log driver ECS does not know, listing those it knows', () => {
    const error = inputError(() => parseLogDriver('cloudwatch'));
    expect(error.input).toBe('log-configuration-log-driver');
    expect(error.message).toMatch(
      /"cloudwatch" is not a log driver ECS knows. Use one of json-file, .*awslogs/,
    );
  });

  it('log options are key=value lines, each key once', () => {
    expect(parseLogOptions('awslogs-group=/ecs/web\nawslogs-region=eu-west-1')).toEqual([
      { name: 'awslogs-group', value: '/ecs/web' },
      { name: 'awslogs-region', value: 'eu-west-1' },
    ]);
    expect(inputError(() => parseLogOptions('mode')).input).toBe('log-configuration-options');
  });
});

describe('logConfigurationProblems (awslogs)', () => {
  const ok = { 'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1' };
  it.each([
    [{ ...ok }, []],
    [{ ...ok, 'awslogs-stream-prefix': 'web', mode: 'non-blocking', 'max-buffer-size': '25m' }, []],
    [{ 'awslogs-group': '/ecs/web' }, ['awslogs needs awslogs-region.']],
    [{ ...ok, 'awslogs-grup': 'x' }, [expect.stringMatching(/^awslogs does not take awslogs-grup \(/)]],
    [{ ...ok, mode: 'fast' }, ['awslogs mode "fast" is neither blocking nor non-blocking.']],
    [{ ...ok, 'awslogs-create-group': 'yes' }, ['awslogs-create-group "yes" is neither true nor false.']],
    [
      { ...ok, 'awslogs-datetime-format': '%Y', 'awslogs-multiline-pattern': '^x' },
      ['awslogs takes awslogs-datetime-format or awslogs-multiline-pattern, not both.'],
    ],
  ])('%j → %j', (options, want) => {
    expect(logConfigurationProblems({ logDriver: 'awslogs', options })).toEqual(want);
  });

  it('other drivers’ options are theirs to judge', () => {
    expect(logConfigurationProblems({ logDriver: 'fluentd', options: { anything: 'x' } })).toEqual([]);
  });
});

describe('parseCommand', () => {
  it.each([
    ['', undefined],
    ['["node", "server.js"]', ['node', 'server.js']],
    ['node server.js --port 8080', ['node', 'server.js', '--port', '8080']],
    [`sh -c 'echo "$HOME" && exit 0'`, ['sh', '-c', 'echo "$HOME" && exit 0']],
    ['echo "a b" c\\ d ""', ['echo', 'a b', 'c d', '']],
    ['echo "say \\"hi\\"" \\$HOME', ['echo', 'say "hi"', '$HOME']],
    ['  spaced   out  ', ['spaced', 'out']],
  ])('%j → %j', (value, want) => {
    expect(parseCommand(value)).toEqual(want);
  });

  it.each([
    ['["node", 1]', /non-empty JSON array of strings/],
    ['[]', /non-empty JSON array of strings/],
    ['[node]', /starts with \[ but is not a JSON array/],
    ['echo "open', /unclosed " quote/],
  ])('refuses %j', (value, message) => {
    const error = inputError(() => parseCommand(value));
    expect(error.input).toBe('command');
    expect(error.message).toMatch(message);
  });
});

describe('applyContainerRender: explicit merges', () => {
  const render = (over: Partial<ContainerRender>): ContainerRender => ({ ...NO_CONTAINER_RENDER, ...over });
  const base = {
    name: 'app',
    image: 'x',
    environment: [{ name: 'MODE', value: 'x' }],
    secrets: [
      { name: 'DB', valueFrom: SM },
      { name: 'OLD', valueFrom: SSM },
    ],
    dockerLabels: { team: 'web', tier: 'front' },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/old', 'awslogs-region': 'eu-west-1' },
      secretOptions: [{ name: 'x', valueFrom: SSM }],
    },
    command: ['old'],
  };
  const apply = (r: Partial<ContainerRender>, environment: { name: string; value: string }[] = []) =>
    applyContainerRender(base, render(r), { owner: 'task definition web', environment });

  it.each([
    ['nothing given changes nothing', {}, base],
    [
      'a secret replaces the one of the same name; new ones are added',
      {
        secrets: [
          { name: 'DB', valueFrom: SSM },
          { name: 'NEW', valueFrom: SM },
        ],
      },
      {
        ...base,
        secrets: [
          { name: 'DB', valueFrom: SSM },
          { name: 'OLD', valueFrom: SSM },
          { name: 'NEW', valueFrom: SM },
        ],
      },
    ],
    [
      'labels merge key by key',
      {
        dockerLabels: [
          { name: 'tier', value: 'back' },
          { name: 'commit', value: 'abc' },
        ],
      },
      { ...base, dockerLabels: { team: 'web', tier: 'back', commit: 'abc' } },
    ],
    [
      'options merge into the same driver, keeping its other fields',
      { logConfiguration: { logDriver: undefined, options: [{ name: 'awslogs-group', value: '/ecs/new' }] } },
      {
        ...base,
        logConfiguration: {
          ...base.logConfiguration,
          options: { 'awslogs-group': '/ecs/new', 'awslogs-region': 'eu-west-1' },
        },
      },
    ],
    [
      'another driver starts with only the options given',
      { logConfiguration: { logDriver: 'fluentd', options: [{ name: 'tag', value: 'web' }] } },
      { ...base, logConfiguration: { logDriver: 'fluentd', options: { tag: 'web' } } },
    ],
    [
      'the command replaces the container’s',
      { command: ['node', 'server.js'] },
      { ...base, command: ['node', 'server.js'] },
    ],
  ])('%s', (_, r, want) => {
    const out = apply(r);
    expect(out.problems).toEqual([]);
    expect(out.container).toEqual(want);
  });

  it('does not change the container it was given', () => {
    const before = JSON.stringify(base);
    apply({ secrets: [{ name: 'X', valueFrom: SM }], dockerLabels: [{ name: 'a', value: 'b' }] });
    expect(JSON.stringify(base)).toBe(before);
  });

  it.each([
    [
      'a secret named like the file’s plain variable',
      { secrets: [{ name: 'MODE', valueFrom: SM }] },
      [],
      'secrets',
      /MODE would be both a secret and a plain environment variable in container app of task definition web/,
    ],
    [
      'an environment input named like the container’s secret',
      {},
      [{ name: 'DB', value: 'plain' }],
      'environment',
      /DB would be both a secret and a plain environment variable/,
    ],
    [
      'options without a driver on a container that has none',
      { logConfiguration: { logDriver: undefined, options: [{ name: 'tag', value: 'x' }] } },
      [],
      'log-configuration-options',
      /has no log configuration to add options to/,
    ],
    [
      'awslogs without its region',
      { logConfiguration: { logDriver: 'awslogs', options: [{ name: 'awslogs-group', value: '/x' }] } },
      [],
      'log-configuration-options',
      /container app of task definition web: awslogs needs awslogs-region/,
    ],
  ])('refuses %s, naming the input', (_, r, environment, input, message) => {
    const container = input === 'log-configuration-options' ? { ...base, logConfiguration: undefined } : base;
    const withEnv =
      input === 'environment'
        ? { ...container, environment: [...base.environment, ...environment] }
        : container;
    const out = applyContainerRender(withEnv, render(r), { owner: 'task definition web', environment });
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]!.input).toBe(input);
    expect(out.problems[0]!.message).toMatch(message);
  });
});

describe('renderTaskDefinition with the render inputs', () => {
  const td: TaskDefinitionBody = {
    family: 'web',
    containerDefinitions: [
      { name: 'app', image: `${REPO}:1`, environment: [{ name: 'MODE', value: 'x' }] },
      { name: 'envoy', image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1' },
    ],
  };
  const full: ContainerRender = {
    secrets: [{ name: 'DB', valueFrom: SM }],
    dockerLabels: [{ name: 'team', value: 'web' }],
    logConfiguration: {
      logDriver: 'awslogs',
      options: [
        { name: 'awslogs-group', value: '/ecs/web' },
        { name: 'awslogs-region', value: 'eu-west-1' },
      ],
    },
    command: ['node', 'server.js'],
  };

  it('applies them to the containers that get the new image only, and the hash follows them', () => {
    const plain = renderTaskDefinition(td, {
      imageRef: REF,
      repositoryUri: REPO,
      containers: [],
      environment: [],
    });
    const out = renderTaskDefinition(td, {
      imageRef: REF,
      repositoryUri: REPO,
      containers: [],
      environment: [],
      render: full,
    });
    const [app, envoy] = out.taskDefinition.containerDefinitions!;
    expect(app).toMatchObject({
      image: REF,
      secrets: [{ name: 'DB', valueFrom: SM }],
      dockerLabels: { team: 'web' },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
      command: ['node', 'server.js'],
    });
    expect(envoy).toEqual(td.containerDefinitions![1]);
    expect(out.hash).not.toBe(plain.hash);
  });

  it('reports every problem at once, each naming its input', () => {
    let caught: unknown;
    try {
      renderTaskDefinition(
        {
          ...td,
          containerDefinitions: [
            { name: 'app', image: `${REPO}:1`, secrets: [{ name: 'DB', valueFrom: SM }] },
          ],
        },
        {
          imageRef: REF,
          repositoryUri: REPO,
          containers: [],
          environment: [{ name: 'DB', value: 'x' }],
          render: { ...full, secrets: [], logConfiguration: { logDriver: 'awslogs', options: [] } },
        },
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputErrors);
    expect((caught as InputErrors).errors.map((e) => e.input)).toEqual([
      'environment',
      'log-configuration-options',
      'log-configuration-options',
    ]);
  });

  it('the 64 KiB check applies after rendering', () => {
    const labels = Array.from({ length: 700 }, (_, i) => ({ name: `label.${i}`, value: 'v'.repeat(90) }));
    const error = inputError(() =>
      renderTaskDefinition(td, {
        imageRef: REF,
        repositoryUri: REPO,
        containers: [],
        environment: [],
        render: { ...NO_CONTAINER_RENDER, dockerLabels: labels },
      }),
    );
    expect(error.input).toBe('task-definition');
    expect(error.message).toMatch(
      /would be [\d,]+ bytes, and ECS registers at most 65,536 .* largest container is app/,
    );
  });
});
