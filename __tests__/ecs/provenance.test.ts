import { describe, expect, it } from 'vitest';
import { provenanceOf, tagsWithHash } from '../../src/ecs/task-definition.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('provenanceOf: commit and run URL for the registered revision', () => {
  it.each([
    [
      'a run',
      { GITHUB_SHA: SHA, GITHUB_REPOSITORY: 'octo/shop', GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2' },
      { commit: SHA, runUrl: 'https://github.com/octo/shop/actions/runs/77/attempts/2' },
    ],
    [
      'GitHub Enterprise',
      {
        GITHUB_SHA: SHA,
        GITHUB_SERVER_URL: 'https://ghe.example.com',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_RUN_ID: '1',
      },
      { commit: SHA, runUrl: 'https://ghe.example.com/o/r/actions/runs/1' },
    ],
    ['outside Actions', {}, {}],
    ['not a commit id', { GITHUB_SHA: 'main' }, {}],
  ])('%s', (_name, env, expected) => {
    expect(provenanceOf(env)).toEqual(expected);
  });
});

describe('tagsWithHash', () => {
  it('replaces our tags, keeps the others, adds the provenance when known', () => {
    const tags = [
      { key: 'team', value: 'web' },
      { key: 'ecr-deploy:commit', value: 'old' },
      { key: 'ecr-deploy:render-hash', value: 'old' },
    ];
    expect(
      tagsWithHash(tags, 'h1', { commit: SHA, runUrl: 'https://github.com/o/r/actions/runs/1' }),
    ).toEqual([
      { key: 'team', value: 'web' },
      { key: 'ecr-deploy:render-hash', value: 'h1' },
      { key: 'ecr-deploy:commit', value: SHA },
      { key: 'ecr-deploy:run-url', value: 'https://github.com/o/r/actions/runs/1' },
    ]);
    expect(tagsWithHash(tags, 'h2')).toEqual([
      { key: 'team', value: 'web' },
      { key: 'ecr-deploy:render-hash', value: 'h2' },
    ]);
  });
});
