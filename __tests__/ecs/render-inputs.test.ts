// The render inputs as the runner gives them (INPUT_* variables), read with every other input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError, InputErrors } from '../../src/errors.ts';
import { inputVariable, readInputs } from '../../src/inputs.ts';

const SM = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf';
const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

function read(overrides: Record<string, string>) {
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const all = {
    ...defaults,
    image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app@sha256:${'a'.repeat(64)}`,
    'aws-region': 'eu-west-1',
    ...overrides,
  };
  return readInputs({
    env: Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v])),
    cwd: process.cwd(),
  });
}

const ECS = { 'ecs-cluster': 'prod', 'ecs-service': 'web' };

describe('render inputs through readInputs', () => {
  it('reads them into the ECS target', () => {
    const inputs = read({
      ...ECS,
      secrets: `DB=${SM}`,
      'docker-labels': 'team=web',
      'log-configuration-log-driver': 'awslogs',
      'log-configuration-options': 'awslogs-group=/ecs/web\nawslogs-region=eu-west-1',
      command: 'node server.js',
    });
    expect(inputs.target).toMatchObject({
      kind: 'ecs',
      render: {
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
      },
    });
  });

  it('without any of them, the target has no render', () => {
    const inputs = read(ECS);
    expect(inputs.target?.kind === 'ecs' && inputs.target.render).toBeUndefined();
  });

  it('reports every bad render input at once, each naming its input', () => {
    let caught: unknown;
    try {
      read({
        ...ECS,
        environment: 'DB=plain',
        secrets: `DB=${SM}\nTOKEN=not-an-arn`,
        'docker-labels': 'broken',
        'log-configuration-log-driver': 'cloudwatch',
        'log-configuration-options': '=x',
        command: '["unclosed"',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputErrors);
    const errors = (caught as InputErrors).errors;
    expect(errors.map((e) => e.input).sort()).toEqual([
      'command',
      'docker-labels',
      'log-configuration-log-driver',
      'log-configuration-options',
      'secrets',
    ]);
    const secrets = errors.find((e) => e.input === 'secrets')!;
    expect(secrets.message).toMatch(/DB is in both secrets and environment/);
    expect(secrets.message).toMatch(/TOKEN: "not-an-arn" is not a Secrets Manager secret ARN/);
  });

  it('only apply to an ECS deploy', () => {
    let caught: unknown;
    try {
      read({ 'docker-labels': 'team=web' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).input).toBe('docker-labels');
    expect((caught as InputError).message).toMatch(/only applies to a deploy/);
  });
});
