import type { ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import {
  planCleanup,
  previewNumberOf,
  runPreviewCleanup,
  type FoundPreview,
  type PreviewTarget,
  type PullState,
} from '../../src/preview/cleanup.ts';
import { ecsPreviewOf, listEcsPreviews } from '../../src/preview/cleanup-ecs.ts';
import { GithubCallError } from '../../src/preview/github.ts';
import { previewNames } from '../../src/preview/names.ts';
import { PREVIEW_TAG } from '../../src/preview/types.ts';
import { RecordingLog } from '../fakes/log.ts';

const web = (pr: number) => previewNames('web', 'family', pr).service;
const LONG = 'a'.repeat(254);

describe('previewNumberOf', () => {
  it.each<[string, string, (pr: number) => string, number | undefined]>([
    ['a preview of web', 'web-pr-42', web, 42],
    ['the base itself', 'web', web, undefined],
    ['another base with the same suffix', 'api-pr-42', web, undefined],
    ['a longer base ending like ours', 'my-web-pr-42', web, undefined],
    ['a leading zero', 'web-pr-042', web, undefined],
    ['no number', 'web-pr-', web, undefined],
    [
      'a shortened long base',
      previewNames(LONG, 'f', 7).service,
      (n) => previewNames(LONG, 'f', n).service,
      7,
    ],
  ])('%s: %s → %s', (_, name, expected, pr) => {
    expect(previewNumberOf(name, expected)).toBe(pr);
  });
});

describe('ecsPreviewOf', () => {
  const tag = (value: string) => [{ key: PREVIEW_TAG, value }];
  it.each<[string, Record<string, unknown>, number | undefined]>([
    ['named and tagged', { serviceName: 'web-pr-3', status: 'ACTIVE', tags: tag('pr-3') }, 3],
    [
      'named, no preview tag (someone else’s)',
      { serviceName: 'web-pr-3', status: 'ACTIVE', tags: [] },
      undefined,
    ],
    ['tag of another PR', { serviceName: 'web-pr-3', status: 'ACTIVE', tags: tag('pr-4') }, undefined],
    ['being deleted', { serviceName: 'web-pr-3', status: 'DRAINING', tags: tag('pr-3') }, undefined],
    ['tagged, not a preview name', { serviceName: 'web', status: 'ACTIVE', tags: tag('pr-3') }, undefined],
  ])('%s', (_, service, pr) => {
    expect(ecsPreviewOf('web', service)).toBe(pr);
  });
});

describe('planCleanup', () => {
  const p = (pr: number): FoundPreview => ({ pr, what: `service web-pr-${pr}` });
  it.each<[string, PullState | undefined, 'tearDown' | 'keep' | 'unknown']>([
    ['closed PR → torn down', 'closed', 'tearDown'],
    ['open PR → kept', 'open', 'keep'],
    ['PR not found → left alone', { unknown: 'PR #1 not found on GitHub (404)' }, 'unknown'],
    ['never asked → left alone', undefined, 'unknown'],
  ])('%s', (_, state, where) => {
    const states = new Map<number, PullState>(state ? [[1, state]] : []);
    const plan = planCleanup([p(1)], states);
    expect(plan[where].map((x) => x.pr)).toEqual([1]);
    expect(plan.tearDown.length + plan.keep.length + plan.unknown.length).toBe(1);
  });
});

/** A target holding previews of these PRs; `failing` PRs' teardowns throw or leave something. */
function target(prs: number[], failing: Record<number, 'throws' | 'leaves'> = {}) {
  const tornDown: number[] = [];
  const t: PreviewTarget = {
    name: 'ECS cluster preview',
    list: async () => prs.map((pr) => ({ pr, what: `service web-pr-${pr}` })),
    tearDown: async (pr) => {
      tornDown.push(pr);
      if (failing[pr] === 'throws') throw new Error('DeleteService was denied');
      return {
        headline: `PR #${pr} removed`,
        left: failing[pr] === 'leaves' ? ['target group web-pr-x: busy'] : [],
      };
    },
  };
  return { t, tornDown };
}

describe('runPreviewCleanup', () => {
  const states: Record<number, 'open' | 'closed' | Error> = {
    1: 'closed',
    2: 'open',
    3: 'closed',
    4: new GithubCallError('GET /repos/o/r/pulls/4: 404 Not Found', 404),
  };
  const pullState = async (pr: number) => {
    const s = states[pr];
    if (s instanceof Error) throw s;
    if (!s) throw new Error(`unexpected PR ${pr}`);
    return s;
  };

  it('tears down the closed PRs’ previews and keeps the open one’s', async () => {
    const { t, tornDown } = target([1, 2, 3]);
    const report = await runPreviewCleanup({ targets: [t], pullState, log: new RecordingLog() });
    expect(tornDown).toEqual([1, 3]);
    expect(report.tornDown).toHaveLength(2);
    expect(report.kept).toEqual(['service web-pr-2 (PR #2 is open)']);
    expect(report.failed).toEqual([]);
    expect(report.summary.join('\n')).toMatch(/Torn down[\s\S]*web-pr-1[\s\S]*Kept[\s\S]*web-pr-2/);
  });

  it.each<[string, Record<number, 'throws' | 'leaves'>, RegExp]>([
    ['a teardown throws', { 1: 'throws' }, /web-pr-1 \(PR #1\): DeleteService was denied/],
    ['a teardown leaves a piece', { 1: 'leaves' }, /web-pr-1 \(PR #1\): target group web-pr-x: busy/],
  ])('%s: the others are still torn down and the failure is named', async (_, failing, failure) => {
    const { t, tornDown } = target([1, 3], failing);
    const report = await runPreviewCleanup({ targets: [t], pullState, log: new RecordingLog() });
    expect(tornDown).toEqual([1, 3]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatch(failure);
    expect(report.tornDown).toEqual([expect.stringContaining('web-pr-3')]);
  });

  it('leaves a preview alone when GitHub does not know its PR (404), with a warning', async () => {
    const { t, tornDown } = target([3, 4]);
    const log = new RecordingLog();
    const report = await runPreviewCleanup({ targets: [t], pullState, log });
    expect(tornDown).toEqual([3]);
    expect(report.kept).toEqual(['service web-pr-4 (PR #4 not found on GitHub (404))']);
    expect(log.text()).toMatch(/warning: PR #4 not found on GitHub \(404\): its preview is left alone/);
  });

  it.each<[number, RegExp]>([
    [401, /github-token.*rejected.*pull-requests: read/s],
    [403, /github-token.*pull-requests: read/s],
  ])(
    'GitHub %s ends the cleanup before anything is torn down, naming github-token',
    async (status, message) => {
      const { t, tornDown } = target([1, 3]);
      const refuse = async () => {
        throw new GithubCallError(`GET /repos/o/r/pulls/1: ${status} refused`, status);
      };
      const run = runPreviewCleanup({ targets: [t], pullState: refuse, log: new RecordingLog() });
      await expect(run).rejects.toBeInstanceOf(InputError);
      await expect(run).rejects.toThrow(message);
      expect(tornDown).toEqual([]);
    },
  );

  it('a target that cannot list its previews is a failure; the other targets go on', async () => {
    const broken: PreviewTarget = {
      name: 'EKS cluster x',
      list: async () => {
        throw new Error('ListNamespaces denied');
      },
      tearDown: async () => ({ headline: '', left: [] }),
    };
    const { t, tornDown } = target([1]);
    const report = await runPreviewCleanup({ targets: [broken, t], pullState, log: new RecordingLog() });
    expect(tornDown).toEqual([1]);
    expect(report.failed).toEqual(['EKS cluster x: could not list the previews: ListNamespaces denied']);
  });
});

describe('listEcsPreviews', () => {
  it('pages through the services and returns only the tagged previews of the base, 10 described at a time', async () => {
    const names = ['web', 'api-pr-1', ...Array.from({ length: 12 }, (_, i) => `web-pr-${i + 1}`)];
    const calls: { op: string; input: Record<string, unknown> }[] = [];
    const ecs = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const op = command.constructor.name.replace(/Command$/, '');
        calls.push({ op, input: command.input });
        if (op === 'ListServices') {
          const start = Number((command.input.nextToken as string | undefined) ?? 0);
          const page = names.slice(start, start + 5).map((n) => `arn:aws:ecs:eu-west-1:1:service/c/${n}`);
          return { serviceArns: page, ...(start + 5 < names.length ? { nextToken: String(start + 5) } : {}) };
        }
        return {
          services: (command.input.services as string[]).map((n) => ({
            serviceName: n,
            status: 'ACTIVE',
            // web-pr-5 has the name but not the tag: not ours.
            tags: n === 'web-pr-5' ? [] : [{ key: PREVIEW_TAG, value: n.replace(/^web-/, '') }],
          })),
        };
      },
    } as unknown as Pick<ECSClient, 'send'>;
    const found = await listEcsPreviews(ecs, 'c', 'web');
    expect(found.map((f) => f.pr)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12]);
    const described = calls.filter((c) => c.op === 'DescribeServices');
    expect(described.map((c) => (c.input.services as string[]).length)).toEqual([10, 2]);
    expect(described.every((c) => (c.input.include as string[]).includes('TAGS'))).toBe(true);
    expect(calls.filter((c) => c.op === 'ListServices')).toHaveLength(3);
  });
});
