import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError, InputErrors } from '../../src/errors.ts';
import {
  annotationProperties,
  atLocation,
  failureAnnotations,
  linePosition,
  reportFailure,
} from '../../src/report/annotation.ts';

describe('linePosition', () => {
  it.each([
    ['abc', 0, { line: 1, column: 1 }],
    ['abc', 2, { line: 1, column: 3 }],
    ['a\nbc\nd', 3, { line: 2, column: 2 }],
    ['a\nbc\nd', 5, { line: 3, column: 1 }],
    ['ab', -4, { line: 1, column: 1 }],
  ])('%j at %i', (text, offset, position) => {
    expect(linePosition(text, offset)).toEqual(position);
  });
});

describe('annotationProperties', () => {
  const loc = { file: '/ws/deploy/td.json', line: 4, column: 7, title: 'Task definition file' };
  it.each([
    ['an absolute file in the workspace: relative to it', loc, '/ws', '/ws', { file: 'deploy/td.json' }],
    [
      'a file relative to the working directory',
      { ...loc, file: 'td.json' },
      '/ws',
      '/ws/deploy',
      { file: 'deploy/td.json' },
    ],
    [
      'a file outside the workspace: absolute',
      { ...loc, file: '/tmp/td.json' },
      '/ws',
      '/ws',
      { file: '/tmp/td.json' },
    ],
  ])('%s', (_what, location, workspace, cwd, expected) => {
    expect(annotationProperties(location, workspace, cwd)).toEqual({
      title: 'Task definition file',
      startLine: 4,
      startColumn: 7,
      ...expected,
    });
  });

  it('a location without a column has no startColumn; none at all has no properties', () => {
    expect(annotationProperties({ file: '/ws/a.yaml', line: 2, title: 'Manifest' }, '/ws', '/ws')).toEqual({
      title: 'Manifest',
      file: 'a.yaml',
      startLine: 2,
    });
    expect(annotationProperties(undefined, '/ws', '/ws')).toEqual({});
  });
});

describe('failureAnnotations', () => {
  const where = { workspace: '/ws', cwd: '/ws' };
  it('one per failure: each bad input, the located one on its file and line', () => {
    const located = atLocation(new InputError('task-definition', 'bad file'), {
      file: '/ws/td.json',
      line: 3,
      title: 'Task definition file',
    });
    const errors = new InputErrors([new InputError('timeout', 'bad'), located]);
    expect(failureAnnotations(errors, where)).toEqual([
      { message: 'Input "timeout": bad', properties: {} },
      {
        message: 'Input "task-definition": bad file',
        properties: { title: 'Task definition file', file: 'td.json', startLine: 3 },
      },
    ]);
  });

  it('a plain error is one annotation without a place', () => {
    expect(failureAnnotations(new Error('boom'), where)).toEqual([{ message: 'boom', properties: {} }]);
  });
});

describe('reportFailure', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints exactly one ::error per failure, with file and line, and fails the step', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const error = atLocation(new Error('Task definition /ws/k8s/td.json: has no family.'), {
      file: '/ws/k8s/td.json',
      line: 1,
      column: 1,
      title: 'Task definition file',
    });
    reportFailure(error, { GITHUB_WORKSPACE: '/ws' });
    const lines = written.join('').split(/\r?\n/).filter(Boolean);
    expect(lines).toEqual([
      '::error title=Task definition file,file=k8s/td.json,line=1,col=1::Task definition /ws/k8s/td.json: has no family.',
    ]);
    expect(process.exitCode).toBe(1);
  });
});
