import { describe, expect, it } from 'vitest';
import type { DeployResult } from '../../src/deploy/types.ts';
import { successNotice } from '../../src/report/notice.ts';
import type { ImageReport } from '../../src/report/image-report.ts';

const image = {
  repositoryUri: '123.dkr.ecr.eu-west-1.amazonaws.com/app',
  digest: 'sha256:abc',
} as ImageReport;
const audit = {
  region: 'eu-west-1',
  startedAt: new Date('2026-01-01T00:00:00Z'),
  endedAt: new Date('2026-01-01T00:01:30Z'),
  runId: '7',
};
const ecs = (status: DeployResult['status']): DeployResult => ({
  target: 'ecs',
  name: 'prod/web',
  status,
  rolledBack: false,
  durationSeconds: 80,
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123:task-definition/web:8',
});

describe('successNotice', () => {
  it('says what was deployed where, with the revision and the elapsed time', () => {
    const eks: DeployResult = {
      target: 'eks',
      name: 'default/api',
      status: 'unchanged',
      rolledBack: false,
      durationSeconds: 0,
      revision: '4',
    };
    expect(successNotice(image, [ecs('completed'), eks], audit)).toBe(
      'Deployed 123.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:abc to prod/web completed (web:8), default/api unchanged (4) in 1 min 30 s.',
    );
  });

  it('none when a target did not succeed, for a dry run, or without a deploy', () => {
    expect(successNotice(image, [ecs('completed'), ecs('rolled-back')], audit)).toBeUndefined();
    expect(successNotice(image, [ecs('dry-run')], audit)).toBeUndefined();
    expect(successNotice(undefined, [ecs('completed')], audit)).toBeUndefined();
    expect(successNotice(image, undefined, audit)).toBeUndefined();
  });
});

describe('writeReport and the notice', () => {
  async function printed(stepFails: boolean | undefined): Promise<string> {
    const { writeReport } = await import('../../src/report/write-report.ts');
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const saved = { summary: process.env.GITHUB_STEP_SUMMARY, output: process.env.GITHUB_OUTPUT };
    delete process.env.GITHUB_STEP_SUMMARY;
    delete process.env.GITHUB_OUTPUT;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await writeReport({
        image: {
          ...image,
          tags: ['sha-abc1234'],
          origin: 'built',
          skipped: [],
          held: [],
        } as unknown as ImageReport,
        results: [ecs('completed')],
        audit,
        stepFails,
      });
    } finally {
      process.stdout.write = write;
      if (saved.summary !== undefined) process.env.GITHUB_STEP_SUMMARY = saved.summary;
      if (saved.output !== undefined) process.env.GITHUB_OUTPUT = saved.output;
    }
    return lines.join('');
  }

  it.each([
    [undefined, 1],
    [false, 1],
    [true, 0],
  ])('stepFails %s → %i notice line(s)', async (stepFails, count) => {
    const out = await printed(stepFails);
    expect(out.split('\n').filter((l) => l.startsWith('::notice')).length).toBe(count);
  });
});
