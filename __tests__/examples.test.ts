import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionContract,
  asWorkflow,
  checkWorkflow,
  workflowSnippets,
  type ActionContract,
} from './workflow-check.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const EXAMPLES = join(ROOT, 'examples', 'workflows');
const examples = readdirSync(EXAMPLES)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const snippets = workflowSnippets(readFileSync(join(ROOT, 'README.md'), 'utf8'));

let contract: ActionContract;
beforeAll(async () => {
  contract = await actionContract(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
});

describe("the example workflows, checked by GitHub's workflow parser and against action.yml", () => {
  it('reads action.yml with the same parser: every input and output', () => {
    expect(contract.inputs).toContain('repository');
    expect(contract.inputs).toContain('ecs-service');
    expect(contract.outputs).toContain('image-ref');
    expect(contract.outputs).toContain('results');
    expect(contract.inputs.size).toBeGreaterThan(30);
  });

  it('has the examples the README points to', () => {
    expect(examples).toEqual([
      'deploy-on-push.yml',
      'ecs-oidc.yml',
      'eks.yml',
      'monorepo.yml',
      'pr-preview-cleanup.yml',
      'pr-preview-eks.yml',
      'pr-preview.yml',
      'release-on-tag.yml',
    ]);
  });

  it.each(examples)('%s parses without errors and uses only real inputs and outputs', async (file) => {
    const check = await checkWorkflow(file, readFileSync(join(EXAMPLES, file), 'utf8'), contract);
    expect(check.problems).toEqual([]);
    expect(check.actionSteps).toBeGreaterThan(0);
  });
});

describe('the README’s workflow snippets', () => {
  it('finds every ```yaml block that uses the action', () => {
    // The first lines of the README, Usage, Deploy to Amazon ECS, Preview environments, Deploy to Amazon EKS.
    expect(snippets).toHaveLength(5);
  });

  it.each(snippets.map((s) => [s.name, s] as const))('%s parses without errors', async (_name, snippet) => {
    const check = await checkWorkflow(snippet.name, snippet.workflow, contract);
    expect(check.problems).toEqual([]);
    expect(check.actionSteps).toBe(1);
  });
});

// The same checker must reject what is wrong, or the passing tests above prove nothing.
const VALID = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - id: deploy
        uses: org/ecr-deploy@v1
        with:
          repository: my-app
          dockerfile: docker/Dockerfile
      - run: echo "\${{ steps.deploy.outputs.image-ref }}"
`;

describe('the checker', () => {
  it('accepts the valid workflow the broken ones are made from', async () => {
    const check = await checkWorkflow('valid.yml', VALID, contract);
    expect(check).toEqual({ problems: [], actionSteps: 1 });
  });

  it.each([
    {
      what: 'an unknown input (file: for dockerfile:)',
      workflow: VALID.replace('dockerfile:', 'file:'),
      error: /valid\.yml \(Line: 10, Col: 11\): job deploy: "file" is not an input of org\/ecr-deploy/,
    },
    {
      what: 'a misspelled output',
      workflow: VALID.replace('outputs.image-ref', 'outputs.image-digets'),
      error: /job deploy: "image-digets" is not an output of org\/ecr-deploy/,
    },
    {
      what: 'an output of a step id that does not exist',
      workflow: VALID.replace('steps.deploy.outputs', 'steps.image.outputs'),
      error: /job deploy: no step has the id "image"/,
    },
    {
      what: 'invalid YAML (an unclosed flow mapping)',
      workflow: VALID.replace('repository: my-app', 'repository: { my-app'),
      error: /Flow map in block collection must be sufficiently indented and end with a \} at line 10/,
    },
    {
      what: 'an invalid workflow key (runs_on)',
      workflow: VALID.replace('runs-on:', 'runs_on:'),
      error: /\(Line: 4, Col: 5\): Unexpected value 'runs_on'/,
    },
    {
      what: 'a step with neither uses nor run',
      workflow: VALID.replace('- run: echo', '- name: echo'),
      error: /\(Line: 11, Col: 9\): There's not enough info to determine what you meant/,
    },
    {
      what: 'an invalid expression',
      workflow: VALID.replace('steps.deploy.outputs.image-ref', 'steps.deploy.outputs.image-ref ==='),
      error: /\(Line: 11, Col: 14\): Unexpected symbol: '='/,
    },
    {
      what: 'an unknown event (pushh)',
      workflow: VALID.replace('on: push', 'on: pushh'),
      error: /\(Line: 1, Col: 5\): Unexpected value 'pushh'/,
    },
    {
      what: 'an invalid permission level',
      workflow: VALID.replace('  deploy:\n', '  deploy:\n    permissions: { id-token: writ }\n'),
      error: /\(Line: 4, Col: 30\): Unexpected value 'writ'/,
    },
    {
      what: 'a context the job-level key does not allow (steps in concurrency)',
      workflow: VALID.replace(
        '    runs-on:',
        '    concurrency: ${{ steps.deploy.outputs.image-ref }}\n    runs-on:',
      ),
      error: /Unrecognized named-value: 'steps'/,
    },
    {
      what: 'a README-style step list with an unknown input',
      workflow: asWorkflow('- uses: org/ecr-deploy@v1\n  with:\n    repository: my-app\n    cluster: prod\n'),
      error: /"cluster" is not an input of org\/ecr-deploy/,
    },
  ])('rejects $what', async ({ workflow, error }) => {
    const check = await checkWorkflow('valid.yml', workflow, contract);
    expect(check.problems.join('\n')).toMatch(error);
  });
});
