import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputErrors } from '../../src/errors.ts';
import { inputVariable, readInputs } from '../../src/inputs.ts';

let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'tag-inputs-'));
  writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM busybox\n');
});

/** Inputs as the runner gives them (`INPUT_*`). */
function read(inputs: Record<string, string>) {
  const all = { repository: 'my-app', 'aws-region': 'eu-west-1', ...inputs };
  const env = Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v]));
  return readInputs({ env, cwd: workspace });
}

function errorsOf(inputs: Record<string, string>): string[] {
  try {
    read(inputs);
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((e) => e.message);
    if (error instanceof Error) return [error.message];
  }
  throw new Error('expected input errors');
}

describe('tag-rules and tags as the runner gives them', () => {
  it('reads tag-rules, and leaves them undefined (the defaults) when not given', () => {
    expect(read({}).tagRules).toBeUndefined();
    expect(read({ 'tag-rules': 'latest=false\nprefix=web-' }).tagRules).toMatchObject({
      latest: 'false',
      prefix: 'web-',
    });
  });

  it('reports every bad line of tag-rules and every other bad input at once', () => {
    const errors = errorsOf({ 'tag-rules': 'latest=maybe\nmajor=nope', 'tag-mutability': 'sometimes' });
    expect(errors).toEqual([
      expect.stringMatching(/^Input "tag-mutability"/),
      expect.stringMatching(/^Input "tag-rules": "latest=maybe"/),
      expect.stringMatching(/^Input "tag-rules": "major=nope"/),
    ]);
  });

  it('takes the tag of a full reference to this repository', () => {
    const host = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const inputs = read({ tags: `${host}/my-app:1.2.3\nstable` });
    expect(inputs.tags).toEqual(['1.2.3', 'stable']);
    expect(inputs.tagReferences).toEqual([
      { given: `${host}/my-app:1.2.3`, host, repository: 'my-app', tag: '1.2.3' },
    ]);
  });

  it('refuses a reference to another repository, naming both, and a digest', () => {
    expect(errorsOf({ tags: 'other-app:1.2.3' })).toEqual([
      expect.stringMatching(
        /^Input "tags": "other-app:1.2.3" does not name this step's image \(repository my-app\)/,
      ),
    ]);
    expect(errorsOf({ tags: `my-app@sha256:${'a'.repeat(64)}` })).toEqual([
      expect.stringMatching(/^Input "tags": .* has a digest/),
    ]);
  });
});
