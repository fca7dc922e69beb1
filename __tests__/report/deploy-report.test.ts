import { describe, expect, it } from 'vitest';
import { deployOutputs, deploySummary, revisionChange } from '../../src/report/deploy-report.ts';
import { formatDuration, parseDurationMs } from '../../src/deploy/duration.ts';
import type { DeployResult } from '../../src/deploy/types.ts';

const web: DeployResult = {
  target: 'ecs',
  name: 'prod/web',
  status: 'rolled-back',
  rolledBack: true,
  durationSeconds: 42.5,
  reason: 'failed: 2 task(s) of the new revision failed for good',
  consoleUrl:
    'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/deployments?region=eu-west-1',
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8',
  previousTaskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
  deploymentId: 'ecs-svc/123',
};

describe('deploy outputs and summary', () => {
  it('sets results and the scalar outputs for one target', () => {
    expect(deployOutputs([web])).toEqual({
      results: JSON.stringify([web]),
      'rollout-status': 'rolled-back',
      'rolled-back': 'true',
      'task-definition-arn': web.taskDefinitionArn,
      'previous-task-definition-arn': web.previousTaskDefinitionArn,
      'deployment-id': 'ecs-svc/123',
    });
  });

  it('sets only results for several targets', () => {
    const api = {
      ...web,
      name: 'prod/api',
      status: 'completed' as const,
      rolledBack: false,
      reason: undefined,
    };
    expect(Object.keys(deployOutputs([web, api]))).toEqual(['results']);
  });

  it('summarises a row per target and the reasons', () => {
    const md = deploySummary([web]);
    expect(md).toContain(
      '| [prod/web](https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/deployments?region=eu-west-1) | web:7 → web:8 | ecs-svc/123 | ↩️ rolled back | 42.5 s |',
    );
    expect(md).toContain('- **prod/web**: failed: 2 task(s) of the new revision failed for good');
    expect(md).not.toContain('auto scaling');
    expect(md).not.toContain('CloudTrail');
  });

  const eks = (over: Partial<DeployResult>): DeployResult =>
    ({
      target: 'eks',
      name: 'web/api',
      status: 'completed',
      rolledBack: false,
      durationSeconds: 3,
      ...over,
    }) as DeployResult;
  const arn = (rev: string) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/${rev}`;
  it.each([
    ['ECS: previous → new task definition', { ...web }, 'web:7 → web:8'],
    [
      'ECS: a shared family, from another family',
      { ...web, previousTaskDefinitionArn: arn('web-old:3'), taskDefinitionArn: arn('shared:2') },
      'web-old:3 → shared:2',
    ],
    ['ECS: unchanged (the same revision)', { ...web, previousTaskDefinitionArn: arn('web:8') }, 'web:8'],
    ['ECS: nothing registered (failed to render)', { ...web, taskDefinitionArn: undefined }, 'web:7'],
    [
      'ECS: nothing known',
      { ...web, taskDefinitionArn: undefined, previousTaskDefinitionArn: undefined },
      '',
    ],
    ['EKS: the Deployment’s revision', eks({ previousRevision: '3', revision: '4' }), '3 → 4'],
    ['EKS: unchanged', eks({ previousRevision: '4', revision: '4' }), '4'],
    ['EKS: first revision known only', eks({ revision: '1' }), '1'],
  ])('the revision column: %s', (_what, result, text) => {
    expect(revisionChange(result as DeployResult)).toBe(text);
  });

  it('adds the auto scaling the deploy left, per ECS target', () => {
    const md = deploySummary([{ ...web, autoScaling: '2–10 tasks, cpu 60 %' }]);
    expect(md).toContain('- **prod/web**: auto scaling 2–10 tasks, cpu 60 %');
  });

  it('points at CloudTrail for the step window, a minute of slack each side, filtered by the run id', () => {
    const md = deploySummary([web], {
      region: 'eu-west-1',
      startedAt: new Date('2026-12-03T12:00:30.250Z'),
      endedAt: new Date('2026-12-03T12:04:10.900Z'),
      runId: '4242',
    });
    expect(md).toContain(
      '[CloudTrail event history](https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events) between 2026-12-03T11:59:30Z and 2026-12-03T12:05:10Z, each with `gh-run/4242` in its user agent:',
    );
    expect(md).toContain(
      'aws cloudtrail lookup-events --region eu-west-1 --start-time 2026-12-03T11:59:30Z --end-time 2026-12-03T12:05:10Z \\',
    );
    expect(md).toContain(`jq -c 'select(.userAgent | test("gh-run/4242( |$)"))'`);
    const noRun = deploySummary([web], {
      region: 'us-east-1',
      startedAt: new Date('2026-12-03T12:00:00Z'),
      endedAt: new Date('2026-12-03T12:01:00Z'),
      runId: undefined,
    });
    expect(noRun).toContain('between 2026-12-03T11:59:00Z and 2026-12-03T12:02:00Z:');
    expect(noRun).not.toContain('jq');
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['30x', undefined],
    ['15', undefined],
    ['', undefined],
  ])('%s → %s', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });
  it.each([
    [850, '850 ms'],
    [2_500, '2.5 s'],
    [125_000, '2 min 5 s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
