import { describe, expect, it } from 'vitest';
import type { DeployResult } from '../../src/deploy/types.ts';
import type { ImageReport } from '../../src/report/image-report.ts';
import { heldBecause, stepHeading } from '../../src/report/write-report.ts';

const image = {
  repositoryUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web',
} as ImageReport;
const result = (name: string, status: DeployResult['status'] = 'completed') =>
  ({ target: 'ecs', name, status, rolledBack: false, durationSeconds: 1 }) as DeployResult;

describe('stepHeading', () => {
  it.each([
    [
      'a step with an id',
      'deploy-web',
      image,
      [result('prod/web')],
      '## ecr-deploy `deploy-web`: team/web → prod/web',
    ],
    [
      'a step without an id (the runner’s generated name is not shown)',
      '__octo-org_ecr-deploy_2',
      image,
      [result('prod/web'), result('prod/api')],
      '## ecr-deploy: team/web → prod/web, prod/api',
    ],
    ['an image without a deploy', 'build', image, undefined, '## ecr-deploy `build`: team/web'],
    [
      'a dry run of a deploy (no image)',
      undefined,
      undefined,
      [result('web/web', 'dry-run')],
      '## ecr-deploy: web/web',
    ],
    ['nothing at all', undefined, undefined, undefined, '## ecr-deploy'],
  ])('%s', (_what, stepId, img, results, heading) => {
    expect(stepHeading(stepId, img, results)).toBe(`${heading}\n`);
  });
});

describe('heldBecause', () => {
  it.each([
    ['a failed deploy', { results: [result('a', 'failed')] }, 'not-completed'],
    ['a cancelled step', { results: undefined, cancelled: 'The step was cancelled' }, 'cancelled'],
    ['a target cancelled', { results: [result('a', 'cancelled')] }, 'cancelled'],
    ['tags that could not be moved after success', { results: [result('a')], stepFails: true }, 'refused'],
  ] as const)('%s', (_what, report, because) => {
    expect(heldBecause(report)).toBe(because);
  });
});
