import { describe, expect, it } from 'vitest';
import {
  RENDER_HASH_TAG,
  diffTaskDefinitions,
  keyLocation,
  parseTaskDefinitionFile,
  renderTaskDefinition,
  tagsWithHash,
  unknownKeys,
  type TaskDefinitionBody,
} from '../../src/ecs/task-definition.ts';
import { imageRepository } from '../../src/image/reference.ts';
import { locationOf } from '../../src/report/annotation.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app';
const REF = `${REPO}@sha256:${'a'.repeat(64)}`;

const td: TaskDefinitionBody = {
  family: 'web',
  cpu: '256',
  containerDefinitions: [
    { name: 'app', image: `${REPO}:1.0.0`, environment: [{ name: 'MODE', value: 'x' }], essential: true },
    { name: 'migrate', image: `${REPO}@sha256:${'b'.repeat(64)}`, essential: false },
    { name: 'envoy', image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1', essential: true },
  ],
};

describe('parseTaskDefinitionFile', () => {
  const described = {
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
      family: 'web',
      revision: 7,
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.ecr-auth' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: '2026-01-01T00:00:00Z',
      registeredBy: 'arn:aws:iam::123456789012:role/x',
      cpu: '256',
      pidMode: '',
      containerDefinitions: [{ name: 'app', image: 'x', cpu: 0, environment: [] }],
    },
    tags: [{ key: 'team', value: 'web' }],
  };

  it('takes describe-task-definition output, stripping only what Describe adds', () => {
    const parsed = parseTaskDefinitionFile(JSON.stringify(described), 'td.json');
    expect(parsed.taskDefinition).toEqual({
      family: 'web',
      cpu: '256',
      pidMode: '',
      containerDefinitions: [{ name: 'app', image: 'x', cpu: 0, environment: [] }],
    });
    expect(parsed.tags).toEqual([{ key: 'team', value: 'web' }]);
  });

  it('takes the bare task definition and YAML alike', () => {
    const yaml =
      'family: web\ncontainerDefinitions:\n  - name: app\n    image: x\ntags:\n  - key: a\n    value: b\n';
    expect(parseTaskDefinitionFile(yaml, 'td.yaml')).toEqual({
      taskDefinition: { family: 'web', containerDefinitions: [{ name: 'app', image: 'x' }] },
      tags: [{ key: 'a', value: 'b' }],
    });
  });

  it.each([
    ['{\n  "family": "web",\n  "containerDefinitions": [ , ]\n}', /td: invalid JSON at line 3, column 29/],
    ['family: web\ncontainerDefinitions:\n  - name: app\n   image: x\n', /td: invalid YAML at line 4/],
    ['{"family": "web"}', /td: has no containerDefinitions/],
    ['{"containerDefinitions": [{"name": "a"}]}', /td: has no family/],
    ['{"family": "web", "containerDefinitions": [{"image": "a"}]}', /containerDefinitions\[0\] has no name/],
    ['[1, 2]', /td: is not an object/],
  ])('names the file and the problem: %s', (text, message) => {
    expect(() => parseTaskDefinitionFile(text, 'td')).toThrow(message);
  });

  const thrown = (text: string) => {
    try {
      parseTaskDefinitionFile(text, 'td.json');
    } catch (error) {
      return { message: (error as Error).message, location: locationOf(error) };
    }
    throw new Error('parsed');
  };
  const td = (...lines: string[]) => lines.join('\n');
  it.each([
    [
      'a JSON syntax error, from its offset',
      td('{', '  "family": "web",', '  "containerDefinitions": [ , ]', '}'),
      { line: 3, column: 29 },
    ],
    [
      'a YAML syntax error',
      td('family: web', 'containerDefinitions:', '  - name: app', '   image: x'),
      { line: 4 },
    ],
    [
      'a container without a name: that container',
      td(
        '{',
        '  "family": "web",',
        '  "containerDefinitions": [',
        '    {"name": "a"},',
        '    {"image": "b"}',
        '  ]',
        '}',
      ),
      { line: 5, column: 5 },
    ],
    [
      'a container without a name inside the describe wrapper',
      td('taskDefinition:', '  family: web', '  containerDefinitions:', '    - image: b'),
      { line: 4, column: 7 },
    ],
    [
      'a tag without a key: that tag',
      td('{"family": "web", "containerDefinitions": [{"name": "a"}],', ' "tags": [', '  {"value": "x"}]}'),
      { line: 3, column: 3 },
    ],
    ['no containerDefinitions: the mapping', td('', '{"family": "web"}'), { line: 2, column: 1 }],
    [
      'no family: the mapping',
      td('{', '  "containerDefinitions": [{"name": "a"}]', '}'),
      { line: 1, column: 1 },
    ],
  ])('annotates %s on its line', (_what, text, at) => {
    const { message, location } = thrown(text);
    expect(message).toMatch(/^Task definition td\.json: /);
    expect(location).toMatchObject({ file: 'td.json', title: 'Task definition file', ...at });
  });
});

describe('keyLocation', () => {
  const json = [
    '{',
    '  "family": "web",',
    '  "cpuu": "256",',
    '  "containerDefinitions": [',
    '    {"name": "side", "image": "b"},',
    '    {"name": "app",',
    '     "portMapping": []}',
    '  ]',
    '}',
  ].join('\n');
  const wrapped = [
    'taskDefinition:',
    '  family: web',
    '  containerDefinitions:',
    '    - name: app',
    '      imgae: x',
  ].join('\n');
  it.each([
    ['a task-level key', json, 'cpuu', { line: 3, column: 11 }],
    ['a key of the named container', json, 'containerDefinitions[app].portMapping', { line: 7, column: 21 }],
    ['inside the describe wrapper', wrapped, 'containerDefinitions[app].imgae', { line: 5, column: 14 }],
    ['a container that is not there', json, 'containerDefinitions[api].x', undefined],
    ['text that does not parse', '{"a": [}', 'a', undefined],
  ])('%s', (_what, text, key, at) => {
    const found = keyLocation(text, 'td.json', key);
    if (at === undefined) expect(found).toBeUndefined();
    else expect(found).toEqual({ file: 'td.json', title: 'Task definition file', ...at });
  });
});

describe('unknownKeys', () => {
  it('lists keys the SDK model would drop, at task and container level', () => {
    const known = { taskDefinition: ['family', 'containerDefinitions', 'cpu'], container: ['name', 'image'] };
    expect(
      unknownKeys(
        {
          family: 'a',
          cpu: '1',
          cpuu: 'x',
          containerDefinitions: [{ name: 'app', image: 'i', imagee: 'j' }],
        },
        known,
      ),
    ).toEqual(['cpuu', 'containerDefinitions[app].imagee']);
  });
});

describe('renderTaskDefinition', () => {
  it('gives every container of our repository the image by digest, and leaves the others', () => {
    const out = renderTaskDefinition(td, {
      imageRef: REF,
      repositoryUri: REPO,
      containers: [],
      environment: [],
    });
    expect(out.taskDefinition.containerDefinitions?.map((c) => c.image)).toEqual([
      REF,
      REF,
      'public.ecr.aws/appmesh/aws-appmesh-envoy:v1',
    ]);
    expect(out.rendered).toEqual(['app', 'migrate']);
    expect(out.changes.map((c) => c.container)).toEqual(['app', 'migrate']);
    expect(td.containerDefinitions?.[0]?.image).toBe(`${REPO}:1.0.0`); // the source is not modified
  });

  it('renders only the chosen containers, with explicit images and environment', () => {
    const out = renderTaskDefinition(td, {
      imageRef: REF,
      repositoryUri: REPO,
      containers: [
        { name: 'app', image: undefined },
        { name: 'envoy', image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v2' },
      ],
      environment: [
        { name: 'MODE', value: 'prod' },
        { name: 'NEW', value: '1' },
      ],
    });
    const [app, migrate, envoy] = out.taskDefinition.containerDefinitions ?? [];
    expect(app?.image).toBe(REF);
    expect(app?.environment).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'NEW', value: '1' },
    ]);
    expect(migrate?.image).toBe(`${REPO}@sha256:${'b'.repeat(64)}`);
    expect(envoy?.image).toBe('public.ecr.aws/appmesh/aws-appmesh-envoy:v2');
    expect(envoy?.environment).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'NEW', value: '1' },
    ]);
  });

  it('fails on an unknown container, listing the names that exist', () => {
    expect(() =>
      renderTaskDefinition(td, {
        imageRef: REF,
        repositoryUri: REPO,
        containers: [{ name: 'api', image: undefined }],
        environment: [],
      }),
    ).toThrow(
      'Task definition web has no container "api"; its containers are: app, migrate, envoy. Fix the containers input.',
    );
  });

  it('fails when no container uses our repository and none is chosen', () => {
    expect(() =>
      renderTaskDefinition(td, {
        imageRef: 'o/x@sha256:1',
        repositoryUri: 'other/repo',
        containers: [],
        environment: [],
      }),
    ).toThrow(/No container of task definition web uses other\/repo: app \(.*\).*Set containers/);
  });

  it('hashes the same render the same way, and a different image differently', () => {
    const opts = { imageRef: REF, repositoryUri: REPO, containers: [], environment: [] };
    const a = renderTaskDefinition(td, opts);
    const reordered = { containerDefinitions: td.containerDefinitions, cpu: td.cpu, family: td.family };
    expect(renderTaskDefinition(reordered, opts).hash).toBe(a.hash);
    expect(renderTaskDefinition(td, { ...opts, imageRef: `${REPO}@sha256:${'c'.repeat(64)}` }).hash).not.toBe(
      a.hash,
    );
  });
});

describe('helpers', () => {
  it.each([
    [`${REPO}:1.0`, REPO],
    [`${REPO}@sha256:${'a'.repeat(64)}`, REPO],
    [`${REPO}:1.0@sha256:${'a'.repeat(64)}`, REPO],
    ['127.0.0.1:5000/app:v1', '127.0.0.1:5000/app'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app'],
  ])('imageRepository(%s) = %s', (image, repo) => {
    expect(imageRepository(image)).toBe(repo);
  });

  it('replaces our hash tag and keeps the others', () => {
    expect(
      tagsWithHash(
        [
          { key: 'team', value: 'web' },
          { key: RENDER_HASH_TAG, value: 'old' },
        ],
        'new',
      ),
    ).toEqual([
      { key: 'team', value: 'web' },
      { key: RENDER_HASH_TAG, value: 'new' },
    ]);
  });

  it('diffs task definitions by path, containers by name', () => {
    const after = renderTaskDefinition(td, {
      imageRef: REF,
      repositoryUri: REPO,
      containers: [{ name: 'app', image: undefined }],
      environment: [{ name: 'NEW', value: '1' }],
    }).taskDefinition;
    expect(diffTaskDefinitions(td, after)).toEqual([
      `~ containerDefinitions[app].environment[NEW]: undefined → {"name":"NEW","value":"1"}`.replace(
        '~ containerDefinitions[app].environment[NEW]: undefined → ',
        '+ containerDefinitions[app].environment[NEW]: ',
      ),
      `~ containerDefinitions[app].image: "${REPO}:1.0.0" → "${REF}"`,
    ]);
  });
});
