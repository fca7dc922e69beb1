import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError, InputErrors } from '../../src/errors.ts';
import { inputVariable, readInputs } from '../../src/inputs.ts';

let workspace: string;
beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'preview-inputs-'));
  writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM busybox\n');
  mkdirSync(path.join(workspace, 'k8s'));
});

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};
const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/preview/50dc6c495c0c9188/f2f7dc8efc522ab2';

/** Inputs as the runner gives them: every input with its default, then the step's `with:`. */
function read(given: Record<string, string>) {
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const all = { ...defaults, repository: 'my-app', 'aws-region': 'eu-west-1', ...given };
  const env = Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v]));
  return readInputs({ env, cwd: workspace });
}

function messages(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((x) => x.message);
    if (e instanceof InputError) return [e.message];
    throw e;
  }
  throw new Error('expected an input error');
}

const base = { 'ecs-cluster': 'preview', 'ecs-service': 'web', preview: 'true' };
const eks = { 'eks-cluster': 'k', namespace: 'shop', manifests: 'k8s', preview: 'true' };

describe('preview inputs', () => {
  it('reads a preview with a listener', () => {
    expect(
      read({
        ...base,
        'preview-url': 'https://pr-{number}.preview.example.com',
        'preview-listener': LISTENER,
        'preview-desired-count': '2',
      }).preview,
    ).toEqual({
      urlTemplate: 'https://pr-{number}.preview.example.com',
      listenerArn: LISTENER,
      desiredCount: 2,
      allowForks: false,
      githubToken: undefined,
    });
  });

  it('has no preview by default, and one task with preview: true alone', () => {
    expect(read({ 'ecs-cluster': 'c', 'ecs-service': 'web' }).preview).toBeUndefined();
    expect(read(base).preview).toEqual({
      urlTemplate: undefined,
      listenerArn: undefined,
      desiredCount: 1,
      allowForks: false,
      githubToken: undefined,
    });
  });

  it('reads preview: cleanup as a cleanup run; any other value is refused naming the modes', () => {
    expect(read({ ...base, preview: 'cleanup' }).preview?.cleanup).toBe(true);
    expect(read(base).preview?.cleanup).toBeUndefined();
    expect(messages(() => read({ ...base, preview: 'clean' }))).toEqual([
      expect.stringMatching(/"preview": "clean" is not a preview mode\. Use true .*false, or cleanup/),
    ]);
  });

  it('takes github-token as given, and the unevaluated default outside a runner as none', () => {
    expect(read({ ...base, 'github-token': 'ghs_abc' }).preview?.githubToken).toBe('ghs_abc');
    expect(read({ ...base, 'github-token': '${{ github.token }}' }).preview?.githubToken).toBeUndefined();
  });

  it('reads an EKS preview of manifests, in both modes', () => {
    expect(
      read({ ...eks, 'preview-url': 'https://pr-{number}.example.com', 'github-token': 'ghs_x' }).preview,
    ).toEqual({
      urlTemplate: 'https://pr-{number}.example.com',
      listenerArn: undefined,
      desiredCount: 0,
      allowForks: false,
      githubToken: 'ghs_x',
    });
    expect(read({ ...eks, preview: 'cleanup' }).preview?.cleanup).toBe(true);
    expect(read({ ...eks, 'allow-fork-previews': 'true' }).preview?.allowForks).toBe(true);
  });

  it.each([
    [
      'an EKS target with deployment (no manifests to copy)',
      { preview: 'true', 'eks-cluster': 'k', deployment: 'web' },
      /"preview": with an EKS target needs manifests/,
    ],
    [
      'preview-listener with an EKS target',
      { ...eks, 'preview-url': 'https://x.example.com', 'preview-listener': LISTENER },
      /"preview-listener": applies to ECS previews only/,
    ],
    [
      'preview-desired-count with an EKS target',
      { ...eks, 'preview-desired-count': '2' },
      /"preview-desired-count": applies to ECS previews only/,
    ],
    ['a bad URL with an EKS target', { ...eks, 'preview-url': 'pr-{number}' }, /"preview-url": .*not a URL/],
    [
      'no target',
      { preview: 'true' },
      /"preview": needs ecs-cluster and ecs-service .* or eks-cluster and manifests/,
    ],
    [
      'two base services',
      { ...base, 'ecs-service': 'web\napi' },
      /"ecs-service": with preview: true, give exactly one/,
    ],
    [
      'desired-count',
      { ...base, 'desired-count': '3' },
      /"desired-count": does not apply with preview: true/,
    ],
    [
      'a listener without a URL',
      { ...base, 'preview-listener': LISTENER },
      /"preview-url": is required with preview-listener/,
    ],
    [
      'a bad listener ARN',
      {
        ...base,
        'preview-url': 'https://x.example.com',
        'preview-listener': 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1',
      },
      /"preview-listener": .* is not an ELBv2 listener ARN/,
    ],
    ['a URL that is none', { ...base, 'preview-url': 'pr-{number}' }, /"preview-url": .*not a URL/],
    [
      'a count that is none',
      { ...base, 'preview-desired-count': 'one' },
      /"preview-desired-count": "one" is not a whole number/,
    ],
    [
      'preview-url without preview',
      { 'ecs-cluster': 'c', 'ecs-service': 'web', 'preview-url': 'https://x.example.com' },
      /"preview-url": only applies with preview: true/,
    ],
    ['preview: yes', { ...base, preview: 'yes' }, /"preview"/],
  ])('rejects %s', (_what, given, message) => {
    expect(messages(() => read(given)).join('\n')).toMatch(message);
  });
});
