import { describe, expect, it } from 'vitest';
import {
  MAX_TASK_DEFINITION_BYTES,
  checkTaskDefinitionSize,
  describeJsonError,
  parseTaskDefinitionFile,
  renderTaskDefinition,
  taskDefinitionBytes,
  type TaskDefinitionBody,
} from '../../src/ecs/task-definition.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app';
const IMAGE = `${REPO}@sha256:${'0'.repeat(64)}`;

/** A task definition of exactly `bytes` bytes, padded in one environment value. */
function ofSize(bytes: number): TaskDefinitionBody {
  const td: TaskDefinitionBody = {
    family: 'web',
    containerDefinitions: [{ name: 'app', image: IMAGE, environment: [{ name: 'PAD', value: '' }] }],
  };
  const pad = bytes - taskDefinitionBytes(td);
  td.containerDefinitions![0]!.environment![0]!.value = 'x'.repeat(pad);
  expect(taskDefinitionBytes(td)).toBe(bytes);
  return td;
}

describe('the task definition size ECS registers', () => {
  it.each([
    [1_000, true],
    [MAX_TASK_DEFINITION_BYTES, true],
    [MAX_TASK_DEFINITION_BYTES + 1, false],
    [50 * 1024 * 1024, false],
  ])('%d bytes: accepted %s', (bytes, accepted) => {
    const check = () => checkTaskDefinitionSize(ofSize(bytes));
    if (accepted) expect(check).not.toThrow();
    else
      expect(check).toThrow(
        new RegExp(
          `Input "task-definition": the task definition web would be ${bytes.toLocaleString('en-US')} bytes, and ECS registers at most 65,536 \\(64 KiB\\); the largest container is app`,
        ),
      );
  });

  it('counts UTF-8 bytes, not characters', () => {
    const td: TaskDefinitionBody = {
      family: 'web',
      containerDefinitions: [
        { name: 'app', image: IMAGE, environment: [{ name: 'E', value: 'é'.repeat(40_000) }] },
      ],
    };
    expect(() => checkTaskDefinitionSize(td)).toThrow(/would be 80,/);
  });

  it('is checked when rendering, so it fails in the read-only phase', () => {
    const source = ofSize(MAX_TASK_DEFINITION_BYTES - 10);
    const render = (value: string) =>
      renderTaskDefinition(source, {
        imageRef: IMAGE,
        repositoryUri: REPO,
        containers: [],
        environment: [{ name: 'EXTRA', value }],
      });
    expect(() => render('')).toThrow(/Input "task-definition"/);
    const small = ofSize(500);
    expect(
      renderTaskDefinition(small, { imageRef: IMAGE, repositoryUri: REPO, containers: [], environment: [] })
        .rendered,
    ).toEqual(['app']);
  });
});

describe('JSON errors of a task definition file', () => {
  it.each([
    ['{"a": SECRETVALUE123}', 'SECRETVALU'],
    ['{ PATH=/usr/bin:/secret-value-here', 'PATH'],
    ['{"a":1} trailing-secret', 'trailing'],
  ])('%s: the message gives the position, never the text', (text, hidden) => {
    let message = '';
    try {
      JSON.parse(text);
    } catch (error) {
      message = describeJsonError((error as Error).message);
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(hidden);
    expect(() => parseTaskDefinitionFile(text, 'td.json')).toThrow(/^Task definition td\.json: invalid JSON/);
    expect(() => parseTaskDefinitionFile(text, 'td.json')).not.toThrow(new RegExp(hidden));
  });
});
