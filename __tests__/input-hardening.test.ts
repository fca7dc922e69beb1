import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { InputError, InputErrors } from '../src/errors.ts';
import { foreignPullRequestTarget } from '../src/github-context.ts';
import { imageReferenceProblem } from '../src/image/reference.ts';
import { maskableParts } from '../src/image/secret-masking.ts';
import {
  MAX_DESIRED_COUNT,
  checkUntrustedBuild,
  inputVariable,
  parseContainers,
  parseDesiredCount,
  parseNamedValues,
  parsePreDeployCommand,
  parseTarget,
  readInputs,
} from '../src/inputs.ts';
import { isWithin } from '../src/workspace-path.ts';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

let workspace: string;
let outside: string;

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'hardening-ws-'));
  outside = mkdtempSync(path.join(tmpdir(), 'hardening-out-'));
  writeFileSync(path.join(outside, 'Dockerfile'), 'FROM scratch\n');
  mkdirSync(path.join(workspace, 'app'));
  writeFileSync(path.join(workspace, 'app', 'Dockerfile'), 'FROM scratch\n');
  // A committed Dockerfile that is a symlink out of the checkout, and one that stays inside.
  mkdirSync(path.join(workspace, 'evil'));
  symlinkSync('/proc/self/environ', path.join(workspace, 'evil', 'Dockerfile'));
  mkdirSync(path.join(workspace, 'linked'));
  symlinkSync('../app/Dockerfile', path.join(workspace, 'linked', 'Dockerfile'));
  symlinkSync(outside, path.join(workspace, 'out-link'));
  writeFileSync(path.join(workspace, 'event-fork.json'), JSON.stringify(forkEvent('fork-owner/app')));
  writeFileSync(path.join(workspace, 'event-same.json'), JSON.stringify(forkEvent('octo-org/app')));
  writeFileSync(path.join(workspace, 'huge.json'), 'x'.repeat(2 * 1024 * 1024));
});

afterEach(() => {
  vi.restoreAllMocks();
});

function forkEvent(head: string) {
  return {
    pull_request: {
      number: 7,
      head: { sha: 'a'.repeat(40), repo: { full_name: head } },
      base: { repo: { full_name: 'octo-org/app' } },
    },
  };
}

/** Inputs as the runner gives them, the step's other variables in `extra`. */
function env(overrides: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const all = { ...defaults, repository: 'my-app', 'aws-region': 'eu-west-1', context: 'app', ...overrides };
  return {
    GITHUB_WORKSPACE: workspace,
    ...Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v])),
    ...extra,
  };
}

function errorsOf(fn: () => unknown): InputError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputErrors) return [...e.errors];
    if (e instanceof InputError) return [e];
    throw e;
  }
  return [];
}

const read = (overrides: Record<string, string>, extra: Record<string, string> = {}) =>
  errorsOf(() => readInputs({ env: env(overrides, extra), cwd: workspace }));

describe('isWithin', () => {
  it.each([
    ['/ws', '/ws', true],
    ['/ws/a/b', '/ws', true],
    ['/ws/..x', '/ws', true],
    ['/ws2/a', '/ws', false],
    ['/', '/ws', false],
    ['/proc/self/environ', '/ws', false],
  ])('%s within %s: %s', (child, parent, inside) => {
    expect(isWithin(child, parent)).toBe(inside);
  });
});

describe('paths outside the workspace are refused before anything reads them', () => {
  it.each([
    [
      { dockerfile: '/proc/self/environ' },
      'dockerfile',
      /resolves to \/proc\/(self|\d+)\/environ, outside the workspace/,
    ],
    [{ dockerfile: '../' + 'x'.repeat(3) }, 'dockerfile', /outside the workspace|does not exist/],
    [
      { context: 'evil' },
      'dockerfile',
      /the Dockerfile of the build context .* resolves to \/proc\/\d+\/environ/,
    ],
    [{ context: '/' }, 'context', /build context "\/" resolves to \/, outside the workspace/],
    [{ context: 'out-link' }, 'context', /outside the workspace/],
  ])('%j → %s', (overrides, input, message) => {
    const errors = read(overrides);
    expect(errors.map((e) => e.input)).toContain(input);
    const error = errors.find((e) => e.input === input)!;
    expect(error.message).toMatch(message);
  });

  it('never quotes what the file outside holds', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const errors = read({ dockerfile: '/proc/self/environ' }, { AWS_SECRET_ACCESS_KEY: secret });
    const text = errors.map((e) => e.message).join('\n');
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/PATH=/i);
  });

  it('accepts a symlink that stays inside the workspace', () => {
    const inputs = readInputs({ env: env({ context: 'linked' }), cwd: workspace });
    expect(inputs.source).toMatchObject({
      kind: 'build',
      dockerfile: path.join(workspace, 'linked', 'Dockerfile'),
    });
  });
});

describe('foreignPullRequestTarget', () => {
  it.each([
    ['pull_request_target', forkEvent('fork-owner/app'), { head: 'fork-owner/app', base: 'octo-org/app' }],
    ['pull_request_target', forkEvent('Octo-Org/App'), undefined],
    ['pull_request_target', {}, { head: undefined, base: undefined }],
    ['pull_request', forkEvent('fork-owner/app'), undefined],
    ['push', {}, undefined],
  ])('%s %j → %j', (event, payload, expected) => {
    expect(foreignPullRequestTarget(event, payload)).toEqual(expected);
  });
});

describe('checkUntrustedBuild', () => {
  const target = { GITHUB_EVENT_NAME: 'pull_request_target' };
  it('refuses a fork under pull_request_target, naming the input, the fork and the fix', () => {
    const [error] = errorsOf(() => checkUntrustedBuild(target, forkEvent('fork-owner/app'), false));
    expect(error?.input).toBe('allow-untrusted-build');
    expect(error?.message).toMatch(/from fork-owner\/app into octo-org\/app/);
    expect(error?.message).toMatch(/allow-untrusted-build: true/);
  });
  it.each([
    ['allowed explicitly', target, forkEvent('fork-owner/app'), true],
    ['the same repository', target, forkEvent('octo-org/app'), false],
    ['a pull_request event (no secrets)', { GITHUB_EVENT_NAME: 'pull_request' }, forkEvent('x/y'), false],
  ])('lets %s build', (_, e, payload, allowed) => {
    expect(() => checkUntrustedBuild(e, payload, allowed)).not.toThrow();
  });

  it('is read from GITHUB_EVENT_PATH by readInputs; an existing image needs no permission', () => {
    const fork = {
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: path.join(workspace, 'event-fork.json'),
    };
    expect(read({}, fork).map((e) => e.input)).toEqual(['allow-untrusted-build']);
    expect(read({ 'allow-untrusted-build': 'true' }, fork)).toEqual([]);
    expect(
      read(
        { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:1.2.3', repository: '', context: '' },
        fork,
      ),
    ).toEqual([]);
    const same = { ...fork, GITHUB_EVENT_PATH: path.join(workspace, 'event-same.json') };
    expect(read({}, same)).toEqual([]);
    expect(read({ 'allow-untrusted-build': 'maybe' }, fork).map((e) => e.input)).toEqual([
      'allow-untrusted-build',
    ]);
  });
});

describe('imageReferenceProblem', () => {
  it.each([
    'nginx',
    'nginx:1.25',
    'library/nginx:1.25-alpine',
    'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app@sha256:' + 'a'.repeat(64),
    'localhost:5000/app:dev',
    '127.0.0.1:5000/a__b/c-d.e:tag_1',
  ])('accepts %s', (image) => {
    expect(imageReferenceProblem(image)).toBeUndefined();
  });
  it.each([
    ['bad image!!', /white space/],
    ['Nginx:1', /path component "Nginx"/],
    ['app:', /invalid tag ""/],
    ['app:-x', /invalid tag "-x"/],
    ['app@sha256:xyz', /digest/],
    ['bad_host_/app', /path component "bad_host_"/],
    ['exa_mple.com/app:1', /registry host "exa_mple.com"/],
    ['a/' + 'b'.repeat(260), /longer than 255/],
  ])('refuses %s', (image, why) => {
    expect(imageReferenceProblem(image)).toMatch(why);
  });
});

describe('containers', () => {
  it('refuses an image that is not a reference, naming the container and the fix', () => {
    expect(() => parseContainers('app=bad image!!')).toThrow(
      /Input "containers": the image of container "app" contains white space\. Write name=image/,
    );
    expect(parseContainers('app\nlog=public.ecr.aws/fluent/fluent-bit:3')).toEqual([
      { name: 'app', image: undefined },
      { name: 'log', image: 'public.ecr.aws/fluent/fluent-bit:3' },
    ]);
  });
  it('is checked for EKS as well, with the other bad inputs', () => {
    const errors = read({
      'eks-cluster': 'prod',
      deployment: 'web',
      containers: 'app=bad image!!',
      target: 'two words',
    });
    expect(errors.map((e) => e.input).sort()).toEqual(['containers', 'target']);
  });
});

describe('desired-count', () => {
  it.each([
    ['0', 0],
    ['3', 3],
    [String(MAX_DESIRED_COUNT), MAX_DESIRED_COUNT],
  ])('%s → %d', (value, count) => {
    expect(parseDesiredCount(value)).toBe(count);
  });
  it.each([
    ['99999999999999999999', /not a whole number this action can hold/],
    [String(MAX_DESIRED_COUNT + 1), /more than 2147483647, the largest count ECS's UpdateService takes/],
    ['-1', /not a whole number/],
    ['1e3', /not a whole number/],
    ['2.5', /not a whole number/],
  ])('refuses %s', (value, why) => {
    expect(() => parseDesiredCount(value)).toThrow(why);
  });
});

describe('target, build-args and labels', () => {
  it.each([
    ['', undefined],
    ['builder', 'builder'],
    ['Stage_2.final-x', 'Stage_2.final-x'],
  ])('target %j → %j', (value, stage) => {
    expect(parseTarget(value)).toBe(stage);
  });
  it.each(['two words', '2nd', 'a;b', '-x'])('refuses target %j', (value) => {
    expect(() => parseTarget(value)).toThrow(/Input "target": .* is not a build stage name/);
  });
  it.each([
    ['labels', 'team name=payments', /"team name" contains white space/],
    ['build-args', 'A\tB=1', /contains white space/],
  ] as const)('refuses %s %j', (input, value, why) => {
    expect(() => parseNamedValues(input, value)).toThrow(why);
  });
  it('keeps values with spaces', () => {
    expect(parseNamedValues('labels', 'org.example.title=Hello world')).toEqual([
      { name: 'org.example.title', value: 'Hello world' },
    ]);
  });
});

describe('all input errors together', () => {
  it('reports each bad input once, each naming its input', () => {
    const errors = read({
      dockerfile: '/proc/self/environ',
      target: 'two words',
      labels: 'a b=c',
      'ecs-cluster': 'c',
      'ecs-service': 's',
      containers: 'app=bad image!!',
      'desired-count': '99999999999999999999',
      'task-definition': 'huge.json',
    });
    expect(errors.map((e) => e.input).sort()).toEqual(
      ['containers', 'desired-count', 'dockerfile', 'labels', 'target', 'task-definition'].sort(),
    );
    const huge = errors.find((e) => e.input === 'task-definition')!;
    expect(huge.message).toMatch(/2,097,152 bytes; ECS registers a task definition of at most 65,536 bytes/);
  });
});

describe('build secrets are masked, short ones too', () => {
  it.each([
    ['ab', ['ab']],
    ['x', ['x']],
    ['  padded  ', ['padded']],
    ['line one\nab\n\n', ['line one\nab', 'line one', 'ab']],
    ['\n \n', []],
  ])('%j → %j', (value, parts) => {
    expect(maskableParts(value)).toEqual(parts);
  });

  it('readInputs masks every value (inline, env: and file:) and warns about short ones', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    writeFileSync(path.join(workspace, 'token.txt'), 'file-secret-value\n');
    readInputs({
      env: env(
        { 'build-secrets': 'a=xy\nb=env:SHORT_ONE\nc=file:token.txt\nd=long-enough-value' },
        { SHORT_ONE: 'q' },
      ),
      cwd: workspace,
    });
    const out = write.mock.calls.map((c) => String(c[0])).join('');
    write.mockRestore();
    for (const value of ['xy', 'q', 'file-secret-value', 'long-enough-value']) {
      expect(out).toContain(`::add-mask::${value}`);
    }
    expect(out).toMatch(
      /::warning::Build secrets a, b: a value \(or line\) shorter than 4 characters is masked/,
    );
  });
});

describe('pre-deploy-command', () => {
  it.each([
    ['["bin/migrate","--yes"]', ['bin/migrate', '--yes']],
    [JSON.stringify(['x'.repeat(8000)]), ['x'.repeat(8000)]],
  ])('%s fits RunTask', (value, command) => {
    expect(parsePreDeployCommand(value)).toEqual(command);
  });
  it('refuses a command RunTask cannot take (overrides over 8,192 characters)', () => {
    expect(() => parsePreDeployCommand(JSON.stringify(['sh', '-c', 'y'.repeat(8200)]))).toThrow(
      /Input "pre-deploy-command": is 8,261 characters as RunTask's overrides, and ECS takes at most 8,192/,
    );
  });
});
